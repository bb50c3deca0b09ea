#include "forest/forest.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "forest/parallel_for.hpp"

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

// Selection sampling (Knuth's Algorithm S): exactly `take` of `from`, returned in their order, so
// a tree gathers its rows in memory order.
std::vector<std::uint32_t> sample_in_order(std::span<const std::uint32_t> from, std::size_t take, pcg32& rng) {
  std::vector<std::uint32_t> chosen;
  chosen.reserve(take);
  const std::size_t n = from.size();
  for (std::size_t i = 0; i < n && chosen.size() < take; ++i)
    if (rng(static_cast<std::uint32_t>(n - i)) < take - chosen.size()) chosen.push_back(from[i]);
  return chosen;
}

std::size_t default_mtry(std::size_t p) {
  return std::min(p, static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(p)) + 20)));
}

GrownTree grow_one(const BinnedMatrix& x, std::span<const std::uint32_t> training_rows, const SplitRule& rule,
                   const ForestOptions& options, std::size_t tree_index) {
  pcg32 rng;
  seed_from_key(rng, derive_seed(options.seed, tree_index));
  GrownTree grown;
  grown.in_subsample.assign((x.rows() + 63) / 64, 0);
  std::vector<std::uint32_t> subsample;
  if (options.bootstrap) {
    subsample.reserve(training_rows.size());
    for (std::size_t i = 0; i < training_rows.size(); ++i)
      subsample.push_back(training_rows[rng(static_cast<std::uint32_t>(training_rows.size()))]);
    std::sort(subsample.begin(), subsample.end());
  } else {
    const auto take = static_cast<std::size_t>(options.sample_fraction * static_cast<double>(training_rows.size()));
    subsample = sample_in_order(training_rows, std::max<std::size_t>(take, 1), rng);
  }
  for (const std::uint32_t row : subsample) grown.in_subsample[row / 64] |= std::uint64_t{1} << (row % 64);

  TreeOptions tree_options;
  tree_options.mtry = options.mtry == 0 ? default_mtry(x.cols()) : options.mtry;
  tree_options.min_node_size = options.min_node_size;
  tree_options.alpha = options.alpha;
  if (!options.honesty) {
    grown.tree = grow_tree(x, rule, tree_options, subsample, subsample, rng);
    return grown;
  }
  // Honesty: a random half (honesty_fraction) chooses the splits, the rest fills the leaves.
  const auto split_size = static_cast<std::size_t>(options.honesty_fraction * static_cast<double>(subsample.size()));
  std::vector<std::uint32_t> split_rows, fill_rows;
  split_rows.reserve(split_size);
  fill_rows.reserve(subsample.size() - split_size);
  for (std::size_t i = 0; i < subsample.size(); ++i) {
    const std::size_t left = subsample.size() - i, wanted = split_size - split_rows.size();
    if (rng(static_cast<std::uint32_t>(left)) < wanted) split_rows.push_back(subsample[i]);
    else fill_rows.push_back(subsample[i]);
  }
  grown.tree = grow_tree(x, rule, tree_options, split_rows, fill_rows, rng);
  return grown;
}

bool held(const std::vector<std::uint64_t>& bits, std::size_t row) { return (bits[row / 64] >> (row % 64)) & 1u; }

// Adds the leaf statistics of `trees` (in their order) to every point's running sums.
void accumulate(std::span<const Tree> trees, std::span<const std::vector<std::uint64_t>> subsamples,
                const ForestQuery& query, std::size_t k, std::vector<double>& sums, std::vector<std::uint32_t>& counts,
                unsigned threads) {
  const BinnedMatrix& points = *query.points;
  const std::size_t blocks = (points.rows() + kPointsPerBlock - 1) / kPointsPerBlock;
  parallel_for(blocks, threads, [&](std::size_t block) {
    const std::size_t end = std::min(points.rows(), (block + 1) * kPointsPerBlock);
    for (std::size_t i = block * kPointsPerBlock; i < end; ++i) {
      const auto row = points.row(i);
      for (std::size_t t = 0; t < trees.size(); ++t) {
        if (query.out_of_bag && held(subsamples[t], i)) continue;
        const std::uint32_t leaf = trees[t].leaf_of(row);
        if (trees[t].leaf_sizes[leaf] == 0) continue;
        for (std::size_t s = 0; s < k; ++s) sums[i * k + s] += trees[t].leaf_means[leaf * k + s];
        ++counts[i];
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

std::vector<double> finish(const SplitRule& rule, const std::vector<double>& sums, const std::vector<std::uint32_t>& counts,
                           const std::vector<double>& fallback, std::size_t* fallback_points) {
  const std::size_t k = rule.leaf_statistics();
  std::vector<double> out(counts.size());
  std::vector<double> averages(k);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) {
      out[i] = rule.combine(fallback);
      if (fallback_points) ++*fallback_points;
      continue;
    }
    for (std::size_t s = 0; s < k; ++s) averages[s] = sums[i * k + s] / counts[i];
    out[i] = rule.combine(averages);
  }
  return out;
}

void check_query(const BinnedMatrix& x, const ForestQuery& query) {
  if (query.points->cols() != x.cols())
    throw InputError("forest: the points to predict have a different number of covariates than the training data");
  if (query.out_of_bag && query.points->rows() != x.rows())
    throw InputError("forest: out-of-bag points must correspond row by row to the training matrix");
}

}  // namespace

void check_forest_options(const ForestOptions& options, std::size_t training_rows) {
  if (options.trees == 0) throw InputError("forest: trees must be at least 1 (got 0)");
  if (!(options.sample_fraction > 0 && options.sample_fraction <= 1))
    throw InputError(fmt::format("forest: sample_fraction must be in (0, 1] (got {})", options.sample_fraction));
  if (options.honesty && !(options.honesty_fraction > 0 && options.honesty_fraction < 1))
    throw InputError(fmt::format("forest: honesty_fraction must be in (0, 1) (got {})", options.honesty_fraction));
  if (!(options.alpha >= 0 && options.alpha < 0.5))
    throw InputError(fmt::format("forest: alpha must be in [0, 0.5) (got {})", options.alpha));
  if (training_rows < 2) throw InputError(fmt::format("forest: needs at least 2 training rows (got {})", training_rows));
  if (training_rows > 0xffffffffULL) throw InputError("forest: more than 2^32 training rows");
}

Forest train_forest(const BinnedMatrix& x, std::span<const std::uint32_t> training_rows, const SplitRule& rule,
                    const ForestOptions& options) {
  check_forest_options(options, training_rows.size());
  std::vector<GrownTree> grown(options.trees);
  parallel_for(options.trees, options.threads,
               [&](std::size_t t) { grown[t] = grow_one(x, training_rows, rule, options, t); });
  Forest forest;
  forest.rule_ = &rule;
  forest.training_matrix_rows_ = x.rows();
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
  const std::size_t k = rule_->leaf_statistics();
  std::vector<double> sums(points.rows() * k, 0.0);
  std::vector<std::uint32_t> counts(points.rows(), 0);
  accumulate(trees_, in_subsample_, {&points, out_of_bag}, k, sums, counts, threads);
  return finish(*rule_, sums, counts, fallback_, nullptr);
}

ForestPredictions predict_while_growing(const BinnedMatrix& x, std::span<const std::uint32_t> training_rows,
                                        const SplitRule& rule, const ForestOptions& options,
                                        std::span<const ForestQuery> queries, std::size_t* fallback_points) {
  check_forest_options(options, training_rows.size());
  for (const auto& q : queries) check_query(x, q);
  const std::size_t k = rule.leaf_statistics();
  std::vector<std::vector<double>> sums;
  std::vector<std::vector<std::uint32_t>> counts;
  for (const auto& q : queries) {
    sums.emplace_back(q.points->rows() * k, 0.0);
    counts.emplace_back(q.points->rows(), 0);
  }
  std::vector<Tree> trees;
  std::vector<std::vector<std::uint64_t>> subsamples;
  for (std::size_t first = 0; first < options.trees; first += kTreesPerBatch) {
    const std::size_t batch = std::min(kTreesPerBatch, options.trees - first);
    std::vector<GrownTree> grown(batch);
    parallel_for(batch, options.threads,
                 [&](std::size_t t) { grown[t] = grow_one(x, training_rows, rule, options, first + t); });
    trees.clear();
    subsamples.clear();
    for (auto& g : grown) {
      trees.push_back(std::move(g.tree));
      subsamples.push_back(std::move(g.in_subsample));
    }
    for (std::size_t q = 0; q < queries.size(); ++q)
      accumulate(trees, subsamples, queries[q], k, sums[q], counts[q], options.threads);
  }
  const std::vector<double> fallback = training_means(training_rows, rule);
  ForestPredictions out;
  for (std::size_t q = 0; q < queries.size(); ++q) out.push_back(finish(rule, sums[q], counts[q], fallback, fallback_points));
  return out;
}

std::vector<double> regression_forest_predictions(const BinnedMatrix& x, std::span<const double> y,
                                                  std::span<const std::uint32_t> training_rows,
                                                  const ForestOptions& options) {
  const RegressionRule rule(y);
  // Out of bag where a row trained the forest; from every tree elsewhere (such rows are in no subsample).
  const ForestQuery query{&x, true};
  return predict_while_growing(x, training_rows, rule, options, std::span(&query, 1)).front();
}

}  // namespace casebook
