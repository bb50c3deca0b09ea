#pragma once
// Writing a file the user named, without ever destroying something they wrote.
#include <filesystem>
#include <string>

namespace casebook {

// Refuses (InputError) when `path` exists and `force` is false, or when its folder is missing.
void require_writable_target(const std::filesystem::path& path, bool force);
// Writes via a temporary file in the same folder and a rename, so the target is either the old
// file or the complete new one.
void write_text_file(const std::filesystem::path& path, const std::string& text, bool force);

}  // namespace casebook
