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

// Upper-tail p-value of an F(df1, df2) statistic.
double f_test_p_value(double f_statistic, double df1, double df2);

}  // namespace casebook
