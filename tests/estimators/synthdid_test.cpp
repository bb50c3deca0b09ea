// synthdid against the R package synthdid itself (Arkhangelsky, Athey, Hirshberg, Imbens & Wager
// 2021), default arguments: tests/fixtures/synthdid_panel.csv and synthdid_reference.json are copies
// of /work/shared/references/synthdid/{panel_simulated.csv, synthdid_reference.json}, computed by the
// package's own code (not in this project) — 40 units × 30 periods, the last 3 units treated for the
// last 8 periods. Estimates, jackknife SEs (vcov(method = "jackknife")), ω and λ of synthdid_estimate,
// sc_estimate and did_estimate to 1e-10 (the same algorithm: the differences seen are ~1e-14, printed
// at the end of the run); and the bad-input errors. The placebo and bootstrap SEs (option se) use
// casebook's draws, not R's, so they are checked by what holds exactly: each replicate re-computed
// from its draw, did's placebo replicates against a DiD computed here, 0 when every donor is alike,
// the same numbers on any thread count.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/synthdid.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

const std::map<std::string, std::string> kPanelOptions{{"unit", "unit"}, {"time", "time"}};

const testing::RegisterExample kExample{
    "synthdid", {"synthdid_panel.csv", testing::example_args("y", "treated", {}, kPanelOptions), false}};

using testing::near_relative;

const Dataset& panel() {
  static const Dataset data = read_csv(testing::fixture_path("synthdid_panel.csv"));
  return data;
}

const nlohmann::json& reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(testing::fixture_path("synthdid_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return ref;
}

EstimatorArgs args_with(const std::string& method) {
  EstimatorArgs args = testing::example_args("y", "treated", {}, kPanelOptions);
  args.options["method"] = method;
  return args;
}

// Weights are compared on the absolute scale (they sum to 1; many are exactly 0).
void expect_weights(const Eigen::VectorXd& actual, const std::vector<std::string>& names,
                    const nlohmann::json& expected) {
  ASSERT_EQ(static_cast<std::size_t>(actual.size()), expected.size());
  ASSERT_EQ(names.size(), expected.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    SCOPED_TRACE(names[k]);
    EXPECT_TRUE(
        near_relative(actual(static_cast<Eigen::Index>(k)), expected.at(names[k]).get<double>(), 1e-6, 1));
  }
}

TEST(Synthdid, MatchesTheRPackageForEveryMethod) {
  for (const std::string method : {"sdid", "sc", "did"}) {
    SCOPED_TRACE(method);
    const SynthdidFit fit = synthdid_fit(panel(), args_with(method));
    EXPECT_EQ(fit.donors.size(), 37u);
    EXPECT_EQ(fit.treated, (std::vector<std::string>{"u38", "u39", "u40"}));
    EXPECT_EQ(fit.pre_periods, 22);
    EXPECT_TRUE(near_relative(fit.noise_level, reference()["noise_level"].get<double>(), 1e-10));
    EXPECT_TRUE(near_relative(fit.estimate, reference()["estimates"][method].get<double>(), 1e-10));
    EXPECT_TRUE(near_relative(fit.jackknife_se, reference()["jackknife_se"][method].get<double>(), 1e-10));
    if (method == "did") {
      EXPECT_TRUE(fit.omega.isApprox(Eigen::VectorXd::Constant(37, 1.0 / 37)));
      EXPECT_TRUE(fit.lambda.isApprox(Eigen::VectorXd::Constant(22, 1.0 / 22)));
      continue;
    }
    expect_weights(fit.omega, fit.donors, reference()[method + "_omega"]);
    if (method == "sdid") {
      std::vector<std::string> periods;
      for (Eigen::Index t = 0; t < fit.pre_periods; ++t)
        periods.push_back(fmt::format("{}", fit.times[static_cast<std::size_t>(t)]));
      expect_weights(fit.lambda, periods, reference()["sdid_lambda"]);
    } else {
      EXPECT_TRUE(fit.lambda.isZero(0));
    }
  }
}

TEST(Synthdid, ReportsWeightsDiagnosticsAndThePlot) {
  const Estimate e = find_estimator("synthdid").run(panel(), args_with("sdid"));
  EXPECT_EQ(e.se_type, "jackknife");
  EXPECT_EQ(e.n, 1200u);
  EXPECT_TRUE(near_relative(e.estimate, reference()["estimates"]["sdid"].get<double>(), 1e-8));
  EXPECT_NEAR(e.ci_low, e.estimate - 1.959963984540054 * e.se, 1e-12);  // normal, as synthdid's CI
  EXPECT_EQ(e.diagnostics.at("donors"), 37);
  EXPECT_EQ(e.diagnostics.at("treated_units"), 3);
  EXPECT_EQ(e.diagnostics.at("n_periods_with_weight"), 2);
  // ζ = (N1·T1)^(1/4)·σ̂ = 24^(1/4)·σ̂.
  EXPECT_NEAR(e.diagnostics.at("zeta"), std::pow(24.0, 0.25) * reference()["noise_level"].get<double>(),
              1e-9);
  EXPECT_GT(e.diagnostics.at("pre_rmse"), 0);
  ASSERT_EQ(e.tables.size(), 2u);
  EXPECT_EQ(e.tables[0].id, "unit_weights");
  EXPECT_EQ(e.tables[0].rows.size(), 37u);
  EXPECT_EQ(e.tables[1].id, "time_weights");
  ASSERT_EQ(e.plots.size(), 1u);
  EXPECT_EQ(e.plots[0].kind, "lines");
  ASSERT_EQ(e.plots[0].series.size(), 2u);
  // The estimate is the mean post-period gap between the treated average and its counterfactual.
  const auto& treated = e.plots[0].series[0].y;
  const auto& counterfactual = e.plots[0].series[1].y;
  double gap = 0;
  for (std::size_t t = 22; t < 30; ++t) gap += (treated[t] - counterfactual[t]) / 8;
  EXPECT_NEAR(gap, e.estimate, 1e-10);
}

TEST(Synthdid, ExactlyParallelDonorsGiveNumbersOrOneLine) {
  // Every unit moves by the same amount each period: the noise level and so ζ are 0 and every donor
  // fits the treated average exactly up to a constant. sdid and did still give finite numbers; sc's
  // solver (no intercept) puts all the weight on one donor, where the jackknife is undefined.
  Dataset data = panel();
  auto& y = data.column("y").values;
  for (std::size_t row = 0; row < y.size(); ++row) y[row] = static_cast<double>(row / 30 + row % 30);
  for (const std::string method : {"sdid", "did"}) {
    SCOPED_TRACE(method);
    const Estimate e = find_estimator("synthdid").run(data, args_with(method));
    EXPECT_EQ(e.diagnostics.at("noise_level"), 0);
    EXPECT_NEAR(e.estimate, 0, 1e-12);
    EXPECT_TRUE(std::isfinite(e.se) && std::isfinite(e.ci_low) && std::isfinite(e.p_value));
  }
  const std::string message = testing::input_error("synthdid", data, args_with("sc"));
  EXPECT_CONTAINS(message, "a single donor carries all the unit weight");
}

Dataset modified(const std::function<void(Dataset&)>& change) {
  Dataset data = panel();
  change(data);
  return data;
}

// Rows of the fixture: unit k (0-based) has rows 30k .. 30k+29, periods 2001..2030.
Dataset without_rows(const Dataset& data, std::size_t from, std::size_t to) {
  Dataset out(data.source());
  for (const auto& column : data.columns()) {
    Column kept{column.name, {}, column.levels};
    for (std::size_t row = 0; row < column.values.size(); ++row)
      if (row < from || row >= to) kept.values.push_back(column.values[row]);
    out.add_column(std::move(kept));
  }
  return out;
}

TEST(Synthdid, BadInputIsOneLine) {
  const EstimatorArgs args = args_with("sdid");
  // Unit u39 (rows 1140..1169) adopts one period later than u38 and u40.
  const Dataset staggered = modified([](Dataset& d) { d.column("treated").values[1140 + 22] = 0; });
  EXPECT_CONTAINS(
      testing::input_error("synthdid", staggered, args),
      "staggered adoption: unit unit = u39 is treated from time = 2024 but unit unit = u38 from 2023");
  EXPECT_CONTAINS(testing::input_error("synthdid", without_rows(panel(), 65, 66), args),
                  "the panel is unbalanced: unit unit = u03 has 29 of the 30 periods");
  // Only u01 and the treated units left.
  EXPECT_CONTAINS(testing::input_error("synthdid", without_rows(panel(), 30, 1110), args),
                  "a donor pool of one (unit unit = u01)");
  const Dataset missing = modified([](Dataset& d) { d.column("y").values[1175] = NAN; });
  EXPECT_CONTAINS(testing::input_error("synthdid", missing, args),
                  "outcome 'y' is missing for unit unit = u40 in time = 2006 (row 1176)");
  const Dataset no_pre = modified([](Dataset& d) {
    for (std::size_t row = 1110; row < 1200; ++row) d.column("treated").values[row] = 1;
  });
  EXPECT_CONTAINS(testing::input_error("synthdid", no_pre, args), "no pre-periods");
  const Dataset one_pre = modified([](Dataset& d) {
    for (std::size_t row = 1110; row < 1200; ++row) d.column("treated").values[row] = row % 30 >= 1 ? 1 : 0;
  });
  EXPECT_CONTAINS(testing::input_error("synthdid", one_pre, args), "one pre-period");
  EXPECT_CONTAINS(testing::input_error("synthdid", without_rows(panel(), 1140, 1200), args),
                  "one treated unit (unit = u38): the jackknife SE needs at least two");
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), args_with("synth")), "method");
  EstimatorArgs covariates = args;
  covariates.covariates = {"time"};
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), covariates), "covariates");
  EstimatorArgs wrong_time = args;
  wrong_time.options["time"] = "period";
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), wrong_time), "'period' not found");
}

EstimatorArgs with_se(const std::string& method, const std::string& se,
                      const std::string& replications = "20") {
  EstimatorArgs args = args_with(method);
  args.options["se"] = se;
  args.options["replications"] = replications;
  args.options["seed"] = "5";
  return args;
}

double spread(const std::vector<double>& replicates) {  // sqrt((R−1)/R)·sd
  double mean = 0, squares = 0;
  for (const double v : replicates) mean += v / static_cast<double>(replicates.size());
  for (const double v : replicates) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(replicates.size()));
}

TEST(Synthdid, PlaceboSeIsTheSpreadOfItsReplicatesRecomputedFromTheirDraws) {
  for (const std::string method : {"sdid", "sc", "did"}) {
    SCOPED_TRACE(method);
    const SynthdidFit fit = synthdid_fit(panel(), with_se(method, "placebo"));
    ASSERT_EQ(fit.replicates.size(), 20u);
    for (std::size_t r = 0; r < 20; ++r) {
      const std::vector<Eigen::Index> draw = synthdid_placebo_draw(5, r, 37);
      std::vector<Eigen::Index> sorted = draw;
      std::sort(sorted.begin(), sorted.end());
      for (Eigen::Index i = 0; i < 37; ++i)
        ASSERT_EQ(sorted[static_cast<std::size_t>(i)], i);  // a permutation
      EXPECT_EQ(fit.replicates[r], synthdid_placebo_estimate(fit, draw));
      if (method != "did") continue;
      // did: the plain DiD of the last three donors of the draw against the other 34.
      auto change = [&](Eigen::Index u) {
        return fit.y.row(u).tail(8).mean() - fit.y.row(u).head(22).mean();
      };
      double placebo_treated = 0, placebo_controls = 0;
      for (Eigen::Index i = 0; i < 37; ++i)
        (i < 34 ? placebo_controls : placebo_treated) +=
            change(draw[static_cast<std::size_t>(i)]) / (i < 34 ? 34 : 3);
      EXPECT_NEAR(fit.replicates[r], placebo_treated - placebo_controls, 1e-11);
    }
    EXPECT_NEAR(fit.se, spread(fit.replicates), 1e-15);
    const Estimate e = find_estimator("synthdid").run(panel(), with_se(method, "placebo"));
    EXPECT_EQ(e.se_type, "placebo");
    EXPECT_EQ(e.se, fit.se);
    EXPECT_TRUE(near_relative(e.estimate, reference()["estimates"][method].get<double>(), 1e-10));
  }
}

TEST(Synthdid, BootstrapSeIsTheSpreadOfItsReplicatesRecomputedFromTheirDraws) {
  const SynthdidFit fit = synthdid_fit(panel(), with_se("sdid", "bootstrap"));
  ASSERT_EQ(fit.replicates.size(), 20u);
  for (std::size_t r = 0; r < 20; ++r) {
    const std::vector<Eigen::Index> draw = synthdid_bootstrap_draw(5, r, 37, 40);
    ASSERT_EQ(draw.size(), 40u);
    EXPECT_TRUE(std::is_sorted(draw.begin(), draw.end()));
    EXPECT_LT(draw.front(), 37);  // a donor and a treated unit in every draw
    EXPECT_GE(draw.back(), 37);
    EXPECT_EQ(fit.replicates[r], synthdid_bootstrap_estimate(fit, draw));
  }
  EXPECT_NEAR(fit.se, spread(fit.replicates), 1e-15);
  EXPECT_GT(fit.se, 0);
  // With three donors and one treated unit most draws miss the treated unit: they are redrawn.
  const std::vector<Eigen::Index> small = synthdid_bootstrap_draw(1, 0, 3, 4);
  EXPECT_EQ(small.back(), 3);
}

TEST(Synthdid, ResamplingSesAreTheSameOnAnyThreadCountAndFollowTheSeed) {
  for (const std::string se : {"placebo", "bootstrap"}) {
    SCOPED_TRACE(se);
    EstimatorArgs one = with_se("sdid", se), two = one;
    one.options["threads"] = "1";
    two.options["threads"] = "2";
    const SynthdidFit a = synthdid_fit(panel(), one);
    const SynthdidFit b = synthdid_fit(panel(), two);
    EXPECT_EQ(a.replicates, b.replicates);
    EXPECT_EQ(a.se, b.se);
    EstimatorArgs other = one;
    other.options["seed"] = "6";
    EXPECT_NE(synthdid_fit(panel(), other).se, a.se);
  }
}

TEST(Synthdid, PlaceboSeWorksWithOneTreatedUnitAndIsZeroWhenEveryDonorIsAlike) {
  // Every donor follows the same path; the one treated unit (u38) its own: each placebo compares
  // identical series, so every replicate and the SE are 0.
  Dataset data = without_rows(panel(), 1140, 1200);
  auto& y = data.column("y").values;
  for (std::size_t row = 0; row < 1110; ++row)
    y[row] = std::sin(0.7 * static_cast<double>(row % 30)) + 0.1 * static_cast<double>(row % 30);
  for (const std::string method : {"sdid", "sc", "did"}) {
    SCOPED_TRACE(method);
    const SynthdidFit fit = synthdid_fit(data, with_se(method, "placebo"));
    for (const double r : fit.replicates) EXPECT_NEAR(r, 0, 1e-12);
    EXPECT_NEAR(fit.se, 0, 1e-12);
    EXPECT_TRUE(std::isfinite(fit.estimate));
  }
  // The real panel with one treated unit: placebo works where the jackknife and bootstrap cannot.
  const Dataset one = without_rows(panel(), 1140, 1200);
  const Estimate e = find_estimator("synthdid").run(one, with_se("sdid", "placebo"));
  EXPECT_GT(e.se, 0);
  EXPECT_CONTAINS(testing::input_error("synthdid", one, with_se("sdid", "bootstrap")),
                  "one treated unit (unit = u38): the bootstrap SE needs at least two");
}

TEST(Synthdid, ResamplingSeBadInputIsOneLine) {
  // u01..u03 and the three treated units: no more donors than treated units.
  EXPECT_CONTAINS(
      testing::input_error("synthdid", without_rows(panel(), 90, 1110), with_se("sdid", "placebo")),
      "se=placebo needs more donors than treated units (3 donors, 3 treated)");
  EstimatorArgs disagree = with_se("sdid", "placebo");
  disagree.se_type = "bootstrap";
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), disagree),
                  "se 'bootstrap' and option se=placebo disagree");
  EstimatorArgs flag = args_with("sdid");
  flag.se_type = "placebo";
  flag.options["replications"] = "5";
  EXPECT_EQ(find_estimator("synthdid").run(panel(), flag).se_type, "placebo");
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), with_se("sdid", "placebo", "0")), "replications");
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), with_se("sdid", "wild")), "se");
}

}  // namespace
}  // namespace casebook
