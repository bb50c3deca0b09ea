#include "effect_summaries/doubly_robust_ate.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

DoublyRobustEffect doubly_robust_ate(std::span<const double> y, std::span<const double> w,
                                     std::span<const double> y_hat, std::span<const double> w_hat,
                                     std::span<const double> cate) {
  const std::size_t n = y.size();
  if (w.size() != n || y_hat.size() != n || w_hat.size() != n || cate.size() != n)
    throw InputError("doubly robust ATE: outcome, treatment, nuisance estimates and CATE differ in length");
  if (n < 2) throw InputError(fmt::format("doubly robust ATE: needs at least 2 rows (got {})", n));
  DoublyRobustEffect out;
  out.scores.resize(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (w[i] != 0.0 && w[i] != 1.0)
      throw InputError(
          fmt::format("doubly robust ATE: the treatment must be 0/1; row {} has {}", i + 1, w[i]));
    const double e = w_hat[i];
    if (!(e > 0 && e < 1))
      throw InputError(
          fmt::format("doubly robust ATE: the estimated propensity of row {} is {}, so the treated and "
                      "control groups do not "
                      "overlap there",
                      i + 1, e));
    const double residual = y[i] - y_hat[i] - (w[i] - e) * cate[i];
    out.scores[i] = cate[i] + (w[i] - e) / (e * (1 - e)) * residual;
    sum += out.scores[i];
  }
  out.estimate = sum / static_cast<double>(n);
  double squares = 0;
  for (const double g : out.scores) squares += (g - out.estimate) * (g - out.estimate);
  out.se = std::sqrt(squares / (static_cast<double>(n) * static_cast<double>(n - 1)));
  return out;
}

}  // namespace casebook
