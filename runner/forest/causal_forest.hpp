#pragma once
// A causal forest (Athey, Tibshirani & Wager 2019, "Generalized random forests"; grf's
// causal_forest) on the forest engine of forest.hpp:
//  1. Orthogonalisation: regression forests of Y and of W on X give out-of-bag Ŷ and Ŵ; the causal
//     forest works on the residuals Ỹ = Y − Ŷ and W̃ = W − Ŵ (Robinson's transformation).
//  2. Gradient-based relabelling: before each split search the node P's rows get the pseudo-outcome
//     ρ_i = (W̃_i − W̄̃_P)(Ỹ_i − Ȳ̃_P − τ̂_P (W̃_i − W̄̃_P)) / Var_P(W̃), and the split is CART on ρ.
//  3. Honest leaves store the means of W̃Ỹ, W̃², W̃ and Ỹ; averaging them over trees is averaging
//     with grf's forest weights α_i(x), and the estimate is the α-weighted, centred ratio
//     τ̂(x) = (Σα W̃Ỹ − Σα W̃ · Σα Ỹ) / (Σα W̃² − (Σα W̃)²).
//
// Defaults are grf's causal_forest: 2000 trees, sample.fraction 0.5, mtry min(⌈√p + 20⌉, p),
// min.node.size 5, honesty with honesty.fraction 0.5, alpha 0.05, imbalance.penalty 0 (no penalty),
// ci.group.size 2 (little bags: a variance for every τ̂(x)), and nuisance forests of
// max(50, trees / 4) trees with the same settings but ci.group.size 1. Clusters (optional) are
// passed to all three forests. Splits are stabilised on W̃ as grf's stabilize.splits = TRUE
// (split_rule.hpp), and splits that honesty left with an empty child are pruned as grf's
// honesty.prune.leaves = TRUE. What differs from grf: no sample weights or parameter tuning;
// split covariates are pre-binned into at most 256 quantile bins.
#include <cstddef>
#include <span>
#include <vector>

#include "forest/binned_matrix.hpp"
#include "forest/forest.hpp"
#include "forest/split_rule.hpp"

namespace casebook {

// The causal split rule on residualised outcome and treatment (indexed by row of the matrix).
class CausalRule final : public SplitRule {
 public:
  CausalRule(std::span<const double> y_residual, std::span<const double> w_residual);
  std::size_t leaf_statistics() const override { return 4; }  // W̃Ỹ, W̃², W̃, Ỹ
  void sample_statistics(std::uint32_t row, std::span<double> out) const override;
  double response(std::uint32_t) const override { return 0; }  // unused: responses depend on the node
  bool relabels_per_node() const override { return true; }
  void node_responses(std::span<const std::uint32_t> rows, std::span<double> out) const override;
  bool balances_splits() const override { return true; }
  double balance_value(std::uint32_t row) const override { return w_[row]; }
  // τ̂ from the averaged statistics; where W̃ does not vary under the weights (degenerate), the
  // training sample's τ̂ instead of a division by zero.
  double combine(std::span<const double> averages) const override;
  void gradient(std::span<const double> averages, std::span<double> out) const override;

 private:
  std::span<const double> y_, w_;
  double overall_effect_ = 0;
};

struct CausalForestOptions {
  ForestOptions forest = default_forest();
  std::size_t nuisance_trees = 0;  // 0: grf's max(50, trees / 4)

  static ForestOptions default_forest() {
    ForestOptions options;
    options.trees = 2000;
    options.ci_group_size = 2;
    return options;
  }
};

struct CausalForestFit {
  std::vector<double> y_hat, w_hat;  // out-of-bag nuisance estimates
  std::vector<double> cate;          // out-of-bag τ̂(X_i)
  std::vector<double>
      cate_variance;  // its little-bag variance (empty when ci_group_size is 1; NaN where unavailable)
  std::size_t fallback_points = 0;  // rows no tree could predict out of bag (given the overall τ̂)
  std::size_t variance_missing =
      0;  // rows whose variance is NaN: fewer than two little bags had them out of bag
};

// Out-of-bag causal forest on every row of x. Throws InputError on bad options or inputs of
// different lengths. Deterministic for options.forest.seed on any thread count.
// Given `y_hat` and `w_hat` (both, one per row), they replace the nuisance forests, as grf's
// causal_forest(Y.hat = …, W.hat = …): the instrumental forest's compliance score uses that.
CausalForestFit fit_causal_forest(const BinnedMatrix& x, std::span<const double> y, std::span<const double> w,
                                  const CausalForestOptions& options, std::span<const double> y_hat = {},
                                  std::span<const double> w_hat = {});

}  // namespace casebook
