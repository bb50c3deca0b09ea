#pragma once
// Least squares. Fast path: when the column-scaled X'X is well conditioned (reciprocal condition
// number >= 1e-8), the normal equations by Cholesky, with X'X accumulated over fixed row chunks on
// several threads for large n (summed in chunk order: identical for any thread count). Otherwise
// Householder QR, as follows. X'X is never formed or inverted: the coefficients come from
// R and Q'y by a triangular solve, and the "bread" (X'X)^{-1} of the sandwich variance from
// R^{-1} R^{-T}. [X y] is factorised in row blocks (TSQR: each block's QR is stacked under the
// running R and refactorised), so X is read once, in cache-sized pieces, and never copied.
// Rank is then decided on the small R by a column-pivoted QR: X and R share X'X = R'R, hence
// the same rank and the same linear dependencies. A rank-deficient design is an InputError that
// names the collinear columns.
#include <string>
#include <vector>

#include <Eigen/Core>

namespace casebook {

struct LeastSquaresFit {
  std::vector<std::string> names;
  Eigen::VectorXd coefficients;
  Eigen::VectorXd residuals;  // y - X b
  Eigen::MatrixXd bread;      // (X'X)^{-1}
  double residual_sum_of_squares = 0;
  double total_sum_of_squares = 0;  // around the mean of y
  Eigen::Index rows = 0;

  Eigen::Index params() const { return coefficients.size(); }
  double residual_df() const { return static_cast<double>(rows - params()); }
  double r_squared() const;  // 1 - RSS/TSS (centred: the design is assumed to hold an intercept)
  Eigen::Index index_of(const std::string& name) const;  // -1 if absent
};

// Regresses y on x (n × k, one name per column). Throws InputError if n <= k or if some column
// is a linear combination of others (message: "design is rank-deficient: 'x2' is a linear
// combination of 'intercept', 'x1'; …").
LeastSquaresFit fit_least_squares(const Eigen::Ref<const Eigen::MatrixXd>& x,
                                  const Eigen::Ref<const Eigen::VectorXd>& y, std::vector<std::string> names);

// Least squares from sums alone, for data read in passes (estimate --streaming): the coefficients
// and bread (X'X)^{-1} of y on X given X'X and X'y. Cholesky of the column-scaled X'X when it is
// well conditioned; otherwise the rank is decided as fit_least_squares decides it, on a square
// root of X'X (X'X = R'R), and a rank-deficient design is the same InputError naming the
// collinear columns.
struct GramSolution {
  Eigen::VectorXd coefficients;
  Eigen::MatrixXd bread;
};
GramSolution solve_normal_equations(const Eigen::MatrixXd& xtx, const Eigen::VectorXd& xty,
                                    const std::vector<std::string>& names);

}  // namespace casebook
