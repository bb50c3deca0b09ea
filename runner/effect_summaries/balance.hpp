#pragma once
// Covariate balance between two arms of a weighted sample, as MatchIt 4.5's summary.matchit
// reports it (standardize = TRUE): means, standardised mean difference, variance ratio and the
// largest eCDF difference per covariate, before (unit weights) and after (the given weights), and
// the effective sample size of each arm. Shared by the matching and weighting estimators.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace casebook {

// The population whose spread scales the mean differences (MatchIt's s.d.denom): the treated
// (ATT), the controls (ATC) or both arms equally (ATE).
enum class BalanceEstimand { att, atc, ate };

struct BalanceStatistics {
  double mean_treated = 0;
  double mean_control = 0;
  double smd = 0;                   // standardised mean difference (raw difference when ≈ 0)
  std::optional<double> var_ratio;  // treated / control; none for a 0/1 covariate (MatchIt: NA)
  double ecdf_max = 0;              // max |F_treated − F_control|; |mean difference| for a 0/1 one
};

struct CovariateBalance {
  std::string name;
  bool binary = false;  // every value 0 or 1
  BalanceStatistics before, after;
};

struct BalanceTable {
  std::vector<CovariateBalance> covariates;
  double max_abs_smd_before = 0;
  double max_abs_smd_after = 0;
  double ess_treated = 0;  // (Σw)² / Σw² over the treated, with the given weights
  double ess_control = 0;
};

// x: one column per covariate (categorical ones already as 0/1 dummies, all levels as MatchIt
// shows them), names one per column; treatment 0/1 and weights ≥ 0 one per row. Throws
// InputError when the lengths differ, a treatment is not 0/1, a weight is negative or not
// finite, or an arm has no row (or no positive weight).
BalanceTable covariate_balance(const Eigen::Ref<const Eigen::MatrixXd>& x,
                               const std::vector<std::string>& names, std::span<const double> treatment,
                               std::span<const double> weights, BalanceEstimand estimand);

// (Σw)² / Σw² (Kish); 0 when every weight is 0.
double effective_sample_size(std::span<const double> weights);

}  // namespace casebook
