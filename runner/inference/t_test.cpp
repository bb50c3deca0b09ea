#include "inference/t_test.hpp"

#include <cmath>

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "core/input_error.hpp"

namespace casebook {

void check_confidence_level(double confidence_level) {
  if (!(confidence_level > 0.0 && confidence_level < 1.0))
    throw InputError(
        fmt::format("confidence_level {} must be between 0 and 1 (exclusive), e.g. 0.95", confidence_level));
}

namespace {

// The test of estimate / se against a symmetric reference distribution.
template <class Distribution>
CoefficientTest test_against(const Distribution& distribution, double estimate, double se,
                             double confidence_level) {
  CoefficientTest out;
  out.estimate = estimate;
  out.se = se;
  const double quantile = boost::math::quantile(distribution, 1.0 - (1.0 - confidence_level) / 2.0);
  out.ci_low = estimate - quantile * se;
  out.ci_high = estimate + quantile * se;
  if (se > 0) {
    out.t_statistic = estimate / se;
    out.p_value = 2.0 * boost::math::cdf(boost::math::complement(distribution, std::abs(out.t_statistic)));
  } else {
    out.t_statistic = estimate == 0 ? 0.0 : std::copysign(HUGE_VAL, estimate);
    out.p_value = estimate == 0 ? 1.0 : 0.0;
  }
  return out;
}

}  // namespace

CoefficientTest t_test(double estimate, double se, double df, double confidence_level) {
  check_confidence_level(confidence_level);
  if (!(df > 0)) throw InputError(fmt::format("no degrees of freedom left for a t test (df = {})", df));
  CoefficientTest out = test_against(boost::math::students_t(df), estimate, se, confidence_level);
  out.df = df;
  return out;
}

CoefficientTest z_test(double estimate, double se, double confidence_level) {
  check_confidence_level(confidence_level);
  return test_against(boost::math::normal_distribution<double>(), estimate, se, confidence_level);
}

double normal_critical_value(double confidence_level) {
  check_confidence_level(confidence_level);
  return boost::math::quantile(boost::math::normal_distribution<double>(),
                               1.0 - (1.0 - confidence_level) / 2.0);
}

}  // namespace casebook
