#pragma once
// `causal-impact`: Brodersen et al. (2015)'s Bayesian structural time series as the CausalImpact
// R package builds it on bsts. On the pre-period (rows with time < post_start; rows must be in time
// order), y and every control series are standardised by their pre-period mean and sd, and
//   y_t = μ_t [+ seasonal_t] + β'x_t + ε_t,   μ_{t+1} = μ_t [+ δ_t] + η_t,
// with x_t = (1, controls): a local level (or local linear trend, trend=local_linear) with
// CausalImpact's SdPrior(prior_level_sd·sdy, sample.size = 32, upper.limit = sdy) on σ_μ; bsts's
// AddSeasonal / AddLocalLinearTrend priors for the other state sds; and bsts's default regression
// prior as CausalImpact calls it: SpikeSlabPrior(x, y, expected.model.size = 3, expected.r2 = 0.8,
// prior.df = 50, zero prior mean, Zellner slab Ω⁻¹ = 0.01·(½ diag + ½ full)(X'X / n)) with σ_ε ≤ 1.2 sdy.
// Gibbs sampling (niter draws, the first `burn` dropped): the states by Durbin & Koopman's simulation
// smoother (inference/state_space.hpp); each state sd from its truncated inverse-gamma
// conditional; the inclusion indicators γ one at a time with β and σ_ε integrated out (George &
// McCulloch's SSVS as BOOM's BregVsSampler), then σ_ε and β. Each kept draw is propagated through
// the post-period with its own innovations, controls and observation noise, and un-standardised.
// Summaries as CausalImpact's CompileSummaryTable: estimate = mean(y_post) - mean of the posterior
// mean prediction, its interval the 2.5/97.5% quantiles (R type 7) of the draws' average effects,
// se their sd; cumulative and relative effects; p the one-sided tail-area probability.
#include "data/dataset.hpp"
#include "estimators/estimate.hpp"

namespace casebook {

Estimate causal_impact(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
