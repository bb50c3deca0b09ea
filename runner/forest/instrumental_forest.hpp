#pragma once
// An instrumental forest (Athey, Tibshirani & Wager 2019, section 7; grf's instrumental_forest) on the
// forest engine of forest.hpp: the conditional local average treatment effect
//   τ(x) = Cov[Y, Z | X = x] / Cov[W, Z | X = x]
// for an outcome Y, a treatment W and an instrument Z. Only the split rule differs from the causal
// forest (causal_forest.hpp), which is the special case Z = W:
//  1. Orthogonalisation: regression forests of Y, W and Z on X give out-of-bag Ŷ, Ŵ and Ẑ (grf grows
//     min(500, trees) trees for each); the forest works on Ỹ = Y − Ŷ, W̃ = W − Ŵ, Z̃ = Z − Ẑ.
//  2. Relabelling (grf's InstrumentalRelabelingStrategy with reduced.form.weight = 0): a node P's rows
//     get ρ_i = (Z̃_i − Z̄̃_P)(Ỹ_i − Ȳ̃_P − τ̂_P (W̃_i − W̄̃_P)), τ̂_P = Σ(Z̃ − Z̄̃)(Ỹ − Ȳ̃) / Σ(Z̃ − Z̄̃)(W̃ − W̄̃),
//     scaled by the node constant n_P / Σ(Z̃ − Z̄̃)(W̃ − W̄̃) (which does not change the split, as CART is
//     invariant to scaling a node's responses), and the split is CART on ρ.
//  3. Honest leaves store the means of Ỹ, W̃, Z̃, ỸZ̃, W̃Z̃ (grf's InstrumentalPredictionStrategy); the
//     estimate is the α-weighted ratio τ̂(x) = (Σα ỸZ̃ − Σα Ỹ · Σα Z̃) / (Σα W̃Z̃ − Σα W̃ · Σα Z̃), and the
//     little bags give its variance by the delta method, which is grf's ξ'V⁻¹ H V⁻¹'ξ.
// Splits are stabilised on Z̃ (grf's stabilize.splits = TRUE, which balances on the instrument).
// Defaults are grf's: 2000 trees, sample.fraction 0.5, mtry min(⌈√p + 20⌉, p), min.node.size 5,
// honesty 0.5 with pruning, alpha 0.05, ci.group.size 2. Clusters go to all four forests.
#include <cstddef>
#include <span>
#include <vector>

#include "forest/binned_matrix.hpp"
#include "forest/forest.hpp"
#include "forest/split_rule.hpp"

namespace casebook {

// The instrumental split rule on residualised outcome, treatment and instrument (indexed by row).
class InstrumentalRule final : public SplitRule {
 public:
  InstrumentalRule(std::span<const double> y_residual, std::span<const double> w_residual,
                   std::span<const double> z_residual);
  std::size_t leaf_statistics() const override { return 5; }  // Ỹ, W̃, Z̃, ỸZ̃, W̃Z̃
  void sample_statistics(std::uint32_t row, std::span<double> out) const override;
  double response(std::uint32_t) const override { return 0; }  // unused: responses depend on the node
  bool relabels_per_node() const override { return true; }
  void node_responses(std::span<const std::uint32_t> rows, std::span<double> out) const override;
  bool balances_splits() const override { return true; }
  double balance_value(std::uint32_t row) const override { return z_[row]; }
  // τ̂ from the averaged statistics; where the instrument does not move the treatment under the
  // weights (a zero first stage), the training sample's τ̂ instead of a division by zero.
  double combine(std::span<const double> averages) const override;
  void gradient(std::span<const double> averages, std::span<double> out) const override;

 private:
  std::span<const double> y_, w_, z_;
  double overall_effect_ = 0;
};

struct InstrumentalForestOptions {
  ForestOptions forest = default_forest();
  std::size_t nuisance_trees = 0;  // 0: grf's min(500, trees)

  static ForestOptions default_forest() {
    ForestOptions options;
    options.trees = 2000;
    options.ci_group_size = 2;
    return options;
  }
};

struct InstrumentalForestFit {
  std::vector<double> y_hat, w_hat, z_hat;  // out-of-bag nuisance estimates
  std::vector<double> cate;                 // out-of-bag τ̂(X_i)
  std::vector<double> cate_variance;        // little-bag variance (empty when ci_group_size is 1)
  std::size_t fallback_points = 0;          // rows no tree could predict out of bag
  std::size_t variance_missing = 0;         // rows whose variance is NaN
};

// Out-of-bag instrumental forest on every row of x. Throws InputError on bad options or inputs of
// different lengths. Deterministic for options.forest.seed on any thread count.
InstrumentalForestFit fit_instrumental_forest(const BinnedMatrix& x, std::span<const double> y,
                                              std::span<const double> w, std::span<const double> z,
                                              const InstrumentalForestOptions& options);

}  // namespace casebook
