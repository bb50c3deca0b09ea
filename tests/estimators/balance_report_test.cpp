// The balance report the matching and weighting estimators share (estimators/balance_report).
#include <gtest/gtest.h>

#include "weighting_fixture.hpp"

namespace casebook {
namespace {

using namespace weighting_fixture;

TEST(BalanceReport, WeightingEstimatorsReportTheBalanceTheirWeightsAchieve) {
  // Overlap weights balance every term of the propensity model exactly, each level of region too.
  const Estimate overlap = run("overlap-weights", good(), good_args());
  EXPECT_LT(overlap.diagnostics.at("max_abs_smd"), 1e-8);
  EXPECT_GT(overlap.diagnostics.at("max_abs_smd_before"), 0.1);
  const Estimate iptw = run("iptw", good(), good_args());
  EXPECT_LT(iptw.diagnostics.at("max_abs_smd"), iptw.diagnostics.at("max_abs_smd_before") / 5);
  ASSERT_EQ(iptw.tables.size(), 1u);
  EXPECT_EQ(iptw.tables[0].id, "balance");
  std::vector<std::string> covariates;
  for (const auto& row : iptw.tables[0].rows) covariates.push_back(std::get<std::string>(row[0]));
  EXPECT_EQ(covariates.front(), "x1");
  EXPECT_EQ(covariates.size(), 2u + good().column("region").levels.size());
}

}  // namespace
}  // namespace casebook
