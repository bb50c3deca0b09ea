#pragma once
// Sandwich variance estimators shared by every regression-based estimator (OLS, 2SLS, and later
// DiD and event studies): V = B M B with the bread B = (X'X)^{-1} and a meat M built from the
// rows of the regressor matrix used in the score (X for OLS, the projected X̂ for 2SLS) and the
// residuals. Small-sample conventions are Stata's, so numbers match what users compare against.
#include <optional>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "inference/cluster_index.hpp"

namespace casebook {

enum class VarianceType {
  iid,  // σ² B with σ² = e'e / (n-k)
  hc0,  // White: Σ e_i² x_i x_i'
  hc1,  // HC0 · n/(n-k); Stata's `robust`
  hc2,  // e_i² / (1 - h_i)
  hc3,  // e_i² / (1 - h_i)²
  cr1,  // cluster sums of x_i e_i, times G/(G-1) · (n-1)/(n-k); Stata's `cluster()`
};

// "iid" (also "classical"), "hc0".."hc3", "cr1" (also "stata" with a cluster), any case.
// Throws InputError naming the accepted values.
VarianceType parse_variance_type(std::string_view text);
std::string_view to_string(VarianceType type);

struct VarianceSpec {
  VarianceType type = VarianceType::hc1;
  std::optional<ClusterIndex> clusters;  // set exactly when type == cr1
};

// From an estimator's se_type and cluster arguments: a cluster column means CR1 (se_type must
// then be hc1, the default, or cr1); cr1 without a cluster column is an InputError.
VarianceType variance_type_for(std::string_view se_type, const std::string& cluster);
// The same with the cluster index built from the data.
VarianceSpec make_variance_spec(const Dataset& data, std::string_view se_type, const std::string& cluster);

struct VarianceEstimate {
  Eigen::MatrixXd vcov;
  double df = 0;  // for t quantiles: n-k, or G-1 with clusters (as Stata)
  VarianceType type = VarianceType::hc1;
  Eigen::Index clusters = 0;
};

// score_regressors: n × k; residuals: n; bread: k × k. For 2SLS pass X̂ and the structural
// residuals y - Xβ (actual X), with bread (X̂'X̂)^{-1}.
VarianceEstimate sandwich_vcov(const Eigen::Ref<const Eigen::MatrixXd>& score_regressors,
                               const Eigen::Ref<const Eigen::VectorXd>& residuals,
                               const Eigen::Ref<const Eigen::MatrixXd>& bread, const VarianceSpec& spec);

// The pieces, for callers that accumulate the meat themselves (the streamed fit reads its rows
// block by block): Stata's small-sample factor on the meat, n/(n−k) for HC1 and
// G/(G−1)·(n−1)/(n−k) for CR1 (1 otherwise); the residuals divided so that their squares carry
// HC2's e²/(1−h) or HC3's e²/(1−h)² (unchanged otherwise); and B M B, symmetrised against rounding.
double meat_factor(VarianceType type, double n, double k, double clusters = 0);
void divide_by_leverage(VarianceType type, const Eigen::ArrayXd& leverage,
                        Eigen::Ref<Eigen::VectorXd> residuals);
Eigen::MatrixXd sandwich(const Eigen::Ref<const Eigen::MatrixXd>& bread, const Eigen::MatrixXd& meat);

// The two halves of sandwich_vcov, for callers that want one kind only.
Eigen::MatrixXd heteroskedasticity_robust_vcov(const Eigen::Ref<const Eigen::MatrixXd>& score_regressors,
                                               const Eigen::Ref<const Eigen::VectorXd>& residuals,
                                               const Eigen::Ref<const Eigen::MatrixXd>& bread,
                                               VarianceType type);
Eigen::MatrixXd cluster_robust_vcov(const Eigen::Ref<const Eigen::MatrixXd>& score_regressors,
                                    const Eigen::Ref<const Eigen::VectorXd>& residuals,
                                    const Eigen::Ref<const Eigen::MatrixXd>& bread,
                                    const ClusterIndex& clusters);

}  // namespace casebook
