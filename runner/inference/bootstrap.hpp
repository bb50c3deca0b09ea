#pragma once
// The nonparametric bootstrap of a statistic: resample rows (pairs bootstrap) or whole clusters
// (cluster bootstrap) with replacement, recompute the statistic, and read the spread of the
// replicates. Replicate r draws from a PCG generator keyed by (seed, r) only, so the result is the
// same for any number of threads. estimators/estimator_bootstrap.hpp bootstraps an estimator.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/dataset.hpp"

namespace casebook {

// The statistic on one dataset, e.g. an estimator's point estimate. An InputError from it marks a
// resample it cannot be computed on (e.g. no treated row drawn): counted as failed, not fatal.
using Statistic = std::function<double(const Dataset&)>;

struct BootstrapOptions {
  std::size_t reps = 0;
  std::uint64_t seed = 1;
  unsigned threads = 0;  // 0: one per core (core/parallel_for.hpp)
  std::string cluster;   // empty: pairs bootstrap; else resample these clusters whole
  double confidence_level = 0.95;
  // The columns the statistic reads: checked for missing values and the only ones copied into a
  // resample, so resampling a wide table costs no more than a narrow one. Empty: every column.
  std::vector<std::string> columns;
};

struct BootstrapResult {
  std::string kind;          // "pairs" or "cluster"
  std::size_t reps = 0;      // asked for
  std::size_t failed = 0;    // replicates the statistic rejected (e.g. no treated row drawn)
  std::size_t clusters = 0;  // G for the cluster bootstrap
  std::uint64_t seed = 0;
  double confidence_level = 0.95;
  double estimate = 0;                             // on the original data
  double se = 0;                                   // SD of the replicate estimates (divisor R-1)
  double percentile_low = 0, percentile_high = 0;  // quantiles α/2, 1-α/2 of the replicates
  double normal_low = 0, normal_high = 0;          // estimate ∓ z(1-α/2) · se
  std::vector<double> replicates;                  // successful replicate estimates, in replicate order
};

// Computes `statistic` on `options.reps` resamples of `data`. `estimate` gives the statistic on
// `data` itself (empty: statistic(data)); it runs once, after the options and the data are checked
// and before any replicate, so its own checks come next. Throws InputError when reps is 0, the
// confidence level is outside (0, 1), a column read or the cluster column has missing values, the
// cluster column has fewer than 2 clusters, or fewer than 2 replicates succeed.
BootstrapResult bootstrap(const Statistic& statistic, const Dataset& data, const BootstrapOptions& options,
                          const std::function<double()>& estimate = {});

// Type-7 (R's default) quantile of sorted values, p in [0, 1].
double sorted_quantile(const std::vector<double>& sorted, double p);

}  // namespace casebook
