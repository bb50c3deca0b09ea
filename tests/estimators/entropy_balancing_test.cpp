// entropy-balancing against base R from Hainmueller (2012)'s formulas
// (tests/fixtures/make_entropy_balancing_fixture.R): the same weights, effect, lm + HC0 SE and
// M-estimation SE for att, atc and ate with 1, 2 and 3 moments; exact balance; collinear and
// constant moments; a target outside the controls' reach and every bad input as one-line errors.
#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

using testing::input_error;
using testing::near_relative;

const std::vector<std::string> kCovariates{"x1", "x2", "x3", "region"};

const testing::RegisterExample kExample{
    "entropy-balancing", {"entropy_balancing_data.csv", testing::example_args("y", "t", kCovariates)}};

const Dataset& ebal_data() {
  static const Dataset data = read_csv(testing::fixture_path("entropy_balancing_data.csv"));
  return data;
}

const nlohmann::json& ebal_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("entropy_balancing_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

Estimate run(const Dataset& data, const EstimatorArgs& args) {
  return find_estimator("entropy-balancing").run(data, args);
}

EstimatorArgs args_with(std::map<std::string, std::string> options,
                        std::vector<std::string> covariates = kCovariates) {
  return testing::example_args("y", "t", std::move(covariates), std::move(options));
}

class EntropyBalancingMatchesR : public ::testing::TestWithParam<std::string> {};

TEST_P(EntropyBalancingMatchesR, WeightsEffectAndStandardErrors) {
  const nlohmann::json& ref = ebal_reference().at(GetParam());
  const Estimate e = run(ebal_data(), args_with({{"estimand", ref.at("estimand").get<std::string>()},
                                                 {"moments", ref.at("moments").get<std::string>()}}));
  // The same convex problem solved to rounding on both sides: 1e-8 relative.
  const auto& weights = ref.at("weights");
  const std::vector<double>& w = e.row_outputs.at("weight");
  ASSERT_EQ(w.size(), weights.size());
  for (std::size_t i = 0; i < w.size(); ++i)
    ASSERT_TRUE(near_relative(w[i], weights[i].get<double>(), 1e-8)) << "weight row " << i + 1;
  EXPECT_TRUE(near_relative(e.estimate, ref.at("estimate").get<double>(), 1e-8)) << "estimate";
  EXPECT_TRUE(
      near_relative(e.diagnostics.at("se_weights_known"), ref.at("se_weights_known").get<double>(), 1e-8))
      << "se_weights_known (lm + vcovHC HC0)";
  // R's A matrix comes from finite differences (Richardson-extrapolated, ~1e-11 relative here):
  // 1e-6 leaves room for that, not for a wrong term.
  EXPECT_TRUE(near_relative(e.se, ref.at("se").get<double>(), 1e-6)) << "se";
  for (const char* name : {"ess_treated", "ess_control", "max_weight", "max_weight_share"})
    EXPECT_TRUE(near_relative(e.diagnostics.at(name), ref.at(name).get<double>(), 1e-8)) << name;
  EXPECT_EQ(e.diagnostics.at("constraints"), ref.at("constraints").get<double>());
  EXPECT_EQ(e.n, ref.at("n").get<std::size_t>());
  EXPECT_EQ(e.se_type, "influence");
  EXPECT_LT(e.se, e.diagnostics.at("se_weights_known"));  // balancing on prognostic covariates pays
  // Balanced to the tolerance; the balance table and Love plot report it.
  EXPECT_LE(e.diagnostics.at("max_moment_gap"), 1e-8);
  EXPECT_LT(e.diagnostics.at("max_abs_smd"), 1e-7);
  EXPECT_GT(e.diagnostics.at("max_abs_smd_before"), 0.1);
  EXPECT_GE(e.diagnostics.at("iterations"), 1);
  ASSERT_EQ(e.tables.size(), 1u);
  EXPECT_EQ(e.tables[0].id, "balance");
  ASSERT_EQ(e.plots.size(), 1u);
  EXPECT_EQ(e.plots[0].id, "love-plot");
  for (const double v : {e.estimate, e.se, e.ci_low, e.ci_high, e.p_value}) EXPECT_TRUE(std::isfinite(v));
}

INSTANTIATE_TEST_SUITE_P(Cases, EntropyBalancingMatchesR,
                         ::testing::Values("att_m1", "att_m2", "att_m3", "atc_m1", "atc_m2", "ate_m1",
                                           "ate_m2"));

TEST(EntropyBalancing, SecondMomentsEqualTooWithMomentsTwo) {
  const Estimate e = run(ebal_data(), args_with({{"moments", "2"}}));
  const std::vector<double>& w = e.row_outputs.at("weight");
  const std::vector<double>& t = ebal_data().column("t").values;
  const std::vector<double>& x = ebal_data().column("x2").values;
  double sum[2] = {0, 0}, first[2] = {0, 0}, second[2] = {0, 0};
  for (std::size_t i = 0; i < x.size(); ++i) {
    const int arm = t[i] == 1 ? 1 : 0;
    sum[arm] += w[i];
    first[arm] += w[i] * x[i];
    second[arm] += w[i] * x[i] * x[i];
  }
  EXPECT_NEAR(first[1] / sum[1], first[0] / sum[0], 1e-9);
  EXPECT_NEAR(second[1] / sum[1], second[0] / sum[0], 1e-9);
  EXPECT_EQ(sum[1], 479);  // att: the treated keep weight 1
}

TEST(EntropyBalancing, CollinearAndConstantMomentsAreDroppedWithANote) {
  Dataset data = ebal_data();
  const std::vector<double>& x1 = data.column("x1").values;
  std::vector<double> doubled, two_valued, constant(x1.size(), 3.0);
  for (std::size_t i = 0; i < x1.size(); ++i) {
    doubled.push_back(2 * x1[i] + 1);
    two_valued.push_back(x1[i] > 0 ? 5.0 : 2.0);  // its square is a linear function of it
  }
  data.add_column({"x1_doubled", doubled, {}});
  data.add_column({"two_valued", two_valued, {}});
  data.add_column({"constant", constant, {}});
  const Estimate plain = run(ebal_data(), args_with({{"moments", "2"}}, {"x1", "x2"}));
  const Estimate e = run(data, args_with({{"moments", "2"}}, {"x1", "x2", "x1_doubled", "constant"}));
  EXPECT_NEAR(e.estimate, plain.estimate, 1e-10);
  EXPECT_NEAR(e.se, plain.se, 1e-10);
  std::string notes;
  for (const auto& note : e.notes) notes += note + "\n";
  EXPECT_CONTAINS(notes, "x1_doubled, x1_doubled^2 not used as a constraint for the controls");
  EXPECT_CONTAINS(notes, "constant constant in the whole sample");
  const Estimate two = run(data, args_with({{"moments", "2"}}, {"x1", "two_valued"}));
  EXPECT_LE(two.diagnostics.at("max_moment_gap"), 1e-8);
  EXPECT_TRUE(std::isfinite(two.se));
}

// A treated covariate above every control's: no reweighting of the controls reaches its mean.
Dataset hopeless_data() {
  std::vector<double> y, t, x, z;
  for (std::size_t i = 0; i < 60; ++i) {
    const double u = static_cast<double>(i);
    const bool treated = i % 3 == 0;
    t.push_back(treated ? 1 : 0);
    x.push_back(treated ? 10 + std::sin(u) : std::cos(u));
    z.push_back(std::sin(2.1 * u));
    y.push_back(x.back() + t.back() + std::cos(1.3 * u));
  }
  Dataset data("hopeless.csv");
  data.add_column({"y", y, {}});
  data.add_column({"t", t, {}});
  data.add_column({"x", x, {}});
  data.add_column({"z", z, {}});
  return data;
}

TEST(EntropyBalancing, TargetOutsideTheControlsHullIsALoudOneLineError) {
  const std::string message = input_error("entropy-balancing", hopeless_data(), args_with({}, {"x", "z"}));
  EXPECT_CONTAINS(message, "entropy-balancing: could not balance the controls to the treated's moments");
  EXPECT_CONTAINS(message, "after 200 Newton iterations: x (gap ");
  EXPECT_CONTAINS(message, " SD; the target is outside the controls' range);");
  EXPECT_EQ(message.find("z (gap"), std::string::npos) << message;  // z can be balanced
  const std::string ate =
      input_error("entropy-balancing", hopeless_data(), args_with({{"estimand", "ate"}}, {"x", "z"}));
  EXPECT_CONTAINS(ate, "could not balance the controls to the full sample's moments");
}

TEST(EntropyBalancing, TooFewIterationsIsAnErrorNotAnImbalance) {
  const std::string message =
      input_error("entropy-balancing", ebal_data(), args_with({{"moments", "3"}, {"max_iterations", "1"}}));
  EXPECT_CONTAINS(message, "within tolerance 1e-08 after 1 Newton iterations: ");
}

TEST(EntropyBalancing, BadInputIsOneLineNamingTheOptionOrColumn) {
  const Dataset& data = ebal_data();
  EXPECT_CONTAINS(input_error("entropy-balancing", data, args_with({{"moments", "4"}})),
                  "option 'moments' must be 1 (means), 2 (and variances) or 3 (and skewness), got 4");
  EXPECT_CONTAINS(input_error("entropy-balancing", data, args_with({{"moments", "0"}})), "'moments'");
  EXPECT_CONTAINS(input_error("entropy-balancing", data, args_with({{"tolerance", "0"}})),
                  "option 'tolerance' must be above 0, got 0");
  EXPECT_CONTAINS(input_error("entropy-balancing", data, args_with({{"tolerance", "-1"}})), "'tolerance'");
  EXPECT_CONTAINS(input_error("entropy-balancing", data, args_with({{"estimand", "ato"}})), "'estimand'");
  EXPECT_CONTAINS(input_error("entropy-balancing", data, args_with({{"max_iterations", "0"}})),
                  "'max_iterations'");
  EXPECT_CONTAINS(input_error("entropy-balancing", data, args_with({}, {})),
                  "entropy-balancing needs covariates");
  EXPECT_CONTAINS(input_error("entropy-balancing", data, args_with({}, {"x1", "nope"})),
                  "column 'nope' not found");
  EstimatorArgs region_treatment = args_with({}, {"x1"});
  region_treatment.treatment = "x2";
  EXPECT_CONTAINS(input_error("entropy-balancing", data, region_treatment), "treatment 'x2' must be 0/1");
  Dataset all_treated = data;
  all_treated.add_column({"one", std::vector<double>(data.rows(), 1.0), {}});
  EstimatorArgs constant_treatment = args_with({}, {"x1"});
  constant_treatment.treatment = "one";
  EXPECT_CONTAINS(input_error("entropy-balancing", all_treated, constant_treatment), "is constant (all 1)");
  EstimatorArgs clustered = args_with({});
  clustered.cluster = "x3";
  EXPECT_CONTAINS(input_error("entropy-balancing", data, clustered), "does not take cluster");
}

TEST(EntropyBalancing, SameNumbersEveryRun) {
  const Estimate a = run(ebal_data(), args_with({{"estimand", "ate"}, {"moments", "2"}}));
  const Estimate b = run(ebal_data(), args_with({{"estimand", "ate"}, {"moments", "2"}}));
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.se, b.se);
  EXPECT_EQ(a.row_outputs.at("weight"), b.row_outputs.at("weight"));
}

}  // namespace
}  // namespace casebook
