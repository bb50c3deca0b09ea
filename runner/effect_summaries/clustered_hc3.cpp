#include "effect_summaries/clustered_hc3.hpp"

#include <fmt/format.h>
#include <Eigen/LU>

#include "core/input_error.hpp"

namespace casebook {

Eigen::MatrixXd clustered_hc3_vcov(const Eigen::MatrixXd& x, const Eigen::VectorXd& residuals,
                                   const Eigen::MatrixXd& bread, const ClusterCodes& clusters,
                                   std::string_view what) {
  const Eigen::Index k = x.cols();
  Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(k, k);
  for (const auto& rows : rows_of_clusters(clusters)) {
    const auto size = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXd x_g(size, k);
    Eigen::VectorXd e_g(size);
    for (Eigen::Index r = 0; r < size; ++r) {
      const auto row = static_cast<Eigen::Index>(rows[static_cast<std::size_t>(r)]);
      x_g.row(r) = x.row(row);
      e_g[r] = residuals[row];
    }
    const Eigen::MatrixXd identity_minus_hat =
        Eigen::MatrixXd::Identity(size, size) - x_g * bread * x_g.transpose();
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(identity_minus_hat);
    if (!lu.isInvertible())
      throw InputError(
          fmt::format("{}: a cluster has leverage 1, so its HC3 standard error is undefined", what));
    const Eigen::VectorXd score = x_g.transpose() * lu.solve(e_g);
    meat.noalias() += score * score.transpose();
  }
  return bread * meat * bread;
}

}  // namespace casebook
