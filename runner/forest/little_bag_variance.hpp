#pragma once
// The variance of a forest's estimate at a point from little bags (Athey, Tibshirani & Wager 2019,
// section 4; grf's compute_variance and ObjectiveBayesDebiaser). The trees come in groups of g that
// share a half-sample. With v_b the leaf statistics of tree b at the point, v̄_G a group's mean,
// v̄ the average over all trees and u = ∂θ/∂v at v̄ (SplitRule::gradient):
//   between = mean over groups of (u·(v̄_G − v̄))²,  total = mean over trees of (u·(v_b − v̄))²,
//   noise = (total − between) / (g − 1),  Var(θ̂) = debias(between, noise),
// counting only groups whose every tree reached the point (out of bag, non-empty leaf).
// Because u and v̄ are known only when every tree has been seen, and trees are dropped as they are
// grown, a point keeps the moments of v instead (sums, second moments per tree and per group):
// each quadratic form above is then a fixed combination of them.
#include <cstddef>
#include <span>

namespace casebook {

// Doubles of moments a point keeps for k leaf statistics (k ≤ kMaxLittleBagStatistics).
constexpr std::size_t kMaxLittleBagStatistics = 16;
constexpr std::size_t little_bag_moment_width(std::size_t k) { return k + k * (k + 1) + 1; }

// Adds one good group: `leaves` holds the group's g trees' leaf statistics, g × k, tree by tree.
void add_little_bag(std::span<double> moments, std::span<const double> leaves, std::size_t k);

// Var(θ̂) at the point; NaN when fewer than two groups reached it.
double little_bag_variance(std::span<const double> moments, std::span<const double> averages,
                           std::span<const double> gradient, std::size_t group_size);

// grf's objective-Bayes correction of between − noise: never negative, and unchanged when the
// difference is large against its standard error max(between, noise)·√(2 / groups).
double objective_bayes_debias(double between, double noise, double groups);

}  // namespace casebook
