#pragma once
// The nonparametric bootstrap of any estimator: resample rows (pairs bootstrap) or whole
// clusters (cluster bootstrap) with replacement, rerun the estimator, and read the spread of its
// point estimates. Replicate r draws from a PCG generator keyed by (seed, r) only, so the result
// is the same for any number of threads.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

using EstimatorFunction = std::function<Estimate(const Dataset&, const EstimatorArgs&)>;

struct BootstrapOptions {
  std::size_t reps = 0;
  std::uint64_t seed = 1;
  unsigned threads = 0;  // 0: one per core
  std::string cluster;   // empty: pairs bootstrap; else resample these clusters whole
  double confidence_level = 0.95;
};

struct BootstrapResult {
  std::string kind;          // "pairs" or "cluster"
  std::size_t reps = 0;      // asked for
  std::size_t failed = 0;    // replicates the estimator rejected (e.g. no treated row drawn)
  std::size_t clusters = 0;  // G for the cluster bootstrap
  std::uint64_t seed = 0;
  double confidence_level = 0.95;
  double estimate = 0;                             // on the original data
  double se = 0;                                   // SD of the replicate estimates (divisor R-1)
  double percentile_low = 0, percentile_high = 0;  // quantiles α/2, 1-α/2 of the replicates
  double normal_low = 0, normal_high = 0;          // estimate ∓ z(1-α/2) · se
  std::vector<double> replicates;                  // successful replicate estimates, in replicate order
};

// Runs `estimator` on `data` once (its own checks, e.g. missing values, fail before any
// replicate) and then on `options.reps` resamples. Throws InputError when reps is 0, a used
// column has missing values, the cluster column has fewer than 2 clusters, or fewer than 2
// replicates succeed. Replicates run without the estimator's cluster argument: only their point
// estimates are used.
BootstrapResult bootstrap(const EstimatorFunction& estimator, const Dataset& data, const EstimatorArgs& args,
                          const BootstrapOptions& options);

// The rows of `data` in the order given (rows may repeat); categorical levels are kept.
Dataset select_rows(const Dataset& data, const std::vector<std::size_t>& rows);

// Type-7 (R's default) quantile of sorted values, p in [0, 1].
double sorted_quantile(const std::vector<double>& sorted, double p);

}  // namespace casebook
