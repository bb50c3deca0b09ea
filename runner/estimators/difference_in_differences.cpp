#include "estimators/difference_in_differences.hpp"

#include <array>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/panel_structure.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "did";

std::string required_option(const OptionValues& options, const std::string& key, std::string_view meaning) {
  const std::string value = options.text(key);
  if (value.empty())
    throw InputError(
        fmt::format("{} needs the option '{}': the 0/1 column that says {}", kName, key, meaning));
  return value;
}

}  // namespace

Estimate difference_in_differences(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(), "use 2sls for instrumental variables");
  reject_argument(kName, "covariates", !args.covariates.empty(), "use twfe to adjust for covariates");
  const OptionValues options = read_options(kName, args);
  const std::string group = required_option(options, "group", "whether a unit is in the treated group");
  const std::string post = required_option(options, "post", "whether a row is after the change");
  const std::string comparison = options.text("comparison");
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_numeric_column(data, kName, "treatment", args.treatment);
  require_numeric_column(data, kName, "group", group);
  require_numeric_column(data, kName, "post", post);
  if (!args.cluster.empty()) require_column(data, kName, "cluster", args.cluster);
  if (args.outcome == group || args.outcome == post || group == post)
    throw InputError(fmt::format("{}: outcome, group and post must be three different columns", kName));
  require_binary_column(data, kName, "group", group);
  require_binary_column(data, kName, "post", post);
  const auto& y = data.column(args.outcome).values;
  const auto& g = data.column(group).values;
  const auto& p = data.column(post).values;
  if (args.treatment != group) {
    const auto& d = data.column(args.treatment).values;
    for (std::size_t i = 0; i < d.size(); ++i)
      if (d[i] != g[i] * p[i])
        throw InputError(
            data.source(),
            fmt::format("treatment '{}' is not {} × {} at row {} ({} vs {}): a 2×2 design has one treated "
                        "group switched on after one date; use twfe or event-study for staggered timing",
                        args.treatment, group, post, i + 1, d[i], g[i] * p[i]));
  }

  // The 2×2 table of means.
  std::array<double, 4> sum{}, count{};  // index group * 2 + post
  for (std::size_t i = 0; i < y.size(); ++i) {
    const auto cell = static_cast<std::size_t>(g[i] * 2 + p[i]);
    sum[cell] += y[i];
    count[cell] += 1;
  }
  static const std::array<const char*, 4> kCells = {"control_pre", "control_post", "treated_pre",
                                                    "treated_post"};
  for (std::size_t cell = 0; cell < 4; ++cell)
    if (count[cell] == 0)
      throw InputError(data.source(),
                       fmt::format("{}: no rows with {} = {} and {} = {} (the {} cell); a 2×2 comparison "
                                   "needs rows in all four cells{}",
                                   kName, group, cell / 2, post, cell % 2, kCells[cell],
                                   cell % 2 == 0 ? " (no pre-periods?)" : ""));

  // The rows and regressors of the chosen contrast.
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (comparison == "did" || (comparison == "post-difference" && p[i] == 1) ||
        (comparison == "before-after" && g[i] == 1))
      rows.push_back(i);
  const auto n = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index k = comparison == "did" ? 4 : 2;
  Eigen::MatrixXd x(n, k);
  Eigen::VectorXd yy(n);
  Dataset subset(data.source());
  std::vector<double> cluster_values;
  for (Eigen::Index r = 0; r < n; ++r) {
    const std::size_t i = rows[static_cast<std::size_t>(r)];
    yy(r) = y[i];
    x(r, 0) = 1;
    if (comparison == "did") {
      x(r, 1) = g[i];
      x(r, 2) = p[i];
      x(r, 3) = g[i] * p[i];
    } else {
      x(r, 1) = comparison == "post-difference" ? g[i] : p[i];
    }
    if (!args.cluster.empty()) cluster_values.push_back(data.column(args.cluster).values[i]);
  }
  std::vector<std::string> names =
      comparison == "did"
          ? std::vector<std::string>{"(Intercept)", group, post, group + ":" + post}
          : std::vector<std::string>{"(Intercept)", comparison == "post-difference" ? group : post};
  if (!args.cluster.empty())
    subset.add_column(Column{args.cluster, std::move(cluster_values), data.column(args.cluster).levels});
  else
    subset.add_column(Column{"row", std::vector<double>(rows.size(), 0.0), {}});
  const VarianceSpec spec = make_variance_spec(subset, args.se_type, args.cluster);
  const LeastSquaresFit fit = fit_least_squares(x, yy, names);
  const VarianceEstimate variance = sandwich_vcov(x, fit.residuals, fit.bread, spec);
  const Eigen::Index term = k - 1;
  Estimate out = to_estimate(t_test(fit.coefficients(term), std::sqrt(variance.vcov(term, term)), variance.df,
                                    args.confidence_level),
                             rows.size());
  out.se_type = to_string(variance.type);
  out.terms =
      coefficient_terms(fit.names, fit.coefficients, variance.vcov, variance.df, args.confidence_level);
  for (std::size_t cell = 0; cell < 4; ++cell) {
    out.diagnostics[std::string("mean_") + kCells[cell]] = sum[cell] / count[cell];
    out.diagnostics[std::string("n_") + kCells[cell]] = count[cell];
  }
  if (variance.clusters > 0) out.diagnostics["clusters"] = static_cast<double>(variance.clusters);
  if (comparison == "post-difference")
    out.notes.push_back(
        "treated vs control after the change only: any difference the groups had before counts as effect");
  if (comparison == "before-after")
    out.notes.push_back(
        "the treated group after vs before: any change over time that would have happened anyway counts as "
        "effect");
  return out;
}

}  // namespace casebook
