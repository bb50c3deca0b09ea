#include "inference/cluster_index.hpp"

#include <unordered_map>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

ClusterIndex make_cluster_index(const Dataset& data, const std::string& column) {
  require_complete(data, {column});
  const Column& values = data.column(column);
  ClusterIndex index;
  index.column = column;
  index.code.reserve(values.values.size());
  // Numeric ids and categorical level codes are both doubles; equal doubles are one cluster.
  std::unordered_map<double, Eigen::Index> code_of;
  for (double value : values.values) {
    const auto [it, inserted] = code_of.try_emplace(value, index.count);
    if (inserted) ++index.count;
    index.code.push_back(it->second);
  }
  if (index.count < 2)
    throw InputError(data.source(),
                     fmt::format("cluster column '{}' has {} distinct value{}; cluster-robust standard "
                                 "errors need at least 2 clusters",
                                 column, index.count, index.count == 1 ? "" : "s"));
  return index;
}

}  // namespace casebook
