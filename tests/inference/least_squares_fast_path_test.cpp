// The normal-equations fast path of fit_least_squares and its fall-back to QR.
#include <gtest/gtest.h>

#include <cmath>

#include <Eigen/Dense>

#include "inference/least_squares.hpp"
#include "inference/row_chunks.hpp"
#include "inference/sandwich_vcov.hpp"

namespace casebook {
namespace {

// Deterministic, unpatterned values: no RNG needed.
double wiggle(Eigen::Index i, double frequency) { return std::sin(frequency * static_cast<double>(i) + 0.3); }

TEST(LeastSquaresFastPath, LargeParallelFitAgreesWithPivotedQr) {
  const Eigen::Index n = kParallelRowThreshold + 12'345;  // several threads, a ragged last chunk
  Eigen::MatrixXd x(n, 4);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = 1;
    x(i, 1) = wiggle(i, 0.7);
    x(i, 2) = 100 * wiggle(i, 1.9) + 5;  // a different scale: the fast path scales columns
    x(i, 3) = (i % 3 == 0) ? 1 : 0;
    y(i) = 1 + 2 * x(i, 1) - 0.03 * x(i, 2) + 0.5 * x(i, 3) + wiggle(i, 13.1) * (1 + x(i, 1) * x(i, 1));
  }
  const LeastSquaresFit fit = fit_least_squares(x, y, {"intercept", "a", "b", "c"});
  const Eigen::VectorXd reference = x.colPivHouseholderQr().solve(y);
  for (Eigen::Index j = 0; j < 4; ++j)
    EXPECT_NEAR(fit.coefficients(j), reference(j), 1e-10 * (1 + std::abs(reference(j))));
  const Eigen::MatrixXd bread_reference = (x.transpose() * x).inverse();
  EXPECT_LT((fit.bread - bread_reference).norm(), 1e-10 * bread_reference.norm());
  EXPECT_NEAR(fit.residual_sum_of_squares, (y - x * reference).squaredNorm(),
              1e-8 * fit.residual_sum_of_squares);
  // The chunked HC1 meat agrees with the textbook formula.
  const Eigen::MatrixXd hc1 = heteroskedasticity_robust_vcov(x, fit.residuals, fit.bread, VarianceType::hc1);
  const Eigen::MatrixXd meat = x.transpose() * fit.residuals.array().square().matrix().asDiagonal() * x;
  const Eigen::MatrixXd textbook =
      static_cast<double>(n) / static_cast<double>(n - 4) * bread_reference * meat * bread_reference;
  EXPECT_LT((hc1 - textbook).norm(), 1e-9 * textbook.norm());
  // Same inputs, same bits.
  EXPECT_EQ(fit_least_squares(x, y, {"intercept", "a", "b", "c"}).coefficients, fit.coefficients);
}

TEST(LeastSquaresFastPath, IllConditionedDesignFallsBackToQr) {
  // x2 differs from x1 by 1e-5 of a wiggle: cond(X) ~ 1e5, so the normal equations (cond²
  // ~ 1e10, rcond below 1e-8) are not trusted; QR keeps about eleven digits.
  const Eigen::Index n = 2000;
  Eigen::MatrixXd x(n, 3);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = 1;
    x(i, 1) = wiggle(i, 0.9);
    x(i, 2) = x(i, 1) + 1e-5 * wiggle(i, 2.3);
    y(i) = 1 + 2 * x(i, 1) + 3 * x(i, 2);
  }
  const LeastSquaresFit fit = fit_least_squares(x, y, {"intercept", "x1", "x2"});
  EXPECT_NEAR(fit.coefficients(0), 1, 1e-6);
  EXPECT_NEAR(fit.coefficients(1), 2, 1e-6);
  EXPECT_NEAR(fit.coefficients(2), 3, 1e-6);
}

TEST(LeastSquaresFastPath, RowChunksCoverEveryRowOnce) {
  const Eigen::Index n = kParallelRowThreshold + 7;
  std::vector<int> seen(static_cast<std::size_t>(n), 0);
  for_each_row_chunk(n, 1000, [&](Eigen::Index chunk, Eigen::Index begin, Eigen::Index len) {
    EXPECT_EQ(begin, chunk * 1000);
    for (Eigen::Index i = begin; i < begin + len; ++i) ++seen[static_cast<std::size_t>(i)];
  });
  for (int count : seen) ASSERT_EQ(count, 1);
}

}  // namespace
}  // namespace casebook
