#include "site/case_sections.hpp"

namespace casebook::site {
namespace {

std::string_view trimmed(std::string_view line) {
  const auto begin = line.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  const auto end = line.find_last_not_of(" \t\r#");
  return line.substr(begin, end - begin + 1);
}

bool is_fence(std::string_view line) { return line.starts_with("```") || line.starts_with("~~~"); }

}  // namespace

bool is_heading(std::string_view title, const SectionHeading& h) {
  return title == h.en || title == h.ko || title == h.ko + " (" + h.en + ")";
}

const std::vector<SectionHeading>& folded_sections() {
  static const std::vector<SectionHeading> sections{
      {"section_estimation", "Estimation", "추정"},
      {"section_sensitivity", "Sensitivity", "민감도"},
      {"section_references", "References", "참고 문헌"},
  };
  return sections;
}

const SectionHeading& claims_section() {
  static const SectionHeading section{"section_claims", "Claims", "주장"};
  return section;
}

const std::vector<SectionHeading>& summary_sections() {
  static const std::vector<SectionHeading> sections{
      {"card_situation", "Situation", "상황"},
      {"card_question", "Question", "질문"},
      {"card_estimand", "Estimand", "추정 대상"},
      {"card_identification", "Identification strategy", "식별 전략"},
      {"card_estimation", "Estimation", "추정"},
  };
  return sections;
}

std::string first_paragraph(std::string_view markdown, const SectionHeading& heading) {
  bool in_fence = false, in_section = false, skipping_block = false;
  std::string paragraph;
  std::size_t at = 0;
  while (at <= markdown.size()) {
    const auto end = markdown.find('\n', at);
    const std::string_view line =
        markdown.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    at = end == std::string_view::npos ? markdown.size() + 1 : end + 1;
    if (is_fence(line)) {
      in_fence = !in_fence;
      if (in_section && !paragraph.empty()) return paragraph;  // a code block ends the paragraph
      continue;
    }
    if (in_fence) continue;
    if (line.starts_with("#")) {
      if (in_section && !paragraph.empty()) return paragraph;
      if (line.starts_with("## ")) in_section = is_heading(trimmed(line.substr(3)), heading);
      continue;
    }
    if (!in_section) continue;
    // A table or a quote is not the section's opening sentence; the card skips it.
    if (paragraph.empty() && (trimmed(line).starts_with("|") || trimmed(line).starts_with(">"))) {
      skipping_block = true;
      continue;
    }
    if (skipping_block) {
      if (trimmed(line).empty()) skipping_block = false;
      continue;
    }
    if (trimmed(line).empty()) {
      if (!paragraph.empty()) return paragraph;
      continue;
    }
    paragraph += std::string(line) + "\n";
  }
  return paragraph;
}

}  // namespace casebook::site
