#pragma once
// The `instrumental-forest` estimator: grf's instrumental_forest (forest/instrumental_forest.hpp) for
// the conditional local average treatment effect τ(x) = Cov[Y, Z | x] / Cov[W, Z | x], with grf's
// doubly robust average of τ(X) (average_treatment_effect for instrumental forests) as its estimate.
#include "estimators/estimator.hpp"

namespace casebook {

// One 0/1 instrument (args.instruments), a 0/1 treatment, covariates. Options: the grf forest options
// (trees 2000, seed, threads, min_node_size, mtry, honesty, ci_group_size 2), compliance_trees (500,
// grf's num.trees.for.weights) and blp (columns of the best linear projection).
// estimate/se = mean of grf's scores Γ = τ̂ + (Z − Ẑ) / (Ẑ(1 − Ẑ) Δ̂) · (Y − Ŷ − τ̂ (W − Ŵ)), where Δ̂(x),
// the compliance score, is a causal forest of W on Z given Ŵ and Ẑ (grf's get_scores), SE
// sqrt(Σ_g (Σ_{i∈g} (Γ_i − Γ̄))² / n² · G/(G − 1)) with a normal interval; args.cluster: every forest
// subsamples whole clusters and the SE is cluster-robust. Per-row outputs cate (out of bag),
// cate_variance (little bags), y_hat, w_hat, z_hat, compliance_score. A weak instrument (robust
// first-stage F of W − Ŵ on Z − Ẑ below 10, or grf's small compliance score) is a note, not an error.
Estimate instrumental_forest_estimate(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
