// sun-abraham against estimatr::lm_robust (the saturated regression) and the interaction weights
// computed by hand in R, on the committed staggered panel (tests/fixtures/sun_abraham_data.csv,
// made by make_sun_abraham_fixture.R); and its bad-input errors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/sun_abraham.hpp"

namespace casebook {
namespace {

const testing::RegisterExample kExample{
    "sun-abraham",
    {"sun_abraham_data.csv",
     testing::example_args("y", "d", {}, {{"unit", "unit"}, {"time", "period"}, {"adoption", "adopt"}}),
     true}};

using testing::near_relative;

const Dataset& staggered() {
  static const Dataset data = read_csv(testing::fixture_path("sun_abraham_data.csv"));
  return data;
}

const nlohmann::json& reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(testing::fixture_path("sun_abraham_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return ref;
}

EstimatorArgs args_with(const std::string& control) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  args.options = {{"unit", "unit"}, {"time", "period"}, {"adoption", "adopt"}, {"control", control}};
  return args;
}

void expect_matches_reference(const std::string& control) {
  SCOPED_TRACE("control " + control);
  const auto& r = reference()[control];
  const SunAbrahamFit fit = sun_abraham_fit(staggered(), args_with(control));
  EXPECT_EQ(fit.rows, r["rows"].get<std::size_t>());
  EXPECT_EQ(fit.df, r["df"].get<double>());
  ASSERT_EQ(fit.cell_cohort, r["cell_cohort"].get<std::vector<double>>());
  ASSERT_EQ(fit.cell_relative, r["cell_relative"].get<std::vector<double>>());
  EXPECT_EQ(fit.cell_rows, r["cell_rows"].get<std::vector<double>>());
  for (std::size_t j = 0; j < fit.cell_cohort.size(); ++j) {
    SCOPED_TRACE(fmt::format("cohort {} relative {}", fit.cell_cohort[j], fit.cell_relative[j]));
    const auto jj = static_cast<Eigen::Index>(j);
    EXPECT_TRUE(near_relative(fit.coefficients(jj), r["coefficients"][j].get<double>()));
    EXPECT_TRUE(near_relative(std::sqrt(fit.vcov(jj, jj)), r["se"][j].get<double>()));
  }
  ASSERT_EQ(fit.relative_periods, r["relative_periods"].get<std::vector<double>>());
  for (std::size_t p = 0; p < fit.relative_periods.size(); ++p)
    for (std::size_t j = 0; j < fit.cell_cohort.size(); ++j)
      EXPECT_TRUE(near_relative(fit.iw_weights(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(j)),
                                r["iw_weights"][p][j].get<double>(), 1e-12, 1));
  EXPECT_TRUE(near_relative(fit.twfe_estimate, r["twfe_estimate"].get<double>()));
  EXPECT_TRUE(near_relative(fit.twfe_se, r["twfe_se"].get<double>()));

  const Estimate e = find_estimator("sun-abraham").run(staggered(), args_with(control));
  EXPECT_TRUE(near_relative(e.estimate, r["att"].get<double>()));
  EXPECT_TRUE(near_relative(e.se, r["att_se"].get<double>()));
  EXPECT_TRUE(near_relative(e.ci_low, r["att_ci"][0].get<double>()));
  EXPECT_TRUE(near_relative(e.ci_high, r["att_ci"][1].get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("pretrend_F"), r["pretrend_F"].get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("pretrend_p"), r["pretrend_p"].get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("twfe_minus_robust"),
                            r["twfe_estimate"].get<double>() - r["att"].get<double>()));
  for (std::size_t p = 0; p < fit.relative_periods.size(); ++p) {
    const std::string l = fmt::format("{}", fit.relative_periods[p]);
    EXPECT_TRUE(near_relative(e.diagnostics.at("coef_" + l), r["iw"][p].get<double>())) << l;
    EXPECT_TRUE(near_relative(e.diagnostics.at("se_" + l), r["iw_se"][p].get<double>())) << l;
  }
  ASSERT_EQ(e.plots.size(), 1u);
  EXPECT_EQ(e.plots[0].kind, "points");
  ASSERT_EQ(e.plots[0].series.size(), 1u);
  const Series& s = e.plots[0].series[0];
  EXPECT_EQ(s.x.size(), fit.relative_periods.size() + 1);  // with the reference period at 0
  EXPECT_TRUE(std::is_sorted(s.x.begin(), s.x.end()));
  EXPECT_EQ(s.y[static_cast<std::size_t>(std::find(s.x.begin(), s.x.end(), -1.0) - s.x.begin())], 0.0);
}

TEST(SunAbraham, NeverTreatedControlsMatchLmRobustAndHandWeights) { expect_matches_reference("never"); }

TEST(SunAbraham, LastCohortControlsMatchLmRobustAndHandWeights) { expect_matches_reference("last"); }

TEST(SunAbraham, WeightsAreCohortSharesSummingToOne) {
  const SunAbrahamFit fit = sun_abraham_fit(staggered(), args_with("never"));
  for (Eigen::Index p = 0; p < fit.iw_weights.rows(); ++p)
    EXPECT_NEAR(fit.iw_weights.row(p).sum(), 1.0, 1e-12);
  EXPECT_NEAR(fit.att_weights.sum(), 1.0, 1e-12);
}

// A balanced panel with one cohort: the IW estimator is the event study, its ATT the cell-weighted
// average of the event-study lags.
TEST(SunAbraham, OneCohortReducesToTheEventStudy) {
  const Dataset& data = staggered();
  const auto& adopt = data.column("adopt").values;
  Dataset one(data.source());
  for (const auto& column : data.columns()) {
    Column kept{column.name, {}, column.levels};
    for (std::size_t i = 0; i < adopt.size(); ++i)
      if (adopt[i] == 0 || adopt[i] == 5) kept.values.push_back(column.values[i]);
    one.add_column(std::move(kept));
  }
  EstimatorArgs args = args_with("never");
  const Estimate sa = find_estimator("sun-abraham").run(one, args);
  args.options.erase("control");
  const Estimate es = find_estimator("event-study").run(one, args);
  for (const std::string l : {"-4", "-3", "-2", "0", "1", "2", "3", "4"}) {
    EXPECT_TRUE(near_relative(sa.diagnostics.at("coef_" + l), es.diagnostics.at("coef_" + l), 1e-9)) << l;
    EXPECT_TRUE(near_relative(sa.diagnostics.at("se_" + l), es.diagnostics.at("se_" + l), 1e-9)) << l;
  }
}

void expect_error(const Dataset& data, const EstimatorArgs& args, const std::string& fragment) {
  try {
    find_estimator("sun-abraham").run(data, args);
    FAIL() << "expected an error containing " << fragment;
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

Dataset without_never_treated() {
  const Dataset& data = staggered();
  const auto& adopt = data.column("adopt").values;
  Dataset out(data.source());
  for (const auto& column : data.columns()) {
    Column kept{column.name, {}, column.levels};
    for (std::size_t i = 0; i < adopt.size(); ++i)
      if (adopt[i] != 0) kept.values.push_back(column.values[i]);
    out.add_column(std::move(kept));
  }
  return out;
}

TEST(SunAbraham, AllTreatedNeedsTheLastCohortAsControl) {
  expect_error(without_never_treated(), args_with("never"), "control=last");
  EXPECT_NO_THROW(find_estimator("sun-abraham").run(without_never_treated(), args_with("last")));
}

TEST(SunAbraham, BadOptionsAreOneLine) {
  expect_error(staggered(), args_with("sometimes"), "option 'control' must be one of never, last");
  EstimatorArgs args = args_with("never");
  args.options["reference"] = "0";
  expect_error(staggered(), args, "reference must be a negative whole number");
  args.options["reference"] = "-9";
  expect_error(staggered(), args, "no row at the reference period -9");
}

}  // namespace
}  // namespace casebook
