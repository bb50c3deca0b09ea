#pragma once
// k-means on the rows of a matrix: Lloyd's iterations from given centres (the same clustering as
// R's stats::kmeans(x, centers = <matrix>, algorithm = "Lloyd") from the same centres), k-means++
// starting centres (Arthur & Vassilvitskii 2007) drawn from a seed, and the best of several starts.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace casebook {

struct KMeansFit {
  Eigen::MatrixXd centres;           // k × p
  std::vector<std::size_t> cluster;  // one per row, 0-based
  std::vector<double> withinss;      // per cluster: Σ squared distances of its rows to its centre
  double tot_withinss = 0;
  std::size_t iterations = 0;  // as R's kmeans reports `iter`
  bool converged = false;      // no row changed cluster within max_iterations
};

// Lloyd's algorithm as R's C code: assign every row to its nearest centre (the first on a tie),
// stop when no assignment changes, else move each centre to its rows' mean. A cluster left empty
// keeps its previous centre (R stops there with "empty cluster: try a better set of initial centers").
KMeansFit kmeans_lloyd(const Eigen::MatrixXd& x, Eigen::MatrixXd centres, std::size_t max_iterations);

// k-means++ seeding: the first centre a uniformly drawn row, each next one a row drawn with
// probability proportional to its squared distance to the nearest centre chosen so far. The draws
// come from a generator keyed by `key` (core/derived_seed.hpp), so the same key gives the same centres.
Eigen::MatrixXd kmeans_plus_plus(const Eigen::MatrixXd& x, std::size_t k, std::uint64_t key);

// The fit with the smallest tot_withinss over `starts` k-means++ starts (start s keyed by
// derive_seed(seed, s)); the first such start on a tie. Requires 1 ≤ k ≤ rows.
KMeansFit kmeans(const Eigen::MatrixXd& x, std::size_t k, std::size_t starts, std::uint64_t seed,
                 std::size_t max_iterations = 100);

}  // namespace casebook
