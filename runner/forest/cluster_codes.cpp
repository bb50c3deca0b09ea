#include "forest/cluster_codes.hpp"

#include <cmath>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

ClusterCodes make_cluster_codes(std::span<const double> ids, std::size_t n, std::string_view what) {
  ClusterCodes out;
  if (ids.empty()) {
    out.code.resize(n);
    std::iota(out.code.begin(), out.code.end(), std::size_t{0});
    out.count = n;
  } else {
    if (ids.size() != n) throw InputError(fmt::format("{}: {} cluster ids for {} rows", what, ids.size(), n));
    out.code.reserve(n);
    std::unordered_map<double, std::size_t> code_of;
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(ids[i]))
        throw InputError(fmt::format("{}: the cluster id of row {} is missing", what, i + 1));
      const auto [it, inserted] = code_of.try_emplace(ids[i], out.count);
      if (inserted) ++out.count;
      out.code.push_back(it->second);
    }
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

}  // namespace casebook
