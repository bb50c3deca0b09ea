#pragma once
// What `causal-forest` reports beyond the ATE, for targeting (who benefits, who should be reached):
// the ATT, the doubly robust effect by quantile group of the predicted CATE and by category of
// chosen covariates, the best linear projection of the CATE, RATE (TOC curve and AUTOC), and the
// plots a reader needs to see heterogeneity (CATE distribution, the sorted cumulative-average
// curve, effects by group, the TOC curve). Everything here is computed from the forest's
// out-of-bag Ŷ, Ŵ, τ̂ and the doubly robust scores Γ; nothing refits the forest.
//
// Options (EstimatorArgs::options): groups (quantile groups of τ̂, default 5), subgroups
// (comma-separated covariates to compare effects across: a text column by level, a numeric column
// with at most 20 distinct values by value), blp (comma-separated covariates for the best linear
// projection; text ones as dummies), rate_reps (half-sample bootstrap replicates of RATE, 200).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

struct TargetingInputs {
  std::span<const double> y, w, y_hat, w_hat, cate, scores;
  std::span<const double> clusters;  // one id per row, or empty
  std::uint64_t seed = 42;
  unsigned threads = 0;
};

// The best linear projection of the CATE on the columns `names` (text ones as dummies, the first level
// the base), by OLS of the doubly robust `scores` with HC3 (clustered HC3) errors as grf's
// best_linear_projection: a table "best_linear_projection" with R's term names, diagnostics
// blp_<term> with _se, _p, _ci_low, _ci_high, and a note. `estimator` names the errors' source.
void add_best_linear_projection(const Dataset& data, std::string_view estimator,
                                const std::vector<std::string>& names, std::span<const double> scores,
                                std::span<const double> clusters, double confidence_level, Estimate& out);

// Adds diagnostics, plots and notes to `out`. Throws InputError on a bad option or column.
void add_targeting_summaries(const Dataset& data, const EstimatorArgs& args, const TargetingInputs& in,
                             Estimate& out);

}  // namespace casebook
