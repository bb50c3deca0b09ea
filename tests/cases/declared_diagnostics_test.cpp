// Every diagnostic an analysis reports is declared (registry, sensitivity, bootstrap, CATE
// scores), so the loader's check of a claim's diagnostic never rejects one that would exist.
#include <algorithm>

#include <gtest/gtest.h>

#include "../fixtures/case_results.hpp"
#include "cases/analysis_diagnostics.hpp"
#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "schema_validation.hpp"

namespace casebook {
namespace {

TEST(DeclaredDiagnostics, EveryDiagnosticTheRealCasesReportIsDeclared) {
  std::size_t checked = 0;
  for (const auto& [dir, c, results] : testing::every_case_results())
    for (const auto& analysis : results.at("analyses")) {
      const auto spec = std::find_if(c.analyses.begin(), c.analyses.end(),
                                     [&](const AnalysisSpec& a) { return a.id == analysis.at("id"); });
      ASSERT_NE(spec, c.analyses.end()) << c.id;
      for (const auto& [name, value] : analysis.at("diagnostics").items()) {
        EXPECT_EQ(undeclared_diagnostic_problem(*spec, name), std::nullopt) << c.id;
        ++checked;
      }
    }
  EXPECT_GT(checked, 100u);
}

TEST(DeclaredDiagnostics, PlaceholdersStandForAnyNonEmptyText) {
  EXPECT_TRUE(diagnostic_name_matches("coef_{period}", "coef_-2"));
  EXPECT_TRUE(diagnostic_name_matches("effect_{column}_{level}", "effect_male_1_minus_0"));
  EXPECT_TRUE(diagnostic_name_matches("cate_q{group}_effect_se", "cate_q5_effect_se"));
  EXPECT_FALSE(diagnostic_name_matches("coef_{period}", "coef_"));
  EXPECT_FALSE(diagnostic_name_matches("cate_q{group}_effect", "cate_q5_effect_se"));
  EXPECT_FALSE(diagnostic_name_matches("first_stage_F", "first_stage_f"));
}

}  // namespace
}  // namespace casebook
