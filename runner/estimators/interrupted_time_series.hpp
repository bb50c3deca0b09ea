#pragma once
// `its`: interrupted time series by segmented regression on one series,
//   y_t = b0 + b1 (t - t0) + b2 post_t + b3 post_t (t - t0) [+ covariates + season dummies] + e_t,
// with t0 the `intervention` time and post_t = 1 when t >= t0 (the intervention's own period is
// the first post period). Terms "(Intercept)", "trend" (= t - t0), "post" (the level change at t0),
// "post:trend" (the slope change). The estimate is the level change (effect=level), the slope
// change (effect=slope) or the average over the post rows of fitted minus counterfactual, b2 +
// mean(t - t0 | post) b3 (effect=average), a linear combination of the coefficients with its SE.
// Seasonality k adds k - 1 dummies "season1".."season{k-1}" of s = t mod k (season 0 the baseline;
// times must then be whole numbers). Standard errors are Newey–West HAC exactly as
// sandwich::NeweyWest(fit, lag = L, prewhite = P, adjust = FALSE) (Bartlett weights 1 - j/(L+1),
// no small-sample factor): P = 1 by default (option prewhite, as NeweyWest's default), the scores
// prewhitened by a VAR(1) without intercept as ar.ols fits it and the meat recoloured by (I - A)^-1;
// L = hac_lag or NeweyWest's automatic floor(bwNeweyWest(fit, prewhite = P)); se=iid gives lm's.
// t tests on n - k df, as lmtest::coeftest. Rows are sorted
// by time (the HAC weights need the series in order); a repeated time is an InputError.
#include "data/dataset.hpp"
#include "estimators/estimate.hpp"

namespace casebook {

Estimate interrupted_time_series(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
