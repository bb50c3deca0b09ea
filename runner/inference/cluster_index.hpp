#pragma once
// A clustering variable turned into dense codes 0..G-1, so cluster sums are array writes.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"

namespace casebook {

struct ClusterIndex {
  std::string column;
  std::vector<Eigen::Index> code;  // one per row, in 0..count-1 (order of first appearance)
  Eigen::Index count = 0;          // G
};

// Throws InputError if the column is missing, has missing values, or has fewer than 2 clusters
// (a cluster-robust variance needs at least two).
ClusterIndex make_cluster_index(const Dataset& data, const std::string& column);

}  // namespace casebook
