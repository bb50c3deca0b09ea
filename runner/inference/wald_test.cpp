#include "inference/wald_test.hpp"

#include <algorithm>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <boost/math/distributions/fisher_f.hpp>

namespace casebook {
namespace {

// b_S and V_SS.
struct TestedPart {
  Eigen::VectorXd b;
  Eigen::MatrixXd v;
};

TestedPart tested_part(const Eigen::Ref<const Eigen::VectorXd>& coefficients,
                       const Eigen::Ref<const Eigen::MatrixXd>& vcov,
                       const std::vector<Eigen::Index>& tested) {
  const auto q = static_cast<Eigen::Index>(tested.size());
  TestedPart out{Eigen::VectorXd(q), Eigen::MatrixXd(q, q)};
  for (Eigen::Index i = 0; i < q; ++i) {
    out.b(i) = coefficients(tested[i]);
    for (Eigen::Index j = 0; j < q; ++j) out.v(i, j) = vcov(tested[i], tested[j]);
  }
  return out;
}

// b' V⁻¹ b / q.
double f_statistic(const TestedPart& part) {
  return part.b.dot(part.v.ldlt().solve(part.b)) / static_cast<double>(part.b.size());
}

}  // namespace

double wald_f_statistic(const Eigen::Ref<const Eigen::VectorXd>& coefficients,
                        const Eigen::Ref<const Eigen::MatrixXd>& vcov,
                        const std::vector<Eigen::Index>& tested) {
  return f_statistic(tested_part(coefficients, vcov, tested));
}

JointWaldTest joint_wald_test(const Eigen::Ref<const Eigen::VectorXd>& coefficients,
                              const Eigen::Ref<const Eigen::MatrixXd>& vcov,
                              const std::vector<Eigen::Index>& tested) {
  const auto q = static_cast<Eigen::Index>(tested.size());
  const TestedPart part = tested_part(coefficients, vcov, tested);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(part.v);
  const Eigen::VectorXd& values = eigen.eigenvalues();  // increasing
  const double cut = 1e-10 * std::max(values(q - 1), 0.0);
  Eigen::Index rank = 0;
  for (Eigen::Index i = 0; i < q; ++i) rank += values(i) > cut;
  if (rank == q) return {f_statistic(part), q, 0};
  if (rank == 0) return {0.0, 0, q};
  // b' V⁺ b on the eigenvectors V can separate.
  const Eigen::MatrixXd kept = eigen.eigenvectors().rightCols(rank);
  const Eigen::VectorXd projected = kept.transpose() * part.b;
  const double w = projected.dot(projected.cwiseQuotient(values.tail(rank)));
  return {w / static_cast<double>(rank), rank, q - rank};
}

double f_test_p_value(double f_statistic, double df1, double df2) {
  if (!(f_statistic >= 0)) return 1.0;
  const boost::math::fisher_f distribution(df1, df2);
  return boost::math::cdf(boost::math::complement(distribution, f_statistic));
}

}  // namespace casebook
