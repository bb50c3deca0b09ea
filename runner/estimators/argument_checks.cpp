#include "estimators/argument_checks.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

namespace {

// Long lists (hundreds of columns or levels) would swamp a one-line message.
std::string short_list(const std::vector<std::string>& items) {
  constexpr std::size_t kShown = 12;
  if (items.size() <= kShown) return fmt::format("{}", fmt::join(items, ", "));
  return fmt::format("{}, … ({} in all)", fmt::join(items.begin(), items.begin() + kShown, ", "),
                     items.size());
}

}  // namespace

void require_binary_column(const Dataset& data, std::string_view estimator, std::string_view role,
                           const std::string& name) {
  require_numeric_column(data, estimator, role, name);
  const auto& v = data.column(name).values;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] != 0.0 && v[i] != 1.0)
      throw InputError(data.source(), fmt::format("{} '{}' must be 0/1 for {}; row {} has {}", role, name,
                                                  estimator, i + 1, v[i]));
}

void require_column(const Dataset& data, std::string_view estimator, std::string_view role,
                    const std::string& name) {
  if (name.empty())
    throw InputError(fmt::format("{} needs a {} column ({} is empty)", estimator, role, role));
  if (!data.has(name))
    throw InputError(data.source(), fmt::format("{} column '{}' not found (columns: {})", role, name,
                                                short_list(data.names())));
}

void require_numeric_column(const Dataset& data, std::string_view estimator, std::string_view role,
                            const std::string& name) {
  require_column(data, estimator, role, name);
  const Column& column = data.column(name);
  if (column.is_categorical())
    throw InputError(data.source(), fmt::format("{} '{}' is categorical (levels: {}); {} needs it numeric{}",
                                                role, name, short_list(column.levels), estimator,
                                                role == "treatment" ? ", e.g. recoded as 0/1" : ""));
  require_complete(data, {name});
}

void require_not_constant(const Dataset& data, std::string_view role, const std::string& name,
                          std::string_view consequence) {
  const Column& column = data.column(name);
  const auto& values = column.values;
  if (values.empty()) throw InputError(data.source(), fmt::format("{} '{}' has no rows", role, name));
  const bool constant =
      std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); });
  if (!constant) return;
  const std::string value = column.is_categorical()
                                ? column.levels.at(static_cast<std::size_t>(values.front()))
                                : fmt::format("{}", values.front());
  throw InputError(data.source(),
                   fmt::format("{} '{}' is constant (all {}): {}", role, name, value, consequence));
}

void require_distinct_roles(const EstimatorArgs& args) {
  std::set<std::string> covariates;
  for (const auto& c : args.covariates) {
    if (!covariates.insert(c).second) throw InputError(fmt::format("covariate '{}' is listed twice", c));
    if (c == args.outcome) throw InputError(fmt::format("outcome '{}' is also listed as a covariate", c));
    if (c == args.treatment) throw InputError(fmt::format("treatment '{}' is also listed as a covariate", c));
  }
  if (!args.outcome.empty() && args.outcome == args.treatment)
    throw InputError(fmt::format("column '{}' is both the outcome and the treatment", args.outcome));
  std::set<std::string> instruments;
  for (const auto& z : args.instruments) {
    if (!instruments.insert(z).second) throw InputError(fmt::format("instrument '{}' is listed twice", z));
    if (z == args.treatment)
      throw InputError(
          fmt::format("instrument '{}' is the treatment itself; an instrument must be a "
                      "different column that moves the treatment",
                      z));
    if (z == args.outcome) throw InputError(fmt::format("instrument '{}' is the outcome", z));
    if (covariates.count(z))
      throw InputError(
          fmt::format("instrument '{}' is also listed as a covariate; an excluded instrument "
                      "must not enter the outcome equation",
                      z));
  }
}

void reject_argument(std::string_view estimator, std::string_view argument, bool given,
                     std::string_view hint) {
  if (given) throw InputError(fmt::format("{} does not take {}; {}", estimator, argument, hint));
}

void require_squarable_values(const Dataset& data, std::string_view estimator, const EstimatorArgs& args) {
  constexpr double kLargest = 1e150;
  std::vector<std::string> columns = used_columns(args);
  for (const auto& [option, value] : args.options) columns.push_back(value);
  for (const std::string& name : columns) {
    if (name.empty() || !data.has(name)) continue;
    const Column& column = data.column(name);
    if (column.is_categorical()) continue;
    for (std::size_t i = 0; i < column.values.size(); ++i)
      if (std::abs(column.values[i]) > kLargest && std::isfinite(column.values[i]))
        throw InputError(
            data.source(),
            fmt::format("column '{}', row {}: {:g} is too large for {} (sums of squares overflow "
                        "above |x| = 1e150); rescale the column",
                        name, i + 1, column.values[i], estimator));
  }
}

void require_finite_result(const Dataset& data, std::string_view estimator, const Estimate& result) {
  const bool finite = std::isfinite(result.estimate) && std::isfinite(result.se) &&
                      std::isfinite(result.ci_low) && std::isfinite(result.ci_high) &&
                      !std::isnan(result.p_value);
  if (!finite)
    throw InputError(
        data.source(),
        fmt::format("{}: the result is not a finite number on these data (estimate {}, SE {}, CI [{}, "
                    "{}], p {}); check the columns for extreme or degenerate values",
                    estimator, result.estimate, result.se, result.ci_low, result.ci_high, result.p_value));
}

std::vector<std::string> used_columns(const EstimatorArgs& args) {
  std::vector<std::string> columns{args.outcome, args.treatment};
  columns.insert(columns.end(), args.covariates.begin(), args.covariates.end());
  columns.insert(columns.end(), args.instruments.begin(), args.instruments.end());
  if (!args.cluster.empty()) columns.push_back(args.cluster);
  return columns;
}

Estimate to_estimate(const CoefficientTest& test, std::size_t rows) {
  Estimate out;
  out.estimate = test.estimate;
  out.se = test.se;
  out.ci_low = test.ci_low;
  out.ci_high = test.ci_high;
  out.p_value = test.p_value;
  out.n = rows;
  out.diagnostics["df"] = test.df;
  return out;
}

}  // namespace casebook
