#pragma once
// Writing a file the user named, without ever destroying something they wrote.
#include <filesystem>
#include <string>

namespace casebook {

// Refuses (InputError) when `path` exists and `force` is false, or when its folder is missing.
void require_writable_target(const std::filesystem::path& path, bool force);
// Writes through replace_file (core/replace_file.hpp): the target is either the old file or the
// complete new one, and no other file is touched on the way.
void write_text_file(const std::filesystem::path& path, const std::string& text, bool force);

}  // namespace casebook
