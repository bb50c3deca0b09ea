#pragma once
// Silhouette widths (Rousseeuw 1987) as R's cluster::silhouette(clustering, dist): for each
// object, a = its mean dissimilarity to the rest of its cluster, b = the smallest mean
// dissimilarity to another cluster, s = (b − a) / max(a, b); 0 for an object alone in its cluster.
#include <cstddef>
#include <span>
#include <vector>

#include <Eigen/Core>

namespace casebook {

// `cluster`: one 0-based label per object, labels 0..k−1 with k ≥ 2.
std::vector<double> silhouette_widths(const Eigen::MatrixXd& d, std::span<const std::size_t> cluster);

double average_silhouette(const Eigen::MatrixXd& d, std::span<const std::size_t> cluster);

}  // namespace casebook
