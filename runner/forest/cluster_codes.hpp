#pragma once
// Cluster ids of the forest summaries (grf's `clusters`) turned into dense codes, so the summaries
// can sum scores by cluster with array writes. No ids means every row is its own cluster, as grf
// does when the forest was trained without clusters.
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace casebook {

struct ClusterCodes {
  std::vector<std::size_t> code;  // one per row, in 0..count-1 (order of first appearance)
  std::size_t count = 0;          // G
};

// `ids` empty: n singleton clusters. Otherwise ids.size() must be n and no id may be NaN; equal
// doubles are one cluster. Throws InputError (prefixed by `what`) on a length mismatch, a missing id,
// or fewer than 2 clusters.
ClusterCodes make_cluster_codes(std::span<const double> ids, std::size_t n, std::string_view what);

// The rows of each cluster, in row order within a cluster.
std::vector<std::vector<std::size_t>> rows_of_clusters(const ClusterCodes& clusters);

}  // namespace casebook
