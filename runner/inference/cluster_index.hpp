#pragma once
// A clustering variable turned into dense codes 0..G-1 (in order of first appearance), so cluster
// sums are array writes. Two forms: a Dataset column (cluster-robust variances, the bootstrap) and
// plain ids per row (the causal forest's summaries, grf's `clusters`), where no ids means every
// row is its own cluster. Equal doubles are one cluster; numeric ids and categorical level codes
// are both doubles.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"

namespace casebook {

// Codes are std::ptrdiff_t, Eigen's default index type, so they index Eigen matrices directly
// without this header including Eigen.
struct ClusterIndex {
  std::string column;
  std::vector<std::ptrdiff_t> code;  // one per row, in 0..count-1 (order of first appearance)
  std::ptrdiff_t count = 0;          // G
};

// Throws InputError if the column is missing, has missing values, or has fewer than 2 clusters
// (a cluster-robust variance needs at least two).
ClusterIndex make_cluster_index(const Dataset& data, const std::string& column);

struct ClusterCodes {
  std::vector<std::size_t> code;  // one per row, in 0..count-1 (order of first appearance)
  std::size_t count = 0;          // G
};

// `ids` empty: n singleton clusters. Otherwise ids.size() must be n and no id may be NaN. Throws
// InputError (prefixed by `what`) on a length mismatch, a missing id, or fewer than 2 clusters.
ClusterCodes make_cluster_codes(std::span<const double> ids, std::size_t n, std::string_view what);

// The rows of each cluster, in row order within a cluster.
std::vector<std::vector<std::size_t>> rows_of_clusters(const ClusterCodes& clusters);

// Σ_g (Σ_{i∈g} v_i)² / n² · G/(G − 1): grf's sampling variance of the mean of centred per-row terms
// v_i (the forests' doubly robust summaries), clustered by `clusters`.
double clustered_variance_of_mean(std::span<const double> values, const ClusterCodes& clusters);

}  // namespace casebook
