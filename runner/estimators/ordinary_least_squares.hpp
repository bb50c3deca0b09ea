#pragma once
// `ols`: Y on an intercept, the treatment and the covariates (categorical ones as dummies);
// reports the treatment's coefficient with a sandwich standard error: args.se_type (iid, hc0..hc3,
// default hc1 = Stata's robust), or CR1 (Stata's cluster) when args.cluster is set.
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Diagnostics: r2, adj_r2, residual_se, df, params, clusters (when clustered).
Estimate ordinary_least_squares(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
