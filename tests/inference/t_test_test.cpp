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
