// rd-density against rddensity's definitions written in plain R (tests/fixtures/make_rd_density_fixture.R,
// which also reproduces rddensity's own numerical baseline): densities, SEs, the robust and
// conventional tests, the selected bandwidths and effective sample sizes for the kernels, bandwidth
// selectors, variance estimators, orders and cutoffs; the test rejects on the manipulated sample and
// not on the clean one; the density plot; bad input as one-line errors.
#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

EstimatorArgs density_args(const std::string& running, std::map<std::string, std::string> options = {}) {
  options["running"] = running;
  EstimatorArgs args;
  args.options = std::move(options);
  return args;
}

const testing::RegisterExample kRdDensity{"rd-density",
                                          {"rd_density_data.csv", density_args("x_clean"), false}};

using testing::near_relative;

const Dataset& density_data() {
  static const Dataset data = read_csv(testing::fixture_path("rd_density_data.csv"));
  return data;
}

const nlohmann::json& density_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("rd_density_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

const nlohmann::json& reference_case(const std::string& name) {
  for (const auto& c : density_reference().at("cases"))
    if (c.at("name") == name) return c;
  throw std::logic_error("no reference case " + name);
}

Estimate run_case(const nlohmann::json& ref) {
  std::map<std::string, std::string> options;
  for (const auto& [key, value] : ref.at("options").items()) options[key] = value.get<std::string>();
  return find_estimator("rd-density").run(density_data(), density_args(ref.at("column"), options));
}

class RdDensityMatchesReference : public ::testing::TestWithParam<std::string> {};

TEST_P(RdDensityMatchesReference, DensitiesTestsAndBandwidths) {
  const nlohmann::json& ref = reference_case(GetParam());
  const nlohmann::json& r = ref.at("result");
  const Estimate e = run_case(ref);
  // The same algorithm in both: agreement to 1e-8 relative.
  constexpr double kTolerance = 1e-8;
  EXPECT_TRUE(near_relative(e.estimate, r.at("diff"), kTolerance));
  EXPECT_TRUE(near_relative(e.se, r.at("se_diff"), kTolerance));
  EXPECT_TRUE(near_relative(e.p_value, r.at("p_value"), kTolerance));
  for (const std::string name : {"f_left", "f_right", "se_left", "se_right", "T", "p_value", "f_left_p",
                                 "f_right_p", "T_p", "p_value_p", "h_left", "h_right"})
    EXPECT_TRUE(near_relative(e.diagnostics.at(name), r.at(name), kTolerance)) << name;
  for (const std::string name : {"n_h_left", "n_h_right", "n_left", "n_right"})
    EXPECT_EQ(e.diagnostics.at(name), r.at(name).get<double>()) << name;
  if (r.contains("h_diff")) {
    EXPECT_TRUE(near_relative(e.diagnostics.at("h_each_left"), r.at("h_each_left"), kTolerance));
    EXPECT_TRUE(near_relative(e.diagnostics.at("h_each_right"), r.at("h_each_right"), kTolerance));
    EXPECT_TRUE(near_relative(e.diagnostics.at("h_diff"), r.at("h_diff"), kTolerance));
    EXPECT_TRUE(near_relative(e.diagnostics.at("h_sum"), r.at("h_sum"), kTolerance));
  } else {
    EXPECT_FALSE(e.diagnostics.contains("h_diff"));
  }
  const double z = 1.959963984540054;
  EXPECT_NEAR(e.ci_low, e.estimate - z * e.se, 1e-12);
  EXPECT_NEAR(e.ci_high, e.estimate + z * e.se, 1e-12);
  EXPECT_EQ(e.n, 2000u);
  EXPECT_EQ(e.se_type, ref.at("options").contains("vce") ? "plugin" : "jackknife");
}

INSTANTIATE_TEST_SUITE_P(Cases, RdDensityMatchesReference,
                         ::testing::Values("clean_default", "manipulated_default", "rounded_default",
                                           "clean_each", "clean_diff", "clean_sum", "clean_plugin",
                                           "manipulated_plugin_each", "clean_uniform", "clean_epanechnikov",
                                           "clean_h", "clean_p1", "clean_p3_epanechnikov", "clean_cutoff",
                                           "rounded_plugin_uniform"));

TEST(RdDensity, ReferenceCoversEveryCase) { EXPECT_EQ(density_reference().at("cases").size(), 15u); }

TEST(RdDensity, RejectsOnTheManipulatedSampleOnly) {
  const Estimate clean = find_estimator("rd-density").run(density_data(), density_args("x_clean"));
  const Estimate manipulated =
      find_estimator("rd-density").run(density_data(), density_args("x_manipulated"));
  EXPECT_GT(clean.p_value, 0.05);
  EXPECT_LT(manipulated.p_value, 1e-6);
  EXPECT_GT(manipulated.estimate, 0);  // bunching just above the cutoff
  EXPECT_GT(manipulated.diagnostics.at("f_right"), 1.5 * manipulated.diagnostics.at("f_left"));
  ASSERT_GE(manipulated.notes.size(), 1u);
  EXPECT_CONTAINS(manipulated.notes.back(), "the density jumps at the cutoff");
  EXPECT_CONTAINS(clean.notes.back(), "no evidence that the density jumps");
}

TEST(RdDensity, PlotShowsEachSideWithBandsMeetingTheConventionalFitAtTheCutoff) {
  const Estimate e = find_estimator("rd-density").run(density_data(), density_args("x_clean"));
  ASSERT_EQ(e.plots.size(), 1u);
  const Plot& plot = e.plots.front();
  EXPECT_EQ(plot.kind, "lines");
  ASSERT_EQ(plot.series.size(), 2u);
  for (const Series& s : plot.series) {
    EXPECT_EQ(s.x.size(), 20u);
    ASSERT_EQ(s.lower.size(), s.x.size());
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      EXPECT_LT(s.lower[i], s.y[i]);
      EXPECT_GT(s.upper[i], s.y[i]);
      EXPECT_GT(s.y[i], 0);
    }
  }
  // At the cutoff each side's curve is the one-sided order-p fit: the conventional densities.
  EXPECT_DOUBLE_EQ(plot.series[0].x.back(), 0.0);
  EXPECT_NEAR(plot.series[0].y.back(), e.diagnostics.at("f_left_p"), 1e-10);
  EXPECT_DOUBLE_EQ(plot.series[1].x.front(), 0.0);
  EXPECT_NEAR(plot.series[1].y.front(), e.diagnostics.at("f_right_p"), 1e-10);
  // The curve spans three bandwidths on each side.
  EXPECT_NEAR(plot.series[0].x.front(), -3 * e.diagnostics.at("h_left"), 1e-12);
  EXPECT_NEAR(plot.series[1].x.back(), 3 * e.diagnostics.at("h_right"), 1e-12);
}

TEST(RdDensity, OutcomeAndTreatmentAreNotedAsUnused) {
  EstimatorArgs args = density_args("x_clean");
  args.outcome = "x_rounded";
  args.treatment = "x_manipulated";
  const Estimate e = find_estimator("rd-density").run(density_data(), args);
  EXPECT_CONTAINS(e.notes.front(), "uses only the running variable 'x_clean'; the outcome and treatment");
  const Estimate plain = find_estimator("rd-density").run(density_data(), density_args("x_clean"));
  EXPECT_EQ(e.estimate, plain.estimate);
}

Dataset small_data() {
  Dataset data("small.csv");
  std::vector<double> x, few_left, code;
  for (int i = 0; i < 60; ++i) {
    const double u = static_cast<double>(i) / 59.0 * 2 - 1;  // -1 … 1
    x.push_back(u + 0.001 * std::sin(7.0 * i));
    few_left.push_back(i < 4 ? -1.0 - i : u + 1.5);  // four points below 0
    code.push_back(i % 2);
  }
  data.add_column({"x", x, {}});
  data.add_column({"few_left", few_left, {}});
  data.add_column({"region", code, {"east", "west"}});
  return data;
}

std::string density_error(std::map<std::string, std::string> options, const std::string& running = "x") {
  if (!running.empty()) options["running"] = running;
  EstimatorArgs args;
  args.options = std::move(options);
  return testing::input_error("rd-density", small_data(), args);
}

TEST(RdDensityBadInput, CutoffOutsideTheRange) {
  EXPECT_CONTAINS(density_error({{"cutoff", "3"}}), "rd-density: cutoff=3 is outside the range of 'x'");
  EXPECT_CONTAINS(density_error({{"cutoff", "-1.5"}}), "it must lie strictly inside");
}

TEST(RdDensityBadInput, TooFewPointsOnASide) {
  EXPECT_CONTAINS(
      density_error({}, "few_left"),
      "'few_left' has 4 distinct values below the cutoff 0 (4 rows); the density test with p=2 needs "
      "at least 5 on each side");
}

TEST(RdDensityBadInput, TextColumnAndMissingRunningVariable) {
  EXPECT_CONTAINS(density_error({}, "region"),
                  "running variable 'region' is categorical (levels: east, west)");
  EXPECT_CONTAINS(density_error({}, "nope"), "running variable column 'nope' not found");
  EXPECT_EQ(density_error({}, ""), "rd-density needs the running variable: --option running=COLUMN");
}

TEST(RdDensityBadInput, ImpossibleOptions) {
  EXPECT_CONTAINS(density_error({{"p", "8"}}), "option p must be 1 to 7");
  EXPECT_CONTAINS(density_error({{"h", "-0.2"}}), "option h must be positive");
  EXPECT_CONTAINS(density_error({{"h", "0.5"}, {"bwselect", "each"}}), "give either h or bwselect");
  EXPECT_CONTAINS(density_error({{"h", "0.05"}}), "leaves");
  EXPECT_CONTAINS(density_error({{"kernel", "gaussian"}}), "kernel");
  EstimatorArgs args = density_args("x");
  args.covariates = {"few_left"};
  EXPECT_CONTAINS(testing::input_error("rd-density", small_data(), args),
                  "rd-density does not take covariates");
}

}  // namespace
}  // namespace casebook
