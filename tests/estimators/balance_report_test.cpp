// The balance report the matching and weighting estimators share (estimators/balance_report).
#include <cmath>
#include <stdexcept>

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

const Plot& plot(const Estimate& estimate, const std::string& id) {
  for (const Plot& p : estimate.plots)
    if (p.id == id) return p;
  throw std::runtime_error("no plot " + id);
}

TEST(BalanceReport, TheLovePlotShowsEveryCovariatesAbsoluteSmdLargestImbalanceFirst) {
  const Estimate iptw = run("iptw", good(), good_args());
  const Plot& love = plot(iptw, "love-plot");
  EXPECT_EQ(love.kind, "dots");
  ASSERT_EQ(love.series.size(), 2u);
  ASSERT_EQ(love.categories.size(), iptw.tables[0].rows.size());
  for (std::size_t i = 0; i < love.categories.size(); ++i) {
    if (i > 0) {
      EXPECT_GE(love.series[0].x[i - 1], love.series[0].x[i]);
    }
    for (const auto& row : iptw.tables[0].rows) {
      if (std::get<std::string>(row[0]) != love.categories[i]) continue;
      EXPECT_EQ(love.series[0].x[i], std::abs(std::get<double>(row[1])));
      EXPECT_EQ(love.series[1].x[i], std::abs(std::get<double>(row[2])));
    }
  }
  EXPECT_EQ(love.reference_lines, std::vector<double>{0.1});
}

TEST(BalanceReport, TheOverlapPlotIsEachArmsDensityOfThePropensity) {
  const Estimate iptw = run("iptw", good(), good_args());
  const Plot& overlap = plot(iptw, "propensity-overlap");
  ASSERT_EQ(overlap.series.size(), 2u);
  for (const Series& arm : overlap.series) {
    // Step histogram: pairs of points per bin; the densities integrate to 1.
    ASSERT_EQ(arm.x.size() % 2, 0u);
    double area = 0;
    for (std::size_t i = 0; i < arm.x.size(); i += 2) area += (arm.x[i + 1] - arm.x[i]) * arm.y[i];
    EXPECT_NEAR(area, 1.0, 1e-12) << arm.name;
  }
  EXPECT_DOUBLE_EQ(overlap.series[0].x.front(), iptw.diagnostics.at("min_propensity"));
  EXPECT_DOUBLE_EQ(overlap.series[0].x.back(), iptw.diagnostics.at("max_propensity"));
}

}  // namespace
}  // namespace casebook
