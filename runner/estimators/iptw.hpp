#pragma once
// `iptw`: inverse probability of treatment weighting with a logistic propensity model on the
// covariates. Estimate = Hajek (normalised) weighted difference in means for the estimand ate
// (weights 1/e, 1/(1 − e)), att (1, e/(1 − e)) or atc ((1 − e)/e, 1); SE from the stacked
// estimating equations of the propensity model and the weighted means (M-estimation, so the
// estimated propensity is accounted for; Lunceford & Davidian 2004).
// Options: estimand (ate), stabilize (false: multiply by the arm's share, Robins, Hernán &
// Brumback 2000; the Hajek estimate and SE do not change, only the weights reported), trim (none:
// truncate propensities to [trim, 1 − trim], 0 < trim < 0.5).
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"
#include "estimators/propensity_score.hpp"

namespace casebook {

// The weights iptw uses, row by row (for balance tables and --predictions).
PropensityWeights iptw_weights(const Dataset& data, const EstimatorArgs& args);

// Diagnostics: se_ignoring_ps, min_propensity, max_propensity, ess_treated, ess_control,
// max_weight, n_trimmed, df; row outputs weight, propensity.
Estimate iptw(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
