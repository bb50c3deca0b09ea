#pragma once
// `rdd`: sharp and fuzzy regression discontinuity with rdrobust's definitions (Calonico, Cattaneo &
// Titiunik 2014; bandwidths as rdbwselect; CER bandwidths of Calonico, Cattaneo & Farrell 2020;
// covariates as Calonico, Cattaneo, Farrell & Titiunik 2019). A local polynomial of order p on each
// side of the cutoff with kernel weights at bandwidth h; its bias estimated by a local polynomial of
// order q at bandwidth b. Three rows as rdrobust reports them: Conventional (estimate and SE at h),
// Bias-Corrected (the estimate minus the estimated bias, conventional SE) and Robust (the
// bias-corrected estimate with the SE that accounts for the bias estimate). The case's CI is the
// robust one. Fuzzy when a treatment column is given: the outcome jump over the treatment jump with
// its delta-method SE.
//
// Variance: rdrobust's nearest-neighbour residuals (nnmatch neighbours, tied running values taken
// as one mass point), or hc0–hc3 residuals of each fit; with a cluster column, rdrobust's CR1 on the
// fits' residuals with the factor ((n − 1)/(n − k))·(G/(G − 1)) per side.
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Diagnostics: h_left, h_right, b_left, b_right, n_h_left, n_h_right (rows with positive kernel
// weight at h), n_left, n_right, estimate_bc, se_robust, p_conventional; fuzzy: first_stage (the
// treatment jump) and first_stage_F (its squared z); clusters with a cluster column. Table
// "rdrobust": the Conventional, Bias-Corrected and Robust rows.
Estimate regression_discontinuity(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
