#pragma once
// `psm`: greedy nearest-neighbour matching with MatchIt 4.5's meanings (matchit(method =
// "nearest")) on a logit or probit propensity score (distance = "glm", link = "logit" / "probit")
// or on the covariates' Mahalanobis distance (distance = "mahalanobis"): estimand att/atc, ratio k:1, with or
// without replacement, a caliper in SDs of the score, matching order, exact strata and common
// support discarding. The effect is MatchIt's recommended one ("Estimating effects after
// matching"): the outcome regressed on the treatment with the matching weights, with a CR1 SE by
// matched set (sandwich::vcovCL) without replacement and HC3 (vcovHC) with it.
#include <cstddef>
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// The matched sets: for each focal unit (treated for att, control for atc, in row order) its
// matches in the order they were made (empty: unmatched or discarded), and MatchIt's weights.
struct Matching {
  std::vector<std::size_t> focal_rows;
  std::vector<std::vector<std::size_t>> matches;
  std::vector<double> weights;     // one per row; 0 for rows outside every matched set
  std::vector<bool> discarded;     // one per row (option discard)
  std::vector<double> propensity;  // one per row; empty with distance mahalanobis (no score)
  // One per row without replacement: MatchIt's subclass (1-based matched-set number, numbered as
  // its match.data does), 0 outside every set; empty with replacement (sets overlap, MatchIt has none).
  std::vector<std::size_t> subclass;
};

// The matching alone (what psm's estimate rests on), for tests and other estimators.
Matching propensity_score_matching(const Dataset& data, const EstimatorArgs& args);

// Diagnostics: df, clusters (without replacement), max_abs_smd, max_abs_smd_before,
// n_matched_treated, n_matched_control, n_discarded, ess_treated, ess_control, min_propensity,
// max_propensity (not with mahalanobis). Table "balance": per covariate column, SMD, variance ratio
// and eCDF max before/after. Row outputs weights, subclass (without replacement; NaN = unmatched)
// and distance (the propensity score; not with mahalanobis).
Estimate propensity_score_matching_estimate(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
