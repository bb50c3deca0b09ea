#pragma once
// What the propensity-score estimators (iptw, overlap-weights, aipw) share: argument checks, the
// logistic propensity model on the covariates (text covariates as R's dummies), weight
// diagnostics, and the M-estimation variance of a Hajek weighted difference in means whose
// weights depend on the estimated propensity.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

struct PropensityData {
  Eigen::MatrixXd design;  // intercept + covariates (text ones as dummies), as R's model.matrix
  std::vector<double> y, t;
  std::vector<std::uint32_t> all;
};

// The weights an estimator uses, row by row (for balance tables and --predictions).
struct PropensityWeights {
  std::vector<double> propensity;  // as used: after any truncation
  std::vector<double> weight;      // per row (after any stabilization)
  std::size_t truncated = 0;       // rows whose propensity was truncated
};

// Checks the arguments (numeric outcome, 0/1 treatment with ≥ 2 rows per arm, ≥ 1 covariate, no
// missing values, no instruments or cluster); InputError naming the column otherwise.
PropensityData propensity_data(std::string_view estimator, const Dataset& data, const EstimatorArgs& args);

// Logistic fit of the treatment on the design over `rows`; the propensity of every row. A model
// that does not converge or separates the arms is an InputError naming the estimator and treatment.
struct PropensityFit {
  Eigen::VectorXd coefficients;
  std::vector<double> e;  // fitted P(T = 1 | X), every row
};
PropensityFit fit_propensity(std::string_view estimator, const std::string& treatment,
                             const PropensityData& d, std::span<const std::uint32_t> rows);

// Per-row balancing weights as functions of the propensity e: h(e) / P(T = t | e) for a tilting
// function h (Li, Morgan & Zaslavsky 2018, table 1): ate h = 1, att h = e, atc h = 1 − e,
// ato h = e(1 − e) (overlap weights).
enum class WeightTarget { ate, att, atc, ato };
WeightTarget parse_weight_target(std::string_view text);
double balancing_weight(WeightTarget target, double treated, double e);
double balancing_weight_slope(WeightTarget target, double treated, double e);  // d weight / d e

// Hajek contrast Σ w T Y / Σ w T − Σ w (1−T) Y / Σ w (1−T), and its SE from the stacked estimating
// equations (logistic score, then the two weighted means), sandwich A⁻¹ B A⁻ᵀ (Stefanski & Boos
// 2002; Lunceford & Davidian 2004, section 3.2). `e` is the propensity the weights use (possibly
// truncated), `truncated` marks rows where it was, so their weights do not move with the model.
struct WeightedContrast {
  double estimate = 0;
  double se = 0;              // accounts for the estimated propensity
  double se_ignoring_ps = 0;  // weights taken as known (lm(y ~ t, weights) with HC0)
};
WeightedContrast weighted_contrast(const PropensityData& d, const PropensityFit& fit,
                                   std::span<const double> e, std::span<const char> truncated,
                                   WeightTarget target);

// What every weighting estimator reports: min_propensity, max_propensity, max_weight, and the
// balance the weights achieve on the covariates (estimators/balance_report: max_abs_smd before and
// after, ess_treated and ess_control, the balance table), scaled as the target population.
void report_weights(Estimate& out, const Dataset& data, const EstimatorArgs& args, std::span<const double> t,
                    std::span<const double> e, std::span<const double> weights, WeightTarget target);

}  // namespace casebook
