#pragma once
// `heckman`: the sample-selection model (Heckman 1979) where the outcome is seen only on rows whose
// selection indicator (option selection) is 1 — wages only for those who work. Selection equation:
// a probit of the indicator on the selection covariates (with a constant) over every row; outcome
// equation: the outcome on the treatment and the covariates over the selected rows. The outcome may
// be missing (NA) on rows with selection 0; the dataset keeps missing values as NaN and no stage
// drops rows before an estimator runs, so this estimator sees them and requires values only where
// selection is 1.
// - method=twostep (Heckman's two-step, as sampleSelection's heckit / selection(method = "2step")):
//   λ = φ(z'γ̂)/Φ(z'γ̂) added to the outcome regression as "invMillsRatio"; σ̂² = e'e/n₁ + β̂_λ²
//   mean(δ), δ = λ(λ + z'γ̂); ρ̂ = β̂_λ/σ̂, reported as computed (sampleSelection does not truncate
//   it; a note says when it leaves [-1, 1]); the corrected variance of Heckman (1979) / Greene
//   (Econometric Analysis, two-step section): σ̂²(X'X)⁻¹(X'(I - ρ̂²Δ)X + Q)(X'X)⁻¹ with
//   Q = ρ̂²(X'ΔZ) V(γ̂)(Z'ΔX) and V(γ̂) the probit's inverse Fisher information at γ̂.
// - method=ml: the full-information (bivariate normal, Tobit-2) maximum likelihood, as
//   selection(method = "ml"): Newton's method with the analytic Hessian in (γ, β, log σ, atanh ρ)
//   from the two-step start; SEs from the inverse Hessian, by the delta method for σ and ρ.
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Estimate: the treatment's coefficient in the outcome equation (t test on the outcome
// regression's df for twostep, z test for ml). Terms: the outcome equation (with invMillsRatio for
// twostep). Tables "selection" and "outcome". Diagnostics: sigma, rho, inverse_mills,
// inverse_mills_se, n_selected, n_censored, estimate_selected_ols, df; ml adds sigma_se, rho_se,
// loglik, iterations. Row output inverse_mills_ratio (λ of every row).
Estimate heckman_selection(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
