#pragma once
// `2sls`: Y on the treatment (one endogenous regressor) and the covariates, with the excluded
// instruments args.instruments (one or more; categorical ones as dummies) and the covariates as
// exogenous regressors. Standard errors: the shared sandwich with the projected regressors X̂ and
// structural residuals y - Xβ (actual X), as AER::ivreg + sandwich and estimatr::iv_robust.
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Diagnostics: first_stage_F (classical F of the excluded instruments), first_stage_F_robust
// (Wald/q with the estimate's variance type, hc1 by default), effective_F (Montiel Olea &
// Pflueger), partial_r2, df, and wald_estimate when there is exactly one 0/1 instrument; with a
// 0/1 treatment too, the compliance shares, ITT and complier profile (estimators/complier_profile).
// An instrument that does not move the treatment at all is an InputError.
Estimate two_stage_least_squares(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
