// iptw, overlap-weights and aipw against R (tests/fixtures/make_weighting_fixture.R: the stacked
// estimating equations written from Lunceford & Davidian 2004 and Li, Morgan & Zaslavsky 2018, with
// the propensity block checked against sandwich::sandwich(glm) and the naive SE against
// lm(weights) + vcovHC HC0), a poor-overlap data set, and their bad-input messages.
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "estimator_examples.hpp"
#include "estimators/aipw.hpp"
#include "estimators/estimator.hpp"
#include "estimators/iptw.hpp"
#include "estimators/overlap_weights.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

using testing::near_relative;

const bool kExamples = [] {
  for (const char* name : {"iptw", "overlap-weights", "aipw"})
    testing::RegisterExample(name,
                             {"weighting_data.csv", testing::example_args("y", "t", {"x1", "x2", "region"})});
  return true;
}();

const Dataset& good() {
  static const Dataset data = read_csv(testing::fixture_path("weighting_data.csv"));
  return data;
}

const Dataset& poor() {
  static const Dataset data = read_csv(testing::fixture_path("weighting_poor_overlap.csv"));
  return data;
}

const nlohmann::json& reference() {
  static const nlohmann::json r = [] {
    std::ifstream in(testing::fixture_path("weighting_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return r;
}

EstimatorArgs good_args(std::map<std::string, std::string> options = {}) {
  return testing::example_args("y", "t", {"x1", "x2", "region"}, std::move(options));
}

EstimatorArgs poor_args() { return testing::example_args("y", "t", {"x1", "x2"}); }

Estimate run(const std::string& estimator, const Dataset& data, const EstimatorArgs& args) {
  return find_estimator(estimator).run(data, args);
}

// Every number the reference holds for this run, to 1e-6 relative; and no NaN anywhere.
void expect_reference(const Estimate& e, const std::string& key) {
  SCOPED_TRACE(key);
  const nlohmann::json& r = reference().at(key);
  EXPECT_TRUE(near_relative(e.estimate, r.at("estimate").get<double>())) << "estimate";
  EXPECT_TRUE(near_relative(e.se, r.at("se").get<double>())) << "se";
  EXPECT_EQ(e.n, r.at("n").get<std::size_t>());
  for (const char* name : {"se_ignoring_ps", "min_propensity", "max_propensity", "ess_treated", "ess_control",
                           "max_weight", "n_trimmed"}) {
    if (!r.contains(name)) continue;
    ASSERT_TRUE(e.diagnostics.contains(name)) << name;
    const double expected = r.at(name).get<double>();
    EXPECT_TRUE(near_relative(e.diagnostics.at(name), expected, 1e-6, expected == 0 ? 1 : -1)) << name;
  }
  EXPECT_EQ(e.se_type, "influence");
  for (const double v : {e.estimate, e.se, e.ci_low, e.ci_high, e.p_value}) EXPECT_TRUE(std::isfinite(v));
  for (const auto& [name, value] : e.diagnostics) EXPECT_TRUE(std::isfinite(value)) << name;
  for (const auto& [name, values] : e.row_outputs)
    for (const double v : values) ASSERT_TRUE(std::isfinite(v)) << name;
}

TEST(Iptw, AgreesWithTheStackedEstimatingEquationsInR) {
  expect_reference(run("iptw", good(), good_args()), "iptw_ate");
  expect_reference(run("iptw", good(), good_args({{"estimand", "att"}})), "iptw_att");
  expect_reference(run("iptw", good(), good_args({{"estimand", "atc"}})), "iptw_atc");
  expect_reference(run("iptw", good(), good_args({{"stabilize", "true"}})), "iptw_ate_stabilized");
  expect_reference(run("iptw", good(), good_args({{"estimand", "att"}, {"stabilize", "true"}})),
                   "iptw_att_stabilized");
  expect_reference(run("iptw", good(), good_args({{"trim", "0.1"}})), "iptw_ate_trim");
}

TEST(Iptw, EstimandsDifferWhenTheEffectVaries) {
  // The effect grows with x1 and treated rows have larger x1: ATT > ATE > ATC.
  const double ate = run("iptw", good(), good_args()).estimate;
  EXPECT_GT(run("iptw", good(), good_args({{"estimand", "att"}})).estimate, ate + 0.1);
  EXPECT_LT(run("iptw", good(), good_args({{"estimand", "atc"}})).estimate, ate - 0.1);
}

TEST(Iptw, StabilizingChangesTheWeightsNotTheEstimate) {
  const Estimate plain = run("iptw", good(), good_args());
  const Estimate stable = run("iptw", good(), good_args({{"stabilize", "true"}}));
  EXPECT_DOUBLE_EQ(plain.estimate, stable.estimate);
  EXPECT_DOUBLE_EQ(plain.se, stable.se);
  EXPECT_LT(stable.diagnostics.at("max_weight"), 0.6 * plain.diagnostics.at("max_weight"));
  const std::vector<double> w = iptw_weights(good(), good_args({{"stabilize", "true"}})).weight;
  EXPECT_EQ(w, stable.row_outputs.at("weight"));
}

TEST(Iptw, TrimmingBoundsThePropensities) {
  const Estimate e = run("iptw", good(), good_args({{"trim", "0.1"}}));
  EXPECT_DOUBLE_EQ(e.diagnostics.at("min_propensity"), 0.1);
  EXPECT_DOUBLE_EQ(e.diagnostics.at("max_propensity"), 0.9);
  EXPECT_LE(e.diagnostics.at("max_weight"), 10 + 1e-9);  // 1 / (1 - 0.9) rounds above 10
  EXPECT_EQ(run("iptw", good(), good_args()).diagnostics.at("n_trimmed"), 0);
}

TEST(OverlapWeights, AgreesWithTheStackedEstimatingEquationsInR) {
  expect_reference(run("overlap-weights", good(), good_args()), "overlap");
}

TEST(OverlapWeights, BalanceEveryCovariateMeanExactly) {
  // With a logistic propensity fitted by maximum likelihood, overlap weights equalise the weighted
  // means of every term of the model in the two arms (Li, Morgan & Zaslavsky 2018, theorem 3).
  const std::vector<double> w = overlap_weights(good(), good_args()).weight;
  const std::vector<double>& t = good().column("t").values;
  for (const char* name : {"x1", "x2"}) {
    const std::vector<double>& x = good().column(name).values;
    double sum[2] = {0, 0}, weighted[2] = {0, 0};
    for (std::size_t i = 0; i < x.size(); ++i) {
      const int arm = t[i] == 1 ? 1 : 0;
      sum[arm] += w[i];
      weighted[arm] += w[i] * x[i];
    }
    EXPECT_NEAR(weighted[1] / sum[1], weighted[0] / sum[0], 1e-6) << name;
  }
}

TEST(Weighting, ReportsTheBalanceTheWeightsAchieve) {
  // Overlap weights balance every term of the propensity model exactly, each level of region too.
  const Estimate overlap = run("overlap-weights", good(), good_args());
  EXPECT_LT(overlap.diagnostics.at("max_abs_smd"), 1e-8);
  EXPECT_GT(overlap.diagnostics.at("max_abs_smd_before"), 0.1);
  const Estimate iptw = run("iptw", good(), good_args());
  EXPECT_LT(iptw.diagnostics.at("max_abs_smd"), iptw.diagnostics.at("max_abs_smd_before") / 5);
  ASSERT_EQ(iptw.tables.size(), 1u);
  EXPECT_EQ(iptw.tables[0].id, "balance");
  std::vector<std::string> covariates;
  for (const auto& row : iptw.tables[0].rows) covariates.push_back(std::get<std::string>(row[0]));
  EXPECT_EQ(covariates.front(), "x1");
  EXPECT_EQ(covariates.size(), 2u + good().column("region").levels.size());
}

TEST(Weighting, PoorOverlapInflatesIptwButNotOverlapWeights) {
  const Estimate inverse = run("iptw", poor(), poor_args());
  const Estimate overlap = run("overlap-weights", poor(), poor_args());
  expect_reference(inverse, "poor_iptw_ate");
  expect_reference(overlap, "poor_overlap");
  EXPECT_GT(inverse.se, 5 * overlap.se);
  EXPECT_GT(inverse.diagnostics.at("max_weight"), 100);
  EXPECT_LE(overlap.diagnostics.at("max_weight"), 1);
  EXPECT_LT(inverse.diagnostics.at("ess_treated"), 0.05 * overlap.diagnostics.at("ess_treated"));
}

TEST(Aipw, AgreesWithTheInfluenceFunctionInR) {
  expect_reference(run("aipw", good(), good_args()), "aipw_ate");
  expect_reference(run("aipw", good(), good_args({{"estimand", "att"}})), "aipw_att");
  std::vector<std::size_t> fold(good().rows());
  for (std::size_t i = 0; i < fold.size(); ++i) fold[i] = i % 5;  // R's (row - 1) %% 5
  expect_reference(aipw_with_folds(good(), good_args(), fold), "aipw_ate_folds5");
}

TEST(Aipw, CrossFittingIsSeededAndClose) {
  const Estimate whole = run("aipw", good(), good_args());
  const Estimate a = run("aipw", good(), good_args({{"folds", "5"}, {"seed", "1"}}));
  const Estimate b = run("aipw", good(), good_args({{"folds", "5"}, {"seed", "1"}}));
  const Estimate c = run("aipw", good(), good_args({{"folds", "5"}, {"seed", "2"}}));
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.se, b.se);
  EXPECT_NE(a.estimate, c.estimate);
  EXPECT_NE(a.estimate, whole.estimate);
  EXPECT_LT(std::abs(a.estimate - whole.estimate), 0.5 * whole.se);
  const std::vector<std::size_t> fold = aipw_folds(good().rows(), 5, 1);
  std::vector<std::size_t> sizes(5, 0);
  for (const std::size_t f : fold) ++sizes[f];
  for (const std::size_t s : sizes) EXPECT_EQ(s, good().rows() / 5);
}

// Bad input: one line naming the option or column.
Dataset small_data(const std::vector<double>& t) {
  std::vector<double> y, x;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double u = static_cast<double>(i);
    y.push_back(std::sin(1.7 * u) + t[i]);
    x.push_back(std::cos(2.3 * u));
  }
  Dataset data("small.csv");
  data.add_column({"y", y, {}});
  data.add_column({"t", t, {}});
  data.add_column({"x", x, {}});
  return data;
}

using testing::input_error;

TEST(WeightingBadInput, TreatmentNotBinary) {
  std::vector<double> t(40);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<double>(i % 3);
  for (const char* name : {"iptw", "overlap-weights", "aipw"})
    EXPECT_CONTAINS(input_error(name, small_data(t), testing::example_args("y", "t", {"x"})),
                    std::string("treatment 't' must be 0/1 for ") + name + "; row 3 has 2");
}

TEST(WeightingBadInput, PerfectSeparation) {
  const Dataset base = small_data(std::vector<double>(40, 0));
  std::vector<double> t(40);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = base.column("x").values[i] > 0 ? 1 : 0;
  for (const char* name : {"iptw", "overlap-weights", "aipw"})
    EXPECT_CONTAINS(input_error(name, small_data(t), testing::example_args("y", "t", {"x"})),
                    std::string(name) + ": propensity model of treatment 't': logistic regression");
}

TEST(WeightingBadInput, TrimOutsideZeroToOneHalf) {
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"trim", "0.6"}})),
                  "option 'trim' must be below 0.5");
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"trim", "0.5"}})),
                  "option 'trim' must be below 0.5");
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"trim", "0"}})), "option 'trim'");
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"trim", "-0.1"}})), "option 'trim'");
}

TEST(WeightingBadInput, UnsupportedEstimand) {
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"estimand", "ato"}})), "option 'estimand'");
  EXPECT_CONTAINS(input_error("aipw", good(), good_args({{"estimand", "atc"}})), "option 'estimand'");
  EXPECT_CONTAINS(input_error("overlap-weights", good(), good_args({{"estimand", "att"}})), "'estimand'");
}

TEST(WeightingBadInput, NoCovariates) {
  for (const char* name : {"iptw", "overlap-weights", "aipw"})
    EXPECT_CONTAINS(input_error(name, good(), testing::example_args("y", "t", {})),
                    std::string(name) + " needs covariates");
}

}  // namespace
}  // namespace casebook
