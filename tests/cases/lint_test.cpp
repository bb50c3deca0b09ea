#include <gtest/gtest.h>

#include "cases/lint.hpp"

namespace casebook {
namespace {

std::string page(const std::vector<std::string>& headings) {
  std::string text = "# Title\n\n";
  for (const auto& h : headings) text += "## " + h + "\n\nText.\n\n";
  return text;
}

std::vector<std::string> all_english() {
  std::vector<std::string> names;
  for (const auto& s : required_sections()) names.push_back(s.en);
  return names;
}

TEST(Lint, CompletePageIsClean) { EXPECT_TRUE(lint_markdown(page(all_english()), "case.md", false).empty()); }

TEST(Lint, NamesTheMissingSection) {
  auto names = all_english();
  names.erase(names.begin() + 3);  // Identification strategy
  const auto problems = lint_markdown(page(names), "case.md", false);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "case.md: section '## Identification strategy' is missing");
}

TEST(Lint, NamesASectionOutOfOrder) {
  auto names = all_english();
  std::swap(names[0], names[1]);
  const auto problems = lint_markdown(page(names), "case.md", false);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("out of order"), std::string::npos) << problems[0];
}

TEST(Lint, HeadingsInCodeBlocksDoNotCount) {
  auto names = all_english();
  std::string text = page({names.begin(), names.end() - 1}) + "```\n## References\n```\n";
  EXPECT_EQ(lint_markdown(text, "case.md", false).size(), 1u);
}

TEST(Lint, KoreanPageAcceptsKoreanAndBilingualHeadings) {
  std::vector<std::string> names;
  bool bilingual = false;
  for (const auto& s : required_sections()) {
    names.push_back(bilingual ? s.ko + " (" + s.en + ")" : s.ko);
    bilingual = !bilingual;
  }
  EXPECT_TRUE(lint_markdown(page(names), "case.ko.md", true).empty());
  EXPECT_FALSE(lint_markdown(page(names), "case.md", false).empty());
}

}  // namespace
}  // namespace casebook
