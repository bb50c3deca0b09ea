// markdown_to_html: GitHub extensions, math kept intact for KaTeX, and nothing executable.
#include <string>

#include <gtest/gtest.h>

#include "site/math.hpp"
#include "site/site.hpp"

namespace casebook {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Markdown, RendersGithubExtensions) {
  const std::string html = markdown_to_html(
      "## Estimand\n\n| method | estimate |\n|---|---:|\n| 2SLS | 2.1 |\n\n~~naive~~ see "
      "https://example.com/x\n");
  EXPECT_TRUE(contains(html, "<h2>Estimand</h2>"));
  EXPECT_TRUE(contains(html, "<div class=\"table-wrap\"><table>"));  // scrolls on a phone on its own
  EXPECT_TRUE(contains(html, "</table></div>"));
  EXPECT_TRUE(contains(html, "<td>2SLS</td>"));
  EXPECT_TRUE(contains(html, "<del>naive</del>"));
  EXPECT_TRUE(contains(html, "<a href=\"https://example.com/x\">https://example.com/x</a>"));
}

TEST(Markdown, InlineMathKeepsUnderscoresAndBackslashes) {
  const std::string html = markdown_to_html("The effect $\\tau_{LATE} = E[Y_1 - Y_0 \\mid C]$ holds.\n");
  EXPECT_TRUE(contains(html, "<span class=\"math inline\">\\tau_{LATE} = E[Y_1 - Y_0 \\mid C]</span>"))
      << html;
  EXPECT_FALSE(contains(html, "<em>"));
}

TEST(Markdown, DisplayMathBecomesItsOwnBlock) {
  const std::string html =
      markdown_to_html("Before.\n\n$$\n\\hat\\beta = (Z'X)^{-1} Z'y, \\quad a_i * b_i\n$$\n\nAfter.\n");
  EXPECT_TRUE(contains(
      html, "<div class=\"math display\">\n\\hat\\beta = (Z&#39;X)^{-1} Z&#39;y, \\quad a_i * b_i\n</div>"))
      << html;
  EXPECT_FALSE(contains(html, "<p><div"));
}

TEST(Markdown, MathIsEscapedAsText) {
  const std::string html = markdown_to_html("$a<b> & c$\n");
  EXPECT_TRUE(contains(html, "<span class=\"math inline\">a&lt;b&gt; &amp; c</span>")) << html;
}

TEST(Markdown, DollarsThatAreNotMathStayText) {
  const std::string html = markdown_to_html("It cost $5 and $10, or \\$3.\n");
  EXPECT_FALSE(contains(html, "class=\"math")) << html;
  EXPECT_TRUE(contains(html, "It cost $5 and $10, or $3.")) << html;
}

TEST(Markdown, CodeKeepsItsDollars) {
  const std::string html =
      markdown_to_html("Run `echo $x_1$` now.\n\n```\n$a_b$\n```\n\n    $indented_code$\n");
  EXPECT_FALSE(contains(html, "class=\"math")) << html;
  EXPECT_TRUE(contains(html, "<code>echo $x_1$</code>")) << html;
  EXPECT_TRUE(contains(html, "<code>$a_b$\n</code>")) << html;
  EXPECT_TRUE(contains(html, "$indented_code$")) << html;
}

TEST(Markdown, MathInsideTableCellsAndImageAltText) {
  const std::string html =
      markdown_to_html("| a | b |\n|---|---|\n| $x_{1}|y$ | 2 |\n\n![$\\beta_1$ plot](p.png)\n");
  EXPECT_TRUE(contains(html, "<td><span class=\"math inline\">x_{1}|y</span></td>")) << html;
  EXPECT_TRUE(contains(html, "alt=\"$\\beta_1$ plot\"")) << html;
}

TEST(Markdown, RawHtmlIsNotPassedThrough) {
  const std::string html =
      markdown_to_html("<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> end.\n");
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_FALSE(contains(html, "<img"));
  EXPECT_FALSE(contains(html, "onerror=alert"));
}

TEST(Markdown, JavascriptLinksAreNeutralised) {
  const std::string html = markdown_to_html(
      "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) <javascript:alert(2)> [c](vbscript:x) "
      "[d](data:text/html,x) ![e](javascript:x)\n\n[r]: javascript:alert(3)\n\n[f][r]\n");
  EXPECT_FALSE(contains(html, "href=\"javascript")) << html;
  EXPECT_FALSE(contains(html, "href=\"JaVaScRiPt")) << html;
  EXPECT_FALSE(contains(html, "vbscript:x\"")) << html;
  EXPECT_FALSE(contains(html, "href=\"data:")) << html;
  EXPECT_FALSE(contains(html, "src=\"javascript")) << html;
}

TEST(Markdown, StrayPlaceholderCharactersAreInert) {
  // Placeholder characters written in the text (raw or as entities) must not pick a span.
  const std::string html = markdown_to_html(
      "$x$ and \xEE\x80\x80"
      "0\xEE\x80\x81 and &#xE000;0&#xE001;\n");
  EXPECT_EQ(html.find("class=\"math"), html.rfind("class=\"math")) << html;
}

TEST(MathCut, FindsSpansAndSkipsCode) {
  const site::MathCut cut = site::cut_math("a $x$ `$no$` $$y$$ $ z$ $5 b\n\n$p\n\nq$");
  ASSERT_EQ(cut.spans.size(), 2u);
  EXPECT_EQ(cut.spans[0].tex, "x");
  EXPECT_FALSE(cut.spans[0].display);
  EXPECT_EQ(cut.spans[1].tex, "y");
  EXPECT_TRUE(cut.spans[1].display);
  EXPECT_EQ(cut.spans[1].source, "$$y$$");
}

}  // namespace
}  // namespace casebook
