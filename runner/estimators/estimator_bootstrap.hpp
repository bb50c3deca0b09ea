#pragma once
// The bootstrap of an estimator's point estimate (inference/bootstrap.hpp), reading only the
// columns the analysis uses.
#include <functional>

#include "data/dataset.hpp"
#include "estimators/estimate.hpp"
#include "inference/bootstrap.hpp"

namespace casebook {

using EstimatorFunction = std::function<Estimate(const Dataset&, const EstimatorArgs&)>;

// Runs `estimator` on `data` with `args` once (after the bootstrap's own checks; its own checks,
// e.g. missing values, fail before any replicate) and then on `options.reps` resamples of the
// columns it reads (its named arguments and any option naming a column; options.columns is set
// from them). Replicates run without the estimator's cluster argument: only their point estimates
// are used. Throws as bootstrap(Statistic, …).
BootstrapResult bootstrap(const EstimatorFunction& estimator, const Dataset& data, const EstimatorArgs& args,
                          BootstrapOptions options);

}  // namespace casebook
