#include "cli/output_file.hpp"

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/replace_file.hpp"

namespace casebook {

void require_writable_target(const std::filesystem::path& path, bool force) {
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(folder))
    throw InputError(path.string(), fmt::format("folder '{}' does not exist", folder.string()));
  if (std::filesystem::is_directory(path))
    throw InputError(path.string(), "is a folder, expected a file name");
  if (std::filesystem::exists(path) && !force)
    throw InputError(path.string(), "already exists; pass --force to replace it");
}

void write_text_file(const std::filesystem::path& path, const std::string& text, bool force) {
  require_writable_target(path, force);
  replace_file(path, [&](std::ostream& out) { out << text; });
}

}  // namespace casebook
