#pragma once
// Meta-learners of the conditional average treatment effect τ(x) = E[Y(1) − Y(0) | X = x] in a
// two-arm experiment (Künzel, Sekhon, Bickel & Yu 2019; Kennedy 2023 for the DR-learner), as in
// CausalML. Each writes per-row CATE to row_outputs["cate"]; options in meta_learner.hpp.
#include "estimators/estimator.hpp"

namespace casebook {

// S-learner: one model μ̂(x, t) with the treatment as a feature; τ̂(x) = μ̂(x, 1) − μ̂(x, 0).
Estimate s_learner(const Dataset& data, const EstimatorArgs& args);
// T-learner: μ̂₁ on treated rows, μ̂₀ on control rows; τ̂(x) = μ̂₁(x) − μ̂₀(x).
Estimate t_learner(const Dataset& data, const EstimatorArgs& args);
// X-learner: imputed effects D = Y − μ̂₀(x) (treated), μ̂₁(x) − Y (control), regressed on x in each
// arm (τ̂₁, τ̂₀) and combined with the propensity ê(x): τ̂(x) = ê(x) τ̂₀(x) + (1 − ê(x)) τ̂₁(x).
Estimate x_learner(const Dataset& data, const EstimatorArgs& args);
// DR-learner: cross-fitted AIPW scores ψ regressed on x; ATE = mean(ψ), SE = sd(ψ)/√n.
Estimate dr_learner(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
