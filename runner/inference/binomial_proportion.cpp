#include "inference/binomial_proportion.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "inference/t_test.hpp"

namespace casebook {

BinomialProportion binomial_proportion(std::size_t successes, std::size_t trials, double confidence_level) {
  if (trials == 0 || successes > trials)
    throw InputError(fmt::format("a proportion needs 0 <= successes <= trials and trials > 0, got {} of {}",
                                 successes, trials));
  const double z = normal_critical_value(confidence_level);
  const double r = static_cast<double>(trials);
  BinomialProportion out;
  out.rate = static_cast<double>(successes) / r;
  out.se = std::sqrt(out.rate * (1 - out.rate) / r);
  // Wilson (1927): the p whose score test at this level does not reject.
  const double centre = (out.rate + z * z / (2 * r)) / (1 + z * z / r);
  const double half = z / (1 + z * z / r) * std::sqrt(out.rate * (1 - out.rate) / r + z * z / (4 * r * r));
  out.wilson_low = std::max(0.0, centre - half);
  out.wilson_high = std::min(1.0, centre + half);
  return out;
}

}  // namespace casebook
