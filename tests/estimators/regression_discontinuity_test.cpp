// rdd against rdrobust itself. tests/fixtures/rdd_simulated.csv (2,000 rows: running variable x
// with mass points at one decimal, cutoff 0; y_sharp, y_fuzzy, treatment t, covariates z1 z2,
// cluster g) and tests/fixtures/rdrobust_reference.json (15 calls: defaults, kernels, p = 2, msetwo,
// cerrd, vce hc1 and hc3, fixed h and b, covariates, clusters with vce nn and hc1, fuzzy with and
// without covariates, cutoff 5) are copies of /work/shared/references/rdd/: outputs of rdrobust's
// Python port (Calonico, Cattaneo, Farrell & Titiunik; package rdrobust from rdpackages) with its
// defaults (p = 1, q = 2, triangular, mserd, vce nn with 3 neighbours, masspoints adjust, level 95),
// computed by the project's maintainers; rdrobust's code is not in this project. Each call's three
// rows (estimate, SE, CI), h and b on each side and the effective numbers of rows are checked.
// Bad input is one line.
#include <cmath>
#include <fstream>
#include <sstream>
#include <variant>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/regression_discontinuity.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

using testing::near_relative;

const testing::RegisterExample kRdd{
    "rdd", {"rdd_simulated.csv", testing::example_args("y_sharp", "", {}, {{"running", "x"}}), false}};

const Dataset& rdd_data() {
  static const Dataset data = read_csv(testing::fixture_path("rdd_simulated.csv"));
  return data;
}

const nlohmann::json& rdd_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("rdrobust_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

std::string number_text(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

// rdrobust's call as the estimator's arguments.
EstimatorArgs args_of(const nlohmann::json& call) {
  EstimatorArgs args;
  args.outcome = call.at("y").get<std::string>();
  args.options["running"] = "x";
  if (call.contains("fuzzy")) args.treatment = call.at("fuzzy").get<std::string>();
  if (call.contains("covs")) args.covariates = call.at("covs").get<std::vector<std::string>>();
  if (call.contains("cluster")) {
    args.cluster = call.at("cluster").get<std::string>();
    args.se_type = "cr1";
  }
  if (call.contains("c")) args.options["cutoff"] = number_text(call.at("c").get<double>());
  if (call.contains("p")) args.options["p"] = std::to_string(call.at("p").get<int>());
  for (const char* key : {"kernel", "bwselect", "vce"})
    if (call.contains(key)) args.options[key] = call.at(key).get<std::string>();
  for (const char* key : {"h", "b"})
    if (call.contains(key)) args.options[key] = number_text(call.at(key).get<double>());
  return args;
}

double cell(const Table& table, std::size_t row, const std::string& column) {
  const auto it = std::find(table.columns.begin(), table.columns.end(), column);
  return std::get<double>(table.rows.at(row).at(static_cast<std::size_t>(it - table.columns.begin())));
}

// Python's rdrobust and this code sum and solve in different orders: measured agreement is ~1e-9
// relative at worst (the bias-corrected estimate of cutoff 5, |−0.17|), so 1e-8 leaves a margin.
constexpr double kTolerance = 1e-8;

TEST(RegressionDiscontinuity, AgreesWithRdrobustOnEveryReferenceCall) {
  const auto& results = rdd_reference().at("results");
  ASSERT_EQ(results.size(), 15u);
  for (const auto& ref : results) {
    SCOPED_TRACE(ref.at("name").get<std::string>());
    const Estimate e = regression_discontinuity(rdd_data(), args_of(ref.at("call")));
    for (const char* key : {"h_left", "h_right", "b_left", "b_right"})
      EXPECT_TRUE(near_relative(e.diagnostics.at(key), ref.at(key).get<double>(), kTolerance)) << key;
    for (const char* key : {"n_h_left", "n_h_right"})
      EXPECT_EQ(e.diagnostics.at(key), ref.at(key).get<double>()) << key;
    ASSERT_EQ(e.tables.size(), 1u);
    const Table& table = e.tables.front();
    ASSERT_EQ(table.rows.size(), 3u);
    const std::vector<std::string> names{"Conventional", "Bias-Corrected", "Robust"};
    for (std::size_t r = 0; r < names.size(); ++r) {
      SCOPED_TRACE(names[r]);
      EXPECT_EQ(std::get<std::string>(table.rows[r][0]), names[r]);
      const auto& row = ref.at("rows").at(names[r]);
      EXPECT_TRUE(near_relative(cell(table, r, "estimate"), row.at("estimate").get<double>(), kTolerance));
      EXPECT_TRUE(near_relative(cell(table, r, "std.error"), row.at("se").get<double>(), kTolerance));
      EXPECT_TRUE(near_relative(cell(table, r, "conf.low"), row.at("ci_low").get<double>(), kTolerance));
      EXPECT_TRUE(near_relative(cell(table, r, "conf.high"), row.at("ci_high").get<double>(), kTolerance));
    }
    // The headline numbers: conventional estimate and SE, robust interval.
    const auto& rows = ref.at("rows");
    EXPECT_TRUE(near_relative(e.estimate, rows.at("Conventional").at("estimate").get<double>(), kTolerance));
    EXPECT_TRUE(near_relative(e.se, rows.at("Conventional").at("se").get<double>(), kTolerance));
    EXPECT_TRUE(near_relative(e.ci_low, rows.at("Robust").at("ci_low").get<double>(), kTolerance));
    EXPECT_TRUE(near_relative(e.ci_high, rows.at("Robust").at("ci_high").get<double>(), kTolerance));
    EXPECT_TRUE(
        near_relative(e.diagnostics.at("se_robust"), rows.at("Robust").at("se").get<double>(), kTolerance));
    EXPECT_EQ(e.diagnostics.at("n_left") + e.diagnostics.at("n_right"), 2000.0);
  }
}

TEST(RegressionDiscontinuity, NamesItsStandardError) {
  const auto& results = rdd_reference().at("results");
  for (const auto& ref : results) {
    const std::string name = ref.at("name").get<std::string>();
    const Estimate e = regression_discontinuity(rdd_data(), args_of(ref.at("call")));
    const std::string expected = name.find("cluster") != std::string::npos         ? "cr1"
                                 : name == "sharp_hc1" || name == "fuzzy_covs_hc1" ? "hc1"
                                 : name == "sharp_hc3"                             ? "hc3"
                                                                                   : "nn";
    EXPECT_EQ(e.se_type, expected) << name;
    if (name.find("cluster") != std::string::npos) {
      EXPECT_EQ(e.diagnostics.at("clusters"), 80.0);
    }
  }
}

TEST(RegressionDiscontinuity, FuzzyReportsItsFirstStage) {
  EstimatorArgs args = testing::example_args("y_fuzzy", "t", {}, {{"running", "x"}});
  const Estimate e = regression_discontinuity(rdd_data(), args);
  EXPECT_GT(e.diagnostics.at("first_stage"), 0.2);
  EXPECT_GT(e.diagnostics.at("first_stage_F"), 10);
  EXPECT_TRUE(e.notes.empty());
}

TEST(RegressionDiscontinuity, RowOrderDoesNotMatter) {
  const Dataset& data = rdd_data();
  std::vector<std::size_t> reversed(data.rows());
  for (std::size_t i = 0; i < reversed.size(); ++i) reversed[i] = reversed.size() - 1 - i;
  const EstimatorArgs args = testing::example_args("y_sharp", "", {"z1"}, {{"running", "x"}});
  const Estimate a = regression_discontinuity(data, args);
  const Estimate b = regression_discontinuity(select_rows(data, reversed), args);
  EXPECT_TRUE(near_relative(a.estimate, b.estimate, 1e-10));
  EXPECT_TRUE(near_relative(a.diagnostics.at("se_robust"), b.diagnostics.at("se_robust"), 1e-10));
}

// A selected common bandwidth is handed back as refit options (held by data-subsets): refitting
// with them reproduces the estimate exactly; a bandwidth the analysis set is not repeated, and
// msetwo's two bandwidths cannot be one option, so nothing is held.
TEST(RegressionDiscontinuity, SelectedBandwidthsAreRefitOptionsThatReproduceTheEstimate) {
  EstimatorArgs args = testing::example_args("y_sharp", "", {}, {{"running", "x"}});
  const Estimate selected = regression_discontinuity(rdd_data(), args);
  ASSERT_EQ(selected.refit_options.size(), 2u);
  EXPECT_DOUBLE_EQ(std::stod(selected.refit_options.at("h")), selected.diagnostics.at("h_left"));
  EXPECT_DOUBLE_EQ(std::stod(selected.refit_options.at("b")), selected.diagnostics.at("b_left"));
  for (const auto& [name, value] : selected.refit_options) args.options[name] = value;
  const Estimate held = regression_discontinuity(rdd_data(), args);
  EXPECT_EQ(held.estimate, selected.estimate);
  EXPECT_EQ(held.se, selected.se);
  EXPECT_TRUE(held.refit_options.empty());
  args.options = {{"running", "x"}, {"bwselect", "msetwo"}};
  EXPECT_TRUE(regression_discontinuity(rdd_data(), args).refit_options.empty());
}

// A case names its treatment even in a sharp design: a treatment that is exactly x >= cutoff is
// estimated as sharp, with the same numbers as without it (and a note saying so).
TEST(RegressionDiscontinuity, ATreatmentThatIsTheThresholdRuleIsSharp) {
  Dataset data = rdd_data();
  std::vector<double> rule;
  for (double x : data.column("x").values) rule.push_back(x >= 0 ? 1 : 0);
  data.add_column({"above", rule, {}});
  const EstimatorArgs sharp = testing::example_args("y_sharp", "", {}, {{"running", "x"}});
  const EstimatorArgs named = testing::example_args("y_sharp", "above", {}, {{"running", "x"}});
  const Estimate a = regression_discontinuity(data, sharp);
  const Estimate b = regression_discontinuity(data, named);
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.ci_low, b.ci_low);
  EXPECT_EQ(b.diagnostics.count("first_stage"), 0u);
  ASSERT_FALSE(b.notes.empty());
  EXPECT_NE(b.notes.back().find("a sharp design"), std::string::npos);
}

// One-sided non-compliance (no one below the cutoff is treated, as with a badge that needs the
// threshold): rdrobust then selects the bandwidths as for the sharp design on the outcome (its
// perf_comp), because the fuzzy pilot divides by the untreated side's derivatives of the treatment,
// all 0. The estimate stays fuzzy: the outcome's jump over the treatment's at those bandwidths.
TEST(RegressionDiscontinuity, OneSidedNonComplianceSelectsBandwidthsAsTheSharpDesign) {
  Dataset data = rdd_data();
  const auto& x = data.column("x").values;
  const auto& t = data.column("t").values;
  std::vector<double> one_sided(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) one_sided[i] = x[i] >= 0 ? t[i] : 0;
  data.add_column({"t_one_sided", one_sided, {}});
  const Estimate fuzzy =
      regression_discontinuity(data, testing::example_args("y_fuzzy", "t_one_sided", {}, {{"running", "x"}}));
  const Estimate sharp =
      regression_discontinuity(data, testing::example_args("y_fuzzy", "", {}, {{"running", "x"}}));
  for (const char* key : {"h_left", "h_right", "b_left", "b_right"})
    EXPECT_EQ(fuzzy.diagnostics.at(key), sharp.diagnostics.at(key)) << key;
  const std::map<std::string, std::string> fixed{{"running", "x"},
                                                 {"h", number_text(sharp.diagnostics.at("h_left"))},
                                                 {"b", number_text(sharp.diagnostics.at("b_left"))}};
  const Estimate first_stage =
      regression_discontinuity(data, testing::example_args("t_one_sided", "", {}, fixed));
  EXPECT_TRUE(near_relative(fuzzy.estimate, sharp.estimate / first_stage.estimate, 1e-12));
  EXPECT_TRUE(near_relative(fuzzy.diagnostics.at("first_stage"), first_stage.estimate, 1e-12));
  ASSERT_FALSE(fuzzy.notes.empty());
  EXPECT_NE(fuzzy.notes.front().find("bandwidths selected as for the sharp design"), std::string::npos);
}

// Bad input: one line naming the option or column.

// rdplot's picture comes with every fit, first (a case page shows an estimator's first plot up
// front): the outcome's binned means and quartic fits, in a fuzzy design the treatment's too, and
// then the estimate by bandwidth.
TEST(RegressionDiscontinuity, DrawsTheRdPlot) {
  const Dataset data = rdd_data();
  const Estimate sharp =
      regression_discontinuity(data, testing::example_args("y_fuzzy", "", {}, {{"running", "x"}}));
  std::vector<std::string> ids;
  for (const auto& plot : sharp.plots) ids.push_back(plot.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"rd_plot_bins", "rd_plot_fit", "rd_bandwidth"}));
  // The bandwidth plot: five fits from 0.5 to 2 times h, the middle one the estimate itself, each
  // point the fit at that fixed h.
  const Plot& by_h = sharp.plots[2];
  ASSERT_EQ(by_h.series.size(), 1u);
  ASSERT_EQ(by_h.series[0].x.size(), 5u);
  const double h = sharp.diagnostics.at("h_left");
  EXPECT_DOUBLE_EQ(by_h.series[0].x[2], h);
  EXPECT_EQ(by_h.series[0].y[2], sharp.estimate);
  EXPECT_EQ(by_h.series[0].lower[2], sharp.ci_low);
  const Estimate doubled = regression_discontinuity(
      data, testing::example_args("y_fuzzy", "", {},
                                  {{"running", "x"},
                                   {"h", fmt::format("{}", 2 * h)},
                                   {"b", fmt::format("{}", 2 * sharp.diagnostics.at("b_left"))},
                                   {"bandwidth_plot", "false"}}));
  EXPECT_DOUBLE_EQ(by_h.series[0].y[4], doubled.estimate);
  EXPECT_DOUBLE_EQ(by_h.series[0].upper[4], doubled.ci_high);
  EXPECT_EQ(doubled.plots.size(), 2u);          // no bandwidth plot when asked not to
  ASSERT_EQ(sharp.plots[0].series.size(), 2u);  // one series of bin means a side
  for (const auto& series : sharp.plots[0].series) EXPECT_GT(series.x.size(), 3u);
  EXPECT_EQ(sharp.plots[0].x_label, "x");

  const Estimate fuzzy =
      regression_discontinuity(data, testing::example_args("y_fuzzy", "t", {}, {{"running", "x"}}));
  ids.clear();
  for (const auto& plot : fuzzy.plots) ids.push_back(plot.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"rd_plot_bins", "rd_plot_fit", "rd_plot_treatment_bins",
                                           "rd_plot_treatment_fit", "rd_bandwidth"}));
  EXPECT_EQ(fuzzy.plots[2].y_label, "t");
}

Dataset small_data(std::size_t n = 200) {
  std::vector<double> x, y, t_flat, label;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = static_cast<double>(i);
    x.push_back(-1 + 2 * u / static_cast<double>(n - 1));
    y.push_back(std::sin(3.1 * u) + (x.back() >= 0 ? 1 : 0));
    t_flat.push_back(static_cast<double>((i * 7) % 3 == 0));
    label.push_back(static_cast<double>(i % 2));
  }
  Dataset data("rd.csv");
  data.add_column({"x", x, {}});
  data.add_column({"y", y, {}});
  data.add_column({"t_flat", t_flat, {}});
  data.add_column({"label", label, {"a", "b"}});
  return data;
}

std::string rdd_error(const Dataset& data, std::map<std::string, std::string> options,
                      std::string treatment = "", std::string cluster = "") {
  options.emplace("running", "x");
  EstimatorArgs args = testing::example_args("y", std::move(treatment), {}, std::move(options));
  args.cluster = std::move(cluster);
  return testing::input_error("rdd", data, args);
}

TEST(RegressionDiscontinuityBadInput, CutoffOutsideTheRunningVariable) {
  EXPECT_CONTAINS(rdd_error(small_data(), {{"cutoff", "3"}}),
                  "rdd: option 'cutoff' 3 is outside the range of the running variable 'x' (-1 to 1)");
  EXPECT_CONTAINS(rdd_error(small_data(), {{"cutoff", "-1"}}), "is outside the range");
}

TEST(RegressionDiscontinuityBadInput, TooFewDistinctValuesOnOneSide) {
  Dataset data = small_data();
  auto& x = data.column("x").values;
  for (double& v : x)
    if (v >= 0) v = v < 0.5 ? 0.25 : 0.75;  // two values right of the cutoff
  EXPECT_CONTAINS(
      rdd_error(data, {}),
      "rdd: the running variable 'x' takes 2 distinct value(s) on the right of the cutoff 0; order p = "
      "1 needs at least 3");
}

TEST(RegressionDiscontinuityBadInput, RunningVariableIsText) {
  EXPECT_CONTAINS(rdd_error(small_data(), {{"running", "label"}}), "running variable 'label' is categorical");
}

TEST(RegressionDiscontinuityBadInput, RunningVariableMissingOrNotGiven) {
  EXPECT_CONTAINS(rdd_error(small_data(), {{"running", "nope"}}), "running variable column 'nope' not found");
  EstimatorArgs args = testing::example_args("y", "", {}, {});
  EXPECT_EQ(testing::input_error("rdd", small_data(), args),
            "rdd needs option 'running' (the running variable's column)");
}

TEST(RegressionDiscontinuityBadInput, BandwidthsMustBePositive) {
  EXPECT_EQ(rdd_error(small_data(), {{"h", "0"}}), "rdd: option 'h' must be above 0, got 0");
  EXPECT_EQ(rdd_error(small_data(), {{"h", "-1"}}), "rdd: option 'h' must be above 0, got -1");
  EXPECT_EQ(rdd_error(small_data(), {{"h", "0.5"}, {"b", "0"}}), "rdd: option 'b' must be above 0, got 0");
  EXPECT_EQ(rdd_error(small_data(), {{"b", "0.5"}}),
            "rdd: option 'b' needs option 'h' (else both are selected)");
  // A given h too narrow for the polynomial: no NaN, a line naming the side.
  EXPECT_CONTAINS(rdd_error(small_data(), {{"h", "0.005"}}),
                  "distinct running values on the left of the cutoff");
}

TEST(RegressionDiscontinuityBadInput, ImpossibleOptions) {
  EXPECT_CONTAINS(rdd_error(small_data(), {{"p", "2"}, {"q", "2"}}),
                  "rdd: option 'q' (2) must be above p (2)");
  EXPECT_CONTAINS(rdd_error(small_data(), {{"kernel", "gaussian"}}), "kernel");
  Dataset data = small_data();
  std::vector<double> g;
  for (std::size_t i = 0; i < data.rows(); ++i) g.push_back(static_cast<double>(i % 10));
  data.add_column({"g", g, {}});
  EXPECT_EQ(
      rdd_error(data, {{"vce", "hc3"}}, "", "g"),
      "rdd: option 'vce' hc3 cannot be combined with --cluster (rdrobust clusters with CR1: use nn or hc1)");
  EstimatorArgs args = testing::example_args("y", "", {}, {{"running", "x"}});
  args.se_type = "hc3";
  EXPECT_CONTAINS(testing::input_error("rdd", data, args), "rdd: --se hc3 does not apply");
}

TEST(RegressionDiscontinuityBadInput, FuzzyTreatmentThatDoesNotJumpIsAWarning) {
  // t_flat has no relation to x: a weak first stage, reported with its F, never NaN.
  EstimatorArgs args = testing::example_args("y", "t_flat", {}, {{"running", "x"}});
  const Estimate e = regression_discontinuity(small_data(), args);
  EXPECT_TRUE(std::isfinite(e.estimate));
  EXPECT_TRUE(std::isfinite(e.se));
  EXPECT_LT(e.diagnostics.at("first_stage_F"), 10);
  ASSERT_FALSE(e.notes.empty());
  EXPECT_CONTAINS(e.notes.front(), "weak first stage");
  // A treatment that never changes has no jump at all: an input error.
  Dataset data = small_data();
  data.add_column({"t_one", std::vector<double>(data.rows(), 1.0), {}});
  EXPECT_CONTAINS(rdd_error(data, {}, "t_one"), "treatment 't_one' is constant (all 1)");
}

}  // namespace
}  // namespace casebook
