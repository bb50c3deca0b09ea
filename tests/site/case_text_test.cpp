// arrange_case_text: the story stays open in the case's order, Estimation, Sensitivity and
// References fold, and the Claims section moves under the claims table.
#include <string>

#include <gtest/gtest.h>

#include "site/case_text.hpp"
#include "site/site.hpp"

namespace casebook::site {
namespace {

const std::string kMarkdown =
    "> Illustrative simulation.\n\n"
    "## Situation\n\nA launch.\n\n"
    "## Estimation\n\n| id | estimator |\n|---|---|\n| did | did |\n\n"
    "## Claims\n\n- The DiD covers the truth.\n\n"
    "## Practice notes\n\nLook at trends.\n\n"
    "## References\n\n- A paper.\n";

TEST(CaseText, FoldsTheHowAndMovesTheClaimsUnderTheirTable) {
  const CaseText text = arrange_case_text(markdown_to_html(kMarkdown), true);
  EXPECT_EQ(text.html,
            "<blockquote>\n<p>Illustrative simulation.</p>\n</blockquote>\n"
            "<h2>Situation</h2>\n<p>A launch.</p>\n"
            "<details class=\"text-section\">\n<summary><h2>Estimation</h2></summary>\n"
            "<div "
            "class=\"table-wrap\"><table>\n<thead>\n<tr>\n<th>id</th>\n<th>estimator</th>\n</tr>\n</"
            "thead>\n<tbody>\n<tr>\n"
            "<td>did</td>\n<td>did</td>\n</tr>\n</tbody>\n</table></div>\n</details>\n"
            "<h2>Practice notes</h2>\n<p>Look at trends.</p>\n"
            "<details class=\"text-section\">\n<summary><h2>References</h2></summary>\n"
            "<ul>\n<li>A paper.</li>\n</ul>\n</details>\n");
  EXPECT_EQ(text.claims_html, "\n<ul>\n<li>The DiD covers the truth.</li>\n</ul>\n");
}

TEST(CaseText, KoreanHeadingsWithOrWithoutTheEnglishName) {
  const CaseText text = arrange_case_text(
      markdown_to_html(
          "## 상황 (Situation)\n\n출시.\n\n## 민감도 (Sensitivity)\n\n가정.\n\n## 주장\n\n포함.\n"),
      true);
  EXPECT_NE(text.html.find("<h2>상황 (Situation)</h2>\n<p>출시.</p>"), std::string::npos);
  EXPECT_NE(text.html.find("<summary><h2>민감도 (Sensitivity)</h2></summary>"), std::string::npos);
  EXPECT_EQ(text.claims_html, "\n<p>포함.</p>\n");
}

TEST(CaseText, WithoutAClaimsTableTheClaimsStayInTheStory) {
  const CaseText text = arrange_case_text(markdown_to_html(kMarkdown), false);
  EXPECT_NE(text.html.find("<h2>Claims</h2>\n<ul>\n<li>The DiD covers the truth.</li>"), std::string::npos);
  EXPECT_EQ(text.claims_html, "");
}

TEST(CaseText, TextWithoutHeadingsIsLeftAsItIs) {
  const std::string html = markdown_to_html("Just a paragraph.\n\n### A smaller heading\n");
  const CaseText text = arrange_case_text(html, true);
  EXPECT_EQ(text.html, html);
  EXPECT_EQ(text.claims_html, "");
}

}  // namespace
}  // namespace casebook::site
