// its against R (tests/fixtures/make_its_fixture.R): lm's coefficients and sandwich::NeweyWest(fit,
// lag = L, prewhite = P, adjust = FALSE) standard errors at lags 0, 1, 4 and at NeweyWest's
// automatic lag, without prewhitening and with it (NeweyWest's default and its), lm's iid SEs, the average
// post-period effect and its SE; with and without a covariate and monthly season dummies. model=ar1
// against nlme::gls(correlation = corAR1(), method = "REML"), on every month and with months missing.
// Row order does not matter; bad input is one line.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/interrupted_time_series.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

using testing::near_relative;

EstimatorArgs its_args(std::map<std::string, std::string> options = {},
                       std::vector<std::string> covariates = {}) {
  options.emplace("time", "month");
  options.emplace("intervention", "61");
  return testing::example_args("y", "", std::move(covariates), std::move(options));
}

const testing::RegisterExample kIts{"its", {"its_data.csv", its_args(), true}};

const Dataset& its_data() {
  static const Dataset data = read_csv(testing::fixture_path("its_data.csv"));
  return data;
}

const nlohmann::json& its_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("its_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

struct ItsRun {
  std::string model;  // "plain", "covariate_season"
  std::string run;    // "lag0", "lag1", "lag4", "auto", their prewhitened "pw_…", "iid"

  bool prewhitened() const { return run.starts_with("pw_"); }
};

EstimatorArgs run_args(const ItsRun& r, const std::string& effect = "level") {
  const nlohmann::json& model = its_reference().at(r.model);
  std::map<std::string, std::string> options{{"effect", effect}};
  const std::string lag = r.prewhitened() ? r.run.substr(3) : r.run;
  if (r.run == "iid")
    options["se"] = "iid";
  else if (lag != "auto")
    options["hac_lag"] = lag.substr(3);
  if (!r.prewhitened() && r.run != "iid") options["prewhite"] = "false";
  options["seasonality"] = std::to_string(model.at("seasonality").get<int>());
  return its_args(options, model.at("covariates").get<std::vector<std::string>>());
}

// The coefficient table against R's: names, estimates and standard errors.
void expect_terms(const Estimate& e, const nlohmann::json& ref, double tolerance) {
  const auto names = ref.at("terms").get<std::vector<std::string>>();
  const auto estimates = ref.at("estimate").get<std::vector<double>>();
  const auto ses = ref.at("std_error").get<std::vector<double>>();
  ASSERT_EQ(e.terms.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    SCOPED_TRACE(names[i]);
    EXPECT_EQ(e.terms[i].term, names[i]);
    EXPECT_TRUE(
        near_relative(e.terms[i].estimate, estimates[i], tolerance, std::max(1.0, std::abs(estimates[i]))));
    EXPECT_TRUE(near_relative(e.terms[i].std_error, ses[i], tolerance));
  }
}

// The plot's fitted line against R's fitted values.
void expect_fitted_line(const Estimate& e, const nlohmann::json& ref, double tolerance) {
  const auto fitted = ref.get<std::vector<double>>();
  ASSERT_EQ(e.plots.size(), 1u);
  const Series& line = e.plots[0].series[1];
  ASSERT_EQ(line.y.size(), fitted.size());
  for (std::size_t i = 0; i < fitted.size(); ++i) EXPECT_TRUE(near_relative(line.y[i], fitted[i], tolerance));
}

class ItsMatchesR : public ::testing::TestWithParam<ItsRun> {};

TEST_P(ItsMatchesR, CoefficientsAndStandardErrors) {
  const ItsRun r = GetParam();
  const nlohmann::json& model = its_reference().at(r.model);
  const nlohmann::json& ref = model.at("runs").at(r.run);
  const Estimate e = interrupted_time_series(its_data(), run_args(r));
  expect_terms(e, ref, 1e-8);
  const auto estimates = ref.at("estimate").get<std::vector<double>>();
  const auto ses = ref.at("std_error").get<std::vector<double>>();
  EXPECT_TRUE(near_relative(e.estimate, estimates[2], 1e-8));
  EXPECT_TRUE(near_relative(e.se, ses[2], 1e-8));
  EXPECT_TRUE(near_relative(e.diagnostics.at("slope_change_se"), ses[3], 1e-8));
  EXPECT_TRUE(near_relative(e.diagnostics.at("average_effect"), ref.at("average").get<double>(), 1e-8));
  EXPECT_TRUE(near_relative(e.diagnostics.at("average_effect_se"), ref.at("average_se").get<double>(), 1e-8));
  EXPECT_EQ(e.diagnostics.at("df"), model.at("df").get<double>());
  EXPECT_TRUE(near_relative(e.diagnostics.at("residual_autocorrelation"),
                            model.at("residual_autocorrelation").get<double>(), 1e-8));
  if (r.run == "iid") {
    EXPECT_EQ(e.se_type, "iid");
  } else {
    EXPECT_EQ(e.se_type, "newey-west");
    EXPECT_EQ(e.diagnostics.at("hac_lag"), ref.at("lag").get<double>());
    EXPECT_TRUE(near_relative(
        e.diagnostics.at("nw_bandwidth"),
        model.at(r.prewhitened() ? "bw_newey_west_prewhite" : "bw_newey_west").get<double>(), 1e-8));
  }
  // The fitted line of the plot is lm's fitted values.
  expect_fitted_line(e, model.at("fitted"), 1e-8);
}

TEST_P(ItsMatchesR, EffectChoosesTheEstimate) {
  const ItsRun r = GetParam();
  const nlohmann::json& ref = its_reference().at(r.model).at("runs").at(r.run);
  const Estimate slope = interrupted_time_series(its_data(), run_args(r, "slope"));
  EXPECT_TRUE(near_relative(slope.estimate, ref.at("estimate")[3].get<double>(), 1e-8));
  EXPECT_TRUE(near_relative(slope.se, ref.at("std_error")[3].get<double>(), 1e-8));
  const Estimate average = interrupted_time_series(its_data(), run_args(r, "average"));
  EXPECT_TRUE(near_relative(average.estimate, ref.at("average").get<double>(), 1e-8));
  EXPECT_TRUE(near_relative(average.se, ref.at("average_se").get<double>(), 1e-8));
  EXPECT_LT(average.ci_low, average.estimate);
  EXPECT_GT(average.ci_high, average.estimate);
}

INSTANTIATE_TEST_SUITE_P(Runs, ItsMatchesR, ::testing::ValuesIn([] {
                           std::vector<ItsRun> runs;
                           for (const char* model : {"plain", "covariate_season"})
                             for (const char* run : {"lag0", "lag1", "lag4", "auto", "pw_lag0", "pw_lag1",
                                                     "pw_lag4", "pw_auto", "iid"})
                               runs.push_back({model, run});
                           return runs;
                         }()),
                         [](const auto& param_info) {
                           return param_info.param.model + "_" + param_info.param.run;
                         });

// The months left after dropping the fixture's gap_rows (R's 1-based rows; month = row).
Dataset months_with_gaps() {
  std::vector<double> dropped;
  for (const auto& row : its_reference().at("gap_rows")) dropped.push_back(row.get<double>());
  const Dataset& data = its_data();
  Dataset kept("its_data_gaps.csv");
  for (const Column& c : data.columns()) {
    Column copy{c.name, {}, c.levels};
    for (std::size_t i = 0; i < data.rows(); ++i)
      if (std::find(dropped.begin(), dropped.end(), data.column("month").values[i]) == dropped.end())
        copy.values.push_back(c.values[i]);
    kept.add_column(std::move(copy));
  }
  return kept;
}

struct Ar1Run {
  std::string model;  // "plain", "covariate_season"
  std::string run;    // "gls_ar1" (every month), "gls_ar1_gaps"
};

class ItsAr1MatchesNlme : public ::testing::TestWithParam<Ar1Run> {};

TEST_P(ItsAr1MatchesNlme, CoefficientsPhiSigmaAndStandardErrors) {
  const Ar1Run r = GetParam();
  const nlohmann::json& model = its_reference().at(r.model);
  const nlohmann::json& ref = model.at(r.run);
  const Dataset data = r.run == "gls_ar1_gaps" ? months_with_gaps() : its_data();
  const EstimatorArgs args = its_args({{"model", "ar1"},
                                       {"effect", "average"},
                                       {"seasonality", std::to_string(model.at("seasonality").get<int>())}},
                                      model.at("covariates").get<std::vector<std::string>>());
  const Estimate e = interrupted_time_series(data, args);
  // nlme stops its optimiser at a relative tolerance of 1e-12 in the log-likelihood, which leaves phi
  // known to about 1e-7; the coefficients move with it.
  EXPECT_NEAR(e.diagnostics.at("ar1_phi"), ref.at("phi").get<double>(), 1e-6);
  EXPECT_TRUE(near_relative(e.diagnostics.at("sigma"), ref.at("sigma").get<double>(), 1e-6));
  expect_terms(e, ref, 1e-6);
  EXPECT_TRUE(near_relative(e.estimate, ref.at("average").get<double>(), 1e-6));
  EXPECT_TRUE(near_relative(e.se, ref.at("average_se").get<double>(), 1e-6));
  EXPECT_EQ(e.diagnostics.at("df"), ref.at("df").get<double>());
  EXPECT_EQ(e.se_type, "gls-ar1");
  EXPECT_FALSE(e.diagnostics.contains("hac_lag"));
  expect_fitted_line(e, ref.at("fitted"), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Runs, ItsAr1MatchesNlme,
                         ::testing::Values(Ar1Run{"plain", "gls_ar1"}, Ar1Run{"plain", "gls_ar1_gaps"},
                                           Ar1Run{"covariate_season", "gls_ar1"},
                                           Ar1Run{"covariate_season", "gls_ar1_gaps"}),
                         [](const auto& param_info) {
                           return param_info.param.model + "_" + param_info.param.run;
                         });

// The whitened residuals of the AR(1) model are what it leaves unexplained: far less autocorrelated
// than least squares' residuals on the fixture's AR(1) errors.
TEST(Its, Ar1WhitensTheResiduals) {
  const double ols =
      interrupted_time_series(its_data(), its_args()).diagnostics.at("residual_autocorrelation");
  const double ar1 = interrupted_time_series(its_data(), its_args({{"model", "ar1"}}))
                         .diagnostics.at("residual_autocorrelation");
  EXPECT_GT(ols, 0.4);
  EXPECT_LT(std::abs(ar1), 0.1);
}

TEST(Its, NotesAutocorrelationTheSesMiss) {
  // Without prewhitening the plain model's automatic lag is 0 although its residuals are
  // autocorrelated (about 0.49); prewhitened, the automatic lag is 3 and there is nothing to say.
  const Estimate automatic = interrupted_time_series(its_data(), its_args({{"prewhite", "false"}}));
  ASSERT_EQ(automatic.notes.size(), 1u);
  EXPECT_CONTAINS(automatic.notes[0], "automatic Newey–West lag is 0");
  EXPECT_TRUE(interrupted_time_series(its_data(), its_args()).notes.empty());
  EXPECT_TRUE(
      interrupted_time_series(its_data(), its_args({{"prewhite", "false"}, {"hac_lag", "0"}})).notes.empty());
  const Estimate iid = interrupted_time_series(its_data(), its_args({{"se", "iid"}}));
  ASSERT_EQ(iid.notes.size(), 1u);
  EXPECT_CONTAINS(iid.notes[0], "iid standard errors are too small");
}

TEST(Its, AutomaticLagDiffersBetweenModels) {
  // The fixture's two models pick different automatic lags, so the test above checks the choice.
  for (const char* run : {"auto", "pw_auto"})
    EXPECT_NE(its_reference().at("plain").at("runs").at(run).at("lag"),
              its_reference().at("covariate_season").at("runs").at(run).at("lag"));
}

// Prewhitening is what NeweyWest does by default and it changes the SE: the fixture's runs differ.
TEST(Its, PrewhiteningIsTheDefaultAndChangesTheSe) {
  const nlohmann::json& runs = its_reference().at("plain").at("runs");
  const Estimate e = interrupted_time_series(its_data(), its_args({{"hac_lag", "4"}}));
  EXPECT_TRUE(near_relative(e.se, runs.at("pw_lag4").at("std_error")[2].get<double>(), 1e-8));
  EXPECT_GT(std::abs(runs.at("pw_lag4").at("std_error")[2].get<double>() -
                     runs.at("lag4").at("std_error")[2].get<double>()),
            0.1 * runs.at("lag4").at("std_error")[2].get<double>());
}

// The rows in reverse order give the same numbers: the series is sorted by time first.
TEST(Its, SortsRowsByTime) {
  const Dataset& data = its_data();
  Dataset reversed("reversed.csv");
  for (const Column& c : data.columns())
    reversed.add_column({c.name, std::vector<double>(c.values.rbegin(), c.values.rend()), c.levels});
  const EstimatorArgs args = its_args({{"hac_lag", "4"}});
  const Estimate a = interrupted_time_series(data, args), b = interrupted_time_series(reversed, args);
  EXPECT_DOUBLE_EQ(a.estimate, b.estimate);
  EXPECT_NEAR(a.se, b.se, 1e-12);
  EXPECT_EQ(a.plots[0].series[0].x, b.plots[0].series[0].x);
}

TEST(Its, PlotsObservedFittedAndCounterfactual) {
  const Estimate e = interrupted_time_series(its_data(), its_args());
  ASSERT_EQ(e.plots.size(), 1u);
  const Plot& p = e.plots[0];
  EXPECT_EQ(p.kind, "lines");
  ASSERT_EQ(p.series.size(), 3u);
  EXPECT_EQ(p.series[0].name, "observed");
  EXPECT_EQ(p.series[1].name, "fitted");
  EXPECT_EQ(p.series[2].name, "counterfactual");
  // From the last pre-period point (60, where it meets the fitted line) to the end.
  ASSERT_EQ(p.series[2].x.front(), 60);
  EXPECT_NEAR(p.series[2].y.front(), p.series[1].y[59], 1e-12);
  EXPECT_EQ(p.series[2].x.size(), 61u);
  // At t0 the gap between fitted and counterfactual is the level change.
  EXPECT_NEAR(p.series[1].y[60] - p.series[2].y[1], e.estimate, 1e-10);
}

Dataset with_column(const std::string& name, std::vector<double> values) {
  Dataset data = its_data();
  data.add_column({name, std::move(values), {}});
  return data;
}

TEST(Its, BadInputIsOneLine) {
  using testing::input_error;
  const Dataset& data = its_data();
  EXPECT_CONTAINS(input_error("its", data, its_args({{"intervention", "200"}})), "at least 3 on each side");
  EXPECT_CONTAINS(input_error("its", data, its_args({{"intervention", "3"}})),
                  "intervention=3 leaves 2 time points before");
  EXPECT_CONTAINS(input_error("its", data, its_args({{"intervention", "119"}})), "2 from it on");
  EXPECT_CONTAINS(input_error("its", data, testing::example_args("y", "", {}, {{"time", "month"}})),
                  "--option intervention=T");
  EXPECT_CONTAINS(input_error("its", data, its_args({{"time", "week"}})), "time column 'week' not found");
  EXPECT_CONTAINS(input_error("its", data, its_args({{"intervention", "soon"}})), "intervention");

  std::vector<double> repeated = data.column("month").values;
  repeated[10] = repeated[9];
  EXPECT_CONTAINS(input_error("its", with_column("when", repeated), its_args({{"time", "when"}})),
                  "time 'when' repeats 10 (rows 10 and 11)");
  std::vector<double> gap = data.column("month").values;
  gap[5] = NAN;
  EXPECT_CONTAINS(input_error("its", with_column("when", gap), its_args({{"time", "when"}})), "when");
  std::vector<double> y = data.column("y").values;
  y[7] = NAN;
  EXPECT_CONTAINS(
      input_error("its", with_column("y_gap", y),
                  testing::example_args("y_gap", "", {}, {{"time", "month"}, {"intervention", "61"}})),
      "y_gap");
  Dataset text = its_data();
  text.add_column({"when_text", std::vector<double>(data.rows(), 0), {"jan"}});
  EXPECT_CONTAINS(input_error("its", text, its_args({{"time", "when_text"}})), "categorical");

  // A covariate that is zero but in the last month: its lagged score is all zero, so the VAR(1)
  // of the prewhitening cannot be fitted (R's ar.ols stops there too).
  std::vector<double> last_month(data.rows(), 0.0);
  last_month.back() = 1;
  EXPECT_CONTAINS(input_error("its", with_column("launch_day", last_month), its_args({}, {"launch_day"})),
                  "--option prewhite=false");

  // model=ar1 models the autocorrelation itself, needs whole-number times, and refuses a random walk.
  EXPECT_CONTAINS(input_error("its", data, its_args({{"model", "ar1"}, {"hac_lag", "4"}})),
                  "option hac_lag applies to model=ols");
  EXPECT_CONTAINS(input_error("its", data, its_args({{"model", "ar1"}, {"se", "iid"}})),
                  "option se applies to model=ols");
  std::vector<double> halves = data.column("month").values;
  for (double& t : halves) t += 0.5;
  EXPECT_CONTAINS(input_error("its", with_column("when", halves),
                              its_args({{"time", "when"}, {"intervention", "61.5"}, {"model", "ar1"}})),
                  "model=ar1 needs whole-number times");
  // A smooth curve the line cannot follow: its residuals are as persistent as a random walk's.
  std::vector<double> smooth(data.rows());
  for (std::size_t i = 0; i < smooth.size(); ++i) smooth[i] = std::pow(static_cast<double>(i) - 60, 3) / 1000;
  EXPECT_CONTAINS(
      input_error("its", with_column("smooth", smooth),
                  testing::example_args("smooth", "", {},
                                        {{"time", "month"}, {"intervention", "61"}, {"model", "ar1"}})),
      "a unit root");

  // Fewer observations than parameters: 8 rows, 4 + 11 season parameters.
  Dataset small("small.csv");
  small.add_column({"month", {1, 2, 3, 4, 5, 6, 7, 8}, {}});
  small.add_column({"y", {1, 2, 3, 5, 6, 7, 9, 8}, {}});
  EXPECT_CONTAINS(input_error("its", small, its_args({{"intervention", "5"}, {"seasonality", "12"}})),
                  "8 time points for 15 parameters");
  EXPECT_CONTAINS(input_error("its", data, its_args({{"seasonality", "1"}})), "seasonality");
  std::vector<double> half = data.column("month").values;
  for (double& v : half) v += 0.5;
  EXPECT_CONTAINS(
      input_error("its", with_column("when", half), its_args({{"time", "when"}, {"seasonality", "12"}})),
      "whole-number times");
  EstimatorArgs treated = its_args();
  treated.treatment = "x";
  EXPECT_CONTAINS(input_error("its", data, treated), "treatment");
  EstimatorArgs clustered = its_args();
  clustered.cluster = "x";
  EXPECT_CONTAINS(input_error("its", data, clustered), "cluster");
  EstimatorArgs hc3 = its_args();
  hc3.se_type = "hc3";
  EXPECT_CONTAINS(input_error("its", data, hc3), "se=newey-west|iid");
  EXPECT_CONTAINS(input_error("its", data, its_args({{"effect", "total"}})), "effect");
  EXPECT_CONTAINS(input_error("its", data, its_args({}, {"month"})), "month");
}

}  // namespace
}  // namespace casebook
