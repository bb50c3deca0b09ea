#include "segment/kmeans.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <pcg_random.hpp>

#include "core/derived_seed.hpp"

namespace casebook {
namespace {

double squared_distance(const Eigen::MatrixXd& x, Eigen::Index row, const Eigen::MatrixXd& centres,
                        Eigen::Index centre) {
  return (x.row(row) - centres.row(centre)).squaredNorm();
}

// The nearest centre of a row; the first one on a tie, as R's strict `<`.
Eigen::Index nearest_centre(const Eigen::MatrixXd& x, Eigen::Index row, const Eigen::MatrixXd& centres) {
  double best = std::numeric_limits<double>::infinity();
  Eigen::Index nearest = 0;
  for (Eigen::Index j = 0; j < centres.rows(); ++j) {
    const double d = squared_distance(x, row, centres, j);
    if (d < best) {
      best = d;
      nearest = j;
    }
  }
  return nearest;
}

// A uniform draw in [0, 1) from 53 random bits.
double uniform01(pcg32& rng) {
  const std::uint64_t bits = (static_cast<std::uint64_t>(rng()) << 21) ^ (rng() >> 11);
  return static_cast<double>(bits) * 0x1.0p-53;
}

}  // namespace

KMeansFit kmeans_lloyd(const Eigen::MatrixXd& x, Eigen::MatrixXd centres, std::size_t max_iterations) {
  const Eigen::Index n = x.rows(), k = centres.rows();
  if (k < 1 || centres.cols() != x.cols()) throw std::logic_error("kmeans_lloyd: centres do not fit x");
  KMeansFit fit;
  constexpr std::size_t kUnassigned = std::numeric_limits<std::size_t>::max();
  fit.cluster.assign(static_cast<std::size_t>(n), kUnassigned);
  std::size_t iteration = 0;
  for (; iteration < max_iterations; ++iteration) {
    bool updated = false;
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto nearest = static_cast<std::size_t>(nearest_centre(x, i, centres));
      if (fit.cluster[static_cast<std::size_t>(i)] != nearest) {
        fit.cluster[static_cast<std::size_t>(i)] = nearest;
        updated = true;
      }
    }
    if (!updated) {
      fit.converged = true;
      break;
    }
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(k, x.cols());
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(k);
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto c = static_cast<Eigen::Index>(fit.cluster[static_cast<std::size_t>(i)]);
      sums.row(c) += x.row(i);
      counts(c) += 1;
    }
    for (Eigen::Index j = 0; j < k; ++j)
      if (counts(j) > 0) centres.row(j) = sums.row(j) / counts(j);
  }
  fit.iterations = iteration + 1;  // R reports iter + 1, also when it stops at the limit
  fit.withinss.assign(static_cast<std::size_t>(k), 0.0);
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::size_t c = fit.cluster[static_cast<std::size_t>(i)];
    fit.withinss[c] += squared_distance(x, i, centres, static_cast<Eigen::Index>(c));
  }
  for (const double w : fit.withinss) fit.tot_withinss += w;
  fit.centres = std::move(centres);
  return fit;
}

Eigen::MatrixXd kmeans_plus_plus(const Eigen::MatrixXd& x, std::size_t k, std::uint64_t key) {
  const Eigen::Index n = x.rows();
  if (k < 1 || static_cast<Eigen::Index>(k) > n)
    throw std::logic_error("kmeans_plus_plus: need 1 ≤ k ≤ rows");
  pcg32 rng;
  seed_from_key(rng, key);
  Eigen::MatrixXd centres(static_cast<Eigen::Index>(k), x.cols());
  centres.row(0) = x.row(static_cast<Eigen::Index>(rng(static_cast<std::uint32_t>(n))));
  Eigen::VectorXd nearest(n);
  for (Eigen::Index i = 0; i < n; ++i) nearest(i) = squared_distance(x, i, centres, 0);
  for (Eigen::Index c = 1; c < static_cast<Eigen::Index>(k); ++c) {
    const double total = nearest.sum();
    Eigen::Index chosen = 0;
    if (total > 0) {
      // The first row whose cumulative squared distance passes the draw (rows already chosen weigh 0).
      const double target = uniform01(rng) * total;
      double cumulative = 0;
      chosen = n - 1;
      for (Eigen::Index i = 0; i < n; ++i) {
        cumulative += nearest(i);
        if (cumulative > target && nearest(i) > 0) {
          chosen = i;
          break;
        }
      }
    } else {
      chosen = static_cast<Eigen::Index>(rng(static_cast<std::uint32_t>(n)));  // all rows coincide
    }
    centres.row(c) = x.row(chosen);
    for (Eigen::Index i = 0; i < n; ++i)
      nearest(i) = std::min(nearest(i), squared_distance(x, i, centres, c));
  }
  return centres;
}

KMeansFit kmeans(const Eigen::MatrixXd& x, std::size_t k, std::size_t starts, std::uint64_t seed,
                 std::size_t max_iterations) {
  KMeansFit best;
  for (std::size_t s = 0; s < std::max<std::size_t>(starts, 1); ++s) {
    KMeansFit fit = kmeans_lloyd(x, kmeans_plus_plus(x, k, derive_seed(seed, s)), max_iterations);
    if (s == 0 || fit.tot_withinss < best.tot_withinss) best = std::move(fit);
  }
  return best;
}

}  // namespace casebook
