#pragma once
// The `regression-forest` estimator: grf's regression_forest, the outcome predicted from the
// covariates (no treatment), out of bag for every row, with its little-bag variance.
#include "estimators/estimator.hpp"

namespace casebook {

// Options as grf's regression_forest: trees (2000), seed (42), threads (0: every core; results do
// not depend on it), min_node_size (5), mtry (0: min(⌈√p + 20⌉, p)), honesty (true),
// ci_group_size (2: trees per little bag, so each row gets a variance; 1 turns variances off).
// Subsample 0.5 per tree; with a cluster column trees subsample whole clusters.
// estimate/se = mean of the outcome with sd(y)/√n and a t interval (n − 1 df): a summary of the
// data, not a causal effect. The forest's fit is in diagnostics oob_mse, oob_r2 = 1 − MSE/Var(y)
// (both over n), variance_mean and rows_without_variance; per-row outputs prediction and variance
// (NaN where fewer than two little bags had the row out of bag).
Estimate regression_forest_estimate(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
