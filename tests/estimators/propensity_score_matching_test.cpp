// psm against MatchIt 4.5 (tests/fixtures/make_psm_fixture.R): the same matched sets, weights,
// subclasses, effect and SE (lm + sandwich) and balance table (summary.matchit) for several option
// combinations on a logit or probit score and on the Mahalanobis distance; determinism of m_order
// random; bad input as one-line errors.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "balance_reference.hpp"
#include "core/input_error.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/propensity_score_matching.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

const std::vector<std::string> kCovariates{"x1", "x2", "x3", "region"};

const testing::RegisterExample kPsm{"psm",
                                    {"psm_data.csv", testing::example_args("y", "t", kCovariates), true}};

using testing::near_relative;

const Dataset& psm_data() {
  static const Dataset data = read_csv(testing::fixture_path("psm_data.csv"));
  return data;
}

const nlohmann::json& psm_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("psm_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

EstimatorArgs case_args(const nlohmann::json& ref) {
  std::map<std::string, std::string> options;
  for (const auto& [key, value] : ref.at("options").items()) options[key] = value.get<std::string>();
  return testing::example_args("y", ref.at("treatment").get<std::string>(), kCovariates, options);
}

class PsmMatchesMatchIt : public ::testing::TestWithParam<std::string> {};

TEST_P(PsmMatchesMatchIt, SameMatchedSetsAndWeights) {
  const nlohmann::json& ref = psm_reference().at(GetParam());
  const Matching m = propensity_score_matching(psm_data(), case_args(ref));
  if (ref.at("propensity").is_null()) {  // distance mahalanobis: no score
    EXPECT_TRUE(m.propensity.empty());
  } else {
    const auto& propensity =
        psm_reference().at("propensity_scores").at(ref.at("propensity").get<std::string>());
    ASSERT_EQ(m.propensity.size(), propensity.size());
    for (std::size_t i = 0; i < m.propensity.size(); ++i)
      ASSERT_TRUE(near_relative(m.propensity[i], propensity[i].get<double>(), 1e-8))
          << "propensity row " << i + 1;
  }

  const auto& focal = ref.at("focal_rows");
  const auto& matches = ref.at("matches");
  ASSERT_EQ(m.focal_rows.size(), focal.size());
  std::size_t compared = 0;
  for (std::size_t f = 0; f < focal.size(); ++f) {
    ASSERT_EQ(m.focal_rows[f] + 1, focal[f].get<std::size_t>());
    std::vector<std::size_t> expected;  // R's row of the match matrix, 1-based, 0 = NA
    for (const auto& row : matches[f])
      if (row.get<std::size_t>() > 0) expected.push_back(row.get<std::size_t>() - 1);
    EXPECT_EQ(m.matches[f], expected) << "focal row " << m.focal_rows[f] + 1;
    compared += expected.size();
  }
  EXPECT_GT(compared, 0u);

  const auto& weights = ref.at("weights");
  for (std::size_t i = 0; i < m.weights.size(); ++i)
    EXPECT_TRUE(near_relative(m.weights[i], weights[i].get<double>(), 1e-10, 1.0)) << "weight row " << i + 1;
}

TEST_P(PsmMatchesMatchIt, EffectSeAndBalance) {
  const nlohmann::json& ref = psm_reference().at(GetParam());
  const EstimatorArgs args = case_args(ref);
  const Estimate e = find_estimator("psm").run(psm_data(), args);
  EXPECT_TRUE(near_relative(e.estimate, ref.at("estimate").get<double>(), 1e-8)) << "estimate";
  EXPECT_TRUE(near_relative(e.se, ref.at("se").get<double>(), 1e-8)) << "se";
  EXPECT_EQ(e.n, ref.at("n").get<std::size_t>());
  const bool replace = args.options.contains("replace");
  EXPECT_EQ(e.se_type, replace ? "hc3" : "cr1");
  EXPECT_EQ(e.diagnostics.at("n_matched_treated"), ref.at("n_matched_treated").get<double>());
  EXPECT_EQ(e.diagnostics.at("n_matched_control"), ref.at("n_matched_control").get<double>());
  EXPECT_EQ(e.diagnostics.at("n_discarded"), ref.at("n_discarded").get<double>());
  EXPECT_TRUE(near_relative(e.diagnostics.at("ess_treated"), ref.at("ess_treated").get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("ess_control"), ref.at("ess_control").get<double>()));

  // A covariate matched exactly (x3 under mahalanobis) has SMD and eCDF max 0 up to the rounding of
  // the weighted sums (R gives 0 or ±6e-17, we up to 7e-15): below 1e-6, compare on the scale 1e-6.
  testing::expect_balance_table(e, ref.at("balance"), 1e-8, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Options, PsmMatchesMatchIt,
                         ::testing::Values("default", "ratio2", "replace", "caliper", "exact", "discard_both",
                                           "discard_control", "discard_treated_caliper", "exact_caliper",
                                           "smallest", "data_order", "atc", "atc_ratio2_replace",
                                           "ratio2_caliper_replace", "probit", "probit_ratio2",
                                           "probit_replace", "probit_caliper", "probit_atc",
                                           "probit_atc_ratio2_replace", "mahalanobis", "mahalanobis_ratio2",
                                           "mahalanobis_replace", "mahalanobis_ratio2_replace",
                                           "mahalanobis_exact", "mahalanobis_atc",
                                           "mahalanobis_atc_ratio2_replace"));

// Without replacement the SE clusters by matched set: each unit's set is R's subclass, numbered
// as MatchIt numbers them (0 here, NA in R: unmatched).
class PsmSubclasses : public ::testing::TestWithParam<std::string> {};

TEST_P(PsmSubclasses, AreMatchItsWithoutReplacement) {
  const nlohmann::json& ref = psm_reference().at(GetParam());
  const EstimatorArgs args = case_args(ref);
  ASSERT_FALSE(args.options.contains("replace"));  // with replacement MatchIt has no subclasses
  const Matching m = propensity_score_matching(psm_data(), args);
  const auto& expected = ref.at("subclass");
  ASSERT_EQ(m.subclass.size(), expected.size());
  for (std::size_t i = 0; i < m.subclass.size(); ++i)
    EXPECT_EQ(m.subclass[i], expected[i].is_null() ? 0 : expected[i].get<std::size_t>()) << "row " << i + 1;
}

INSTANTIATE_TEST_SUITE_P(WithoutReplacement, PsmSubclasses,
                         ::testing::Values("default", "ratio2", "caliper", "exact", "discard_both",
                                           "smallest", "data_order", "atc", "probit", "probit_ratio2",
                                           "probit_caliper", "probit_atc", "mahalanobis",
                                           "mahalanobis_ratio2", "mahalanobis_exact", "mahalanobis_atc"));

// The row outputs are the matching's; with replacement there is no subclass, with mahalanobis no
// score (nor its diagnostics and overlap plot).
TEST(Psm, RowOutputsFollowTheMatching) {
  const EstimatorInfo& psm = find_estimator("psm");
  const Estimate logit =
      psm.run(psm_data(), testing::example_args("y", "t", kCovariates, {{"caliper", "0.2"}}));
  const Matching m = propensity_score_matching(
      psm_data(), testing::example_args("y", "t", kCovariates, {{"caliper", "0.2"}}));
  EXPECT_EQ(logit.row_outputs.at("weights"), m.weights);
  EXPECT_EQ(logit.row_outputs.at("distance"), m.propensity);
  const auto& subclass = logit.row_outputs.at("subclass");
  for (std::size_t i = 0; i < m.subclass.size(); ++i) {
    if (m.subclass[i] == 0)
      EXPECT_TRUE(std::isnan(subclass[i])) << i;
    else
      EXPECT_EQ(subclass[i], static_cast<double>(m.subclass[i])) << i;
  }
  EXPECT_TRUE(logit.diagnostics.contains("min_propensity"));

  const Estimate replaced =
      psm.run(psm_data(), testing::example_args("y", "t", kCovariates, {{"replace", "true"}}));
  EXPECT_FALSE(replaced.row_outputs.contains("subclass"));
  EXPECT_TRUE(replaced.row_outputs.contains("distance"));

  const Estimate mahalanobis =
      psm.run(psm_data(), testing::example_args("y", "t", kCovariates, {{"distance", "mahalanobis"}}));
  EXPECT_FALSE(mahalanobis.row_outputs.contains("distance"));
  EXPECT_TRUE(mahalanobis.row_outputs.contains("subclass"));
  EXPECT_FALSE(mahalanobis.diagnostics.contains("min_propensity"));
  EXPECT_FALSE(mahalanobis.diagnostics.contains("max_propensity"));
  for (const Plot& plot : mahalanobis.plots) EXPECT_NE(plot.id, "propensity-overlap");
  for (const double v : mahalanobis.row_outputs.at("weights")) ASSERT_TRUE(std::isfinite(v));
}

// m_order random with mahalanobis: the same seed, the same sets; another seed, others.
TEST(Psm, MahalanobisRandomOrderIsDeterministicBySeed) {
  EstimatorArgs args = testing::example_args(
      "y", "t", kCovariates, {{"distance", "mahalanobis"}, {"m_order", "random"}, {"seed", "3"}});
  const Matching a = propensity_score_matching(psm_data(), args);
  EXPECT_EQ(a.matches, propensity_score_matching(psm_data(), args).matches);
  args.options["seed"] = "4";
  EXPECT_NE(a.matches, propensity_score_matching(psm_data(), args).matches);
}

TEST(Psm, RandomOrderIsDeterministicBySeed) {
  EstimatorArgs args = testing::example_args("y", "t", kCovariates, {{"m_order", "random"}, {"seed", "7"}});
  const Matching a = propensity_score_matching(psm_data(), args);
  const Matching b = propensity_score_matching(psm_data(), args);
  EXPECT_EQ(a.matches, b.matches);
  args.options["seed"] = "8";
  const Matching c = propensity_score_matching(psm_data(), args);
  EXPECT_NE(a.matches, c.matches);
  const Matching largest =
      propensity_score_matching(psm_data(), testing::example_args("y", "t", kCovariates));
  EXPECT_NE(a.matches, largest.matches);
}

// A matched unit is never used twice without replacement, and every match is within the caliper.
TEST(Psm, CaliperAndNoReuse) {
  const Matching m = propensity_score_matching(
      psm_data(), testing::example_args("y", "t", kCovariates, {{"caliper", "0.05"}, {"ratio", "2"}}));
  std::vector<int> used(m.weights.size(), 0);
  double largest_gap = 0;
  for (std::size_t f = 0; f < m.matches.size(); ++f)
    for (const std::size_t row : m.matches[f]) {
      ++used[row];
      largest_gap = std::max(largest_gap, std::abs(m.propensity[row] - m.propensity[m.focal_rows[f]]));
    }
  EXPECT_EQ(*std::max_element(used.begin(), used.end()), 1);
  double mean = 0, ss = 0;
  for (const double p : m.propensity) mean += p / static_cast<double>(m.propensity.size());
  for (const double p : m.propensity) ss += (p - mean) * (p - mean);
  EXPECT_LE(largest_gap, 0.05 * std::sqrt(ss / static_cast<double>(m.propensity.size() - 1)));
}

Dataset small_data(std::vector<double> t, std::vector<double> x) {
  Dataset data("small.csv");
  std::vector<double> y;
  for (std::size_t i = 0; i < t.size(); ++i) y.push_back(std::sin(static_cast<double>(i)) + t[i]);
  data.add_column({"y", y, {}});
  data.add_column({"t", std::move(t), {}});
  data.add_column({"x", std::move(x), {}});
  return data;
}

void expect_one_line_error(const Dataset& data, const EstimatorArgs& args, const std::string& names) {
  EXPECT_CONTAINS(testing::input_error("psm", data, args), names);
}

TEST(PsmBadInput, OneLineErrorsNamingTheOptionOrColumn) {
  const Dataset& data = psm_data();
  // A treatment that is not 0/1.
  Dataset three = small_data({0, 1, 2, 0, 1, 0, 1, 0}, {0.1, 0.5, 0.3, 0.9, 0.2, 0.7, 0.4, 0.6});
  expect_one_line_error(three, testing::example_args("y", "t", {"x"}), "treatment 't'");
  // Perfect separation: x > 0.5 exactly when treated.
  Dataset separated = small_data({0, 0, 0, 0, 1, 1, 1, 1}, {0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9});
  expect_one_line_error(separated, testing::example_args("y", "t", {"x"}), "treatment 't'");
  // No control within a caliper far below any gap between units.
  expect_one_line_error(data, testing::example_args("y", "t", kCovariates, {{"caliper", "1e-12"}}),
                        "'caliper'");
  // 3 controls per treated unit without replacement: more than there are.
  expect_one_line_error(data, testing::example_args("y", "t", kCovariates, {{"ratio", "3"}}), "'ratio'");
  expect_one_line_error(data, testing::example_args("y", "t", kCovariates, {{"estimand", "ate"}}),
                        "'estimand'");
  // Within an exact stratum too, naming it.
  expect_one_line_error(
      data, testing::example_args("y", "t", kCovariates, {{"ratio", "2"}, {"exact", "x3"}}),
      "'ratio' 2 needs 860 control units for 430 treated units without replacement (exact stratum x3 = 1)");
  expect_one_line_error(data, testing::example_args("y", "t", kCovariates, {{"exact", "regio"}}), "'regio'");
  expect_one_line_error(data, testing::example_args("y", "t", kCovariates, {{"caliper", "-1"}}), "'caliper'");
  // Separation under the probit link too, naming the treatment.
  expect_one_line_error(separated, testing::example_args("y", "t", {"x"}, {{"distance", "probit"}}),
                        "treatment 't'");
  expect_one_line_error(data, testing::example_args("y", "t", kCovariates, {{"distance", "cosine"}}),
                        "'distance'");
  // MatchIt has no score to put a caliper on, discard by or order by with mahalanobis.
  expect_one_line_error(
      data, testing::example_args("y", "t", kCovariates, {{"distance", "mahalanobis"}, {"caliper", "0.2"}}),
      "'caliper' is not available with distance mahalanobis");
  expect_one_line_error(
      data, testing::example_args("y", "t", kCovariates, {{"distance", "mahalanobis"}, {"discard", "both"}}),
      "'discard' both is not available with distance mahalanobis");
  expect_one_line_error(
      data,
      testing::example_args("y", "t", kCovariates, {{"distance", "mahalanobis"}, {"m_order", "largest"}}),
      "'m_order' largest");
  expect_one_line_error(
      data, testing::example_args("y", "t", kCovariates, {{"distance", "mahalanobis"}, {"ratio", "3"}}),
      "'ratio'");
  Dataset constant = small_data({0, 1, 0, 1, 0, 1, 0, 1}, {2, 2, 2, 2, 2, 2, 2, 2});
  expect_one_line_error(constant, testing::example_args("y", "t", {"x"}, {{"distance", "mahalanobis"}}),
                        "every covariate (x) is constant");
  // With replacement the same ratio is fine.
  const Estimate e = find_estimator("psm").run(
      data, testing::example_args("y", "t", kCovariates, {{"ratio", "3"}, {"replace", "true"}}));
  EXPECT_TRUE(std::isfinite(e.estimate) && std::isfinite(e.se) && e.se > 0);
}

}  // namespace
}  // namespace casebook
