#pragma once
// The `causal-forest` estimator: grf-style causal forest (forest/causal_forest.hpp) with the
// doubly robust ATE (effect_summaries/doubly_robust_ate.hpp) as its estimate.
#include "estimators/estimator.hpp"

namespace casebook {

// Options: trees (default 2000, grf's), seed (42), threads (0: every core; results do not depend
// on it), min_node_size (5), mtry (0: grf's min(⌈√p + 20⌉, p)), honesty (true), ci_group_size (2),
// and the targeting options of causal_forest_targeting.hpp (groups, subgroups, blp, rate_reps).
// args.cluster: the forests subsample whole clusters and the ATE's SE is cluster-robust.
// estimate/se = AIPW ATE with SE sqrt(Σ(Γ − ATE)² / (n(n − 1))) (or its cluster-robust form) and a
// normal interval, as grf's average_treatment_effect(target.sample = "all"); per-row outputs cate
// (out of bag), cate_variance (little bags), y_hat, w_hat; diagnostics include grf's
// test_calibration (calibration_mean, calibration_differential and their one-sided p-values).
Estimate causal_forest_estimate(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
