// Sensitivity formulas against reference values: Cinelli & Hazlett (2020) from statsmodels' OLS
// t-statistic and df, benchmark bounds as sensemakr computes them, and the Anderson-Rubin set by
// inverting statsmodels' HC1 test (tests/fixtures/make_sensitivity_fixtures.py); E-values against
// VanderWeele & Ding's (2017) worked example.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "refute/sensitivity.hpp"

namespace casebook {
namespace {

const nlohmann::json& reference() {
  static const nlohmann::json j = [] {
    std::ifstream in(std::string(CASEBOOK_FIXTURES) + "/sensitivity_reference.json");
    return nlohmann::json::parse(in);
  }();
  return j;
}

const Dataset& data() {
  static const Dataset d = read_csv(std::string(CASEBOOK_FIXTURES) + "/estimators_data.csv");
  return d;
}

void expect_relative(double actual, double expected, double tolerance = 1e-6) {
  EXPECT_LE(std::abs(actual - expected), tolerance * std::max(1.0, std::abs(expected)))
      << "actual " << actual << " expected " << expected;
}

EstimatorArgs ols_args() {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.covariates = {"x1", "x2", "region"};
  return args;
}

TEST(RobustnessValue, FormulaPointsMatchCinelliHazlett) {
  for (const auto& p : reference()["formula_points"]) {
    const double t = p["t"], dof = p["dof"];
    expect_relative(partial_r2_from_t(t, dof), p["partial_r2"]);
    expect_relative(robustness_value(t, dof), p["rv"]);
    expect_relative(robustness_value_alpha(t, dof, 1.0, 0.05), p["rv_alpha05"]);
    expect_relative(robustness_value_alpha(t, dof, 0.5, 0.10), p["rv_q05_alpha10"]);
  }
}

TEST(RobustnessValue, FromDataMatchesStatsmodelsOls) {
  const auto& ref = reference()["ols"];
  const RegressionSensitivity s = regression_sensitivity(data(), ols_args());
  expect_relative(s.estimate, ref["estimate"]);
  expect_relative(s.se, ref["se"]);
  expect_relative(s.t_statistic, ref["t_statistic"]);
  EXPECT_EQ(s.dof, ref["dof"].get<double>());
  expect_relative(s.partial_r2, ref["partial_r2"]);
  expect_relative(s.robustness_value, ref["rv_q1"]);
  expect_relative(s.robustness_value_alpha, ref["rv_q1_alpha05"]);
  const RegressionSensitivity half = regression_sensitivity(data(), ols_args(), {}, 0.5, 0.05);
  expect_relative(half.robustness_value, ref["rv_q05"]);
  expect_relative(half.robustness_value_alpha, ref["rv_q05_alpha05"]);
}

TEST(BenchmarkBounds, MatchSensemakrFormulasForNumericAndCategoricalBenchmarks) {
  const RegressionSensitivity s = regression_sensitivity(data(), ols_args(), {"x1", "region"});
  ASSERT_EQ(s.benchmarks.size(), 2u);
  for (const auto& b : s.benchmarks) {
    const auto& ref = reference()["benchmarks"][b.covariate];
    expect_relative(b.r2dxj_x, ref["r2dxj_x"]);
    expect_relative(b.r2yxj_dx, ref["r2yxj_dx"]);
    expect_relative(b.r2dz_x, ref["r2dz_x"]);
    expect_relative(b.r2yz_dx, ref["r2yz_dx"]);
    expect_relative(b.adjusted_estimate, ref["adjusted_estimate"]);
    expect_relative(b.adjusted_se, ref["adjusted_se"]);
    expect_relative(b.adjusted_ci_low, ref["adjusted_ci_low"]);
    expect_relative(b.adjusted_ci_high, ref["adjusted_ci_high"]);
  }
  EXPECT_THROW(regression_sensitivity(data(), ols_args(), {"z_cont"}), InputError);  // not a covariate
}

TEST(EValue, MatchesVanderWeeleDingSmokingExample) {
  // VanderWeele & Ding (2017), Ann Intern Med 167(4), and the EValue package's vignette: smoking and
  // lung cancer (Hammond & Horn), RR 10.73 (95% CI 8.02 to 14.36): E-value 20.95, for the CI 15.52.
  const EValue e = e_value(10.73, 8.02, 14.36);
  EXPECT_NEAR(e.point, 20.95, 0.005);
  EXPECT_NEAR(e.ci, 15.52, 0.005);
  // A protective ratio is inverted; a CI that includes 1 gives 1.
  EXPECT_DOUBLE_EQ(e_value(1 / 10.73), e_value(10.73));
  EXPECT_DOUBLE_EQ(e_value(0.5, 0.2, 1.3).ci, 1.0);
  EXPECT_NEAR(e_value(0.5, 0.2, 0.8).ci, e_value(1 / 0.8), 1e-12);
  EXPECT_DOUBLE_EQ(e_value(1.0), 1.0);
  EXPECT_THROW(e_value(-1.0), InputError);
}

TEST(EValue, ConversionsFollowThePaper) {
  // Common outcome: RR ≈ √OR; rare outcome: RR ≈ OR; standardised difference d: RR ≈ exp(0.91 d).
  EXPECT_DOUBLE_EQ(risk_ratio_from_odds_ratio(4.0, true), 2.0);
  EXPECT_DOUBLE_EQ(risk_ratio_from_odds_ratio(4.0, false), 4.0);
  EXPECT_NEAR(risk_ratio_from_standardized_difference(1.0), std::exp(0.91), 1e-15);
  EXPECT_NEAR(e_value(risk_ratio_from_odds_ratio(4.0, true)), 2 + std::sqrt(2.0), 1e-12);
}

TEST(AndersonRubin, MatchesInvertedStatsmodelsTest) {
  EstimatorArgs args;
  args.outcome = "y_iv";
  args.treatment = "d";
  args.instruments = {"z_bin"};
  args.covariates = {"x1"};
  const auto set = iv_anderson_rubin(data(), args);
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->shape, "interval");
  const auto& ref = reference()["anderson_rubin"];
  expect_relative(set->low, ref["low"]);
  expect_relative(set->high, ref["high"]);
}

TEST(AndersonRubin, WeakInstrumentGivesAnUnboundedSet) {
  // First stage 0.1 with SE 0.1 (t = 1): the set cannot be bounded at 5%.
  const AndersonRubinSet rays = anderson_rubin_set(0.5, 0.1, 0.01, 0.0, 0.01, 1.96 * 1.96);
  EXPECT_FALSE(rays.bounded());
  const AndersonRubinSet line = anderson_rubin_set(0.05, 0.1, 0.01, 0.0, 0.01, 1.96 * 1.96);
  EXPECT_EQ(line.shape, "whole-line");
  const AndersonRubinSet strong = anderson_rubin_set(2.0, 1.0, 0.01, 0.0, 0.01, 1.96 * 1.96);
  EXPECT_TRUE(strong.bounded());
  EXPECT_LT(strong.low, 2.0);
  EXPECT_GT(strong.high, 2.0);
}

}  // namespace
}  // namespace casebook
