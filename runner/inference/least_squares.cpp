#include "inference/least_squares.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include "core/input_error.hpp"
#include "inference/row_chunks.hpp"

namespace casebook {

namespace {

// A column whose remaining norm after projecting out the pivoted columns before it is below
// this fraction of its own norm counts as collinear; R's lm uses the same 1e-7.
constexpr double kRankTolerance = 1e-7;
// A dependency coefficient (on unit-norm columns) smaller than this fraction of the largest is
// treated as zero when naming the columns a collinear column depends on.
constexpr double kDependencyTolerance = 1e-6;
// Rows of [X y] per TSQR block: the stacked block stays in cache while it is factorised.
constexpr Eigen::Index kBlockRows = 1024;

std::string quoted_list(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  quoted.reserve(names.size());
  for (const auto& name : names) quoted.push_back("'" + name + "'");
  return fmt::format("{}", fmt::join(quoted, ", "));
}

// Explains each column beyond the numerical rank: solving R11 c = R12 gives the combination of
// the independent pivoted columns that reproduces it. The set {column} ∪ {dependencies} is
// reported with its last column (in design order) as the combination of the others, the way a
// reader thinks of it ("x2 is a combination of the intercept and x1").
std::string describe_rank_deficiency(const Eigen::ColPivHouseholderQR<Eigen::MatrixXd>& qr,
                                     const std::vector<std::string>& names) {
  const Eigen::Index rank = qr.rank();
  const Eigen::Index k = qr.cols();
  const auto& pivots = qr.colsPermutation().indices();
  const Eigen::MatrixXd r =
      qr.matrixR().topLeftCorner(std::min(qr.rows(), k), k).template triangularView<Eigen::Upper>();
  std::vector<std::string> problems;
  for (Eigen::Index position = rank; position < k; ++position) {
    const Eigen::Index dropped = pivots(position);
    std::set<Eigen::Index> involved{dropped};
    if (rank > 0) {
      const Eigen::VectorXd combination =
          r.topLeftCorner(rank, rank).triangularView<Eigen::Upper>().solve(r.block(0, position, rank, 1));
      const double largest = combination.cwiseAbs().maxCoeff();
      for (Eigen::Index i = 0; i < rank; ++i)
        if (largest > 0 && std::abs(combination(i)) > kDependencyTolerance * largest)
          involved.insert(pivots(i));
    }
    std::string problem;
    if (involved.size() == 1) {
      problem = fmt::format("'{}' is zero in every row", names[dropped]);
    } else {
      const Eigen::Index last = *involved.rbegin();
      involved.erase(last);
      std::vector<std::string> others;
      for (Eigen::Index i : involved) others.push_back(names[i]);
      problem = fmt::format("'{}' is a linear combination of {}", names[last], quoted_list(others));
    }
    if (std::find(problems.begin(), problems.end(), problem) == problems.end()) problems.push_back(problem);
  }
  return fmt::format("design is rank-deficient: {}; drop or recode one of these columns",
                     fmt::join(problems, "; "));
}

// The upper-triangular R ((k+1) × (k+1)) of [X y] = Q R, by TSQR over row blocks. Its last
// column holds Q'y (and, in its corner, ± the residual norm).
Eigen::MatrixXd stacked_r_factor(const Eigen::Ref<const Eigen::MatrixXd>& x,
                                 const Eigen::Ref<const Eigen::VectorXd>& y) {
  const Eigen::Index n = x.rows();
  const Eigen::Index k = x.cols();
  const Eigen::Index width = k + 1;
  // The running R sits in the top `width` rows, the next block of [X y] below it.
  Eigen::MatrixXd stack = Eigen::MatrixXd::Zero(width + std::min(n, kBlockRows), width);
  for (Eigen::Index start = 0; start < n; start += kBlockRows) {
    const Eigen::Index len = std::min(kBlockRows, n - start);
    stack.middleRows(width, len).leftCols(k) = x.middleRows(start, len);
    stack.middleRows(width, len).col(k) = y.segment(start, len);
    Eigen::Ref<Eigen::MatrixXd> active = stack.topRows(width + len);
    const Eigen::HouseholderQR<Eigen::Ref<Eigen::MatrixXd>> in_place(active);  // R overwrites the top
    stack.topRows(width).triangularView<Eigen::StrictlyLower>().setZero();
  }
  return stack.topRows(width);
}

// Rows per chunk of the Gram pass: a chunk of [X y] stays in L2 cache while its contribution is
// accumulated, so X is read from memory once.
constexpr Eigen::Index kGramChunkRows = 4096;
// The normal equations are used only when the column-scaled X'X is this well conditioned: their
// relative error is then about eps / rcond <= 1e-8, far inside the 1e-6 agreement with R the
// fixtures demand. Anything worse (and every rank-deficient design) takes the QR path.
constexpr double kMinScaledGramRcond = 1e-8;

// [X y]'[X y] (lower triangle filled), summed over fixed row chunks in chunk order: the same
// bits for any thread count.
Eigen::MatrixXd augmented_gram(const Eigen::Ref<const Eigen::MatrixXd>& x,
                               const Eigen::Ref<const Eigen::VectorXd>& y) {
  const Eigen::Index n = x.rows();
  const Eigen::Index k = x.cols();
  const Eigen::Index chunks = (n + kGramChunkRows - 1) / kGramChunkRows;
  std::vector<Eigen::MatrixXd> partial(static_cast<std::size_t>(chunks));
  for_each_row_chunk(n, kGramChunkRows, [&](Eigen::Index chunk, Eigen::Index begin, Eigen::Index len) {
    // One buffer per thread, reused across chunks: no allocation (and page faults) per chunk.
    thread_local Eigen::MatrixXd block;
    block.resize(len, k + 1);
    block.leftCols(k) = x.middleRows(begin, len);
    block.col(k) = y.segment(begin, len);
    Eigen::MatrixXd g = Eigen::MatrixXd::Zero(k + 1, k + 1);
    g.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
    partial[static_cast<std::size_t>(chunk)] = std::move(g);
  });
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(k + 1, k + 1);
  for (const auto& g : partial) gram += g;
  return gram.selfadjointView<Eigen::Lower>();
}

// y - X b, chunk by chunk (each row's value does not depend on the chunking).
Eigen::VectorXd residuals_of(const Eigen::Ref<const Eigen::MatrixXd>& x,
                             const Eigen::Ref<const Eigen::VectorXd>& y,
                             const Eigen::VectorXd& coefficients) {
  Eigen::VectorXd e(x.rows());
  for_each_row_chunk(x.rows(), kGramChunkRows, [&](Eigen::Index, Eigen::Index begin, Eigen::Index len) {
    e.segment(begin, len).noalias() = y.segment(begin, len) - x.middleRows(begin, len) * coefficients;
  });
  return e;
}

// The fast path: Cholesky of the column-scaled X'X, one pass over X for the Gram matrix and
// one for the residuals (the QR path is compute-bound, ~2nk² flops). Empty when X'X is singular
// or too ill-conditioned to trust; the QR path then decides and names collinear columns.
std::optional<LeastSquaresFit> fit_by_normal_equations(const Eigen::Ref<const Eigen::MatrixXd>& x,
                                                       const Eigen::Ref<const Eigen::VectorXd>& y,
                                                       std::vector<std::string>& names) {
  const Eigen::Index k = x.cols();
  const Eigen::MatrixXd gram = augmented_gram(x, y);
  const Eigen::VectorXd scale = gram.diagonal().head(k).cwiseSqrt();  // column norms
  if (!(scale.array() > 0).all() || !scale.allFinite()) return std::nullopt;
  const Eigen::VectorXd inverse_scale = scale.cwiseInverse();
  const Eigen::MatrixXd scaled =
      inverse_scale.asDiagonal() * gram.topLeftCorner(k, k) * inverse_scale.asDiagonal();
  const Eigen::LLT<Eigen::MatrixXd> cholesky(scaled);
  if (cholesky.info() != Eigen::Success || !(cholesky.rcond() >= kMinScaledGramRcond)) return std::nullopt;

  LeastSquaresFit fit;
  fit.coefficients =
      inverse_scale.asDiagonal() * cholesky.solve(inverse_scale.asDiagonal() * gram.topRightCorner(k, 1));
  const Eigen::MatrixXd scaled_inverse = cholesky.solve(Eigen::MatrixXd::Identity(k, k));
  fit.bread = inverse_scale.asDiagonal() * scaled_inverse * inverse_scale.asDiagonal();
  fit.bread = (fit.bread + fit.bread.transpose()) / 2;
  fit.residuals = residuals_of(x, y, fit.coefficients);
  fit.names = std::move(names);
  return fit;
}

}  // namespace

LeastSquaresFit fit_least_squares(const Eigen::Ref<const Eigen::MatrixXd>& x,
                                  const Eigen::Ref<const Eigen::VectorXd>& y,
                                  std::vector<std::string> names) {
  const Eigen::Index k = x.cols();
  if (static_cast<Eigen::Index>(names.size()) != k || y.size() != x.rows())
    throw std::logic_error("fit_least_squares: one name per column and one y per row expected");
  if (x.rows() <= k)
    throw InputError(
        fmt::format("too few rows: {} rows for {} coefficients ({})", x.rows(), k, quoted_list(names)));

  if (auto fast = fit_by_normal_equations(x, y, names)) {
    LeastSquaresFit& fit = *fast;
    fit.residual_sum_of_squares = fit.residuals.squaredNorm();
    fit.total_sum_of_squares = (y.array() - y.mean()).square().sum();
    fit.rows = x.rows();
    return std::move(fit);
  }

  const Eigen::MatrixXd r_xy = stacked_r_factor(x, y);
  // Columns are scaled to unit norm (|X_j| = |R_j|) before the pivoted QR, so the rank test does
  // not depend on the units a column is measured in, as R's lm tolerance.
  Eigen::VectorXd column_scale = r_xy.topLeftCorner(k, k).colwise().norm().transpose();
  for (double& scale : column_scale)
    if (scale == 0) scale = 1;  // an all-zero column stays zero and is reported as such
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> pivoted(k, k);
  pivoted.setThreshold(kRankTolerance);
  pivoted.compute(r_xy.topLeftCorner(k, k) * column_scale.cwiseInverse().asDiagonal());
  if (pivoted.rank() < k) throw InputError(describe_rank_deficiency(pivoted, names));

  LeastSquaresFit fit;
  fit.names = std::move(names);
  fit.coefficients = pivoted.solve(r_xy.topRightCorner(k, 1)).cwiseQuotient(column_scale);
  // R_s P = Q2 R2 with R_s = R D^{-1}, so (X'X)^{-1} = D^{-1} P R2^{-1} R2^{-T} P' D^{-1}.
  const Eigen::MatrixXd r2_inverse =
      pivoted.matrixR().triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(k, k));
  const Eigen::MatrixXd permuted = r2_inverse * r2_inverse.transpose();
  const auto& pivots = pivoted.colsPermutation().indices();
  fit.bread.resize(k, k);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j)
      fit.bread(pivots(i), pivots(j)) = permuted(i, j) / (column_scale(pivots(i)) * column_scale(pivots(j)));

  fit.residuals = y - x * fit.coefficients;
  fit.residual_sum_of_squares = fit.residuals.squaredNorm();
  fit.total_sum_of_squares = (y.array() - y.mean()).square().sum();
  fit.rows = x.rows();
  return fit;
}

GramSolution solve_normal_equations(const Eigen::MatrixXd& xtx, const Eigen::VectorXd& xty,
                                    const std::vector<std::string>& names) {
  const Eigen::Index k = xtx.rows();
  if (xtx.cols() != k || xty.size() != k || static_cast<Eigen::Index>(names.size()) != k)
    throw std::logic_error("solve_normal_equations: X'X, X'y and names do not conform");
  Eigen::VectorXd scale = xtx.diagonal().cwiseSqrt();  // column norms
  for (double& s : scale)
    if (!(s > 0)) s = 1;  // an all-zero column stays zero and is reported as such
  const Eigen::VectorXd inverse_scale = scale.cwiseInverse();
  const Eigen::MatrixXd scaled = inverse_scale.asDiagonal() * xtx * inverse_scale.asDiagonal();
  const Eigen::LLT<Eigen::MatrixXd> cholesky(scaled);
  GramSolution out;
  if (cholesky.info() == Eigen::Success && cholesky.rcond() >= kMinScaledGramRcond) {
    out.coefficients = inverse_scale.asDiagonal() * cholesky.solve(inverse_scale.asDiagonal() * xty);
    out.bread = inverse_scale.asDiagonal() * cholesky.solve(Eigen::MatrixXd::Identity(k, k)) *
                inverse_scale.asDiagonal();
  } else {
    // R = Λ^{1/2} V' from the eigen decomposition of the scaled X'X has R'R = X'X (scaled), so the
    // pivoted QR of R finds the rank and the dependencies X itself has.
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(scaled);
    const Eigen::MatrixXd root =
        eigen.eigenvalues().cwiseMax(0).cwiseSqrt().asDiagonal() * eigen.eigenvectors().transpose();
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> pivoted(k, k);
    pivoted.setThreshold(kRankTolerance);
    pivoted.compute(root);
    if (pivoted.rank() < k) throw InputError(describe_rank_deficiency(pivoted, names));
    const Eigen::MatrixXd scaled_inverse = eigen.eigenvectors() *
                                           eigen.eigenvalues().cwiseInverse().asDiagonal() *
                                           eigen.eigenvectors().transpose();
    out.bread = inverse_scale.asDiagonal() * scaled_inverse * inverse_scale.asDiagonal();
    out.coefficients = out.bread * xty;
  }
  out.bread = (out.bread + out.bread.transpose()) / 2;
  return out;
}

double LeastSquaresFit::r_squared() const {
  return total_sum_of_squares > 0 ? 1.0 - residual_sum_of_squares / total_sum_of_squares : 0.0;
}

Eigen::Index LeastSquaresFit::index_of(const std::string& name) const {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<Eigen::Index>(it - names.begin());
}

}  // namespace casebook
