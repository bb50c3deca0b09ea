#pragma once
// `subclassification`: propensity-score subclassification as MatchIt 4.5's matchit(method =
// "subclass", distance = "glm"): a logistic propensity score, subclasses cut at its quantiles
// among the treated (estimand att), the controls (atc) or everyone (ate), units moved between
// neighbouring subclasses until each holds min_n of both arms (MatchIt's subclass_scoot), and
// stratum weights (marginal mean weighting through stratification, Hong 2010). The effect is the
// vignette's for MMWS: lm(y ~ t, weights) with a robust HC3 SE (sandwich::vcovHC), since a
// handful of subclasses are too few clusters for a cluster-robust one.
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"
#include "estimators/subclass_weights.hpp"

namespace casebook {

struct Subclassification {
  SubclassWeights strata;          // subclasses 0, 1, … in order of the score
  std::vector<double> propensity;  // per row
  std::size_t moved = 0;           // rows moved to another subclass to satisfy min_n
};

// The subclasses and weights alone (what the estimate rests on), for tests and other estimators.
Subclassification subclassification(const Dataset& data, const EstimatorArgs& args);

// Diagnostics: df, subclasses, n_moved, n_matched_treated, n_matched_control, n_unmatched,
// min_propensity, max_propensity, max_abs_smd, max_abs_smd_before, ess_treated, ess_control.
// Table "balance", its Love plot and the propensity-overlap plot; row outputs weight, subclass
// and propensity.
Estimate subclassification_estimate(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
