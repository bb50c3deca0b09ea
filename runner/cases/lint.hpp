#pragma once
// The linter: what a contributor gets told before a case can be merged.
#include <filesystem>
#include <string>
#include <vector>

namespace casebook {

struct SectionName {
  std::string en;
  std::string ko;
};
// The level-2 headings every case page has, in this order.
const std::vector<SectionName>& required_sections();

// Problems with the headings of a case page, each "file: problem"; `korean` accepts the Korean
// names (or "한국어 (English)").
std::vector<std::string> lint_markdown(const std::string& markdown, const std::string& file, bool korean);

// Everything wrong with a case folder: case.json (loading, expressions), case.md, case.ko.md.
// Empty when the case is fine.
std::vector<std::string> lint_case(const std::filesystem::path& dir);

}  // namespace casebook
