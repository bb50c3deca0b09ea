#include "inference/least_squares.hpp"

#include <gtest/gtest.h>
#include <Eigen/Cholesky>

#include "core/input_error.hpp"

namespace casebook {
namespace {

// A small well-conditioned design with known coefficients: y = 1 + 2 x1 - 3 x2 + noise.
struct Problem {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  std::vector<std::string> names{"intercept", "x1", "x2"};
};

Problem make_problem(Eigen::Index n = 50) {
  Problem p;
  p.x.resize(n, 3);
  p.y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double u = static_cast<double>(i) / static_cast<double>(n);
    p.x(i, 0) = 1;
    p.x(i, 1) = std::sin(7.0 * u) + u;
    p.x(i, 2) = std::cos(3.0 * u * u);
    p.y(i) = 1 + 2 * p.x(i, 1) - 3 * p.x(i, 2) + 0.1 * std::sin(40.0 * u);
  }
  return p;
}

std::string rank_error(const Eigen::MatrixXd& x, const std::vector<std::string>& names) {
  try {
    fit_least_squares(x, Eigen::VectorXd::Ones(x.rows()), names);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(LeastSquares, MatchesNormalEquations) {
  const Problem p = make_problem();
  const LeastSquaresFit fit = fit_least_squares(p.x, p.y, p.names);
  // Reference by a different route (Cholesky of X'X), fine for this well-conditioned design.
  const Eigen::MatrixXd xtx = p.x.transpose() * p.x;
  const Eigen::VectorXd expected = xtx.llt().solve(p.x.transpose() * p.y);
  EXPECT_TRUE(fit.coefficients.isApprox(expected, 1e-10)) << fit.coefficients.transpose();
  EXPECT_TRUE((fit.bread * xtx).isIdentity(1e-9));
  EXPECT_TRUE(fit.residuals.isApprox(p.y - p.x * expected, 1e-8));
  // Residuals are orthogonal to every column.
  EXPECT_LT((p.x.transpose() * fit.residuals).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_EQ(fit.index_of("x2"), 2);
  EXPECT_EQ(fit.index_of("nope"), -1);
  EXPECT_GT(fit.r_squared(), 0.99);
}

TEST(LeastSquares, ColumnScaleDoesNotTriggerRankDeficiency) {
  Problem p = make_problem();
  p.x.col(1) *= 1e9;  // e.g. an amount in cents next to a 0/1 dummy
  const LeastSquaresFit fit = fit_least_squares(p.x, p.y, p.names);
  EXPECT_NEAR(fit.coefficients(1) * 1e9, 2.0, 0.05);
}

TEST(LeastSquares, RankDeficiencyNamesTheCollinearColumns) {
  Problem p = make_problem();
  Eigen::MatrixXd x(p.x.rows(), 4);
  x << p.x, 2 * p.x.col(1) + 3 * p.x.col(0);
  EXPECT_EQ(rank_error(x, {"intercept", "x1", "x2", "x3"}),
            "design is rank-deficient: 'x3' is a linear combination of 'intercept', 'x1'; drop or recode one "
            "of these columns");
}

TEST(LeastSquares, DummyTrapIsNamed) {
  const Eigen::Index n = 12;
  Eigen::MatrixXd x(n, 4);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = 1;
    x(i, 1) = static_cast<double>(i % 3 == 0);
    x(i, 2) = static_cast<double>(i % 3 == 1);
    x(i, 3) = static_cast<double>(i % 3 == 2);
  }
  EXPECT_EQ(rank_error(x, {"intercept", "g=a", "g=b", "g=c"}),
            "design is rank-deficient: 'g=c' is a linear combination of 'intercept', 'g=a', 'g=b'; drop or "
            "recode one of these columns");
}

TEST(LeastSquares, ZeroColumnIsNamed) {
  Problem p = make_problem();
  p.x.col(2).setZero();
  const std::string message = rank_error(p.x, p.names);
  EXPECT_NE(message.find("'x2' is zero in every row"), std::string::npos) << message;
}

TEST(LeastSquares, ManyBlocksMatchOneBlock) {
  // 5000 rows span several TSQR blocks; the answer must not depend on the blocking.
  const Problem big = make_problem(5000);
  const LeastSquaresFit fit = fit_least_squares(big.x, big.y, big.names);
  const Eigen::MatrixXd xtx = big.x.transpose() * big.x;
  EXPECT_TRUE(fit.coefficients.isApprox(xtx.llt().solve(big.x.transpose() * big.y), 1e-10));
  EXPECT_TRUE((fit.bread * xtx).isIdentity(1e-9));
}

TEST(LeastSquares, TooFewRows) {
  const Problem p = make_problem(3);
  const std::string message = rank_error(p.x, p.names);
  EXPECT_NE(message.find("too few rows: 3 rows for 3 coefficients"), std::string::npos) << message;
}

}  // namespace
}  // namespace casebook
