#include "inference/wald_test.hpp"

#include <Eigen/Cholesky>
#include <boost/math/distributions/fisher_f.hpp>

namespace casebook {

double wald_f_statistic(const Eigen::Ref<const Eigen::VectorXd>& coefficients,
                        const Eigen::Ref<const Eigen::MatrixXd>& vcov,
                        const std::vector<Eigen::Index>& tested) {
  const auto q = static_cast<Eigen::Index>(tested.size());
  Eigen::VectorXd b(q);
  Eigen::MatrixXd v(q, q);
  for (Eigen::Index i = 0; i < q; ++i) {
    b(i) = coefficients(tested[i]);
    for (Eigen::Index j = 0; j < q; ++j) v(i, j) = vcov(tested[i], tested[j]);
  }
  return b.dot(v.ldlt().solve(b)) / static_cast<double>(q);
}

double f_test_p_value(double f_statistic, double df1, double df2) {
  if (!(f_statistic >= 0)) return 1.0;
  const boost::math::fisher_f distribution(df1, df2);
  return boost::math::cdf(boost::math::complement(distribution, f_statistic));
}

}  // namespace casebook
