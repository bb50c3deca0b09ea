#pragma once
// `mediation`: causal mediation analysis in the linear case (Imai, Keele & Tingley 2010, as R's
// mediation::mediate with two lm fits). Mediator model M ~ T + X; outcome model Y ~ T + M + X, with
// T:M when option interaction=true. With a = T's coefficient in the mediator model, c and b those of
// T and M in the outcome model, d that of T:M (0 without it) and Δ = t1 − t0 (options treat_value,
// control_value):
//   ACME(t) = a (b + d t) Δ,   ADE(t) = Δ (c + d E[M(t)]),   total = ACME(t1) + ADE(t0),
// E[M(t)] the mediator model's mean prediction with T set to t. The point estimates are these
// closed forms. Intervals (percentile) and p-values (mediate's 2 min(#draws ≥ 0, #draws ≤ 0)/R)
// come from `sims` draws: quasi-Bayesian (both models' coefficients drawn from their asymptotic
// normal with the classical OLS variance, the effects' closed forms at each draw) or the
// nonparametric bootstrap (rows resampled, both models refitted).
//
// Beside it: the Baron–Kenny product a·b·Δ of the model without interaction with its Sobel
// (delta-method) SE, and without interaction the sensitivity of the ACME to the correlation ρ of
// the two models' errors (Imai, Keele & Yamamoto 2010, Statistical Science, Theorem 2):
//   ACME(ρ) = Δ a σ₁/σ₂ (ρ̃ − ρ √((1 − ρ̃²)/(1 − ρ²))),
// σ₁, σ₂ the error SDs of Y ~ T + X and of the mediator model, ρ̃ the correlation of their
// residuals, where the ACME crosses 0 (diagnostic rho_at_zero); option rho reports the ACME at a
// given ρ with its interval (acme_at_rho).
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Estimate: the ACME averaged over the two treatment levels (mediate's d.avg), SE the SD of its
// draws. Diagnostics: acme_control, acme_treated, ade_control, ade_treated, ade, total_effect,
// prop_mediated (and acme), each with _ci_low, _ci_high and _p; a_path, b_path, interaction_coef;
// product_of_coefficients with _se and _p; rho_at_zero (acme_at_rho with option rho); sims,
// failed_sims. Tables "effects", "mediator_model", "outcome_model", "sensitivity"; plot
// "acme_sensitivity" (ACME(ρ) with its band).
Estimate mediation(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
