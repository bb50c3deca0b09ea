// Refuters whose verdicts mean something (issue 22): the mean-zero t-test the placebo and dummy
// refuters use holds its level whatever the number of repetitions, failed repetitions are counted
// and above kMaxFailedShare make a refuter "not assessable", and placebo permutations of a
// staggered panel keep its structure (every placebo estimable, centred on zero).
#include <cmath>
#include <functional>
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

// A test-only estimator of an outcome and a treatment, built field by field so that fields added to
// EstimatorInfo keep their defaults.
EstimatorInfo test_estimator(std::string name,
                             std::function<Estimate(const Dataset&, const EstimatorArgs&)> run) {
  EstimatorInfo info;
  info.name = std::move(name);
  info.summary = "test-only estimator";
  info.required = {"outcome", "treatment"};
  info.run = std::move(run);
  return info;
}

// A placebo analysis whose estimator refuses some placebos: the difference in means, except that it
// throws when fewer than `needed` of the first 10 rows are treated.
EstimatorInfo picky_difference_in_means(int needed) {
  return test_estimator("picky", [needed](const Dataset& d, const EstimatorArgs& a) {
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
  });
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

// An estimator at the boundary of random-common-cause's null: with SE 1, each added N(0, 1)
// covariate moves the estimate by 0.1 × √n × its mean, exactly N(0, 0.1²), so the RMS move is
// tolerance_se × SE in expectation and the χ² test must reject at its level.
EstimatorInfo moves_with_the_random_covariate() {
  return test_estimator("moves", [](const Dataset& d, const EstimatorArgs& a) {
    Estimate e;
    e.estimate = 2;
    e.se = 1;
    if (!a.covariates.empty()) {
      double sum = 0;
      for (double v : d.column(a.covariates.back()).values) sum += v;
      e.estimate += 0.1 * sum / std::sqrt(static_cast<double>(d.rows()));
    }
    return e;
  });
}

// The share of `runs` refutations (seeds 1…runs) that fail.
double refuter_rejection_rate(const std::string& refuter, const EstimatorInfo& estimator, const Dataset& data,
                              std::size_t reps, std::size_t runs) {
  RefuterInput input;
  input.data = &data;
  input.estimator = &estimator;
  input.args.outcome = "y";
  input.args.treatment = "t";
  input.original = estimator.run(data, input.args);
  input.analysis = "test";
  input.reps = reps;
  input.threads = 1;
  std::size_t failed = 0;
  for (std::size_t run = 1; run <= runs; ++run) {
    input.seed = run;
    if (!run_refuter(find_refuter(refuter), input).pass) ++failed;
  }
  return static_cast<double>(failed) / static_cast<double>(runs);
}

TEST(RefuterLevel, RandomCommonCauseHoldsItsLevelAtTheBoundaryOfItsNull) {
  constexpr std::size_t kRuns = 3000;
  const double se = std::sqrt(kRefuterLevel * (1 - kRefuterLevel) / kRuns);  // 0.0018
  const Dataset data = half_treated(100);
  for (std::size_t reps : {5u, 30u}) {
    const double rate =
        refuter_rejection_rate("random-common-cause", moves_with_the_random_covariate(), data, reps, kRuns);
    EXPECT_NEAR(rate, kRefuterLevel, 3 * se) << reps << " repetitions";
  }
}

// The sample mean of y with its reported SE `factor` times the bootstrap's (the ideal bootstrap SE
// of a mean is the population-divisor SD over √n).
EstimatorInfo mean_with_se_times(double factor) {
  return test_estimator("mean", [factor](const Dataset& d, const EstimatorArgs& a) {
    const auto& y = d.column(a.outcome).values;
    const auto n = static_cast<double>(y.size());
    double sum = 0, ss = 0;
    for (double v : y) sum += v;
    for (double v : y) ss += (v - sum / n) * (v - sum / n);
    Estimate e;
    e.estimate = sum / n;
    e.se = factor * std::sqrt(ss / n) / std::sqrt(n);
    return e;
  });
}

TEST(RefuterLevel, BootstrapHoldsItsLevelAtTheBoundaryOfItsNull) {
  // The reported SE a factor 1.5 off the bootstrap's, either way: the edge of the null, where
  // the test fails at most level / 2 of the time.
  constexpr std::size_t kRuns = 2000;
  const Dataset data = half_treated(400);
  const double se = std::sqrt(kRefuterLevel * (1 - kRefuterLevel) / kRuns);  // 0.0022
  for (double factor : {1.5, 1 / 1.5}) {
    const double rate = refuter_rejection_rate("bootstrap", mean_with_se_times(factor), data, 30, kRuns);
    EXPECT_LE(rate, kRefuterLevel / 2 + 3 * se) << "factor " << factor;
    EXPECT_GT(rate, 0) << "factor " << factor;  // at the edge the test does reject, now and then
  }
  // Twice the factor off: the test sees it nearly always.
  EXPECT_GT(refuter_rejection_rate("bootstrap", mean_with_se_times(3), data, 30, 200), 0.9);
}

}  // namespace
}  // namespace casebook
