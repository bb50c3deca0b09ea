#pragma once
// A case's narrative (case.md as HTML) arranged for its page: the story stays open, the sections a
// reader opens on demand are folded, and the Claims section moves under the claims table, which
// says the same claims as checked.
#include <string>

namespace casebook::site {

struct CaseText {
  std::string html;         // the narrative, Estimation, Sensitivity and References folded
  std::string claims_html;  // the Claims section's body (without its heading); empty if none
};

// Splits `html` at its level-2 headings (cmark writes them as "<h2>Title</h2>"). A page without a
// claims table keeps the Claims section in the narrative (`claims_beside_table` false).
CaseText arrange_case_text(const std::string& html, bool claims_beside_table);

}  // namespace casebook::site
