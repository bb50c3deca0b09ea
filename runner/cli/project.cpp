#include "cli/project.hpp"

#include <fmt/format.h>

#include "cases/case.hpp"
#include "core/input_error.hpp"

namespace casebook {
namespace {

bool looks_like_project(const std::filesystem::path& dir) {
  return std::filesystem::is_directory(dir / "cases") && std::filesystem::is_directory(dir / "templates");
}

}  // namespace

std::filesystem::path Project::case_dir(const std::string& id) const {
  require_valid_case_id(id);
  const auto dir = cases() / id;
  if (!std::filesystem::is_directory(dir))
    throw InputError(
        fmt::format("no case '{}' in {} (`casebook list` shows the cases)", id, cases().string()));
  return dir;
}

Project find_project(const std::string& root_option) {
  if (!root_option.empty()) {
    if (!looks_like_project(root_option))
      throw InputError(
          fmt::format("--root {}: expected a folder holding cases/ and templates/", root_option));
    return {root_option};
  }
  std::error_code ec;
  for (auto dir = std::filesystem::current_path(ec); !ec && !dir.empty(); dir = dir.parent_path()) {
    if (looks_like_project(dir)) return {dir};
    if (dir == dir.parent_path()) break;
  }
  return {CASEBOOK_SOURCE_DIR};
}

}  // namespace casebook
