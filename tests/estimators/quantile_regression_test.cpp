// quantile-regression against quantreg 5.94 (tests/fixtures/make_quantile_regression_fixture.R): the
// coefficients of rq(method = "br") at five quantiles, summary.rq's nid (Hall–Sheather and
// Bofinger), iid and ker standard errors, and Firpo's unconditional quantile treatment effects
// (IPW and plain); the bootstrap's properties; the nonunique case; bad input as one-line errors.
#include <chrono>
#include <cmath>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/quantile_regression.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

const std::vector<std::string> kCovariates{"x1", "x2", "region"};

const testing::RegisterExample kExample{
    "quantile-regression",
    {"quantile_regression_data.csv", testing::example_args("y", "t", kCovariates, {{"process", "false"}}),
     true}};

using testing::near_relative;

const Dataset& qr_data() {
  static const Dataset data = read_csv(testing::fixture_path("quantile_regression_data.csv"));
  return data;
}

const nlohmann::json& qr_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("quantile_regression_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

Estimate run(const std::string& tau, std::map<std::string, std::string> options = {},
             const std::string& treatment = "t", std::vector<std::string> covariates = kCovariates) {
  options["tau"] = tau;
  if (!options.contains("process")) options["process"] = "false";
  return find_estimator("quantile-regression")
      .run(qr_data(), testing::example_args("y", treatment, std::move(covariates), options));
}

const std::vector<std::string> kTaus{"0.1", "0.25", "0.5", "0.75", "0.9"};

TEST(QuantileRegression, CoefficientsAndStandardErrorsMatchQuantreg) {
  for (const std::string& tau : kTaus) {
    SCOPED_TRACE("tau " + tau);
    const nlohmann::json& ref = qr_reference().at("conditional").at(tau);
    for (const auto& [se, key] : std::vector<std::pair<std::string, std::string>>{
             {"nid", "se_nid"}, {"iid", "se_iid"}, {"ker", "se_ker"}}) {
      SCOPED_TRACE("se " + se);
      const Estimate e = run(tau, {{"se", se}});
      ASSERT_EQ(e.terms.size(), ref.at("terms").size());
      for (std::size_t j = 0; j < e.terms.size(); ++j) {
        EXPECT_EQ(e.terms[j].term, ref.at("terms")[j].get<std::string>());
        // The same vertex: equal to rounding.
        EXPECT_TRUE(near_relative(e.terms[j].estimate, ref.at("coefficients")[j].get<double>(), 1e-10));
        EXPECT_TRUE(near_relative(e.terms[j].std_error, ref.at(key)[j].get<double>(), 1e-8));
      }
      EXPECT_EQ(e.se_type, se);
      EXPECT_DOUBLE_EQ(e.estimate, e.terms[1].estimate);
      EXPECT_DOUBLE_EQ(e.se, e.terms[1].std_error);
      EXPECT_TRUE(near_relative(e.diagnostics.at("objective"), ref.at("objective").get<double>(), 1e-10));
      EXPECT_EQ(e.diagnostics.at("nonunique"), 0);
      EXPECT_EQ(e.diagnostics.at("df"), 1500 - 6);
    }
  }
}

TEST(QuantileRegression, BofingerBandwidthMatchesQuantreg) {
  for (const std::string& tau : kTaus) {
    SCOPED_TRACE("tau " + tau);
    const nlohmann::json& ref = qr_reference().at("conditional").at(tau);
    const double t = std::stod(tau);
    EXPECT_TRUE(near_relative(quantile_bandwidth(t, 1500, true), ref.at("bandwidth_hall_sheather"), 1e-12));
    EXPECT_TRUE(near_relative(quantile_bandwidth(t, 1500, false), ref.at("bandwidth_bofinger"), 1e-12));
    const Estimate e = run(tau, {{"se", "nid"}, {"bandwidth", "bofinger"}});
    for (std::size_t j = 0; j < e.terms.size(); ++j)
      EXPECT_TRUE(near_relative(e.terms[j].std_error, ref.at("se_nid_bofinger")[j].get<double>(), 1e-8));
  }
}

TEST(QuantileRegression, SeveralTausFillTheTableAndTheDefaultIsNid) {
  const Estimate e = run("0.25,0.75");
  EXPECT_EQ(e.se_type, "nid");  // 1500 rows > 1000
  ASSERT_EQ(e.tables.size(), 1u);
  const Table& table = e.tables.front();
  EXPECT_EQ(table.id, "coefficients");
  ASSERT_EQ(table.rows.size(), 12u);
  const auto& ref = qr_reference().at("conditional");
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    const std::string tau = row < 6 ? "0.25" : "0.75";
    EXPECT_DOUBLE_EQ(std::get<double>(table.rows[row][0]), std::stod(tau));
    EXPECT_EQ(std::get<std::string>(table.rows[row][1]), ref.at(tau).at("terms")[row % 6].get<std::string>());
    EXPECT_TRUE(near_relative(std::get<double>(table.rows[row][2]),
                              ref.at(tau).at("coefficients")[row % 6].get<double>(), 1e-10));
    EXPECT_TRUE(near_relative(std::get<double>(table.rows[row][3]),
                              ref.at(tau).at("se_nid")[row % 6].get<double>(), 1e-8));
  }
  // The estimate is at the first τ; the plot shows the given τs.
  EXPECT_TRUE(near_relative(e.estimate, ref.at("0.25").at("coefficients")[1].get<double>(), 1e-10));
  ASSERT_EQ(e.plots.size(), 1u);
  EXPECT_EQ(e.plots.front().series.front().x, (std::vector<double>{0.25, 0.75}));
}

TEST(QuantileRegression, ProcessPlotSpansTheQuantiles) {
  const Estimate e = run("0.5", {{"process", "true"}});
  ASSERT_EQ(e.plots.size(), 1u);
  const Series& series = e.plots.front().series.front();
  ASSERT_EQ(series.x.size(), 19u);
  EXPECT_DOUBLE_EQ(series.x.front(), 0.05);
  EXPECT_DOUBLE_EQ(series.x.back(), 0.95);
  const auto& ref = qr_reference().at("conditional");
  EXPECT_TRUE(near_relative(series.y[1], ref.at("0.1").at("coefficients")[1].get<double>(), 1e-10));
  EXPECT_TRUE(near_relative(series.y[9], ref.at("0.5").at("coefficients")[1].get<double>(), 1e-10));
  for (std::size_t k = 0; k < series.x.size(); ++k) {
    EXPECT_LT(series.lower[k], series.y[k]);
    EXPECT_GT(series.upper[k], series.y[k]);
  }
}

TEST(QuantileRegression, BootstrapIsDeterministicAndNearRsBootstrap) {
  const Estimate one = run("0.5", {{"se", "boot"}, {"threads", "1"}, {"seed", "7"}});
  const Estimate four = run("0.5", {{"se", "boot"}, {"threads", "4"}, {"seed", "7"}});
  EXPECT_EQ(one.se_type, "bootstrap");
  ASSERT_EQ(one.terms.size(), four.terms.size());
  for (std::size_t j = 0; j < one.terms.size(); ++j)
    EXPECT_EQ(one.terms[j].std_error, four.terms[j].std_error);
  const Estimate other_seed = run("0.5", {{"se", "boot"}, {"seed", "8"}});
  EXPECT_NE(one.se, other_seed.se);
  // Against R's xy bootstrap with 2000 replicates (other random draws): 200 replicates estimate an
  // SE with a relative Monte Carlo error of about 1/√400 = 5%, so they agree within 3 of those.
  // Both exceed nid's SE of x1 by about 30% here (its noise grows with |x1|), so nid is only a
  // loose check.
  const nlohmann::json& reference = qr_reference().at("conditional").at("0.5");
  for (std::size_t j = 0; j < one.terms.size(); ++j) {
    EXPECT_NEAR(one.terms[j].std_error / reference.at("se_boot_2000")[j].get<double>(), 1, 0.15)
        << one.terms[j].term;
    EXPECT_NEAR(one.terms[j].std_error / reference.at("se_nid")[j].get<double>(), 1, 0.35)
        << one.terms[j].term;
  }
}

TEST(QuantileRegression, NonuniqueSolutionIsFlaggedWithTheMinimum) {
  // The median of 1..10: every b in [5, 6] minimises the loss (2.5 · 5 = 12.5 · 0.5 … = 12.5).
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(10, 1);
  Eigen::VectorXd y(10);
  for (int i = 0; i < 10; ++i) y(i) = i + 1;
  const QuantileFit fit = fit_quantile_regression(x, y, 0.5);
  EXPECT_TRUE(fit.nonunique);
  EXPECT_DOUBLE_EQ(fit.objective, 12.5);
  EXPECT_TRUE(fit.coefficients(0) == 5 || fit.coefficients(0) == 6) << fit.coefficients(0);
  // At τ = 0.35 the minimiser is unique: the 4th smallest.
  const QuantileFit unique = fit_quantile_regression(x, y, 0.35);
  EXPECT_FALSE(unique.nonunique);
  EXPECT_DOUBLE_EQ(unique.coefficients(0), 4);
}

TEST(QuantileRegression, TiesInTheOutcomeStillReachTheOptimum) {
  // Many equal outcomes make degenerate vertices (zero residuals off the basis).
  constexpr int n = 200;
  Eigen::MatrixXd x(n, 2);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    x(i, 0) = 1;
    x(i, 1) = std::sin(0.7 * i);
    y(i) = std::round(3 * std::cos(1.3 * i)) + (i % 3 == 0 ? x(i, 1) : 0);
  }
  for (const double tau : {0.2, 0.5, 0.8}) {
    const QuantileFit fit = fit_quantile_regression(x, y, tau);
    // No step along any coefficient lowers the loss.
    for (int j = 0; j < 2; ++j)
      for (const double step : {1e-4, -1e-4}) {
        Eigen::VectorXd b = fit.coefficients;
        b(j) += step;
        const Eigen::VectorXd r = y - x * b;
        double loss = 0;
        for (const double v : r) loss += v * (tau - (v < 0 ? 1.0 : 0.0));
        EXPECT_GE(loss, fit.objective - 1e-9) << "tau " << tau;
      }
  }
}

TEST(QuantileRegression, UnconditionalEffectsMatchTheWeightedQuantiles) {
  const nlohmann::json& ipw = qr_reference().at("unconditional_ipw");
  const nlohmann::json& plain = qr_reference().at("unconditional_plain");
  const Estimate weighted = run("0.1,0.25,0.5,0.75,0.9", {{"effect", "unconditional"}});
  const Estimate randomised = run("0.1,0.25,0.5,0.75,0.9", {{"effect", "unconditional"}}, "t_random", {});
  for (const auto& [e, ref] : {std::pair{&weighted, &ipw}, std::pair{&randomised, &plain}}) {
    EXPECT_EQ(e->se_type, "bootstrap");
    EXPECT_TRUE(e->terms.empty());
    const Table& table = e->tables.front();
    ASSERT_EQ(table.rows.size(), 5u);
    for (std::size_t j = 0; j < 5; ++j) {
      // The quantiles are data values: exactly equal.
      EXPECT_EQ(std::get<double>(table.rows[j][1]), ref->at("q_treated")[j].get<double>());
      EXPECT_EQ(std::get<double>(table.rows[j][2]), ref->at("q_control")[j].get<double>());
      EXPECT_TRUE(near_relative(std::get<double>(table.rows[j][3]), ref->at("qte")[j].get<double>(), 1e-12));
      EXPECT_LT(std::get<double>(table.rows[j][7]), std::get<double>(table.rows[j][3]));
      EXPECT_GT(std::get<double>(table.rows[j][8]), std::get<double>(table.rows[j][3]));
    }
    EXPECT_TRUE(near_relative(e->estimate, ref->at("qte")[0].get<double>(), 1e-12));
  }
  EXPECT_EQ(weighted.diagnostics.at("failed_replications"), 0);
  // Deterministic for a seed on any thread count.
  const Estimate again = run("0.1,0.25,0.5,0.75,0.9", {{"effect", "unconditional"}, {"threads", "3"}});
  EXPECT_EQ(again.se, weighted.se);
  EXPECT_EQ(again.ci_low, weighted.ci_low);
}

TEST(QuantileRegressionBadInput, OneLineErrors) {
  const Dataset& data = qr_data();
  auto args = [](std::map<std::string, std::string> options,
                 std::vector<std::string> covariates = kCovariates) {
    return testing::example_args("y", "t", std::move(covariates), std::move(options));
  };
  EXPECT_CONTAINS(testing::input_error("quantile-regression", data, args({{"tau", "1.2"}})),
                  "option 'tau' must be numbers between 0 and 1 (exclusive), separated by commas; got '1.2'");
  EXPECT_CONTAINS(testing::input_error("quantile-regression", data, args({{"tau", "0.5,0"}})), "got '0'");
  EXPECT_CONTAINS(testing::input_error("quantile-regression", data, args({{"tau", "half"}})), "got 'half'");
  EXPECT_CONTAINS(
      testing::input_error("quantile-regression", data, args({{"effect", "unconditional"}, {"se", "nid"}})),
      "option 'se' nid does not apply with effect=unconditional");

  // A singular design names the collinear column.
  Dataset singular = data;
  Column copy = singular.column("x1");
  copy.name = "x1_copy";
  for (double& v : copy.values) v = 2 * v + 1;
  singular.add_column(copy);
  EXPECT_CONTAINS(testing::input_error("quantile-regression", singular, args({}, {"x1", "x1_copy"})),
                  "quantile-regression: design is rank-deficient: 'x1_copy' is a linear combination");

  // Too few rows.
  Dataset tiny("tiny.csv");
  tiny.add_column({"y", {1, 2, 3}, {}});
  tiny.add_column({"t", {0, 1, 0}, {}});
  tiny.add_column({"x1", {0.5, 0.1, 0.9}, {}});
  EXPECT_CONTAINS(testing::input_error("quantile-regression", tiny, args({}, {"x1"})),
                  "quantile-regression: too few rows: 3 rows for 3 coefficients");

  // A non-binary treatment for the unconditional effect; --se of another estimator; a cluster.
  EstimatorArgs continuous = testing::example_args("y", "x2", {"x1"}, {{"effect", "unconditional"}});
  EXPECT_CONTAINS(testing::input_error("quantile-regression", data, continuous), "'x2'");
  EstimatorArgs hc3 = args({});
  hc3.se_type = "hc3";
  EXPECT_CONTAINS(testing::input_error("quantile-regression", data, hc3),
                  "--se hc3 does not apply; choose with --option se=nid|iid|ker|boot");
  EstimatorArgs clustered = args({});
  clustered.cluster = "region";
  EXPECT_CONTAINS(testing::input_error("quantile-regression", data, clustered), "cluster");
}

TEST(QuantileRegression, SmallSamplesDefaultToIid) {
  Dataset small("small.csv");
  const Dataset& data = qr_data();
  for (const char* name : {"y", "t", "x1"}) {
    Column column = data.column(name);
    column.values.resize(300);
    small.add_column(column);
  }
  const Estimate e = find_estimator("quantile-regression")
                         .run(small, testing::example_args("y", "t", {"x1"}, {{"process", "false"}}));
  EXPECT_EQ(e.se_type, "iid");
  EXPECT_GT(e.diagnostics.at("sparsity"), 0);
}

}  // namespace
}  // namespace casebook
