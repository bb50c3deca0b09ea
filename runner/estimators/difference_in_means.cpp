#include "estimators/difference_in_means.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "inference/t_test.hpp"

namespace casebook {

namespace {

constexpr std::string_view kName = "difference-in-means";

struct ArmSummary {
  std::size_t n = 0;
  double mean = 0;
  double variance = 0;  // sample variance, denominator n-1
};

// Two passes (mean, then squared deviations) for accuracy when the mean is large.
std::array<ArmSummary, 2> summarise_arms(const std::vector<double>& y, const std::vector<double>& t) {
  std::array<ArmSummary, 2> arms{};
  std::array<double, 2> sums{0, 0};
  for (std::size_t i = 0; i < y.size(); ++i) {
    const auto arm = static_cast<std::size_t>(t[i]);
    ++arms[arm].n;
    sums[arm] += y[i];
  }
  for (std::size_t a = 0; a < 2; ++a) arms[a].mean = sums[a] / static_cast<double>(arms[a].n);
  std::array<double, 2> squares{0, 0};
  for (std::size_t i = 0; i < y.size(); ++i) {
    const auto arm = static_cast<std::size_t>(t[i]);
    const double deviation = y[i] - arms[arm].mean;
    squares[arm] += deviation * deviation;
  }
  for (std::size_t a = 0; a < 2; ++a) arms[a].variance = squares[a] / static_cast<double>(arms[a].n - 1);
  return arms;
}

}  // namespace

Estimate difference_in_means(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "covariates", !args.covariates.empty(), "use ols to adjust for covariates");
  reject_argument(kName, "instruments", !args.instruments.empty(), "use 2sls for instruments");
  reject_argument(kName, "a cluster column", !args.cluster.empty(),
                  "use ols with cluster for cluster-robust standard errors");
  require_distinct_roles(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_binary_column(data, kName, "treatment", args.treatment);
  const auto& t = data.column(args.treatment).values;
  require_not_constant(data, "treatment", args.treatment, "nothing to compare");

  const std::array<ArmSummary, 2> arms = summarise_arms(data.column(args.outcome).values, t);
  for (std::size_t a = 0; a < 2; ++a)
    if (arms[a].n < 2)
      throw InputError(data.source(),
                       fmt::format("treatment '{}' has only {} row with {} = {}; {} needs at least 2 rows "
                                   "in each arm to estimate its variance",
                                   args.treatment, arms[a].n, args.treatment, a, kName));

  const ArmSummary& treated = arms[1];
  const ArmSummary& control = arms[0];
  const double v1 = treated.variance / static_cast<double>(treated.n);
  const double v0 = control.variance / static_cast<double>(control.n);
  const double se = std::sqrt(v1 + v0);
  // Welch–Satterthwaite, on variances divided by the larger so their squares cannot overflow;
  // undefined when both arms are constant, then fall back to n-2.
  const double scale = std::max(v1, v0);
  const double r1 = scale > 0 ? v1 / scale : 0, r0 = scale > 0 ? v0 / scale : 0;
  const double welch_denominator =
      r1 * r1 / static_cast<double>(treated.n - 1) + r0 * r0 / static_cast<double>(control.n - 1);
  const double df = welch_denominator > 0 ? (r1 + r0) * (r1 + r0) / welch_denominator
                                          : static_cast<double>(treated.n + control.n - 2);

  const CoefficientTest test = t_test(treated.mean - control.mean, se, df, args.confidence_level);
  Estimate out = to_estimate(test, treated.n + control.n);
  out.se_type = "neyman";
  out.terms = {make_term(args.treatment, test)};  // as estimatr's tidy(difference_in_means(y ~ t))
  out.diagnostics["mean_treated"] = treated.mean;
  out.diagnostics["mean_control"] = control.mean;
  out.diagnostics["n_treated"] = static_cast<double>(treated.n);
  out.diagnostics["n_control"] = static_cast<double>(control.n);
  if (se == 0) out.notes.push_back("the outcome is constant within each arm, so the standard error is zero");
  return out;
}

}  // namespace casebook
