#include "forest/little_bag_variance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/constants/constants.hpp>

namespace casebook {
namespace {

// Layout of a point's moments: [Σ v (k) | Σ v vᵀ over trees (k(k+1)/2) | Σ v̄_G v̄_Gᵀ over groups | groups].
struct Layout {
  std::size_t k, packed;
  std::size_t tree_squares() const { return k; }
  std::size_t group_squares() const { return k + packed; }
  std::size_t groups() const { return k + 2 * packed; }
};

Layout layout(std::size_t k) { return {k, k * (k + 1) / 2}; }

// u'Su for S packed row by row over its upper triangle.
double quadratic_form(std::span<const double> packed, std::span<const double> u) {
  const std::size_t k = u.size();
  double sum = 0;
  std::size_t at = 0;
  for (std::size_t r = 0; r < k; ++r)
    for (std::size_t c = r; c < k; ++c) sum += (r == c ? 1.0 : 2.0) * u[r] * u[c] * packed[at++];
  return sum;
}

void add_outer(std::span<double> packed, const double* v, std::size_t k) {
  std::size_t at = 0;
  for (std::size_t r = 0; r < k; ++r)
    for (std::size_t c = r; c < k; ++c) packed[at++] += v[r] * v[c];
}

}  // namespace

void add_little_bag(std::span<double> moments, std::span<const double> leaves, std::size_t k) {
  const Layout l = layout(k);
  const std::size_t g = leaves.size() / k;
  double mean[kMaxLittleBagStatistics];
  std::fill(mean, mean + k, 0.0);
  for (std::size_t b = 0; b < g; ++b) {
    const double* v = leaves.data() + b * k;
    for (std::size_t s = 0; s < k; ++s) {
      moments[s] += v[s];
      mean[s] += v[s] / static_cast<double>(g);
    }
    add_outer(moments.subspan(l.tree_squares(), l.packed), v, k);
  }
  add_outer(moments.subspan(l.group_squares(), l.packed), mean, k);
  moments[l.groups()] += 1;
}

double little_bag_variance(std::span<const double> moments, std::span<const double> averages,
                           std::span<const double> gradient, std::size_t group_size) {
  const std::size_t k = averages.size();
  const Layout l = layout(k);
  const double groups = moments[l.groups()];
  if (groups < 2) return std::numeric_limits<double>::quiet_NaN();
  const double trees = groups * static_cast<double>(group_size);
  double u_average = 0, u_sum = 0;
  for (std::size_t s = 0; s < k; ++s) {
    u_average += gradient[s] * averages[s];
    u_sum += gradient[s] * moments[s];
  }
  // Σ (u·v − u·v̄)² = u'(Σ v vᵀ)u − 2 (u·v̄)(u·Σv) + count (u·v̄)², over trees and over group means.
  const double total = (quadratic_form(moments.subspan(l.tree_squares(), l.packed), gradient) -
                        2 * u_average * u_sum + trees * u_average * u_average) /
                       trees;
  const double between =
      (quadratic_form(moments.subspan(l.group_squares(), l.packed), gradient) -
       2 * u_average * u_sum / static_cast<double>(group_size) + groups * u_average * u_average) /
      groups;
  const double noise = (total - between) / static_cast<double>(group_size - 1);
  return objective_bayes_debias(between, noise, groups);
}

double objective_bayes_debias(double between, double noise, double groups) {
  using boost::math::constants::one_div_root_two;
  using boost::math::constants::one_div_root_two_pi;
  const double initial = between - noise;
  const double se = std::max(between, noise) * std::sqrt(2 / groups);
  if (!(se > 0)) return std::max(initial, 0.0);
  const double ratio = initial / se;
  // Posterior mean of S under a flat prior on [0, ∞) and initial ~ N(S, se²):
  // initial + se·φ(r)/Φ(r), r = initial / se.
  const double density = std::exp(-ratio * ratio / 2) * one_div_root_two_pi<double>();
  const double mass = 0.5 * std::erfc(-ratio * one_div_root_two<double>());
  // Far below zero φ(r)/Φ(r) → −r − 1/r (Mills' ratio), where both underflow.
  if (!(mass > 1e-300)) return -se / ratio;
  return initial + se * density / mass;
}

}  // namespace casebook
