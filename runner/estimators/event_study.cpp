#include "estimators/event_study.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/panel_structure.hpp"
#include "estimators/pretrend_test.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "event-study";

// Mean outcome by period for each adoption cohort and for the never treated.
Plot group_means_plot(const Dataset& data, const PanelStructure& panel,
                      const std::vector<std::optional<double>>& adoption, const std::string& outcome) {
  const auto& y = data.column(outcome).values;
  std::map<double, std::vector<std::pair<double, double>>> sums;  // cohort (-1: never) -> per period (sum, n)
  for (std::size_t row = 0; row < y.size(); ++row) {
    const auto& a = adoption[static_cast<std::size_t>(panel.units.code[row])];
    auto& cells = sums[a ? *a : -1e300];
    cells.resize(panel.times.size());
    cells[static_cast<std::size_t>(panel.time_code[row])].first += y[row];
    cells[static_cast<std::size_t>(panel.time_code[row])].second += 1;
  }
  Plot plot{"group-means", "Mean outcome by period", "lines", panel.time_column, outcome, {}, {}, {}};
  for (const auto& [cohort, cells] : sums) {
    Series series;
    series.name = cohort == -1e300 ? std::string("never treated") : fmt::format("adopted in {}", cohort);
    for (std::size_t k = 0; k < cells.size(); ++k)
      if (cells[k].second > 0) {
        series.x.push_back(panel.times[k]);
        series.y.push_back(cells[k].first / cells[k].second);
      }
    plot.series.push_back(std::move(series));
  }
  return plot;
}

std::string relative_name(double k) { return fmt::format("{}", k); }

}  // namespace

Estimate event_study(const Dataset& data, const EstimatorArgs& args) {
  const auto [panel, adoption, clusters] = prepare_absorbing_treatment_panel(data, args, kName);
  const OptionValues options = read_options(kName, args);
  const auto whole = [&](std::string_view name) -> std::optional<double> {
    if (!options.has(name)) return std::nullopt;
    return static_cast<double>(options.whole(name));
  };
  const double reference = *whole("reference");
  const auto low = whole("min_relative");
  const auto high = whole("max_relative");
  if (low && high && *low > *high)
    throw InputError(fmt::format("{}: min_relative {} exceeds max_relative {}", kName, *low, *high));
  if ((low && reference < *low) || (high && reference > *high))
    throw InputError(fmt::format("{}: the reference period {} lies outside the window", kName, reference));

  // Each treated row's period relative to adoption, binned into the window.
  const auto& t = data.column(panel.time_column).values;
  const auto n = static_cast<Eigen::Index>(data.rows());
  std::vector<std::optional<double>> relative(static_cast<std::size_t>(n));
  std::set<double> seen;
  for (Eigen::Index row = 0; row < n; ++row) {
    const auto& a = adoption[static_cast<std::size_t>(panel.units.code[row])];
    if (!a) continue;
    double k = t[row] - *a;
    if (low) k = std::max(k, *low);
    if (high) k = std::min(k, *high);
    relative[row] = k;
    seen.insert(k);
  }
  if (!seen.contains(reference))
    throw InputError(data.source(),
                     fmt::format("{}: no treated row is {} period(s) from adoption, the reference period; "
                                 "set the option reference to one that occurs",
                                 kName, reference));
  std::vector<double> periods;  // relative periods with a dummy
  for (double k : seen)
    if (k != reference) periods.push_back(k);
  if (periods.empty()) throw InputError(fmt::format("{}: only the reference period occurs", kName));

  const auto dummies = static_cast<Eigen::Index>(periods.size());
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n, dummies + static_cast<Eigen::Index>(args.covariates.size()));
  std::vector<std::string> names;
  for (double k : periods) names.push_back("relative::" + relative_name(k));  // fixest's i(relative) names
  for (Eigen::Index row = 0; row < n; ++row)
    if (relative[row] && *relative[row] != reference)
      x(row, std::lower_bound(periods.begin(), periods.end(), *relative[row]) - periods.begin()) = 1;
  for (std::size_t c = 0; c < args.covariates.size(); ++c) {
    x.col(dummies + static_cast<Eigen::Index>(c)) =
        Eigen::Map<const Eigen::VectorXd>(data.column(args.covariates[c]).values.data(), n);
    names.push_back(args.covariates[c]);
  }
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(data.column(args.outcome).values.data(), n);
  const AbsorbedFit absorbed =
      fit_with_unit_and_time_effects(panel, y, std::move(x), std::move(names), clusters);
  const Eigen::VectorXd& b = absorbed.fit.coefficients;
  const Eigen::MatrixXd& v = absorbed.variance.vcov;
  const double df = absorbed.variance.df;

  // Headline: the average of the post-period coefficients.
  Eigen::VectorXd weights = Eigen::VectorXd::Zero(b.size());
  std::vector<Eigen::Index> leads;
  Eigen::Index post = 0;
  for (Eigen::Index j = 0; j < dummies; ++j) {
    if (periods[j] >= 0)
      ++post;
    else
      leads.push_back(j);
  }
  if (post == 0) throw InputError(data.source(), fmt::format("{}: no post-adoption rows", kName));
  for (Eigen::Index j = 0; j < dummies; ++j)
    if (periods[j] >= 0) weights(j) = 1.0 / static_cast<double>(post);
  const double average = weights.dot(b);
  const double average_se = std::sqrt(std::max(0.0, weights.dot(v * weights)));
  Estimate out = to_estimate(t_test(average, average_se, df, args.confidence_level), data.rows());
  out.se_type = to_string(absorbed.variance.type);
  out.terms = coefficient_terms(absorbed.fit.names, b, v, df, args.confidence_level);
  out.diagnostics["clusters"] = static_cast<double>(absorbed.variance.clusters);
  out.diagnostics["units"] = static_cast<double>(panel.units.count);
  out.diagnostics["reference"] = reference;

  Plot plot{"event-study", "Effect by period relative to adoption",
            "points",      "periods since adoption",
            args.outcome,  {},
            {0.0},         {}};
  Table by_period{"event-study",
                  fmt::format("Effect by period relative to adoption (reference period {})", reference),
                  test_table_columns({"period"}),
                  {}};
  Series series;
  series.name = "coefficient (95% CI)";
  if (args.confidence_level != 0.95)
    series.name = fmt::format("coefficient ({:g}% CI)", 100 * args.confidence_level);
  for (Eigen::Index j = 0; j <= dummies; ++j) {
    // The reference period sits at 0 with no interval, in its place in the sequence.
    const bool at_reference = j == dummies || periods[j] > reference;
    if (at_reference && std::find(series.x.begin(), series.x.end(), reference) == series.x.end()) {
      series.x.push_back(reference);
      series.y.push_back(0);
      series.lower.push_back(0);
      series.upper.push_back(0);
    }
    if (j == dummies) break;
    const CoefficientTest test = t_test(b(j), std::sqrt(v(j, j)), df, args.confidence_level);
    out.diagnostics["coef_" + relative_name(periods[j])] = test.estimate;
    out.diagnostics["se_" + relative_name(periods[j])] = test.se;
    series.x.push_back(periods[j]);
    series.y.push_back(test.estimate);
    series.lower.push_back(test.ci_low);
    series.upper.push_back(test.ci_high);
    by_period.rows.push_back(test_row({periods[j]}, test));
  }
  out.tables.push_back(std::move(by_period));
  plot.series.push_back(std::move(series));
  out.plots.push_back(std::move(plot));
  out.plots.push_back(group_means_plot(data, panel, adoption, args.outcome));

  report_pretrend_test(out, b, v, leads, df);
  out.notes.push_back(
      fmt::format("the estimate is the average of the {} post-adoption coefficients (periods 0 and later, "
                  "relative to period {})",
                  post, reference));
  return out;
}

}  // namespace casebook
