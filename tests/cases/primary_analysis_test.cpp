// The headline analysis: case.json's "primary_analysis" when set, else the rule the site used to
// apply (the first analysis a ci_covers claim checks, else the first with a truth, else the first),
// and the results document carries the chosen id.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "broken_cases.hpp"
#include "cases/case.hpp"
#include "cases/primary_analysis.hpp"

namespace casebook {
namespace {

// The template case (analyses "diff" and "ols", a ci_covers claim on each) after `change`.
Case template_with(const std::function<void(nlohmann::json&)>& change) {
  nlohmann::json doc = testing::template_case("base-case");
  change(doc);
  return parse_case(doc, "cases/base-case/case.json", "base-case");
}

// A run of `c` that knows the truth of the analyses listed in `with_truth` only.
CaseRun run_knowing_truth_of(const Case& c, const std::set<std::string>& with_truth) {
  CaseRun run;
  for (const auto& a : c.analyses)
    run.analyses.push_back({&a, {}, with_truth.contains(a.id) ? std::optional<double>(1.0) : std::nullopt});
  return run;
}

TEST(PrimaryAnalysis, CaseJsonChoiceComesFirst) {
  const Case c = template_with([](nlohmann::json& doc) { doc["primary_analysis"] = "ols"; });
  EXPECT_EQ(c.primary_analysis, "ols");
  EXPECT_EQ(primary_analysis_id(c, run_knowing_truth_of(c, {"diff"})), "ols");
}

TEST(PrimaryAnalysis, ElseTheFirstAnalysisACiCoversClaimChecks) {
  const Case c = template_with([](nlohmann::json& doc) { std::swap(doc["claims"][0], doc["claims"][1]); });
  EXPECT_EQ(primary_analysis_id(c, run_knowing_truth_of(c, {"diff", "ols"})), "ols");
}

TEST(PrimaryAnalysis, ElseTheFirstWithATruthElseTheFirst) {
  const Case c = template_with([](nlohmann::json& doc) {
    for (auto& claim : doc["claims"])
      claim = {{"id", claim["id"]},
               {"text", "t"},
               {"kind", "estimate"},
               {"analysis", claim["analysis"]},
               {"relation", "above"}};
  });
  EXPECT_EQ(primary_analysis_id(c, run_knowing_truth_of(c, {"ols"})), "ols");
  EXPECT_EQ(primary_analysis_id(c, run_knowing_truth_of(c, {})), "diff");  // e.g. on a CSV: no truth
}

}  // namespace
}  // namespace casebook
