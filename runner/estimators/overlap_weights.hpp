#pragma once
// `overlap-weights`: Li, Morgan & Zaslavsky (2018) overlap weights from a logistic propensity
// model on the covariates — treated rows 1 − e, controls e — and the Hajek weighted difference in
// means, which estimates the average effect in the overlap population (ATO). The weights are
// bounded by 1, so rows with propensities near 0 or 1 cannot dominate. SE from the stacked
// estimating equations of the propensity model and the weighted means (their section 3.3).
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"
#include "estimators/propensity_score.hpp"

namespace casebook {

// The weights overlap-weights uses, row by row (for balance tables and --predictions).
PropensityWeights overlap_weights(const Dataset& data, const EstimatorArgs& args);

// Diagnostics: se_ignoring_ps, min_propensity, max_propensity, ess_treated, ess_control,
// max_weight, df; row outputs weight, propensity.
Estimate overlap_weights_estimate(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
