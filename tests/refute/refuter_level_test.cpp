// Refuters whose verdicts mean something (issue 22): the mean-zero t-test the placebo and dummy
// refuters use holds its level whatever the number of repetitions, failed repetitions are counted
// and above kMaxFailedShare make a refuter "not assessable", and placebo permutations of a
// staggered panel keep its structure (every placebo estimable, centred on zero).
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/normal_distribution.hpp>
#include <pcg_random.hpp>

#include "core/input_error.hpp"
#include "refute/refutation.hpp"
#include "refute/repetitions.hpp"

namespace casebook {
namespace {

using refute_detail::Finite;
using refute_detail::mean_zero_t_test;

// The rejection rate of the t-test over `sets` sets of k draws from the null (mean 0).
double null_rejection_rate(std::size_t k, std::size_t sets) {
  pcg64 generator(20261206);
  boost::random::normal_distribution<double> normal(0, 3);
  std::size_t rejected = 0;
  for (std::size_t s = 0; s < sets; ++s) {
    Finite finite;
    for (std::size_t i = 0; i < k; ++i) finite.values.push_back(normal(generator));
    if (!mean_zero_t_test(finite).pass) ++rejected;
  }
  return static_cast<double>(rejected) / static_cast<double>(sets);
}

TEST(RefuterLevel, MeanZeroTTestHoldsItsLevelForFewAndManyRepetitions) {
  constexpr std::size_t kSets = 20000;
  const double se = std::sqrt(kRefuterLevel * (1 - kRefuterLevel) / kSets);  // 0.0007
  for (std::size_t k : {3u, 4u, 20u, 200u}) {
    const double rate = null_rejection_rate(k, kSets);
    EXPECT_NEAR(rate, kRefuterLevel, 3 * se) << k << " repetitions";
  }
  // The old rule, "within 3 Monte Carlo SEs" with a normal critical value, rejected a valid design
  // far more often than its nominal 0.3% with few repetitions: with 4, t(3) > 3 has probability 5.8%.
}

TEST(RefuterLevel, MeanZeroTTestRejectsAShiftedMean) {
  Finite finite;
  for (int i = 0; i < 20; ++i) finite.values.push_back(1.0 + 0.1 * (i % 5 - 2));  // mean 1, sd 0.15
  const RefutationResult r = mean_zero_t_test(finite);
  EXPECT_FALSE(r.pass);
  EXPECT_LT(*r.p_value, 1e-10);
  EXPECT_EQ(*r.level, kRefuterLevel);
  EXPECT_EQ(r.details.at("successful_reps"), 20);
}

// A placebo analysis whose estimator refuses some placebos: the difference in means, except that it
// throws when fewer than `needed` of the first 10 rows are treated.
EstimatorInfo picky_difference_in_means(int needed) {
  EstimatorInfo info;
  info.name = "picky";
  info.summary = "test-only estimator";
  info.required = {"outcome", "treatment"};
  info.run = [needed](const Dataset& d, const EstimatorArgs& a) {
    const auto& t = d.column(a.treatment).values;
    const auto& y = d.column(a.outcome).values;
    int first_treated = 0;
    for (std::size_t i = 0; i < 10; ++i) first_treated += t[i] != 0;
    if (first_treated < needed) throw InputError("picky: too few treated among the first rows");
    double sums[2] = {0, 0}, counts[2] = {0, 0};
    for (std::size_t i = 0; i < t.size(); ++i) {
      sums[t[i] != 0] += y[i];
      counts[t[i] != 0] += 1;
    }
    Estimate e;
    e.estimate = sums[1] / counts[1] - sums[0] / counts[0];
    e.se = 0.1;
    return e;
  };
  return info;
}

Dataset half_treated(std::size_t n) {
  Dataset d("test");
  Column t{"t", std::vector<double>(n), {}}, y{"y", std::vector<double>(n), {}};
  pcg64 generator(7);
  boost::random::normal_distribution<double> normal(0, 1);
  for (std::size_t i = 0; i < n; ++i) {
    t.values[i] = i % 2 == 0 ? 1 : 0;
    y.values[i] = normal(generator);
  }
  d.add_column(std::move(t));
  d.add_column(std::move(y));
  return d;
}

RefutationResult placebo_with(const EstimatorInfo& estimator, const Dataset& data) {
  RefuterInput input;
  input.data = &data;
  input.estimator = &estimator;
  input.args.outcome = "y";
  input.args.treatment = "t";
  input.original = estimator.run(data, input.args);
  input.analysis = "picky";
  input.reps = 40;
  input.seed = 11;
  input.threads = 1;
  return run_refuter(find_refuter("placebo-treatment"), input);
}

TEST(RefuterLevel, TooManyFailedRepetitionsMakeTheRefuterNotAssessable) {
  const Dataset data = half_treated(200);
  // At least 5 of the first 10 treated: about 62% of placebos succeed, so 38% fail.
  const RefutationResult r = placebo_with(picky_difference_in_means(5), data);
  EXPECT_FALSE(r.assessable);
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(verdict_of(r), Verdict::not_assessable);
  EXPECT_EQ(r.reps, 40u);
  EXPECT_GT(r.failed, 8u);  // more than 20% of 40
  EXPECT_EQ(r.details.at("attempted_reps"), 40);
  EXPECT_EQ(r.details.at("successful_reps"), 40.0 - static_cast<double>(r.failed));
  EXPECT_NE(r.rule.find("not assessable"), std::string::npos) << r.rule;
  EXPECT_NE(r.reading_en.find("cannot judge"), std::string::npos) << r.reading_en;
}

TEST(RefuterLevel, AFewFailedRepetitionsAreCountedAndTheVerdictStands) {
  const Dataset data = half_treated(200);
  // At least 2 of the first 10 treated: about 1% of placebos fail.
  const RefutationResult r = placebo_with(picky_difference_in_means(2), data);
  EXPECT_TRUE(r.assessable);
  EXPECT_TRUE(r.pass) << r.rule;
  EXPECT_LE(static_cast<double>(r.failed), kMaxFailedShare * 40);
  EXPECT_EQ(r.details.at("attempted_reps"), 40);
  EXPECT_EQ(r.details.at("successful_reps"), 40.0 - static_cast<double>(r.failed));
  EXPECT_EQ(*r.level, kRefuterLevel);
  EXPECT_NE(r.rule.find("t-test at level 0.01"), std::string::npos) << r.rule;
}

}  // namespace
}  // namespace casebook
