// matching against Matching 4.10's Match() (tests/fixtures/make_matching_fixture.R): estimate,
// Abadie–Imbens SE, se.standard, est.noadj, match counts and each unit's weight for estimand
// att/ate/atc x M 1/3 x Weight 1/2 x BiasAdjust off/on, with and without distance ties; the
// kd-tree search against brute force on 20 000 rows; bad input as one-line errors.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <numbers>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "core/derived_seed.hpp"
#include "effect_summaries/balance.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/matching.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

const std::vector<std::string> kCovariates{"x1", "x2", "x3", "x4"};

const testing::RegisterExample kMatching{
    "matching", {"matching_data.csv", testing::example_args("y", "t", kCovariates), false}};

using testing::near_relative;

const Dataset& matching_data() {
  static const Dataset data = read_csv(testing::fixture_path("matching_data.csv"));
  return data;
}

const nlohmann::json& matching_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("matching_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

EstimatorArgs case_args(const nlohmann::json& ref) {
  std::map<std::string, std::string> options;
  for (const auto& [key, value] : ref.at("options").items()) options[key] = value.get<std::string>();
  return testing::example_args("y", "t", ref.at("covariates").get<std::vector<std::string>>(), options);
}

class MatchingMatchesMatch : public ::testing::TestWithParam<std::string> {};

// The same algorithm as Match on the same data: agreement to rounding (1e-10 relative).
TEST_P(MatchingMatchesMatch, EstimateStandardErrorsAndCounts) {
  const nlohmann::json& ref = matching_reference().at(GetParam());
  const EstimatorArgs args = case_args(ref);
  const Estimate e = find_estimator("matching").run(matching_data(), args);
  constexpr double kTight = 1e-10;
  EXPECT_TRUE(near_relative(e.estimate, ref.at("estimate").get<double>(), kTight)) << "estimate";
  EXPECT_TRUE(near_relative(e.se, ref.at("se").get<double>(), kTight)) << "se";
  EXPECT_TRUE(near_relative(e.diagnostics.at("se_standard"), ref.at("se_standard").get<double>(), kTight))
      << "se_standard";
  if (args.options.contains("bias_adjust")) {
    EXPECT_TRUE(near_relative(e.diagnostics.at("estimate_unadjusted"),
                              ref.at("estimate_unadjusted").get<double>(), kTight))
        << "estimate_unadjusted";
  } else {
    EXPECT_FALSE(e.diagnostics.contains("estimate_unadjusted"));
  }
  EXPECT_EQ(e.se_type, "abadie-imbens");
  EXPECT_EQ(e.diagnostics.at("df"), 0);  // normal reference, as summary.Match
  for (const std::string name :
       {"matched_pairs", "n_matched_treated", "n_matched_control", "focal_units_with_ties"})
    EXPECT_EQ(e.diagnostics.at(name), ref.at(name).get<double>()) << name;
  // A sum of pair weights 1/k: a count up to rounding.
  EXPECT_TRUE(near_relative(e.diagnostics.at("wnobs"), ref.at("wnobs").get<double>(), kTight)) << "wnobs";
  EXPECT_EQ(e.n,
            ref.at("n_matched_treated").get<std::size_t>() + ref.at("n_matched_control").get<std::size_t>());

  // The balance table's weights are each unit's use, as the fixture sums Match's pair weights:
  // the effective sample sizes agree only if every weight does.
  std::vector<double> treated_w, control_w;
  const auto& weights = ref.at("unit_weight");
  const auto& t = matching_data().column("t").values;
  for (std::size_t i = 0; i < t.size(); ++i)
    (t[i] == 1 ? treated_w : control_w).push_back(weights[i].get<double>());
  EXPECT_TRUE(near_relative(e.diagnostics.at("ess_treated"), effective_sample_size(treated_w), kTight));
  EXPECT_TRUE(near_relative(e.diagnostics.at("ess_control"), effective_sample_size(control_w), kTight));
  ASSERT_EQ(e.tables.size(), 1u);
  EXPECT_EQ(e.tables.front().id, "balance");
  ASSERT_EQ(e.plots.size(), 1u);
  EXPECT_EQ(e.plots.front().id, "love-plot");
}

std::vector<std::string> reference_cases() {
  std::vector<std::string> names;
  for (const auto& [name, value] : matching_reference().items()) names.push_back(name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Combinations, MatchingMatchesMatch, ::testing::ValuesIn(reference_cases()));

TEST(Matching, FixtureCoversTheCombinationsAndTies) {
  const auto names = reference_cases();
  EXPECT_GE(names.size(), 24u);
  double ties = 0;
  for (const auto& name : names)
    ties += matching_reference().at(name).at("focal_units_with_ties").get<double>();
  EXPECT_GT(ties, 100);  // the discrete cases exercise the tie rule
}

// Matching improves balance on the fixture: the Love plot has something to show.
TEST(Matching, BalanceImprovesAfterMatching) {
  const Estimate e =
      find_estimator("matching").run(matching_data(), testing::example_args("y", "t", kCovariates));
  EXPECT_LT(e.diagnostics.at("max_abs_smd"), e.diagnostics.at("max_abs_smd_before"));
}

// 20 000 rows with a binary and an integer covariate (many exact ties): the kd-tree search gives
// exactly brute force's matched sets on a sample of the focal units, and the estimator runs.
TEST(Matching, KdTreeEqualsBruteForceOn20000Rows) {
  constexpr std::size_t n = 20000;
  Eigen::MatrixXd points(n, 4);
  std::vector<double> y(n), t(n), x1(n), x2(n), x3(n), x4(n);
  std::vector<std::size_t> treated, control;
  for (std::size_t i = 0; i < n; ++i) {
    const auto uniform = [&](std::uint64_t k) {
      return static_cast<double>(derive_seed(2025, 8 * i + k) >> 11) * 0x1.0p-53;
    };
    x1[i] = std::sqrt(-2 * std::log(1 - uniform(0))) * std::cos(2 * std::numbers::pi * uniform(1));
    x2[i] = 10 + 3 * uniform(2);
    x3[i] = uniform(3) < 0.4 ? 1 : 0;
    x4[i] = std::floor(20 + 40 * uniform(4));
    t[i] = uniform(5) < 1 / (1 + std::exp(-(-0.8 + 0.9 * x1[i] + 0.7 * x3[i]))) ? 1 : 0;
    y[i] = 1 + 2 * t[i] + x1[i] + 0.3 * x2[i] + uniform(6);
    points.row(static_cast<Eigen::Index>(i)) << x1[i], x2[i] / 3, x3[i], x4[i] / 12;
    (t[i] == 1 ? treated : control).push_back(i);
  }
  std::vector<std::size_t> sample;
  for (std::size_t f = 0; f < treated.size(); f += 25) sample.push_back(treated[f]);
  for (const std::size_t m : {1u, 3u}) {
    SCOPED_TRACE(m);
    const MatchedSets fast = nearest_neighbour_sets(points, treated, control, m, 1e-5);
    const MatchedSets slow =
        nearest_neighbour_sets(points, sample, control, m, 1e-5, NeighbourSearch::brute_force);
    ASSERT_EQ(fast.focal.size(), treated.size());
    std::size_t compared = 0;
    for (std::size_t s = 0; s < sample.size(); ++s) {
      const std::size_t f = 25 * s;
      ASSERT_EQ(fast.focal[f], slow.focal[s]);
      const std::vector<std::size_t> a(fast.rows.begin() + static_cast<std::ptrdiff_t>(fast.offsets[f]),
                                       fast.rows.begin() + static_cast<std::ptrdiff_t>(fast.offsets[f + 1]));
      const std::vector<std::size_t> b(slow.rows.begin() + static_cast<std::ptrdiff_t>(slow.offsets[s]),
                                       slow.rows.begin() + static_cast<std::ptrdiff_t>(slow.offsets[s + 1]));
      EXPECT_EQ(a, b) << "focal row " << sample[s];
      EXPECT_GE(a.size(), m);
      ++compared;
    }
    EXPECT_GT(compared, 200u);
  }
  // With only the discrete covariates nearly every unit is tied, the hardest case for the tree.
  const Eigen::MatrixXd discrete = points.rightCols(2);
  const MatchedSets fast = nearest_neighbour_sets(discrete, treated, control, 2, 1e-5);
  const MatchedSets slow =
      nearest_neighbour_sets(discrete, sample, control, 2, 1e-5, NeighbourSearch::brute_force);
  std::size_t tied = 0;
  for (std::size_t s = 0; s < sample.size(); ++s) {
    const std::size_t f = 25 * s;
    EXPECT_TRUE(std::equal(fast.rows.begin() + static_cast<std::ptrdiff_t>(fast.offsets[f]),
                           fast.rows.begin() + static_cast<std::ptrdiff_t>(fast.offsets[f + 1]),
                           slow.rows.begin() + static_cast<std::ptrdiff_t>(slow.offsets[s]),
                           slow.rows.begin() + static_cast<std::ptrdiff_t>(slow.offsets[s + 1])))
        << "focal row " << sample[s];
    tied += fast.offsets[f + 1] - fast.offsets[f] > 2 ? 1 : 0;
  }
  EXPECT_GT(tied, sample.size() / 2);

  Dataset data("large.csv");
  data.add_column({"y", y, {}});
  data.add_column({"t", t, {}});
  data.add_column({"x1", x1, {}});
  data.add_column({"x2", x2, {}});
  data.add_column({"x3", x3, {}});
  data.add_column({"x4", x4, {}});
  const Estimate e = find_estimator("matching")
                         .run(data, testing::example_args("y", "t", kCovariates,
                                                          {{"estimand", "ate"}, {"bias_adjust", "true"}}));
  EXPECT_NEAR(e.estimate, 2, 5 * e.se);
  EXPECT_GT(e.se, 0);
}

TEST(MatchingBadInput, OneLineErrorsNamingTheOptionOrColumn) {
  const Dataset& data = matching_data();
  const auto error = [&](EstimatorArgs args) { return testing::input_error("matching", data, args); };
  EXPECT_CONTAINS(error(testing::example_args("y", "t", {"x1", "nope"})), "'nope'");
  EXPECT_CONTAINS(error(testing::example_args("y", "x4", {"x1"})), "treatment 'x4'");
  EXPECT_CONTAINS(error(testing::example_args("nope", "t", {"x1"})), "'nope'");
  EXPECT_CONTAINS(error(testing::example_args("y", "t", {})), "covariates");
  EXPECT_CONTAINS(error(testing::example_args("y", "t", kCovariates, {{"estimand", "late"}})), "'estimand'");
  EXPECT_CONTAINS(error(testing::example_args("y", "t", kCovariates, {{"m", "0"}})), "'m'");
  EXPECT_CONTAINS(error(testing::example_args("y", "t", kCovariates, {{"weight", "euclid"}})), "'weight'");
  EXPECT_CONTAINS(error(testing::example_args("y", "t", kCovariates, {{"bias_adjust", "maybe"}})),
                  "'bias_adjust'");
  EstimatorArgs clustered = testing::example_args("y", "t", kCovariates);
  clustered.cluster = "x3";
  EXPECT_CONTAINS(error(clustered), "cluster");

  Dataset small("small.csv");
  small.add_column({"y", {1.0, 2.5, 0.3, 4.1, 2.2, 3.3}, {}});
  small.add_column({"t", {0, 1, 0, 1, 0, 1}, {}});
  small.add_column({"t1", {1, 1, 1, 1, 1, 1}, {}});
  small.add_column({"x", {0.1, 0.5, 0.3, 0.9, 0.2, 0.7}, {}});
  small.add_column({"w", {1.0, 2.0, 3.0, 4.0, 5.0, 6.5}, {}});
  small.add_column({"v", {6.0, 5.0, 1.0, 3.0, 2.0, 9.0}, {}});
  small.add_column({"c", {2, 2, 2, 2, 2, 2}, {}});
  const auto small_error = [&](EstimatorArgs args) { return testing::input_error("matching", small, args); };
  EXPECT_CONTAINS(small_error(testing::example_args("y", "t1", {"x"})), "treatment 't1'");
  EXPECT_CONTAINS(small_error(testing::example_args("y", "t", {"x", "c"})), "covariate 'c' is constant");
  // Three treated units cannot fit a regression on four covariate columns.
  EXPECT_CONTAINS(small_error(testing::example_args("y", "t", {"x", "w", "v", "y2"})), "'y2'");
  small.add_column({"u", {0.3, 0.1, 0.4, 0.1, 0.5, 0.9}, {}});
  EXPECT_CONTAINS(
      small_error(testing::example_args("y", "t", {"x", "w", "v", "u"}, {{"bias_adjust", "true"}})),
      "'bias_adjust' needs at least as many treated units (3) as covariate columns (4)");
  // m above the other arm's size is Match's min(M, controls), said in a note.
  const Estimate e =
      find_estimator("matching").run(small, testing::example_args("y", "t", {"x"}, {{"m", "5"}}));
  EXPECT_EQ(e.diagnostics.at("matched_pairs"), 9);
  ASSERT_EQ(e.notes.size(), 1u);
  EXPECT_CONTAINS(e.notes.front(), "option 'm' 5");
}

}  // namespace
}  // namespace casebook
