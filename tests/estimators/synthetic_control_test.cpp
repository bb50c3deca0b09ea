// synthetic-control against a rebuild of Synth's two stages in R (tests/fixtures/
// make_synthetic_control_fixture.R; Synth itself is not in Debian): 10 donors and one treated unit
// over 20 years, treated from the 16th. For a given V the donor weights agree with
// quadprog::solve.QP on the same standardised predictors to 1e-6 (absolute, weights sum to 1; the
// differences seen are ~1e-9, quadprog's own tolerance), the predictors and their SDs to 1e-12;
// the nested V search is not R's optim path, so it is held to a loss no worse than optim's best.
// Then the solver's optimality conditions, the placebo inference, and the bad-input errors.
#include <cmath>
#include <fstream>
#include <functional>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/synthetic_control.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

const std::map<std::string, std::string> kPanelOptions{{"unit", "unit"}, {"time", "year"}};

const testing::RegisterExample kExample{
    "synthetic-control",
    {"synthetic_control_panel.csv", testing::example_args("y", "treated", {}, kPanelOptions), false}};

using testing::near_relative;

const Dataset& panel() {
  static const Dataset data = read_csv(testing::fixture_path("synthetic_control_panel.csv"));
  return data;
}

const nlohmann::json& reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(testing::fixture_path("synthetic_control_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return ref;
}

EstimatorArgs base_args() { return testing::example_args("y", "treated", {}, kPanelOptions); }

// The analysis of each reference configuration, as casebook's options write it.
EstimatorArgs args_for(const std::string& config) {
  EstimatorArgs args = base_args();
  if (config == "covariates") {
    args.options["predictors"] = "x1,x2";
    args.options["outcome_lags"] = "1991,1992,1993,1994,1995,1996,1997,1998,1999";
  }
  return args;
}

Eigen::VectorXd vector_of(const nlohmann::json& values) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) out(static_cast<Eigen::Index>(i)) = values[i].get<double>();
  return out;
}

TEST(SyntheticControl, DonorWeightsMatchQuadprogForAGivenV) {
  for (const std::string config : {"outcomes", "covariates"}) {
    SCOPED_TRACE(config);
    const auto& ref = reference()[config];
    const SyntheticControlFit fit = synthetic_control_fit(panel(), args_for(config));
    ASSERT_EQ(fit.predictors, ref["predictors"].get<std::vector<std::string>>());
    EXPECT_EQ(fit.donors, reference()["donors"].get<std::vector<std::string>>());
    EXPECT_EQ(fit.pre_periods, 15);
    const Eigen::VectorXd treated = vector_of(ref["treated"]), sd = vector_of(ref["sd"]);
    for (Eigen::Index p = 0; p < treated.size(); ++p) {
      EXPECT_TRUE(near_relative(fit.x1(p), treated(p), 1e-12));
      EXPECT_TRUE(near_relative(fit.scale(p), sd(p), 1e-12));
    }
    const Eigen::VectorXd inverse = fit.scale.cwiseInverse();
    const Eigen::MatrixXd x0 = inverse.asDiagonal() * fit.x0;
    const Eigen::VectorXd x1 = inverse.cwiseProduct(fit.x1);
    for (const std::string v : {"equal", "random", "optim"}) {
      SCOPED_TRACE(v);
      const Eigen::VectorXd w = synthetic_control_weights(x0, x1, vector_of(ref["v_" + v]));
      const Eigen::VectorXd expected = vector_of(ref["w_" + v]);
      ASSERT_EQ(w.size(), expected.size());
      for (Eigen::Index j = 0; j < w.size(); ++j) EXPECT_TRUE(near_relative(w(j), expected(j), 1e-6, 1));
      EXPECT_TRUE((w.array() >= 0).all());
      EXPECT_NEAR(w.sum(), 1, 1e-14);
    }
  }
}

TEST(SyntheticControl, NestedSearchIsNoWorseThanOptimOnSynthsObjective) {
  for (const std::string config : {"outcomes", "covariates"}) {
    SCOPED_TRACE(config);
    const SyntheticControlFit fit = synthetic_control_fit(panel(), args_for(config));
    const double optim_loss = reference()[config]["optim_loss"].get<double>();
    EXPECT_LE(fit.fit.loss, optim_loss * (1 + 1e-6));
    fmt::print("[ synthetic-control ] {}: pre-period MSPE {:.10g} (R optim: {:.10g})\n", config, fit.fit.loss,
               optim_loss);
    // The loss is the pre-period MSPE of the reported fit.
    EXPECT_NEAR(fit.fit.loss, fit.fit.pre_rmspe * fit.fit.pre_rmspe, 1e-14);
    EXPECT_NEAR(fit.fit.v.sum(), 1, 1e-12);
  }
}

// A convex problem: w is a minimiser iff the KKT conditions hold (g_j = μ where w_j > 0, g_j ≥ μ
// elsewhere, g = A'(Aw − b)). Checked where the QP is singular (more donors than predictors), which
// quadprog cannot take, and where it is not.
TEST(SyntheticControl, ActiveSetSolverMeetsTheOptimalityConditions) {
  std::mt19937_64 random(7);
  std::normal_distribution<double> normal;
  for (const auto& [rows, columns] :
       std::vector<std::pair<int, int>>{{3, 12}, {5, 40}, {20, 8}, {1, 5}, {30, 30}}) {
    for (int repeat = 0; repeat < 20; ++repeat) {
      SCOPED_TRACE(fmt::format("{}×{} #{}", rows, columns, repeat));
      Eigen::MatrixXd a(rows, columns);
      Eigen::VectorXd b(rows);
      for (auto& x : a.reshaped()) x = normal(random);
      for (auto& x : b) x = 2 * normal(random);
      const Eigen::VectorXd w = simplex_least_squares(a, b);
      ASSERT_TRUE((w.array() >= 0).all());
      ASSERT_NEAR(w.sum(), 1, 1e-13);
      const Eigen::VectorXd g = a.transpose() * (a * w - b);
      const double mu = w.dot(g);
      for (Eigen::Index j = 0; j < columns; ++j) {
        EXPECT_GE(g(j) - mu, -1e-9);
        if (w(j) > 0) {
          EXPECT_NEAR(g(j), mu, 1e-9);
        }
      }
    }
  }
  // A treated point inside the donors' hull is fitted exactly.
  Eigen::MatrixXd a(2, 3);
  a << 0, 1, 0, 0, 0, 1;
  const Eigen::VectorXd w = simplex_least_squares(a, Eigen::Vector2d(0.25, 0.5));
  EXPECT_NEAR(w(0), 0.25, 1e-15);
  EXPECT_NEAR(w(1), 0.25, 1e-15);
  EXPECT_NEAR(w(2), 0.5, 1e-15);
}

TEST(SyntheticControl, ReportsThePlaceboInferenceTablesAndPlots) {
  const Estimate e = find_estimator("synthetic-control").run(panel(), base_args());
  const SyntheticControlFit fit = synthetic_control_fit(panel(), base_args());
  EXPECT_EQ(e.se_type, "placebo");
  EXPECT_EQ(e.n, 220u);
  // The estimate is the mean post-period gap.
  const Eigen::VectorXd gap = fit.y1 - fit.y0 * fit.fit.w;
  EXPECT_NEAR(e.estimate, gap.tail(5).mean(), 1e-12);
  EXPECT_NEAR(e.diagnostics.at("pre_rmspe"), std::sqrt(gap.head(15).squaredNorm() / 15), 1e-12);
  EXPECT_NEAR(e.diagnostics.at("post_rmspe"), std::sqrt(gap.tail(5).squaredNorm() / 5), 1e-12);
  // The p-value is the treated ratio's rank among the 11 units; se the placebo estimates' SD.
  ASSERT_EQ(fit.placebos.size(), 10u);
  const double ratio = e.diagnostics.at("rmspe_ratio");
  double rank = 1, mean = 0, squares = 0;
  for (const auto& p : fit.placebos) {
    rank += p.post_rmspe / p.pre_rmspe >= ratio ? 1 : 0;
    mean += p.estimate / 10;
  }
  for (const auto& p : fit.placebos) squares += (p.estimate - mean) * (p.estimate - mean) / 10;
  EXPECT_EQ(e.p_value, rank / 11);
  EXPECT_EQ(e.diagnostics.at("p_value_placebo"), e.p_value);
  EXPECT_NEAR(e.se, std::sqrt(squares), 1e-14);
  EXPECT_NEAR(e.ci_low, e.estimate - 1.959963984540054 * e.se, 1e-12);
  // The simulated effect (2 rising to 3.2) stands out: the treated ratio is the largest.
  EXPECT_EQ(e.p_value, 1.0 / 11);
  EXPECT_GT(e.estimate, 1.5);
  EXPECT_LT(e.estimate, 3.5);
  EXPECT_EQ(e.diagnostics.at("donors_with_weight"), static_cast<double>((fit.fit.w.array() > 0).count()));
  ASSERT_EQ(e.tables.size(), 4u);
  EXPECT_EQ(e.tables[0].id, "unit_weights");
  EXPECT_EQ(e.tables[0].rows.size(), 10u);
  EXPECT_EQ(e.tables[1].id, "predictor_weights");
  EXPECT_EQ(e.tables[1].rows.size(), 15u);
  EXPECT_EQ(e.tables[2].id, "predictor_balance");
  EXPECT_EQ(e.tables[3].id, "placebos");
  ASSERT_EQ(e.plots.size(), 3u);
  EXPECT_EQ(e.plots[0].id, "synthetic_control");
  EXPECT_EQ(e.plots[1].id, "gap");
  EXPECT_EQ(e.plots[2].id, "placebo_gaps");
  EXPECT_EQ(e.plots[2].series[0].y.size(), 10u * 20 + 9);  // ten gaps broken by nine NaNs
  EXPECT_EQ(e.plots[2].series[1].name, "tr");
}

TEST(SyntheticControl, SameNumbersOnAnyThreadCount) {
  EstimatorArgs one = args_for("covariates"), two = one;
  one.options["threads"] = "1";
  two.options["threads"] = "2";
  const Estimate a = find_estimator("synthetic-control").run(panel(), one);
  const Estimate b = find_estimator("synthetic-control").run(panel(), two);
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.se, b.se);
  EXPECT_EQ(a.p_value, b.p_value);
}

Dataset modified(const std::function<void(Dataset&)>& change) {
  Dataset data = panel();
  change(data);
  return data;
}

// Rows of the fixture: unit k (0-based; d01..d10, then tr) has rows 20k .. 20k+19, years 1991..2010.
Dataset rows_of_units(const Dataset& data, const std::vector<std::size_t>& units) {
  Dataset out(data.source());
  for (const auto& column : data.columns()) {
    Column kept{column.name, {}, column.levels};
    for (const std::size_t u : units)
      for (std::size_t row = 20 * u; row < 20 * u + 20; ++row) kept.values.push_back(column.values[row]);
    out.add_column(std::move(kept));
  }
  return out;
}

TEST(SyntheticControl, SeveralTreatedUnitsAreMatchedAsTheirAverage) {
  // Without tr, units d09 and d10 become treated; a second panel holds d10 replaced by their average
  // and d09 dropped.
  const Dataset two = rows_of_units(modified([](Dataset& d) {
                                      for (std::size_t row = 160; row < 200; ++row)
                                        d.column("treated").values[row] = row % 20 >= 15 ? 1 : 0;
                                    }),
                                    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  Dataset averaged = rows_of_units(two, {0, 1, 2, 3, 4, 5, 6, 7, 9});
  for (const std::string column : {"y", "x1", "x2"}) {
    auto& values = averaged.column(column).values;
    for (std::size_t t = 0; t < 20; ++t)
      values[160 + t] = (two.column(column).values[160 + t] + two.column(column).values[180 + t]) / 2;
  }
  EstimatorArgs args = args_for("covariates");
  const SyntheticControlFit a = synthetic_control_fit(two, args);
  const SyntheticControlFit b = synthetic_control_fit(averaged, args);
  EXPECT_EQ(a.treated.size(), 2u);
  ASSERT_EQ(a.donors, b.donors);
  EXPECT_NEAR(a.fit.estimate, b.fit.estimate, 1e-9);
  EXPECT_NEAR(a.fit.pre_rmspe, b.fit.pre_rmspe, 1e-9);
  EXPECT_NEAR((a.fit.w - b.fit.w).cwiseAbs().maxCoeff(), 0, 1e-7);
  const Estimate e = find_estimator("synthetic-control").run(two, args);
  EXPECT_EQ(e.diagnostics.at("treated_units"), 2);
  EXPECT_EQ(e.plots[0].series[0].name, "treated average");
}

TEST(SyntheticControl, BadInputIsOneLine) {
  const EstimatorArgs args = base_args();
  EXPECT_CONTAINS(testing::input_error("synthetic-control", rows_of_units(panel(), {0, 10}), args),
                  "a donor pool of one (unit unit = d01)");
  const Dataset missing = modified([](Dataset& d) { d.column("y").values[205] = NAN; });
  EXPECT_CONTAINS(testing::input_error("synthetic-control", missing, args),
                  "outcome 'y' is missing for unit unit = tr in year = 1996 (row 206)");
  const Dataset no_pre = modified([](Dataset& d) {
    for (std::size_t row = 200; row < 220; ++row) d.column("treated").values[row] = 1;
  });
  EXPECT_CONTAINS(testing::input_error("synthetic-control", no_pre, args), "no pre-periods");
  const Dataset constant = modified([](Dataset& d) {
    for (auto& v : d.column("x2").values) v = 4;
  });
  EXPECT_CONTAINS(testing::input_error("synthetic-control", constant, args_for("covariates")),
                  "predictor 'x2' is constant across units (4)");
  const Dataset constant_period = modified([](Dataset& d) {
    for (std::size_t u = 0; u < 11; ++u) d.column("y").values[20 * u + 2] = 7;
  });
  EXPECT_CONTAINS(testing::input_error("synthetic-control", constant_period, args),
                  "predictor 'y(1993)' is constant across units");
  const Dataset predictor_missing = modified([](Dataset& d) {
    for (std::size_t row = 40; row < 60; ++row) d.column("x1").values[row] = NAN;
  });
  EXPECT_CONTAINS(testing::input_error("synthetic-control", predictor_missing, args_for("covariates")),
                  "predictor 'x1' is missing in every pre-period for unit unit = d03");
  EstimatorArgs late = args;
  late.options["outcome_lags"] = "1991,2007";
  EXPECT_CONTAINS(testing::input_error("synthetic-control", panel(), late),
                  "option outcome_lags: '2007' is not a pre-period of 'year' (1991 to 2005)");
  EstimatorArgs text_predictor = args;
  text_predictor.options["predictors"] = "unit";
  EXPECT_CONTAINS(testing::input_error("synthetic-control", panel(), text_predictor),
                  "predictor 'unit' is text");
  EstimatorArgs unknown = args;
  unknown.options["predictors"] = "x9";
  EXPECT_CONTAINS(testing::input_error("synthetic-control", panel(), unknown), "'x9' not found");
  EstimatorArgs covariates = args;
  covariates.covariates = {"x1"};
  EXPECT_CONTAINS(testing::input_error("synthetic-control", panel(), covariates), "option predictors");
  EstimatorArgs se = args;
  se.se_type = "hc3";
  EXPECT_CONTAINS(testing::input_error("synthetic-control", panel(), se), "se 'hc3' is not available");
  // The treated series is a donor's: fitted exactly, so the RMSPE ratio is undefined.
  const Dataset copy = modified([](Dataset& d) {
    for (std::size_t t = 0; t < 20; ++t) d.column("y").values[200 + t] = d.column("y").values[t];
  });
  EXPECT_CONTAINS(testing::input_error("synthetic-control", copy, args),
                  "reproduces the treated pre-period exactly");
}

}  // namespace
}  // namespace casebook
