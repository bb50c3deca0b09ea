#pragma once
// Joint Wald test that a subset of coefficients is zero, reported as W/q (an F statistic), as
// Stata's `test` after a robust regression.
#include <vector>

#include <Eigen/Core>

namespace casebook {

// b_S' V_SS^{-1} b_S / |S| for the coefficient indices S; V_SS is solved by LDLT, not inverted.
double wald_f_statistic(const Eigen::Ref<const Eigen::VectorXd>& coefficients,
                        const Eigen::Ref<const Eigen::MatrixXd>& vcov,
                        const std::vector<Eigen::Index>& tested);

// The same joint test when V_SS may be singular, as Stata's `test` handles it: a cluster-robust V
// has rank at most G - 1 with G clusters, so more tested coefficients than that cannot all be
// tested. The constraints V_SS cannot separate are dropped: W = b_S' V_SS⁺ b_S over the rank r of
// V_SS (eigenvalues above 1e-10 of the largest), reported as W/r with df1 = r. At full rank this
// is wald_f_statistic exactly.
struct JointWaldTest {
  double f = 0;
  Eigen::Index df1 = 0;      // the constraints tested: the rank of V_SS
  Eigen::Index dropped = 0;  // |S| - df1
};
JointWaldTest joint_wald_test(const Eigen::Ref<const Eigen::VectorXd>& coefficients,
                              const Eigen::Ref<const Eigen::MatrixXd>& vcov,
                              const std::vector<Eigen::Index>& tested);

// Upper-tail p-value of an F(df1, df2) statistic.
double f_test_p_value(double f_statistic, double df1, double df2);

}  // namespace casebook
