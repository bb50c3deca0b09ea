#pragma once
// `cem`: coarsened exact matching (Iacus, King & Porro 2012) as MatchIt 4.5's matchit(method =
// "cem"): each numeric covariate is cut into equal-width bins between its minimum and maximum
// (Sturges' number of bins unless option cutpoints says otherwise; 0 bins: matched exactly),
// text covariates are matched exactly, and the strata are the distinct coarsened rows. Strata
// without both arms are dropped; the others weight their rows as MatchIt does for the estimand
// (att, atc or ate). The effect is the vignette's for matching without pairs: lm(y ~ t,
// weights) on the matched rows with a robust HC3 SE (sandwich::vcovHC).
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"
#include "estimators/subclass_weights.hpp"

namespace casebook {

// The strata and weights alone (what cem's estimate rests on), for tests and other estimators.
// Strata are numbered as MatchIt numbers them: in order of their first control row.
SubclassWeights coarsened_exact_matching(const Dataset& data, const EstimatorArgs& args);

// Diagnostics: df, strata, n_matched_treated, n_matched_control, n_unmatched, max_abs_smd,
// max_abs_smd_before, ess_treated, ess_control. Table "balance" and its Love plot; row outputs
// weight and subclass.
Estimate coarsened_exact_matching_estimate(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
