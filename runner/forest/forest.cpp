#include "forest/forest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "core/progress.hpp"
#include "forest/little_bag_variance.hpp"

namespace casebook {
namespace {

// Trees grown at a time by predict_while_growing: a fixed number (never the thread count), so the
// batches, and with them the summation order, are the same on every machine.
constexpr std::size_t kTreesPerBatch = 32;
constexpr std::size_t kPointsPerBlock = 2048;

struct GrownTree {
  Tree tree;
  std::vector<std::uint64_t> in_subsample;  // bitset over the rows of x
};

// Stream of the little bags' half-samples, apart from the trees' own generators.
constexpr std::uint64_t kLittleBagStream = 0x4c42;  // "LB"

// What subsampling draws: training rows one by one, or whole clusters of them.
struct SamplingUnits {
  std::span<const std::uint32_t> training_rows;
  std::vector<std::uint32_t> offsets;  // clustered: unit u holds rows[offsets[u], offsets[u + 1])
  std::vector<std::uint32_t> rows;

  bool clustered() const { return !offsets.empty(); }
  std::size_t count() const { return clustered() ? offsets.size() - 1 : training_rows.size(); }
  // The training rows of `units`, in memory order.
  std::vector<std::uint32_t> rows_of(std::span<const std::uint32_t> units) const {
    std::vector<std::uint32_t> out;
    if (!clustered()) {
      out.reserve(units.size());
      for (const std::uint32_t u : units) out.push_back(training_rows[u]);
      return out;  // units come in order, and so do their rows
    }
    for (const std::uint32_t u : units)
      out.insert(out.end(), rows.begin() + offsets[u], rows.begin() + offsets[u + 1]);
    std::sort(out.begin(), out.end());
    return out;
  }
};

SamplingUnits sampling_units(std::span<const std::uint32_t> training_rows,
                             std::span<const std::uint32_t> clusters) {
  SamplingUnits units{training_rows, {}, {}};
  if (clusters.empty()) return units;
  // Clusters numbered by first appearance among the training rows, so the units do not depend on the ids'
  // values.
  std::unordered_map<std::uint32_t, std::uint32_t> index;
  std::vector<std::uint32_t> unit_of(training_rows.size()), sizes;
  for (std::size_t i = 0; i < training_rows.size(); ++i) {
    const auto [at, added] =
        index.try_emplace(clusters[training_rows[i]], static_cast<std::uint32_t>(sizes.size()));
    if (added) sizes.push_back(0);
    unit_of[i] = at->second;
    ++sizes[at->second];
  }
  units.offsets.assign(sizes.size() + 1, 0);
  for (std::size_t u = 0; u < sizes.size(); ++u) units.offsets[u + 1] = units.offsets[u] + sizes[u];
  units.rows.resize(training_rows.size());
  std::vector<std::uint32_t> next(units.offsets.begin(), units.offsets.end() - 1);
  for (std::size_t i = 0; i < training_rows.size(); ++i) units.rows[next[unit_of[i]]++] = training_rows[i];
  return units;
}

// Selection sampling (Knuth's Algorithm S): exactly `take` of the indices 0..count−1, in
// increasing order, so a tree gathers its rows in memory order.
std::vector<std::uint32_t> sample_in_order(std::size_t count, std::size_t take, pcg32& rng) {
  std::vector<std::uint32_t> chosen;
  chosen.reserve(take);
  for (std::size_t i = 0; i < count && chosen.size() < take; ++i)
    if (rng(static_cast<std::uint32_t>(count - i)) < take - chosen.size())
      chosen.push_back(static_cast<std::uint32_t>(i));
  return chosen;
}

std::size_t share(double fraction, std::size_t of) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(fraction * static_cast<double>(of)));
}

std::size_t default_mtry(std::size_t p) {
  return std::min(p, static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(p)) + 20)));
}

std::size_t trees_grown(const ForestOptions& options) {
  return options.trees / options.ci_group_size * options.ci_group_size;
}

// The units tree `tree_index` draws: its own subsample, or (little bags) a subsample of its group's half.
std::vector<std::uint32_t> draw_units(const SamplingUnits& units, const ForestOptions& options,
                                      std::size_t tree_index, pcg32& rng) {
  const std::size_t count = units.count();
  if (options.ci_group_size == 1) return sample_in_order(count, share(options.sample_fraction, count), rng);
  pcg32 group_rng;
  seed_from_key(group_rng,
                derive_seed(derive_seed(options.seed, kLittleBagStream), tree_index / options.ci_group_size));
  const std::vector<std::uint32_t> half = sample_in_order(count, share(0.5, count), group_rng);
  std::vector<std::uint32_t> chosen =
      sample_in_order(half.size(), share(2 * options.sample_fraction, half.size()), rng);
  for (std::uint32_t& unit : chosen) unit = half[unit];
  return chosen;
}

GrownTree grow_one(const BinnedMatrix& x, const SamplingUnits& units, const SplitRule& rule,
                   const ForestOptions& options, std::size_t tree_index) {
  pcg32 rng;
  seed_from_key(rng, derive_seed(options.seed, tree_index));
  GrownTree grown;
  grown.in_subsample.assign((x.rows() + 63) / 64, 0);
  std::vector<std::uint32_t> subsample, chosen;
  if (options.bootstrap) {
    const auto training_rows = units.training_rows;
    subsample.reserve(training_rows.size());
    for (std::size_t i = 0; i < training_rows.size(); ++i)
      subsample.push_back(training_rows[rng(static_cast<std::uint32_t>(training_rows.size()))]);
    std::sort(subsample.begin(), subsample.end());
  } else {
    chosen = draw_units(units, options, tree_index, rng);
    subsample = units.rows_of(chosen);
  }
  for (const std::uint32_t row : subsample) grown.in_subsample[row / 64] |= std::uint64_t{1} << (row % 64);

  TreeOptions tree_options;
  tree_options.mtry = options.mtry == 0 ? default_mtry(x.cols()) : options.mtry;
  tree_options.min_node_size = options.min_node_size;
  tree_options.alpha = options.alpha;
  tree_options.prune_empty_leaves = options.honesty && options.honesty_prune_leaves;
  if (!options.honesty) {
    grown.tree = grow_tree(x, rule, tree_options, subsample, subsample, rng);
    return grown;
  }
  // Honesty: a random share (honesty_fraction) of the drawn units chooses the splits, the rest fills the
  // leaves.
  const std::span<const std::uint32_t> drawn =
      options.bootstrap ? std::span<const std::uint32_t>(subsample) : std::span<const std::uint32_t>(chosen);
  const auto split_size =
      static_cast<std::size_t>(options.honesty_fraction * static_cast<double>(drawn.size()));
  std::vector<std::uint32_t> split_units, fill_units;
  split_units.reserve(split_size);
  fill_units.reserve(drawn.size() - split_size);
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    const std::size_t left = drawn.size() - i, wanted = split_size - split_units.size();
    if (rng(static_cast<std::uint32_t>(left)) < wanted)
      split_units.push_back(drawn[i]);
    else
      fill_units.push_back(drawn[i]);
  }
  if (options.bootstrap) {
    grown.tree = grow_tree(x, rule, tree_options, split_units, fill_units, rng);
  } else {
    grown.tree = grow_tree(x, rule, tree_options, units.rows_of(split_units), units.rows_of(fill_units), rng);
  }
  return grown;
}

bool held(const std::vector<std::uint64_t>& bits, std::size_t row) {
  return (bits[row / 64] >> (row % 64)) & 1u;
}

// A query's running sums: per point the leaf statistics (k) and trees that reached it, and, when
// the query asks for variances, the little-bag moments.
struct Accumulator {
  std::size_t k = 0, moment_width = 0;
  std::vector<double> sums;
  std::vector<std::uint32_t> counts;
  std::vector<double> moments;

  Accumulator(std::size_t points, std::size_t statistics, bool variance)
      : k(statistics),
        moment_width(variance ? little_bag_moment_width(statistics) : 0),
        sums(points * statistics, 0.0),
        counts(points, 0),
        moments(points * moment_width, 0.0) {}
};

// Adds the leaf statistics of `trees` (in their order, whole groups of `group_size`) to every point's sums.
void accumulate(std::span<const Tree> trees, std::span<const std::vector<std::uint64_t>> subsamples,
                const ForestQuery& query, std::size_t group_size, Accumulator& acc, unsigned threads) {
  const BinnedMatrix& points = *query.points;
  const std::size_t k = acc.k;
  const std::size_t blocks = (points.rows() + kPointsPerBlock - 1) / kPointsPerBlock;
  parallel_for(blocks, threads, [&](std::size_t block) {
    std::vector<double> group_leaves(group_size * k);
    const std::size_t end = std::min(points.rows(), (block + 1) * kPointsPerBlock);
    for (std::size_t i = block * kPointsPerBlock; i < end; ++i) {
      const auto row = points.row(i);
      for (std::size_t first = 0; first < trees.size(); first += group_size) {
        bool whole_group = acc.moment_width > 0;
        for (std::size_t t = first; t < first + group_size; ++t) {
          if (query.out_of_bag && held(subsamples[t], i)) {
            whole_group = false;
            continue;
          }
          const std::uint32_t leaf = trees[t].leaf_of(row);
          if (trees[t].leaf_sizes[leaf] == 0) {
            whole_group = false;
            continue;
          }
          const double* means = trees[t].leaf_means.data() + leaf * k;
          for (std::size_t s = 0; s < k; ++s) acc.sums[i * k + s] += means[s];
          ++acc.counts[i];
          if (whole_group)
            std::copy(means, means + k, group_leaves.begin() + static_cast<std::ptrdiff_t>((t - first) * k));
        }
        if (whole_group)
          add_little_bag(std::span(acc.moments).subspan(i * acc.moment_width, acc.moment_width), group_leaves,
                         k);
      }
    }
  });
}

std::vector<double> training_means(std::span<const std::uint32_t> training_rows, const SplitRule& rule) {
  const std::size_t k = rule.leaf_statistics();
  std::vector<double> means(k, 0.0), statistics(k);
  for (const std::uint32_t row : training_rows) {
    rule.sample_statistics(row, statistics);
    for (std::size_t s = 0; s < k; ++s) means[s] += statistics[s];
  }
  for (double& m : means) m /= static_cast<double>(training_rows.size());
  return means;
}

QueryPredictions finish(const SplitRule& rule, const Accumulator& acc, std::size_t group_size,
                        const std::vector<double>& fallback, std::size_t* fallback_points) {
  const std::size_t k = acc.k;
  QueryPredictions out;
  out.estimates.resize(acc.counts.size());
  if (acc.moment_width > 0) out.variances.resize(acc.counts.size());
  std::vector<double> averages(k), gradient(k);
  for (std::size_t i = 0; i < acc.counts.size(); ++i) {
    if (acc.counts[i] == 0) {
      out.estimates[i] = rule.combine(fallback);
      if (fallback_points) ++*fallback_points;
      if (acc.moment_width > 0) {
        out.variances[i] = std::numeric_limits<double>::quiet_NaN();
        ++out.variance_missing;
      }
      continue;
    }
    for (std::size_t s = 0; s < k; ++s) averages[s] = acc.sums[i * k + s] / acc.counts[i];
    out.estimates[i] = rule.combine(averages);
    if (acc.moment_width == 0) continue;
    rule.gradient(averages, gradient);
    out.variances[i] =
        little_bag_variance(std::span(acc.moments).subspan(i * acc.moment_width, acc.moment_width), averages,
                            gradient, group_size);
    if (std::isnan(out.variances[i])) ++out.variance_missing;
  }
  return out;
}

void check_query(const BinnedMatrix& x, const ForestQuery& query, const SplitRule& rule,
                 const ForestOptions& options) {
  if (query.points->cols() != x.cols())
    throw InputError(
        "forest: the points to predict have a different number of covariates than the training data");
  if (query.out_of_bag && query.points->rows() != x.rows())
    throw InputError("forest: out-of-bag points must correspond row by row to the training matrix");
  if (query.variance && options.ci_group_size < 2)
    throw InputError("forest: variance estimates need little bags (ci_group_size of at least 2)");
  if (query.variance && rule.leaf_statistics() > kMaxLittleBagStatistics)
    throw InputError("forest: variance estimates support at most 16 leaf statistics");
}

}  // namespace

void check_forest_options(const ForestOptions& options, std::size_t training_rows) {
  if (options.trees == 0) throw InputError("forest: trees must be at least 1 (got 0)");
  if (!(options.sample_fraction > 0 && options.sample_fraction <= 1))
    throw InputError(
        fmt::format("forest: sample_fraction must be in (0, 1] (got {})", options.sample_fraction));
  if (options.honesty && !(options.honesty_fraction > 0 && options.honesty_fraction < 1))
    throw InputError(
        fmt::format("forest: honesty_fraction must be in (0, 1) (got {})", options.honesty_fraction));
  if (!(options.alpha >= 0 && options.alpha < 0.5))
    throw InputError(fmt::format("forest: alpha must be in [0, 0.5) (got {})", options.alpha));
  if (options.ci_group_size == 0) throw InputError("forest: ci_group_size must be at least 1 (got 0)");
  if (options.ci_group_size > 1) {
    if (options.bootstrap)
      throw InputError("forest: little bags (ci_group_size > 1) subsample; they cannot bootstrap");
    if (options.sample_fraction > 0.5)
      throw InputError(
          fmt::format("forest: with ci_group_size > 1 sample_fraction must be at most 0.5 (got {})",
                      options.sample_fraction));
    if (options.trees < options.ci_group_size)
      throw InputError(fmt::format("forest: trees ({}) must be at least ci_group_size ({})", options.trees,
                                   options.ci_group_size));
  }
  if (options.bootstrap && !options.clusters.empty())
    throw InputError("forest: clustered forests subsample clusters; they cannot bootstrap");
  if (training_rows < 2)
    throw InputError(fmt::format("forest: needs at least 2 training rows (got {})", training_rows));
  if (training_rows > 0xffffffffULL) throw InputError("forest: more than 2^32 training rows");
}

namespace {

SamplingUnits checked_units(const BinnedMatrix& x, std::span<const std::uint32_t> training_rows,
                            const ForestOptions& options) {
  check_forest_options(options, training_rows.size());
  if (!options.clusters.empty() && options.clusters.size() != x.rows())
    throw InputError(fmt::format("forest: {} cluster ids for {} rows", options.clusters.size(), x.rows()));
  SamplingUnits units = sampling_units(training_rows, options.clusters);
  if (units.count() < 2)
    throw InputError(fmt::format("forest: needs at least 2 clusters to subsample (got {})", units.count()));
  if (options.ci_group_size > 1 && units.count() < 4)
    throw InputError(fmt::format("forest: little bags need at least 4 {} (got {})",
                                 units.clustered() ? "clusters" : "rows", units.count()));
  return units;
}

// Trees grown at a time by predict_while_growing: whole little bags, about kTreesPerBatch trees.
std::size_t batch_size(const ForestOptions& options) {
  return std::max<std::size_t>(1, kTreesPerBatch / options.ci_group_size) * options.ci_group_size;
}

}  // namespace

Forest train_forest(const BinnedMatrix& x, std::span<const std::uint32_t> training_rows,
                    const SplitRule& rule, const ForestOptions& options) {
  const SamplingUnits units = checked_units(x, training_rows, options);
  std::vector<GrownTree> grown(trees_grown(options));
  ProgressLoop progress(grown.size(), "trees");
  parallel_for(grown.size(), options.threads, [&](std::size_t t) {
    grown[t] = grow_one(x, units, rule, options, t);
    progress.step();
  });
  Forest forest;
  forest.rule_ = &rule;
  forest.training_matrix_rows_ = x.rows();
  forest.group_size_ = options.ci_group_size;
  forest.fallback_ = training_means(training_rows, rule);
  for (auto& g : grown) {
    forest.trees_.push_back(std::move(g.tree));
    forest.in_subsample_.push_back(std::move(g.in_subsample));
  }
  return forest;
}

std::vector<double> Forest::predict(const BinnedMatrix& points, bool out_of_bag, unsigned threads) const {
  if (out_of_bag && points.rows() != training_matrix_rows_)
    throw InputError("forest: out-of-bag points must correspond row by row to the training matrix");
  Accumulator acc(points.rows(), rule_->leaf_statistics(), false);
  accumulate(trees_, in_subsample_, {&points, out_of_bag, false}, group_size_, acc, threads);
  return finish(*rule_, acc, group_size_, fallback_, nullptr).estimates;
}

ForestPredictions predict_while_growing(const BinnedMatrix& x, std::span<const std::uint32_t> training_rows,
                                        const SplitRule& rule, const ForestOptions& options,
                                        std::span<const ForestQuery> queries, std::size_t* fallback_points) {
  const SamplingUnits units = checked_units(x, training_rows, options);
  for (const auto& q : queries) check_query(x, q, rule, options);
  std::vector<Accumulator> accumulators;
  for (const auto& q : queries)
    accumulators.emplace_back(q.points->rows(), rule.leaf_statistics(), q.variance);
  const std::size_t total = trees_grown(options), batch_trees = batch_size(options);
  std::vector<Tree> trees;
  std::vector<std::vector<std::uint64_t>> subsamples;
  for (std::size_t first = 0; first < total; first += batch_trees) {
    const std::size_t batch = std::min(batch_trees, total - first);
    std::vector<GrownTree> grown(batch);
    parallel_for(batch, options.threads,
                 [&](std::size_t t) { grown[t] = grow_one(x, units, rule, options, first + t); });
    trees.clear();
    subsamples.clear();
    for (auto& g : grown) {
      trees.push_back(std::move(g.tree));
      subsamples.push_back(std::move(g.in_subsample));
    }
    for (std::size_t q = 0; q < queries.size(); ++q)
      accumulate(trees, subsamples, queries[q], options.ci_group_size, accumulators[q], options.threads);
  }
  const std::vector<double> fallback = training_means(training_rows, rule);
  ForestPredictions out;
  for (std::size_t q = 0; q < queries.size(); ++q)
    out.push_back(finish(rule, accumulators[q], options.ci_group_size, fallback, fallback_points));
  return out;
}

std::vector<double> regression_forest_predictions(const BinnedMatrix& x, std::span<const double> y,
                                                  std::span<const std::uint32_t> training_rows,
                                                  const ForestOptions& options) {
  const RegressionRule rule(y);
  // Out of bag where a row trained the forest; from every tree elsewhere (such rows are in no subsample).
  const ForestQuery query{&x, true, false};
  return predict_while_growing(x, training_rows, rule, options, std::span(&query, 1)).front().estimates;
}

}  // namespace casebook
