#pragma once
// Replacing a file the user named without ever writing through a name someone else controls.
#include <filesystem>
#include <functional>
#include <ostream>

namespace casebook {

// Writes `write`'s output to a new temporary file beside `path` and renames it over `path`, so the
// target is either the old file or the complete new one. The temporary gets a random name and is
// created with O_CREAT | O_EXCL | O_NOFOLLOW: an existing file or a symlink of that name is never
// opened, let alone overwritten. It is removed on every way out but success. Throws InputError
// naming `path` when the folder cannot be written, the write fails (disk full) or the rename fails;
// exceptions from `write` pass through after the clean-up.
void replace_file(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);

}  // namespace casebook
