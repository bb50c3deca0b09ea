// list, lint, new: commands about the case files themselves.
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cases/case.hpp"
#include "cases/lint.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"

namespace casebook {
namespace {

std::vector<std::filesystem::path> selected_cases(const Project& project,
                                                  const std::vector<std::string>& ids) {
  if (ids.empty()) return case_directories(project.cases());
  std::vector<std::filesystem::path> dirs;
  for (const auto& id : ids) dirs.push_back(project.case_dir(id));
  return dirs;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

int list_cases(const Project& project) {
  for (const auto& dir : case_directories(project.cases())) {
    const Case c = load_case(dir);
    std::cout << fmt::format("{:<34} {:<28} {}\n", c.id, c.organization, c.title_en);
    std::cout << fmt::format("{:<34} methods: {}\n", "", fmt::join(c.methods, ", "));
  }
  return 0;
}

int lint_cases(const Project& project, const std::vector<std::string>& ids) {
  std::size_t problems = 0, cases = 0;
  for (const auto& dir : selected_cases(project, ids)) {
    ++cases;
    for (const auto& problem : lint_case(dir)) {
      std::cerr << problem << '\n';
      ++problems;
    }
  }
  if (problems > 0) {
    std::cerr << fmt::format("{} problem{} in {} case{}\n", problems, problems == 1 ? "" : "s", cases,
                             cases == 1 ? "" : "s");
    return 2;
  }
  std::cout << fmt::format("{} case{} lint clean\n", cases, cases == 1 ? "" : "s");
  return 0;
}

int new_case(const Project& project, const std::string& id) {
  require_valid_case_id(id);
  const auto dir = project.cases() / id;
  if (std::filesystem::exists(dir)) throw InputError(dir.string(), "already exists; choose another id");
  std::filesystem::create_directories(dir);
  for (const char* name : {"case.md", "case.ko.md", "case.json"}) {
    std::string text = read_text(project.templates() / name);
    replace_all(text, "{{id}}", id);
    std::ofstream(dir / name, std::ios::binary) << text;
  }
  std::cout << fmt::format(
      "created {}/ (case.md, case.ko.md, case.json)\nnext: edit them, then `casebook lint {}` "
      "and `casebook run {}`\n",
      dir.string(), id, id);
  return 0;
}

}  // namespace casebook
