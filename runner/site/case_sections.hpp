#pragma once
// Reading a case page's sections: the summary card shows the first paragraph of Situation,
// Question, Estimand, Identification strategy and Estimation; the page folds the sections a reader
// opens on demand.
#include <string>
#include <string_view>
#include <vector>

namespace casebook::site {

struct SectionHeading {
  std::string key;  // the strings.json key of the card's label, e.g. "card_situation"
  std::string en;   // the heading in case.md
  std::string ko;   // the heading in case.ko.md ("상황" or "상황 (Situation)")
};

// Situation, Question, Estimand, Identification strategy, Estimation.
const std::vector<SectionHeading>& summary_sections();

// Whether a level-2 heading's text names the section ("Situation", "상황" or "상황 (Situation)").
bool is_heading(std::string_view title, const SectionHeading& heading);

// The sections a case page folds (Estimation, Sensitivity, References: the how and the where
// from, opened on demand), and the Claims section, which the page shows under its claims table.
const std::vector<SectionHeading>& folded_sections();
const SectionHeading& claims_section();

// The markdown of the first paragraph under the level-2 heading `heading` (English or Korean
// name, or "Korean (English)"), outside fenced code; empty when there is none.
std::string first_paragraph(std::string_view markdown, const SectionHeading& heading);

}  // namespace casebook::site
