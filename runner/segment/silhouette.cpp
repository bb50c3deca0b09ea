#include "segment/silhouette.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace casebook {

std::vector<double> silhouette_widths(const Eigen::MatrixXd& d, std::span<const std::size_t> cluster) {
  const std::size_t n = cluster.size(), k = *std::max_element(cluster.begin(), cluster.end()) + 1;
  std::vector<double> size(k, 0.0);
  for (const std::size_t c : cluster) size[c] += 1;
  std::vector<double> widths(n, 0.0);
  std::vector<double> sums(k);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t own = cluster[i];
    if (size[own] < 2) continue;  // a singleton's width is 0
    std::fill(sums.begin(), sums.end(), 0.0);
    for (std::size_t j = 0; j < n; ++j)
      sums[cluster[j]] += d(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    const double a = sums[own] / (size[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < k; ++c)
      if (c != own && size[c] > 0) b = std::min(b, sums[c] / size[c]);
    widths[i] = a == b ? 0.0 : (b - a) / std::max(a, b);
  }
  return widths;
}

double average_silhouette(const Eigen::MatrixXd& d, std::span<const std::size_t> cluster) {
  const std::vector<double> widths = silhouette_widths(d, cluster);
  return std::accumulate(widths.begin(), widths.end(), 0.0) / static_cast<double>(widths.size());
}

}  // namespace casebook
