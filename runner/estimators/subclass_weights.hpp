#pragma once
// What the stratifying estimators (cem, subclassification) share: MatchIt 4.5's stratum weights
// (its weights.subclass, which 4.5 calls from matchit2cem and matchit2subclass), the effect its
// vignette "Estimating effects after matching" computes from them — lm(y ~ t, weights) with a
// robust HC3 SE (strata are too few, or not pairs, for a cluster-robust one) — and the counts
// they report.
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"
#include "effect_summaries/balance.hpp"
#include "estimators/estimate.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// A row's subclass: 0, 1, 2, … or kNoSubclass.
inline constexpr std::ptrdiff_t kNoSubclass = -1;

struct SubclassWeights {
  std::vector<std::ptrdiff_t> subclass;  // per row; kNoSubclass for rows outside every kept stratum
  std::vector<double> weights;           // per row; 0 outside every kept stratum
  std::size_t strata = 0;                // strata kept (with both arms)
};

// Drops the strata that lack an arm, then weights each kept row as MatchIt does for `estimand`:
// att: treated 1, a control n₁ₛ/n₀ₛ of its stratum s; atc: control 1, a treated n₀ₛ/n₁ₛ; ate:
// a treated nₛ/n₁ₛ, a control nₛ/n₀ₛ; each weighted arm rescaled to sum to its kept count. The
// kept strata are renumbered 0, 1, … in the order of their old numbers. No stratum with both arms
// is an InputError "<estimator>: no <stratum_word> holds both treated and control units; <hint>".
SubclassWeights subclass_weights(std::span<const std::ptrdiff_t> subclass, std::span<const double> treatment,
                                 BalanceEstimand estimand, std::string_view estimator,
                                 std::string_view stratum_word, std::string_view hint);

// lm(outcome ~ treatment, weights) over the rows with a positive weight (MatchIt's match.data),
// HC3 SE as sandwich::vcovHC; se_type "hc3", terms the two coefficients. Fewer than 2 kept rows
// in an arm is an InputError.
Estimate subclass_weighted_effect(std::string_view estimator, const Dataset& data, const EstimatorArgs& args,
                                  std::span<const double> weights);

// Diagnostics n_matched_treated, n_matched_control (rows with a positive weight), n_unmatched
// (the others); row outputs weight and subclass (1, 2, …; 0 outside every stratum).
void report_subclasses(Estimate& out, std::span<const double> treatment, const SubclassWeights& strata);

}  // namespace casebook
