#include "inference/cluster_index.hpp"

#include <cmath>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

// Dense codes of `ids` in order of first appearance; equal doubles share a code.
ClusterCodes dense_codes(std::span<const double> ids) {
  ClusterCodes out;
  out.code.reserve(ids.size());
  std::unordered_map<double, std::size_t> code_of;
  for (const double id : ids) {
    const auto [it, inserted] = code_of.try_emplace(id, out.count);
    if (inserted) ++out.count;
    out.code.push_back(it->second);
  }
  return out;
}

}  // namespace

ClusterIndex make_cluster_index(const Dataset& data, const std::string& column) {
  require_complete(data, {column});
  const ClusterCodes codes = dense_codes(data.column(column).values);
  if (codes.count < 2)
    throw InputError(data.source(),
                     fmt::format("cluster column '{}' has {} distinct value{}; cluster-robust standard "
                                 "errors need at least 2 clusters",
                                 column, codes.count, codes.count == 1 ? "" : "s"));
  ClusterIndex index;
  index.column = column;
  index.code.assign(codes.code.begin(), codes.code.end());
  index.count = static_cast<std::ptrdiff_t>(codes.count);
  return index;
}

ClusterCodes make_cluster_codes(std::span<const double> ids, std::size_t n, std::string_view what) {
  ClusterCodes out;
  if (ids.empty()) {
    out.code.resize(n);
    std::iota(out.code.begin(), out.code.end(), std::size_t{0});
    out.count = n;
  } else {
    if (ids.size() != n) throw InputError(fmt::format("{}: {} cluster ids for {} rows", what, ids.size(), n));
    for (std::size_t i = 0; i < n; ++i)
      if (std::isnan(ids[i]))
        throw InputError(fmt::format("{}: the cluster id of row {} is missing", what, i + 1));
    out = dense_codes(ids);
  }
  if (out.count < 2)
    throw InputError(fmt::format("{}: needs rows from at least 2 clusters (got {})", what, out.count));
  return out;
}

std::vector<std::vector<std::size_t>> rows_of_clusters(const ClusterCodes& clusters) {
  std::vector<std::vector<std::size_t>> rows(clusters.count);
  for (std::size_t i = 0; i < clusters.code.size(); ++i) rows[clusters.code[i]].push_back(i);
  return rows;
}

double clustered_variance_of_mean(std::span<const double> values, const ClusterCodes& clusters) {
  std::vector<double> sums(clusters.count, 0.0);
  for (std::size_t i = 0; i < values.size(); ++i) sums[clusters.code[i]] += values[i];
  double squares = 0;
  for (const double s : sums) squares += s * s;
  const auto n = static_cast<double>(values.size());
  const auto g = static_cast<double>(clusters.count);
  return squares / (n * n) * g / (g - 1);
}

}  // namespace casebook
