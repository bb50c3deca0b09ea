// Little-bag variances: the moment form equals grf's per-tree formula, and the objective-Bayes
// correction behaves as its derivation says.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <boost/math/distributions/normal.hpp>
#include <pcg_random.hpp>

#include "forest/little_bag_variance.hpp"

namespace casebook {
namespace {

TEST(LittleBagVariance, MomentsGiveGrfsPerTreeFormula) {
  // Random leaf statistics for 40 groups of 3 trees, k = 4, and an arbitrary gradient and average.
  pcg32 rng(5);
  auto uniform = [&] { return std::ldexp(static_cast<double>(rng()), -32); };
  const std::size_t k = 4, g = 3, groups = 40;
  std::vector<double> leaves(groups * g * k);
  for (double& v : leaves) v = uniform() * 2 - 0.5;
  const std::vector<double> averages{0.3, 0.6, 0.1, 0.4}, gradient{1.5, -0.7, 0.2, 2.0};
  std::vector<double> moments(little_bag_moment_width(k), 0.0);
  for (std::size_t group = 0; group < groups; ++group)
    add_little_bag(moments, std::span(leaves).subspan(group * g * k, g * k), k);

  // grf's compute_variance written out: ψ_b = u·(v_b − v̄), group means, between and total.
  double between = 0, total = 0;
  for (std::size_t group = 0; group < groups; ++group) {
    double group_psi = 0;
    for (std::size_t b = 0; b < g; ++b) {
      double psi = 0;
      for (std::size_t s = 0; s < k; ++s)
        psi += gradient[s] * (leaves[(group * g + b) * k + s] - averages[s]);
      total += psi * psi;
      group_psi += psi / g;
    }
    between += group_psi * group_psi;
  }
  between /= groups;
  total /= groups * g;
  const double expected = objective_bayes_debias(between, (total - between) / (g - 1), groups);
  EXPECT_NEAR(little_bag_variance(moments, averages, gradient, g), expected, 1e-12 * std::abs(expected));
}

TEST(LittleBagVariance, FewerThanTwoGroupsHaveNoVariance) {
  std::vector<double> moments(little_bag_moment_width(1), 0.0);
  const std::vector<double> leaves{1.0, 2.0}, average{1.5}, gradient{1.0};
  add_little_bag(moments, leaves, 1);
  EXPECT_TRUE(std::isnan(little_bag_variance(moments, average, gradient, 2)));
}

TEST(ObjectiveBayesDebias, IsThePosteriorMeanUnderAFlatPriorOnPositiveVariances) {
  const boost::math::normal_distribution<double> normal;
  for (const auto& [between, noise, groups] : std::vector<std::tuple<double, double, double>>{
           {1.0, 0.2, 500}, {0.5, 0.48, 500}, {0.3, 0.7, 100}, {2.0, 0.1, 20}}) {
    const double initial = between - noise, se = std::max(between, noise) * std::sqrt(2 / groups);
    const double r = initial / se;
    const double expected = initial + se * boost::math::pdf(normal, r) / boost::math::cdf(normal, r);
    EXPECT_NEAR(objective_bayes_debias(between, noise, groups), expected, 1e-12);
    EXPECT_GT(objective_bayes_debias(between, noise, groups), 0);
  }
  // Far from zero the correction vanishes; far below it the estimate stays small and positive.
  EXPECT_NEAR(objective_bayes_debias(1.0, 0.01, 10'000), 0.99, 1e-9);
  const double deep = objective_bayes_debias(0.01, 1.0, 10'000);
  EXPECT_GT(deep, 0);
  EXPECT_LT(deep, 1e-3);
}

}  // namespace
}  // namespace casebook
