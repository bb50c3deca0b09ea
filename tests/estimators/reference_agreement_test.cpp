// Every estimator against R on the same data (tests/fixtures/make_estimator_fixtures.R):
// lm + sandwich, AER::ivreg + sandwich, estimatr lm_robust / iv_robust / difference_in_means.
#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"

namespace casebook {
namespace {

const testing::RegisterExample kDifferenceInMeans{
    "difference-in-means", {"estimators_data.csv", testing::example_args("y", "t", {}), true}};
const testing::RegisterExample kOls{
    "ols", {"estimators_data.csv", testing::example_args("y", "t", {"x1", "region"}), true}};
const testing::RegisterExample kTwoStageLeastSquares{"2sls", [] {
                                                       testing::EstimatorExample example{
                                                           "estimators_data.csv",
                                                           testing::example_args("y_iv", "d", {"x1"}), true};
                                                       example.args.instruments = {"z_bin"};
                                                       return example;
                                                     }()};

using testing::near_relative;

const nlohmann::json& reference(const std::string& key) { return testing::estimator_reference().at(key); }

Estimate run(const std::string& estimator, const EstimatorArgs& args) {
  return find_estimator(estimator).run(testing::estimator_fixture_data(), args);
}

EstimatorArgs ols_args(const std::string& se_type) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.covariates = {"x1", "x2", "region"};
  args.se_type = se_type;
  return args;
}

EstimatorArgs iv_args(const std::string& se_type) {
  EstimatorArgs args;
  args.outcome = "y_iv";
  args.treatment = "d";
  args.instruments = {"z_bin", "z_cont"};
  args.covariates = {"x1", "x2", "region"};
  args.se_type = se_type;
  return args;
}

// Estimate, SE, CI bounds, df and p-value, each to 1e-6 relative.
void expect_agrees(const Estimate& estimate, const nlohmann::json& expected) {
  EXPECT_TRUE(near_relative(estimate.estimate, expected.at("estimate").get<double>())) << "estimate";
  EXPECT_TRUE(near_relative(estimate.se, expected.at("se").get<double>())) << "se";
  EXPECT_TRUE(near_relative(estimate.ci_low, expected.at("ci_low").get<double>())) << "ci_low";
  EXPECT_TRUE(near_relative(estimate.ci_high, expected.at("ci_high").get<double>())) << "ci_high";
  EXPECT_TRUE(near_relative(estimate.diagnostics.at("df"), expected.at("df").get<double>())) << "df";
  const double p = expected.at("p_value").get<double>();
  // Tiny p-values are compared on an absolute floor: both are "zero" for any reader.
  EXPECT_TRUE(near_relative(estimate.p_value, p, 1e-6, std::max(std::abs(p), 1e-12))) << "p_value";
  EXPECT_EQ(estimate.n, 1000u);
}

class OlsMatchesR : public ::testing::TestWithParam<std::string> {};

TEST_P(OlsMatchesR, TreatmentCoefficientSeCiDf) {
  expect_agrees(run("ols", ols_args(GetParam())), reference("ols_" + GetParam()));
}

INSTANTIATE_TEST_SUITE_P(SeTypes, OlsMatchesR, ::testing::Values("iid", "hc0", "hc1", "hc2", "hc3"));

TEST(OlsMatchesR, DefaultIsHc1AndR2Diagnostics) {
  EstimatorArgs args = ols_args("hc1");
  args.se_type = EstimatorArgs{}.se_type;
  const Estimate estimate = run("ols", args);
  expect_agrees(estimate, reference("ols_hc1"));
  EXPECT_TRUE(near_relative(estimate.diagnostics.at("r2"), reference("ols_hc1").at("r2").get<double>()));
  EXPECT_TRUE(
      near_relative(estimate.diagnostics.at("adj_r2"), reference("ols_hc1").at("adj_r2").get<double>()));
  EXPECT_EQ(estimate.diagnostics.at("params"), 7);
}

TEST(OlsMatchesR, ClusterRobustCr1AsEstimatrStata) {
  EstimatorArgs args = ols_args("hc1");
  args.cluster = "g";
  const Estimate estimate = run("ols", args);
  const auto& expected = reference("ols_cr1");
  expect_agrees(estimate, expected);
  EXPECT_EQ(estimate.diagnostics.at("df"), 39);
  EXPECT_EQ(estimate.diagnostics.at("clusters"), 40);
  EXPECT_TRUE(near_relative(estimate.ci_low, expected.at("estimatr_ci")[0].get<double>()));
  EXPECT_TRUE(near_relative(estimate.ci_high, expected.at("estimatr_ci")[1].get<double>()));
}

TEST(OlsMatchesR, ConfidenceLevelIsHonoured) {
  EstimatorArgs args = ols_args("hc1");
  args.confidence_level = 0.90;
  expect_agrees(run("ols", args), reference("ols_hc1_90"));
}

TEST(OlsMatchesR, NoCovariates) {
  EstimatorArgs args = ols_args("hc1");
  args.covariates.clear();
  expect_agrees(run("ols", args), reference("ols_no_covariates_hc1"));
}

class TwoStageLeastSquaresMatchesR : public ::testing::TestWithParam<std::string> {};

TEST_P(TwoStageLeastSquaresMatchesR, TreatmentCoefficientSeCiDf) {
  expect_agrees(run("2sls", iv_args(GetParam())), reference("iv_" + GetParam()));
}

INSTANTIATE_TEST_SUITE_P(SeTypes, TwoStageLeastSquaresMatchesR, ::testing::Values("iid", "hc0", "hc1"));

TEST(TwoStageLeastSquaresMatchesR, Hc1DefaultWithFirstStageDiagnostics) {
  const Estimate estimate = run("2sls", iv_args(EstimatorArgs{}.se_type));
  expect_agrees(estimate, reference("iv_hc1"));
  EXPECT_TRUE(near_relative(estimate.se, reference("iv_hc1").at("estimatr_se").get<double>()));
  const auto& first_stage = reference("first_stage");
  EXPECT_TRUE(near_relative(estimate.diagnostics.at("first_stage_F"), first_stage.at("F").get<double>()));
  EXPECT_TRUE(
      near_relative(estimate.diagnostics.at("partial_r2"), first_stage.at("partial_r2").get<double>()));
  EXPECT_TRUE(near_relative(estimate.diagnostics.at("first_stage_F_robust"),
                            first_stage.at("F_robust_hc1").get<double>()));
  EXPECT_TRUE(near_relative(estimate.diagnostics.at("first_stage_F_robust"),
                            first_stage.at("F_robust_hc1_waldtest").get<double>()));
  EXPECT_EQ(estimate.diagnostics.count("wald_estimate"), 0u);  // two instruments
  EXPECT_TRUE(estimate.notes.empty());
}

TEST(TwoStageLeastSquaresMatchesR, ClusterRobustCr1AsIvRobustStata) {
  EstimatorArgs args = iv_args("hc1");
  args.cluster = "g";
  const Estimate estimate = run("2sls", args);
  const auto& expected = reference("iv_cr1");
  expect_agrees(estimate, expected);
  EXPECT_TRUE(near_relative(estimate.ci_low, expected.at("estimatr_ci")[0].get<double>()));
  EXPECT_TRUE(near_relative(estimate.ci_high, expected.at("estimatr_ci")[1].get<double>()));
  EXPECT_TRUE(near_relative(estimate.diagnostics.at("first_stage_F_robust"),
                            reference("first_stage").at("F_robust_cr1").get<double>()));
}

TEST(TwoStageLeastSquaresMatchesR, OneBinaryInstrumentGivesWaldEstimate) {
  EstimatorArgs args;
  args.outcome = "y_iv";
  args.treatment = "d";
  args.instruments = {"z_bin"};
  const Estimate estimate = run("2sls", args);
  const auto& expected = reference("iv_binary_hc1");
  expect_agrees(estimate, expected);
  EXPECT_TRUE(
      near_relative(estimate.diagnostics.at("wald_estimate"), expected.at("wald_estimate").get<double>()));
  // Without covariates 2SLS with one binary instrument is exactly the Wald estimator.
  EXPECT_TRUE(near_relative(estimate.diagnostics.at("wald_estimate"), estimate.estimate, 1e-10));
  EXPECT_TRUE(
      near_relative(estimate.diagnostics.at("first_stage_F"), expected.at("first_stage_F").get<double>()));
}

TEST(DifferenceInMeansMatchesR, AsEstimatrWithWelchDf) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  const Estimate estimate = run("difference-in-means", args);
  expect_agrees(estimate, reference("difference_in_means"));
  EXPECT_EQ(estimate.diagnostics.at("n_treated") + estimate.diagnostics.at("n_control"), 1000);
  // The point estimate equals OLS of y on t alone.
  EXPECT_TRUE(
      near_relative(estimate.estimate, reference("ols_no_covariates_hc1").at("estimate").get<double>()));
}

}  // namespace
}  // namespace casebook
