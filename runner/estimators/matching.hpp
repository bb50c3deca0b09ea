#pragma once
// `matching`: Abadie–Imbens nearest-neighbour covariate matching with the meanings of Matching
// 4.10's Match(Y, Tr, X, estimand, M, Weight, BiasAdjust) and its defaults replace = TRUE,
// ties = TRUE, Var.calc = 0. Each focal unit (treated for att, control for atc, every unit for
// ate) is matched with replacement to its M nearest units of the other arm in the scaled
// covariates (inverse-variance or Mahalanobis metric), keeping every unit whose squared distance
// is within 1e-5 of the M-th nearest one (ties), each match weighted 1 / (the focal unit's number
// of matches). The SE is Abadie and Imbens' (2006) as Match's `se`; se_standard is Match's
// se.standard; bias_adjust is Abadie and Imbens' (2011) regression adjustment on the covariates.
#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Each focal row's matched rows in ascending order, compressed: the matches of focal[f] are
// rows[offsets[f]] .. rows[offsets[f + 1] - 1].
struct MatchedSets {
  std::vector<std::size_t> focal;
  std::vector<std::size_t> offsets{0};
  std::vector<std::size_t> rows;
};

enum class NeighbourSearch { kd_tree, brute_force };

// For each focal row of `points` (one row per unit; distances are squared Euclidean in these
// coordinates), every candidate row whose squared distance is at most the m-th smallest one (equal
// distances counted separately) plus `tolerance`: Match's rule (MatchLoopCfast: kth_smallest, then
// Dist <= Distmax + distance.tolerance). Both searches return the same sets; the kd-tree costs
// about log n per query instead of n, and brute force is there to check it. Requires
// 1 <= m <= candidates.size().
MatchedSets nearest_neighbour_sets(const Eigen::MatrixXd& points, const std::vector<std::size_t>& focal,
                                   const std::vector<std::size_t>& candidates, std::size_t m,
                                   double tolerance, NeighbourSearch search = NeighbourSearch::kd_tree);

// Diagnostics: df (0: normal reference, as Match's summary), se_standard, estimate_unadjusted
// (with bias_adjust), n_matched_treated, n_matched_control, matched_pairs, wnobs,
// focal_units_with_ties, and the balance report (max_abs_smd, max_abs_smd_before, ess_treated,
// ess_control, table "balance", the Love plot) with each unit's weight = how often it is used.
Estimate covariate_matching(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook
