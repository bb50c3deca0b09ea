#pragma once
// `difference-in-means`: mean(Y | T=1) - mean(Y | T=0) with the Neyman (Welch) standard error
// sqrt(s1²/n1 + s0²/n0) and a t interval on Welch–Satterthwaite df, as R's
// estimatr::difference_in_means without blocks or clusters.
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Throws InputError for a missing/categorical/non-0/1/constant treatment, an arm with fewer than
// 2 rows, missing values, or covariates/instruments/cluster (which it does not use).
Estimate difference_in_means(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
