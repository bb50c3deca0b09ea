#pragma once
// grf's average_treatment_effect(forest, target.sample = "all" | "treated" | "control", method = "AIPW")
// for a binary treatment, with grf's cluster-robust standard error (grf-labs/grf,
// r-package/grf/R/average_treatment_effect.R). Observations are weighted equally, which is grf's default
// (equalize.cluster.weights = FALSE: every row has weight 1, whatever its cluster's size).
//
// all:     Γ_i the AIPW scores (effect_summaries/doubly_robust_ate.hpp); estimate mean(Γ);
//          SE² = Σ_g (Σ_{i∈g} (Γ_i − mean Γ))² / n² · G/(G − 1).
// treated: with μ̂_1 = Ŷ + (1 − Ŵ)τ̂ and μ̂_0 = Ŷ − Ŵτ̂, weights γ_i = n/n_1 for treated rows and
//          γ_i = n · o_i / Σ_{controls} o_j, o = Ŵ/(1 − Ŵ), for controls; correction
//          c_i = W_i γ_i (Y_i − μ̂_1) − (1 − W_i) γ_i (Y_i − μ̂_0);
//          estimate = mean of τ̂ over the treated + mean(c);
//          SE² = Σ_{treated} (τ̂_i − τ̄_1)² / n_1² + Σ_g (Σ_{i∈g} c_i)² / n² · G/(G − 1)
//          (grf does not centre c; G = n without clusters).
// control: the mirror image: γ = n/n_0 for controls, n · o_i / Σ_{treated} o_j with o = (1 − Ŵ)/Ŵ for
//          treated rows, and τ̄, its variance term over the controls.
// grf's G is the number of clusters whose sum is not exactly zero (Matrix::nnzero); here it is the number
// of clusters, which differs only when some cluster's sum is exactly 0.
#include <cstddef>
#include <span>
#include <string_view>

namespace casebook {

enum class TargetSample { all, treated, control };

// "all", "treated", "control" (grf's names). Throws InputError naming the accepted values.
TargetSample parse_target_sample(std::string_view text);
std::string_view to_string(TargetSample target);

struct AverageEffectOptions {
  TargetSample target = TargetSample::all;
  std::span<const double> clusters = {};  // one id per row; empty: every row its own cluster
};

struct AverageEffect {
  TargetSample target = TargetSample::all;
  double estimate = 0;
  double se = 0;
  std::size_t rows = 0;      // n
  std::size_t clusters = 0;  // G (n without clusters)
};

// Throws InputError as doubly_robust_ate does (lengths, n < 2, W not 0/1, Ŵ not strictly inside (0, 1)),
// and when there are no treated or no control rows, or the cluster ids are bad (see
// inference/cluster_index.hpp).
AverageEffect average_treatment_effect(std::span<const double> y, std::span<const double> w,
                                       std::span<const double> y_hat, std::span<const double> w_hat,
                                       std::span<const double> cate,
                                       const AverageEffectOptions& options = {});

}  // namespace casebook
