#pragma once
// What a forest estimates, separated from how it grows trees. The tree code (tree.hpp) only sees
// this interface, so a regression forest and a generalized (grf-style causal) forest share the
// binning, subsampling, honesty, histogram split search and prediction:
//
//  - Split search is always CART on a per-sample *response* r_i: the split of a node maximises
//      S_L^2 / n_L + S_R^2 / n_R   (S = sum of r over a child, n = its size),
//    i.e. the reduction of the within-node sum of squares of r. A regression forest uses r_i = y_i.
//    A causal forest (Athey, Tibshirani & Wager 2019, "gradient-based" splitting) recomputes r_i at
//    each node from the node's samples: r_i = (W_i - W̄)(Y_i - Ȳ - (W_i - W̄) τ̂_P) with τ̂_P the
//    node's estimate; set relabels_per_node() and fill node_responses() for that.
//  - A leaf stores the mean of k per-sample statistics over its (honest) samples
//    (regression: k = 1, y_i; causal: e.g. W̃Ỹ, W̃², W̃, Ỹ, …).
//  - A prediction averages each leaf statistic over the trees (grf's forest weights α_i(x) give
//    exactly these averages) and maps the k averages to the estimate with combine()
//    (regression: the average itself; causal: a ratio such as mean(W̃Ỹ) / mean(W̃²)).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace casebook {

class SplitRule {
 public:
  virtual ~SplitRule() = default;

  // Number of statistics a leaf averages (k).
  virtual std::size_t leaf_statistics() const = 0;
  // Writes the k statistics of training row `row` into out[0..k).
  virtual void sample_statistics(std::uint32_t row, std::span<double> out) const = 0;

  // The split response of each row once per tree (used when relabels_per_node() is false).
  virtual double response(std::uint32_t row) const = 0;
  // True when responses depend on the node (gradient-based relabelling): then node_responses()
  // is called for every node before its split search.
  virtual bool relabels_per_node() const { return false; }
  // Responses of the node's rows (in the given order); the default uses response().
  virtual void node_responses(std::span<const std::uint32_t> rows, std::span<double> out) const {
    for (std::size_t i = 0; i < rows.size(); ++i) out[i] = response(rows[i]);
  }

  // Stabilised splits (grf's stabilize.splits, on by default in causal_forest): when true, a split
  // must leave in each child at least min_node_size rows whose balance_value is below the parent's
  // mean and min_node_size above it, and a spread Σ(z − z̄)² of at least alpha times the parent's
  // (instead of alpha times its row count). A causal forest balances on W̃, so no leaf is (almost)
  // all treated or all control.
  virtual bool balances_splits() const { return false; }
  virtual double balance_value(std::uint32_t) const { return 0; }

  // The estimate from the k tree-averaged leaf statistics.
  virtual double combine(std::span<const double> averages) const = 0;
  // ∂combine/∂averages at `averages` (k values): the delta method turns the little bags' spread of
  // leaf statistics into the estimate's variance (grf's compute_variance, ξ'V⁻¹ of its eq. 16).
  virtual void gradient(std::span<const double> averages, std::span<double> out) const = 0;
};

// The regression forest's rule: respond with y, average y in leaves.
class RegressionRule final : public SplitRule {
 public:
  explicit RegressionRule(std::span<const double> y) : y_(y) {}
  std::size_t leaf_statistics() const override { return 1; }
  void sample_statistics(std::uint32_t row, std::span<double> out) const override { out[0] = y_[row]; }
  double response(std::uint32_t row) const override { return y_[row]; }
  double combine(std::span<const double> averages) const override { return averages[0]; }
  void gradient(std::span<const double>, std::span<double> out) const override { out[0] = 1; }

 private:
  std::span<const double> y_;
};

}  // namespace casebook
