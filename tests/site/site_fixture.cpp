#include "site_fixture.hpp"

#include <fstream>
#include <sstream>

namespace casebook::testing {

using nlohmann::json;

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CasePage case_with_every_result_key(const std::string& graph_svg) {
  CasePage page;
  page.id = "synthetic-everything";
  page.markdown_en =
      "# Synthetic\n\n## Situation\n\nA launch reached some cities first; $Y_{it}$ is weekly orders.\n\n"
      "## Question\n\nBy how much did the launch raise orders, $\\tau_{ATT}$?\n\n## Estimand\n\nThe ATT.\n\n"
      "## Identification strategy\n\nParallel trends.\n\n## Estimation\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
      "Event study with unit and time effects.\n";
  // No case.ko.md: the Korean page shows this text with a notice.
  const json event_plot = {{"id", "event-study"},
                           {"title", "Effects by period relative to launch"},
                           {"kind", "points"},
                           {"x_label", "period"},
                           {"y_label", "effect"},
                           {"reference_lines", {0}},
                           {"categories", json::array()},
                           {"series",
                            {{{"name", "estimate"},
                              {"x", {-3, -2, -1, 0, 1, 2}},
                              {"y", {0.1, -0.05, 0, 1.9, 2.1, 2.05}},
                              {"lower", {-0.3, -0.4, 0, 1.5, 1.7, 1.6}},
                              {"upper", {0.5, 0.3, 0, 2.3, 2.5, 2.5}}}}}};
  const json qini_plot = {{"id", "qini"},
                          {"title", "Qini curve"},
                          {"kind", "lines"},
                          {"x_label", "share targeted"},
                          {"y_label", "incremental orders"},
                          {"series",
                           {{{"name", "T-learner"},
                             {"x", {0, 0.25, 0.5, 0.75, 1}},
                             {"y", {0, 40, 65, 78, 80}},
                             {"lower", json::array()},
                             {"upper", json::array()}},
                            {{"name", "random"},
                             {"x", {0, 1}},
                             {"y", {0, 80}},
                             {"lower", json::array()},
                             {"upper", json::array()}}}},
                          {"reference_lines", json::array()},
                          {"categories", json::array()}};
  page.results = {
      {"case", page.id},
      {"title", {{"en", "Synthetic: every result key"}, {"ko", "합성: 모든 결과 키"}}},
      {"meta",
       {{"organization", {{"en", "Casebook tests"}, {"ko", "Casebook tests"}}},
        {"domain", {{"en", "Testing"}, {"ko", "Testing"}}},
        {"sources", json::array()},
        {"methods", {"difference-in-differences", "uplift"}},
        {"flowchart", {"ab-test-not-possible", "exogenous-shock", "exogenous-shock-parallel-trends"}},
        {"estimands", {{{"id", "att"}, {"type", "att"}}}}}},
      {"primary_analysis", "did"},
      {"data",
       {{"source", "simulation"},
        {"seed", 7},
        {"n", 4000},
        {"preview", {{"columns", {"city", "week", "orders"}}, {"rows", {{1, 1, 10.5}, {2, 1, 9.25}}}}}}},
      {"truth", {{"att", 2.0}}},
      {"graph", {{"svg", graph_svg}, {"dot", "digraph { launch -> orders }"}}},
      {"analyses",
       {{{"id", "did"},
         {"label", "Event study"},
         {"estimator", "event-study"},
         {"estimand", "att"},
         {"estimate", 2.02},
         {"se", 0.1},
         {"ci_low", 1.82},
         {"ci_high", 2.22},
         {"p_value", 0.0},
         {"n", 4000},
         {"truth", 2.0},
         {"diagnostics", {{"pretrend_p", 0.61}}},
         {"notes", json::array()},
         {"identification",
          {{"criterion", "parallel trends"},
           {"graph", "panel"},
           {"valid", true},
           {"reason", {{"en", "no open back-door path"}, {"ko", "열린 뒷문 경로 없음"}}},
           {"open_path", json::array()},
           {"svg", ""}}},
         {"tables",
          {{{"id", "event_study"},
            {"title", "Coefficients by period since launch"},
            {"columns", {"relative_period", "estimate"}},
            {"rows",
             {{{"relative_period", -1}, {"estimate", 0.0}}, {{"relative_period", 0}, {"estimate", 2.02}}}}}}},
         {"plots", {event_plot}}},
        {{"id", "naive"},
         {"label", "Before-after in launch cities"},
         {"estimator", "did"},
         {"estimand", "att"},
         {"estimate", 3.1},
         {"se", 0.12},
         {"ci_low", 2.86},
         {"ci_high", 3.34},
         {"p_value", 0.0},
         {"n", 4000},
         {"truth", 2.0},
         {"diagnostics", json::object()},
         {"notes", json::array()},
         {"identification",
          {{"criterion", "back-door"},
           {"graph", "panel"},
           {"valid", false},
           {"reason", "a trend confounds"},
           {"open_path", {"launch", "season", "orders"}},
           {"svg", ""}}},
         {"tables", json::array()},
         {"plots", {qini_plot}}}}},
      {"claims",
       {{{"id", "did-covers"},
         {"text", "The event study covers the true ATT."},
         {"pass", true},
         {"skipped", false},
         {"observed", 2.02},
         {"expected", "covers 2"},
         {"published", {{"value", 2.1}, {"source", "Launch report 2023"}, {"note", ""}}}}}},
      {"refutations",
       {{{"name", "placebo-date"},
         {"analysis", "did"},
         {"estimate", 0.03},
         {"pass", true},
         {"rule", "|estimate| < 2 SE"},
         {"reading", {{"en", "No effect at a fake date."}, {"ko", "가짜 시점에는 효과가 없습니다."}}}}}},
      {"monte_carlo",
       {{"reps", 200},
        {"seed", 7},
        {"n", 4000},
        {"analyses",
         {{{"id", "did"},
           {"mean_estimate", 2.001},
           {"bias", 0.001},
           {"rmse", 0.1},
           {"coverage", 0.95},
           {"mean_se", 0.1},
           {"sd_estimate", 0.099}}}},
        {"claims", {{{"id", "did-covers"}, {"pass_rate", 0.945}}}}}},
      {"summary", {{"claims_passed", 1}, {"claims_failed", 0}, {"claims_skipped", 0}, {"claims_total", 1}}},
      {"command", "casebook run synthetic-everything --seed 7"},
  };
  return page;
}

}  // namespace casebook::testing
