#pragma once
// sandwich::vcovCL(type = "HC3") with real clusters, as grf's best_linear_projection and
// test_calibration call it: each cluster's residuals are inflated by (I − H_gg)^{-1} before its
// score X_g'(I − H_gg)^{-1} e_g is formed, and vcov = bread · Σ_g score score' · bread (sandwich's
// (G − 1)/G scaling and its G/(G − 1) adjustment cancel).
#include <string_view>

#include <Eigen/Core>

#include "inference/cluster_index.hpp"

namespace casebook {

// `bread` is (X'X)^{-1}. Throws InputError "<what>: a cluster has leverage 1, …" when some
// I − H_gg is singular.
Eigen::MatrixXd clustered_hc3_vcov(const Eigen::MatrixXd& x, const Eigen::VectorXd& residuals,
                                   const Eigen::MatrixXd& bread, const ClusterCodes& clusters,
                                   std::string_view what);

}  // namespace casebook
