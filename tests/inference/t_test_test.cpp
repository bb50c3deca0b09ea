#include "inference/t_test.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "inference/wald_test.hpp"

namespace casebook {
namespace {

TEST(TTest, IntervalAndPValueFromStudentT) {
  // qt(0.975, 10) = 2.2281388519862739; 2 * pt(-2, 10) = 0.073388034770740.
  const CoefficientTest test = t_test(2.0, 1.0, 10, 0.95);
  EXPECT_NEAR(test.ci_high, 2.0 + 2.2281388519862739, 1e-12);
  EXPECT_NEAR(test.ci_low, 2.0 - 2.2281388519862739, 1e-12);
  EXPECT_NEAR(test.p_value, 0.073388034770740, 1e-12);
  EXPECT_DOUBLE_EQ(test.t_statistic, 2.0);
}

TEST(TTest, ZeroStandardErrorGivesNoNaN) {
  const CoefficientTest test = t_test(1.5, 0.0, 20, 0.9);
  EXPECT_EQ(test.p_value, 0.0);
  EXPECT_EQ(test.ci_low, 1.5);
  EXPECT_EQ(test.ci_high, 1.5);
  EXPECT_EQ(t_test(0.0, 0.0, 20, 0.9).p_value, 1.0);
}

TEST(TTest, ConfidenceLevelOutsideUnitIntervalIsInputError) {
  for (double level : {0.0, 1.0, 1.5, -0.2, std::nan("")}) {
    try {
      t_test(1, 1, 10, level);
      FAIL() << "expected InputError for " << level;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("confidence_level"), std::string::npos) << e.what();
    }
  }
}

TEST(ZTest, IntervalAndPValueFromTheNormal) {
  // qnorm(0.975) = 1.959963984540054; 2 * pnorm(-2) = 0.045500263896358.
  EXPECT_NEAR(normal_critical_value(0.95), 1.959963984540054, 1e-14);
  const CoefficientTest test = z_test(2.0, 1.0, 0.95);
  EXPECT_NEAR(test.ci_high, 2.0 + 1.959963984540054, 1e-12);
  EXPECT_NEAR(test.ci_low, 2.0 - 1.959963984540054, 1e-12);
  EXPECT_NEAR(test.p_value, 0.045500263896358, 1e-12);
  EXPECT_EQ(z_test(0.0, 0.0, 0.9).p_value, 1.0);
  EXPECT_THROW(z_test(1, 1, 1.5), InputError);
  EXPECT_THROW(normal_critical_value(0), InputError);
}

// A variance of rank 2 on three coefficients (as a cluster-robust one with three clusters): the
// direction it cannot separate is dropped and the rest tested on 2 degrees of freedom, the
// pseudo-inverse form b' V⁺ b / 2 (Stata's `test` drops the constraint the same way).
TEST(WaldTest, ASingularVarianceTestsTheConstraintsItCanSeparate) {
  const Eigen::VectorXd b = (Eigen::VectorXd(4) << 7.0, 1.0, 2.0, 3.0).finished();
  Eigen::MatrixXd q(3, 3);  // orthonormal columns
  q << 1, 1, 1, 1, -1, 0, 1, 0, -1;
  q.col(0).normalize();
  q.col(1) = (q.col(1) - q.col(1).dot(q.col(0)) * q.col(0)).normalized();
  q.col(2) = (q.col(2) - q.col(2).dot(q.col(0)) * q.col(0) - q.col(2).dot(q.col(1)) * q.col(1)).normalized();
  const Eigen::Vector3d values(4.0, 0.25, 0.0);
  Eigen::MatrixXd v = Eigen::MatrixXd::Identity(4, 4);
  v.bottomRightCorner(3, 3) = q * values.asDiagonal() * q.transpose();
  const JointWaldTest test = joint_wald_test(b, v, {1, 2, 3});
  EXPECT_EQ(test.df1, 2);
  EXPECT_EQ(test.dropped, 1);
  const Eigen::Vector3d tested(1.0, 2.0, 3.0);
  const double w = std::pow(q.col(0).dot(tested), 2) / 4.0 + std::pow(q.col(1).dot(tested), 2) / 0.25;
  EXPECT_NEAR(test.f, w / 2, 1e-9);
  // At full rank it is the usual test, to the bit.
  const JointWaldTest full = joint_wald_test(b, v, {0, 1});
  EXPECT_EQ(full.df1, 2);
  EXPECT_EQ(full.dropped, 0);
  EXPECT_EQ(full.f, wald_f_statistic(b, v, {0, 1}));
}

TEST(WaldTest, DiagonalVcovSumsSquaredTStatistics) {
  const Eigen::VectorXd b = (Eigen::VectorXd(3) << 9.0, 2.0, -3.0).finished();
  const Eigen::MatrixXd v = Eigen::Vector3d(1.0, 4.0, 1.0).asDiagonal();
  // (2/2)² + (-3/1)² = 10, over q = 2.
  EXPECT_DOUBLE_EQ(wald_f_statistic(b, v, {1, 2}), 5.0);
  // pf(5, 2, 30, lower.tail = FALSE) = 0.0133634610102
  EXPECT_NEAR(f_test_p_value(5.0, 2, 30), 0.0133634610102, 1e-10);
}

}  // namespace
}  // namespace casebook
