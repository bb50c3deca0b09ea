#pragma once
// A random forest engine in the style of grf (Athey, Tibshirani & Wager 2019): each tree is grown
// on a subsample drawn without replacement (sample_fraction, default 0.5 as grf) or on a bootstrap
// sample, optionally honest (half of the subsample chooses the splits, the other half fills the
// leaves), with mtry candidate covariates per node and grf's min_node_size and imbalance alpha.
// What the forest estimates is a SplitRule (split_rule.hpp): RegressionRule here, a causal
// (gradient-based) rule later, on the same trees, split search and prediction.
//
// Determinism: tree t draws everything from a generator seeded by derive_seed(seed, t), and a
// prediction sums the trees' leaf statistics in tree order, so the output is identical for any
// thread count. Threads share work over trees (growing) and over points (predicting).
//
// Two ways to use it:
//  - train_forest() keeps every tree; Forest::predict() then answers any points later.
//  - predict_while_growing() grows the trees in batches, adds each batch's leaf statistics to the
//    requested points and drops the batch: memory holds a batch of trees, not the forest. Use it
//    when only out-of-bag predictions or predictions at points known in advance are needed.
// Out of bag: point i of an out-of-bag query is training row i, and the trees whose subsample
// (both honesty halves, as grf) held row i are skipped for it.
//
// Little bags (grf's ci.group.size, Athey, Tibshirani & Wager 2019, section 4): with
// ci_group_size = g ≥ 2 the trees come in groups of g; a group draws half of the training rows
// (clusters), and each of its trees subsamples 2·sample_fraction of that half. The spread of the
// group means around the forest's estimate, less the within-group noise, estimates the variance of
// the estimate (delta method through SplitRule::gradient, grf's objective-Bayes debiasing).
// Clusters: subsampling, honesty halves and out-of-bag status are by cluster, never splitting one.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "forest/binned_matrix.hpp"
#include "forest/split_rule.hpp"
#include "forest/tree.hpp"

namespace casebook {

struct ForestOptions {
  std::size_t trees = 500;
  double sample_fraction = 0.5;  // subsample size as a share of the training rows (no replacement)
  bool bootstrap = false;        // instead: n draws with replacement (sample_fraction ignored)
  bool honesty = true;
  double honesty_fraction = 0.5;     // share of the subsample that chooses splits
  bool honesty_prune_leaves = true;  // grf's default: splits that left a child without fill rows are removed
  std::size_t mtry = 0;              // 0: grf's default min(⌈√p + 20⌉, p)
  std::size_t min_node_size = 5;
  double alpha = 0.05;
  std::uint64_t seed = 42;
  unsigned threads = 0;  // 0: one per core
  std::size_t ci_group_size =
      1;  // trees per little bag; ≥ 2 allows variance estimates (needs sample_fraction ≤ 0.5)
  // Cluster of each row of x (any integer ids; empty: every row its own cluster). Must outlive the call.
  std::span<const std::uint32_t> clusters;
};

// Throws InputError naming the option when it is out of range (trees 0, fraction outside (0, 1], …).
// With ci_group_size = g the forest grows ⌊trees / g⌋·g trees, as grf does.
void check_forest_options(const ForestOptions& options, std::size_t training_rows);

struct ForestQuery {
  const BinnedMatrix* points = nullptr;  // coded with the training matrix's cuts
  bool out_of_bag = false;               // point i is training row i (needs points->rows() == x.rows())
  bool variance = false;                 // also estimate each estimate's variance (needs ci_group_size ≥ 2)
};

// The estimate at each point of a query. A point no tree reaches with a non-empty leaf (rare:
// every tree held it in its subsample) gets the mean of the training rows' statistics, combined;
// `fallback_points` (if given) counts them. Variances (when asked) are NaN where fewer than two
// little bags had the point out of bag in a non-empty leaf; `variance_missing` counts those.
struct QueryPredictions {
  std::vector<double> estimates;
  std::vector<double> variances;  // empty unless the query asked for them
  std::size_t variance_missing = 0;
};
using ForestPredictions = std::vector<QueryPredictions>;

class Forest {
 public:
  std::size_t trees() const { return trees_.size(); }
  std::vector<double> predict(const BinnedMatrix& points, bool out_of_bag = false,
                              unsigned threads = 0) const;

 private:
  friend Forest train_forest(const BinnedMatrix&, std::span<const std::uint32_t>, const SplitRule&,
                             const ForestOptions&);
  const SplitRule* rule_ = nullptr;
  std::vector<Tree> trees_;
  std::vector<std::vector<std::uint64_t>> in_subsample_;  // per tree: bitset over training rows
  std::vector<double> fallback_;                          // mean statistics of the training rows
  std::size_t training_matrix_rows_ = 0;
  std::size_t group_size_ = 1;
};

// `training_rows` are the rows of `x` the forest learns from (e.g. the treated rows of a
// T-learner); the rule reads its responses by row index of `x`. The rule must outlive the Forest.
Forest train_forest(const BinnedMatrix& x, std::span<const std::uint32_t> training_rows,
                    const SplitRule& rule, const ForestOptions& options);

ForestPredictions predict_while_growing(const BinnedMatrix& x, std::span<const std::uint32_t> training_rows,
                                        const SplitRule& rule, const ForestOptions& options,
                                        std::span<const ForestQuery> queries,
                                        std::size_t* fallback_points = nullptr);

// Convenience: a regression forest of y on x, predictions for every row of x: out of bag for
// the training rows, from all trees for the others. This is what the meta-learners use.
std::vector<double> regression_forest_predictions(const BinnedMatrix& x, std::span<const double> y,
                                                  std::span<const std::uint32_t> training_rows,
                                                  const ForestOptions& options);

}  // namespace casebook
