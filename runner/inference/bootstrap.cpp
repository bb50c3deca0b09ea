#include "inference/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <boost/random/uniform_int_distribution.hpp>
#include <pcg_random.hpp>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "core/progress.hpp"
#include "inference/cluster_index.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

Dataset select_columns(const Dataset& data, const std::vector<std::string>& names) {
  Dataset out(data.source());
  for (const auto& name : names) out.add_column(data.column(name));
  return out;
}

// Row lists per cluster, in order of first appearance.
std::vector<std::vector<std::size_t>> rows_by_cluster(const ClusterIndex& index) {
  std::vector<std::vector<std::size_t>> groups(static_cast<std::size_t>(index.count));
  for (std::size_t i = 0; i < index.code.size(); ++i)
    groups[static_cast<std::size_t>(index.code[i])].push_back(i);
  return groups;
}

// The rows of replicate r: n rows drawn with replacement, or G clusters drawn with replacement
// and all their rows taken.
std::vector<std::size_t> replicate_rows(std::uint64_t seed, std::size_t replicate, std::size_t n,
                                        const std::vector<std::vector<std::size_t>>& clusters) {
  pcg64 generator;
  seed_from_key(generator, derive_seed(seed, replicate));
  std::vector<std::size_t> rows;
  if (clusters.empty()) {
    boost::random::uniform_int_distribution<std::size_t> draw(0, n - 1);
    rows.resize(n);
    for (auto& row : rows) row = draw(generator);
  } else {
    rows.reserve(n);
    boost::random::uniform_int_distribution<std::size_t> draw(0, clusters.size() - 1);
    for (std::size_t g = 0; g < clusters.size(); ++g) {
      const auto& members = clusters[draw(generator)];
      rows.insert(rows.end(), members.begin(), members.end());
    }
  }
  return rows;
}

}  // namespace

double sorted_quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) throw std::logic_error("sorted_quantile: no values");
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double weight = position - static_cast<double>(below);
  return sorted[below] + weight * (sorted[above] - sorted[below]);
}

BootstrapResult bootstrap(const Statistic& statistic, const Dataset& data, const BootstrapOptions& options,
                          const std::function<double()>& estimate) {
  if (options.reps == 0) throw InputError("bootstrap: reps must be at least 1");
  if (!(options.confidence_level > 0 && options.confidence_level < 1))
    throw InputError(
        fmt::format("bootstrap: confidence level must be between 0 and 1, got {}", options.confidence_level));

  const std::vector<std::string> columns = options.columns.empty() ? data.names() : options.columns;
  require_complete(data, columns);
  std::vector<std::vector<std::size_t>> clusters;
  if (!options.cluster.empty()) {
    require_complete(data, {options.cluster});
    const auto& codes = data.column(options.cluster).values;
    if (std::all_of(codes.begin(), codes.end(), [&](double v) { return v == codes.front(); }))
      throw InputError(data.source(),
                       fmt::format("cluster bootstrap: cluster column '{}' has {} distinct value; "
                                   "resampling clusters needs at least 2",
                                   options.cluster, codes.empty() ? 0 : 1));
    const ClusterIndex index = make_cluster_index(data, options.cluster);
    clusters = rows_by_cluster(index);
  }

  BootstrapResult result;
  result.kind = clusters.empty() ? "pairs" : "cluster";
  result.reps = options.reps;
  result.clusters = clusters.size();
  result.seed = options.seed;
  result.confidence_level = options.confidence_level;
  result.estimate = estimate ? estimate() : statistic(data);  // the statistic's own checks come first

  const Dataset narrow = select_columns(data, columns);

  const std::size_t reps = options.reps;
  std::vector<std::optional<double>> estimates(reps);
  std::vector<std::string> failures(reps);
  // A replicate the statistic rejects (InputError) is counted; any other exception is rethrown.
  ProgressLoop progress(reps, "bootstrap replicates");
  parallel_for(reps, options.threads, [&](std::size_t r) {
    try {
      const Dataset sample = select_rows(narrow, replicate_rows(options.seed, r, narrow.rows(), clusters));
      const double value = statistic(sample);
      if (std::isfinite(value))
        estimates[r] = value;
      else
        failures[r] = "the estimate is not finite";
    } catch (const InputError& e) {
      failures[r] = e.what();
    }
    progress.step();
  });

  std::string first_failure;
  for (std::size_t r = 0; r < reps; ++r) {
    if (estimates[r]) {
      result.replicates.push_back(*estimates[r]);
    } else {
      if (result.failed++ == 0) first_failure = fmt::format("replicate {}: {}", r + 1, failures[r]);
    }
  }
  if (result.replicates.size() < 2)
    throw InputError(fmt::format("bootstrap: only {} of {} replicates could be estimated ({})",
                                 result.replicates.size(), reps,
                                 first_failure.empty() ? "ask for at least 2 replicates" : first_failure));

  const auto count = static_cast<double>(result.replicates.size());
  double mean = 0;
  for (double v : result.replicates) mean += v;
  mean /= count;
  double squares = 0;
  for (double v : result.replicates) squares += (v - mean) * (v - mean);
  result.se = std::sqrt(squares / (count - 1));

  std::vector<double> sorted = result.replicates;
  std::sort(sorted.begin(), sorted.end());
  const double alpha = 1 - options.confidence_level;
  result.percentile_low = sorted_quantile(sorted, alpha / 2);
  result.percentile_high = sorted_quantile(sorted, 1 - alpha / 2);
  const double z = normal_critical_value(options.confidence_level);
  result.normal_low = result.estimate - z * result.se;
  result.normal_high = result.estimate + z * result.se;
  return result;
}

}  // namespace casebook
