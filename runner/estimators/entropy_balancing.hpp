#pragma once
// `entropy-balancing`: Hainmueller (2012, Political Analysis 20(1):25–46) entropy balancing. The
// weights closest to uniform (in Kullback–Leibler divergence) under which the reweighted arm's
// covariate moments equal the target's: estimand att reweights the controls to the treated, atc the
// treated to the controls, ate each arm to the full sample. Options moments (1: means; 2: and second
// moments; 3: and third, of each non-0/1 covariate; 0/1 ones only their mean), max_iterations and
// tolerance (largest |moment difference| in full-sample SDs). Solved by Newton's method on the convex
// dual with a backtracking line search; a target the weights cannot reach is an InputError naming the
// covariates and their gap, never a silent imbalance (WeightIt issue 33).
// Effect: the weighted difference in means (lm(y ~ t, weights)); SE by M-estimation from the stacked
// estimating equations of the target moments, the dual and the weighted means, so it accounts for
// the weights being estimated.
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Diagnostics: df, iterations, constraints, max_moment_gap, max_abs_smd, max_abs_smd_before,
// ess_treated, ess_control, max_weight, max_weight_share, se_weights_known; row output weight
// (1 in an arm that is not reweighted, mean 1 in one that is); the balance table and Love plot.
Estimate entropy_balancing(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
