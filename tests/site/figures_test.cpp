// The charts and the optional results keys on a case page: forest plot, estimator plots,
// causal graph, identification, refutations and Monte Carlo; deterministic and accessible SVG;
// a results file carrying active SVG content is not inlined.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "graph/graph_drawing.hpp"
#include "site/figures_view.hpp"
#include "site/site.hpp"
#include "site/svg_chart.hpp"
#include "site_fixture.hpp"

namespace casebook::site {
namespace {
namespace fs = std::filesystem;
using casebook::testing::read_file;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(SvgChart, NiceTicksAreRoundAndCoverTheRange) {
  EXPECT_EQ(nice_ticks(0.13, 0.91), (std::vector<double>{0.2, 0.4, 0.6, 0.8}));
  EXPECT_EQ(nice_ticks(-3.2, 4.9), (std::vector<double>{-2, 0, 2, 4}));
  EXPECT_EQ(nice_ticks(2.4, 4.6), (std::vector<double>{2.5, 3, 3.5, 4, 4.5}));
  EXPECT_TRUE(nice_ticks(1, 1).empty());
  EXPECT_TRUE(nice_ticks(0, std::nan("")).empty());
}

TEST(SvgChart, ForestPlotDrawsEveryRowAccessiblyAndDeterministically) {
  ChartLabels labels;
  labels.id = "forest";
  labels.title = "Analyses <vs> truth";
  labels.description = "IV: 2.1 [2, 2.2], truth 2.05";
  const std::vector<ForestRow> rows = {{"2SLS & covariates", 2.1, 2.0, 2.2, 2.05},
                                       {"Naive", 4.5, 4.4, 4.6, 2.05},
                                       {"No interval", 3.0, std::nullopt, std::nullopt, std::nullopt}};
  const std::string svg = forest_plot_svg(rows, labels);
  EXPECT_TRUE(svg.starts_with("<svg"));
  EXPECT_TRUE(contains(svg, "role=\"img\" aria-labelledby=\"forest-title forest-desc\""));
  EXPECT_TRUE(contains(svg, "<title id=\"forest-title\">Analyses &lt;vs&gt; truth</title>"));
  EXPECT_TRUE(contains(svg, "<desc id=\"forest-desc\">IV: 2.1 [2, 2.2], truth 2.05</desc>"));
  EXPECT_TRUE(contains(svg, "2SLS &amp; covariates"));
  EXPECT_EQ(count(svg, "<g class=\"row\">"), 3u);
  EXPECT_EQ(count(svg, "<circle"), 3u + 1u);          // a dot per row and the legend's
  EXPECT_EQ(count(svg, "stroke-width=\"2.5\""), 2u);  // intervals only where there is one
  EXPECT_EQ(forest_plot_svg(rows, labels), svg);
}

TEST(SvgChart, PointsAndLinesSkipNonFiniteValues) {
  ChartLabels labels;
  labels.id = "p";
  const std::vector<ChartSeries> series = {
      {"a", {0, 1, 2, 3}, {1, std::nan(""), 2, 3}, {0.5, 0, 1.5, 2.5}, {1.5, 0, 2.5, 3.5}}};
  const std::string points = xy_chart_svg(ChartKind::points, series, {0}, labels);
  EXPECT_EQ(count(points, "<circle"), 3u);
  EXPECT_TRUE(contains(points, "class=\"reference\""));
  const std::string lines = xy_chart_svg(ChartKind::lines, series, {}, labels);
  EXPECT_EQ(count(lines, "<polyline"), 2u);  // the gap splits the line
  EXPECT_EQ(count(lines, "<polygon"), 2u);   // and its band
  EXPECT_FALSE(contains(lines, "nan"));
}

TEST(SvgChart, DotPlotDrawsARowPerCategoryAndVerticalReferenceLines) {
  ChartLabels labels;
  labels.id = "love";
  const std::vector<ChartSeries> series = {{"before", {0.4, 0.2, 0.05}, {}, {}, {}},
                                           {"after", {0.02, std::nan(""), 0.01}, {}, {}, {}}};
  const std::string svg = dot_chart_svg({"x1", "region<north>", "x2"}, series, {0.1}, labels);
  EXPECT_EQ(count(svg, "<g class=\"row\">"), 3u);
  EXPECT_TRUE(contains(svg, "region&lt;north&gt;"));
  EXPECT_EQ(count(svg, "<circle"), 2u + 5u);  // the legend's two and every finite value
  // The 0.1 threshold is a vertical line: its two x coordinates are equal.
  const auto at = svg.find("class=\"reference\" x1=\"");
  ASSERT_NE(at, std::string::npos);
  const auto x1 = svg.substr(at + 22, svg.find('"', at + 22) - at - 22);
  EXPECT_TRUE(contains(svg, "x1=\"" + x1 + "\" x2=\"" + x1 + "\""));
  EXPECT_FALSE(contains(svg, "nan"));
  EXPECT_EQ(dot_chart_svg({"x1", "region<north>", "x2"}, series, {0.1}, labels), svg);
}

TEST(SvgChart, DotPlotOfMagnitudesStartsItsAxisAtZero) {
  ChartLabels labels;
  labels.id = "love";
  const std::vector<ChartSeries> positive = {{"before", {0.4, 0.2, 0.05}, {}, {}, {}},
                                             {"after", {0.3, 0.15, 0.06}, {}, {}, {}}};
  EXPECT_TRUE(contains(dot_chart_svg({"a", "b", "c"}, positive, {0.1}, labels), ">0</text>"));
  const std::vector<ChartSeries> signed_values = {{"before", {0.4, -0.3, 0.05}, {}, {}, {}}};
  EXPECT_TRUE(contains(dot_chart_svg({"a", "b", "c"}, signed_values, {}, labels), ">-0."));  // below 0
}

TEST(InlineSvg, ActiveContentIsNotInlined) {
  const std::string graph = render_svg("digraph { a -> b }");
  const std::string inlined = inline_svg(graph, "Causal \"graph\"");
  EXPECT_TRUE(inlined.starts_with("<svg role=\"img\" aria-label=\"Causal &quot;graph&quot;\""));
  EXPECT_TRUE(inlined.ends_with("</svg>"));
  for (const char* hostile : {"<svg><script>alert(1)</script></svg>", "<svg onload=\"alert(1)\"></svg>",
                              "<svg><a href=\"javascript:alert(1)\">x</a></svg>",
                              "<svg><a xlink:href=\"https://evil.example\">x</a></svg>",
                              "<svg><foreignObject><div/></foreignObject></svg>", "<p>not svg</p>",
                              "<svg><image href=\"x.png\"/></svg>"}) {
    EXPECT_EQ(inline_svg(hostile, "x"), "") << hostile;
  }
}

class CasePageExtras : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device device;
    out_ = fs::temp_directory_path() / ("casebook-site-extras-" + std::to_string(device()));
  }
  void TearDown() override { fs::remove_all(out_); }
  std::string render(const CasePage& page, const std::string& file) {
    SiteOptions options;
    options.theme_dir = fs::path(CASEBOOK_SOURCE_DIR) / "site";
    render_site({page}, options, out_);
    return read_file(out_ / file);
  }
  fs::path out_;
};

TEST_F(CasePageExtras, EveryOptionalResultsKeyIsRendered) {
  const std::string graph = render_svg("digraph { launch -> orders }");
  const std::string html =
      render(casebook::testing::case_with_every_result_key(graph), "cases/synthetic-everything.html");
  // Summary card: first paragraphs, the Estimation table skipped for the sentence after it.
  EXPECT_TRUE(contains(html, "<dt>Situation</dt>"));
  EXPECT_TRUE(contains(html, "<dd>By how much did the launch raise orders, <span class=\"math inline\">"));
  EXPECT_TRUE(contains(html, "<dd>Event study with unit and time effects.</dd>"));
  // Its last row: the headline estimate against the truth, and the claims passed.
  EXPECT_TRUE(contains(html,
                       "<dt>Result</dt><dd>Event study (ATT): <strong>2.02</strong> [1.82, 2.22], against "
                       "the true value 2 of the simulation. 2/2 claims pass.</dd>"));
  EXPECT_FALSE(contains(html, "pdf-link"));  // no PDFs were asked for
  // Flowchart answers link to the flowchart page.
  EXPECT_TRUE(contains(html, "href=\"../flowchart.html#a-exogenous-shock-parallel-trends\""));
  // Forest plot, the estimators' plots (points and lines), the graph inlined with its DOT.
  EXPECT_TRUE(contains(html, "class=\"chart forest-plot\""));
  EXPECT_TRUE(contains(html, "class=\"chart points-chart\""));
  EXPECT_TRUE(contains(html, "class=\"chart lines-chart\""));
  EXPECT_TRUE(contains(html, "Effects by period relative to launch"));
  EXPECT_TRUE(contains(html, "<p class=\"caption\">Coefficients by period since launch</p>"));
  EXPECT_TRUE(contains(html, "<svg role=\"img\" aria-label=\"Causal graph of the case\""));
  EXPECT_TRUE(contains(html, "digraph { launch -&gt; orders }"));
  // Identification: valid and not, with the open path.
  EXPECT_TRUE(contains(html, "<span class=\"badge pass\">identified</span>"));
  EXPECT_TRUE(contains(html, "<span class=\"badge fail\">not identified</span>"));
  EXPECT_TRUE(contains(html, "launch \u2014 season \u2014 orders"));
  // Refutations and Monte Carlo.
  EXPECT_TRUE(contains(html, "placebo-date"));
  EXPECT_TRUE(contains(html, "No effect at a fake date."));
  // The refutation's measured false-alarm and detection rates (refuter_rates).
  EXPECT_TRUE(contains(html, "<td>1.5% ± 0.9% (200 runs)</td>"));
  EXPECT_TRUE(contains(html, "<td>90.0% ± 2.1% (200 runs) on synthetic-broken</td>"));
  EXPECT_TRUE(contains(html, "<strong>200</strong>"));
  EXPECT_TRUE(contains(html, ">95.0% ± 1.5%<"));  // ± one Monte Carlo SE
  EXPECT_TRUE(contains(html, ">[91.0%, 97.3%]<"));
  EXPECT_TRUE(contains(html, ">94.5% ± 1.6%<"));
  // Korean: readings in Korean, the English text with a notice.
  const std::string ko = read_file(out_ / "ko/cases/synthetic-everything.html");
  EXPECT_TRUE(contains(ko, "가짜 시점에는 효과가 없습니다."));
  EXPECT_TRUE(contains(ko, "열린 뒷문 경로 없음"));
  EXPECT_TRUE(contains(ko, "번역되지 않았습니다"));
}

// Answer first: the card (question and result on screen), the claims with the case's own words
// on them folded beneath, the estimates with each analysis's lead plot, the story, then the
// details folded; one drawing of the causal graph, with a button per analysis.
TEST_F(CasePageExtras, TheAnswerComesFirstAndTheDetailsFold) {
  CasePage page = casebook::testing::case_with_every_result_key(render_svg("digraph { launch -> orders }"));
  page.results["analyses"][0]["plots"].push_back(page.results["analyses"][1]["plots"][0]);
  page.results["analyses"][0]["plots"][1]["id"] = "second";
  const std::string html = render(page, "cases/synthetic-everything.html");
  std::vector<std::size_t> at;
  for (const char* part :
       {"class=\"summary-card\"", "<h2 id=\"claims\">", "class=\"claims-in-words\"", "<h2 id=\"analyses\">",
        "id=\"forest\"", "id=\"plot-did-event-study\"", "id=\"plot-naive-qini\"", "<h2>Situation</h2>",
        "<summary><h2>Estimation</h2></summary>", "id=\"graph-details\"", "id=\"plots-details\"",
        "id=\"plot-did-second\"", "id=\"tables-details\"", "id=\"refutations-details\"",
        "id=\"monte-carlo-details\"", "id=\"data-details\"", "<h2 id=\"rerun\">"}) {
    at.push_back(html.find(part));
    EXPECT_NE(at.back(), std::string::npos) << part;
  }
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end()));
  // The card keeps every row (print shows them all); screen CSS shows the question and result.
  EXPECT_TRUE(contains(html, "<div class=\"card_question\"><dt>Question</dt>"));
  EXPECT_TRUE(contains(html, "<div class=\"card_result\"><dt>Result</dt>"));
  // The Claims section of case.md moved under the table, once.
  EXPECT_EQ(count(html, "The event study recovers the launch report"), 1u);
  EXPECT_FALSE(contains(html, "<h2>Claims</h2>"));
  // The source the case reports from, in the header.
  EXPECT_TRUE(contains(
      html, "<a href=\"https://example.com/launch\" rel=\"noopener noreferrer\">Launch report 2023</a>"));
  // One drawing of the graph; each analysis is a button naming what graph.js highlights.
  EXPECT_EQ(count(html, "class=\"graph-svg\""), 1u);
  EXPECT_TRUE(
      contains(html,
               "data-analysis=\"did\" data-treatment=\"launch\" data-outcome=\"orders\" "
               "data-instruments=\"\" data-adjusted=\"city week\" data-mediators=\"\" data-path=\"\""));
  EXPECT_TRUE(contains(html,
                       "data-analysis=\"naive\" data-treatment=\"launch\" data-outcome=\"orders\" "
                       "data-instruments=\"\" data-adjusted=\"\" data-mediators=\"\" "
                       "data-path=\"launch season orders\""));
  EXPECT_TRUE(contains(html, "<td class=\"names\">city, week</td>"));
  // A claim reproduces a published figure, so the column shows; without one it goes.
  EXPECT_TRUE(contains(html, "<th scope=\"col\">Published</th>"));
  for (auto& claim : page.results["claims"]) claim.erase("published");
  EXPECT_FALSE(contains(render(page, "cases/synthetic-everything.html"), "<th scope=\"col\">Published</th>"));
}

TEST_F(CasePageExtras, SummaryOrganizationAndClaimTextsAreShownInThePagesLanguage) {
  CasePage page = casebook::testing::case_with_every_result_key("");
  page.results["meta"]["summary"] = {{"en", "Launch in some cities first."},
                                     {"ko", "일부 도시에 먼저 출시했습니다."}};
  page.results["meta"]["organization"] = {{"en", "Casebook tests"}, {"ko", "케이스북 테스트"}};
  page.results["analyses"][0]["label_ko"] = "이벤트 스터디 분석";
  page.results["claims"][0]["text_ko"] = "이벤트 스터디가 참 ATT를 포함합니다.";
  const std::string en = render(page, "cases/synthetic-everything.html");
  const std::string ko = read_file(out_ / "ko/cases/synthetic-everything.html");
  EXPECT_TRUE(contains(en, "Launch in some cities first."));
  EXPECT_TRUE(contains(en, "The event study covers the true ATT."));
  EXPECT_FALSE(contains(en, "일부 도시에 먼저 출시했습니다."));
  EXPECT_TRUE(contains(ko, "일부 도시에 먼저 출시했습니다."));
  EXPECT_TRUE(
      contains(ko, "이벤트 스터디가 참 ATT를 포함합니다."));  // in the claims table and the Monte Carlo one
  EXPECT_FALSE(contains(ko, "The event study covers the true ATT."));
  EXPECT_TRUE(contains(ko, "케이스북 테스트"));
  EXPECT_TRUE(contains(read_file(out_ / "ko/index.html"), "케이스북 테스트"));
  EXPECT_FALSE(contains(en, "케이스북 테스트"));
  EXPECT_TRUE(contains(ko, "이벤트 스터디 분석"));  // the analyses table and the forest plot
  EXPECT_FALSE(contains(en, "이벤트 스터디 분석"));
  // Without a summary the page has no lead paragraph.
  page.results["meta"].erase("summary");
  EXPECT_FALSE(contains(render(page, "cases/synthetic-everything.html"), "class=\"lead\""));
}

TEST_F(CasePageExtras, EmptyListsAndAbsentOptionalKeysLeaveNoEmptySections) {
  CasePage page = casebook::testing::case_with_every_result_key("");
  page.results["graph"] = {{"svg", ""}, {"dot", ""}};
  page.results["refutations"] = nlohmann::json::array();
  page.results.erase("monte_carlo");
  for (auto& a : page.results["analyses"]) a["plots"] = nlohmann::json::array();
  const std::string html = render(page, "cases/synthetic-everything.html");
  for (const char* id : {"class=\"graph-figure", "class=\"dot-source\"", "id=\"refutations\"",
                         "id=\"monte-carlo\"", "id=\"plots\""})
    EXPECT_FALSE(contains(html, id)) << id;
  // The identification table stays, under the graph's heading.
  EXPECT_TRUE(contains(html, "id=\"graph\""));
  EXPECT_TRUE(contains(html, "id=\"identification\""));
  EXPECT_TRUE(contains(html, "class=\"chart forest-plot\""));
}

TEST_F(CasePageExtras, AHostileGraphSvgIsShownOnlyAsItsDot) {
  const std::string html = render(casebook::testing::case_with_every_result_key(
                                      "<svg onload=\"alert(1)\"><script>alert(2)</script></svg>"),
                                  "cases/synthetic-everything.html");
  EXPECT_FALSE(contains(html, "alert("));
  EXPECT_TRUE(contains(html, "digraph { launch -&gt; orders }"));
}

}  // namespace
}  // namespace casebook::site
