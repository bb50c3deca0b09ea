#include "estimators/sun_abraham.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/panel_structure.hpp"
#include "estimators/pretrend_test.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "sun-abraham";

double reference_option(const OptionValues& options) {
  const std::int64_t value = options.whole("reference");
  if (value >= 0)
    throw InputError(fmt::format(
        "{}: option reference must be a negative whole number (a pre-period), got '{}'", kName, value));
  return static_cast<double>(value);
}

// The rows of `data` listed in `rows`, every column kept.
Dataset subset_rows(const Dataset& data, const std::vector<std::size_t>& rows) {
  Dataset out(data.source());
  for (const auto& column : data.columns()) {
    Column kept{column.name, {}, column.levels};
    kept.values.reserve(rows.size());
    for (std::size_t row : rows) kept.values.push_back(column.values[row]);
    out.add_column(std::move(kept));
  }
  return out;
}

Eigen::MatrixXd with_covariates(Eigen::MatrixXd x, const Dataset& data,
                                const std::vector<std::string>& covariates, std::vector<std::string>& names) {
  const Eigen::Index first = x.cols();
  x.conservativeResize(Eigen::NoChange, first + static_cast<Eigen::Index>(covariates.size()));
  for (std::size_t c = 0; c < covariates.size(); ++c) {
    x.col(first + static_cast<Eigen::Index>(c)) =
        Eigen::Map<const Eigen::VectorXd>(data.column(covariates[c]).values.data(), x.rows());
    names.push_back(covariates[c]);
  }
  return x;
}

}  // namespace

SunAbrahamFit sun_abraham_fit(const Dataset& data, const EstimatorArgs& args) {
  check_panel_arguments(data, args, kName);
  const OptionValues options = read_options(kName, args);
  const std::string unit = options.text("unit");
  const std::string time = options.text("time");
  const PanelStructure full = make_panel_structure(data, kName, unit, time);
  const auto adoption = adoption_times(data, full, args.treatment, options.text("adoption"));

  SunAbrahamFit out;
  out.control = options.text("control");
  out.reference = reference_option(options);

  // Cohorts treated from the first period on have no pre-period to compare with: left out.
  const double first_period = full.times.front();
  std::set<double> cohorts;
  bool any_never = false;
  for (const auto& a : adoption) {
    if (!a)
      any_never = true;
    else if (*a <= first_period)
      ++out.dropped_always_treated;
    else
      cohorts.insert(*a);
  }
  if (cohorts.empty())
    throw InputError(
        fmt::format("{}: no unit adopts after the first period ({} = {}): treatment '{}' leaves no "
                    "cohort with pre-periods",
                    kName, time, first_period, args.treatment));
  std::optional<double> last_cohort;  // the control cohort under control=last
  if (out.control == "never" && !any_never)
    throw InputError(
        fmt::format("{}: every unit is treated at some point ('{}'), so there are no never-treated "
                    "controls; use the option control=last to compare with the last cohort to adopt",
                    kName, args.treatment));
  if (out.control == "last") {
    last_cohort = *cohorts.rbegin();
    cohorts.erase(*last_cohort);
    if (cohorts.empty())
      throw InputError(
          fmt::format("{}: control=last needs at least two adoption cohorts; all treated units adopt in "
                      "{} = {}",
                      kName, time, *last_cohort));
  }

  // The estimation sample, and each kept row's cohort (nullopt: a control row).
  const auto& t = data.column(time).values;
  std::vector<std::size_t> kept;
  std::vector<std::optional<double>> cohort_of_row;
  for (std::size_t row = 0; row < data.rows(); ++row) {
    const auto& a = adoption[static_cast<std::size_t>(full.units.code[row])];
    if (a && *a <= first_period) continue;
    if (last_cohort && t[row] >= *last_cohort) continue;
    kept.push_back(row);
    cohort_of_row.push_back(a && a != last_cohort ? a : std::nullopt);
  }
  const bool all_rows = kept.size() == data.rows();
  const Dataset sample = all_rows ? Dataset() : subset_rows(data, kept);
  const Dataset& used = all_rows ? data : sample;
  const PanelStructure panel = make_panel_structure(used, kName, unit, time);
  const ClusterIndex clusters = args.cluster.empty() ? panel.units : make_cluster_index(used, args.cluster);
  out.rows = used.rows();
  out.units = static_cast<std::size_t>(panel.units.count);
  out.clusters = clusters.count;

  // Cells (cohort, relative period) other than the reference, with their row counts.
  const auto& ts = used.column(time).values;
  std::map<std::pair<double, double>, double> cell_rows;
  std::map<double, double> reference_rows;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (!cohort_of_row[i]) continue;
    const double l = ts[i] - *cohort_of_row[i];
    if (l == out.reference)
      reference_rows[*cohort_of_row[i]] += 1;
    else
      cell_rows[{*cohort_of_row[i], l}] += 1;
  }
  for (double e : cohorts)
    if (!reference_rows.contains(e))
      throw InputError(used.source(),
                       fmt::format("{}: the cohort adopting in {} = {} has no row at the reference "
                                   "period {} (relative to adoption); set the option reference to a "
                                   "pre-period every cohort has",
                                   kName, time, e, out.reference));
  out.cohorts.assign(cohorts.begin(), cohorts.end());
  std::map<std::pair<double, double>, Eigen::Index> cell_index;
  std::vector<std::string> names;
  for (const auto& [cell, rows] : cell_rows) {
    cell_index[cell] = static_cast<Eigen::Index>(out.cell_cohort.size());
    out.cell_cohort.push_back(cell.first);
    out.cell_relative.push_back(cell.second);
    out.cell_rows.push_back(rows);
    names.push_back(fmt::format("relative::{}:cohort::{}", cell.second, cell.first));
  }
  const auto cells = static_cast<Eigen::Index>(out.cell_cohort.size());
  const auto n = static_cast<Eigen::Index>(used.rows());
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n, cells);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& e = cohort_of_row[static_cast<std::size_t>(i)];
    if (!e) continue;
    const auto found = cell_index.find({*e, ts[static_cast<std::size_t>(i)] - *e});
    if (found != cell_index.end()) x(i, found->second) = 1;
  }
  x = with_covariates(std::move(x), used, args.covariates, names);
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(used.column(args.outcome).values.data(), n);
  const AbsorbedFit saturated =
      fit_with_unit_and_time_effects(panel, y, std::move(x), std::move(names), clusters);
  out.coefficients = saturated.fit.coefficients;
  out.coefficient_names = saturated.fit.names;
  out.vcov = saturated.variance.vcov;
  out.df = saturated.variance.df;

  // Interaction weights: the cohort shares among the rows at each relative period.
  std::map<double, double> rows_at;
  for (Eigen::Index j = 0; j < cells; ++j) rows_at[out.cell_relative[j]] += out.cell_rows[j];
  for (const auto& [l, _] : rows_at) out.relative_periods.push_back(l);
  const auto k = out.coefficients.size();
  out.iw_weights = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(out.relative_periods.size()), k);
  out.att_weights = Eigen::VectorXd::Zero(k);
  double post_rows = 0;
  for (Eigen::Index j = 0; j < cells; ++j)
    if (out.cell_relative[j] >= 0) post_rows += out.cell_rows[j];
  if (post_rows == 0) throw InputError(used.source(), fmt::format("{}: no post-adoption rows", kName));
  for (Eigen::Index j = 0; j < cells; ++j) {
    const double l = out.cell_relative[j];
    const auto r = std::lower_bound(out.relative_periods.begin(), out.relative_periods.end(), l) -
                   out.relative_periods.begin();
    out.iw_weights(r, j) = out.cell_rows[j] / rows_at[l];
    if (l >= 0) out.att_weights(j) = out.cell_rows[j] / post_rows;
  }

  // Naive static TWFE on the same rows, to show how far it moves.
  std::vector<std::string> twfe_names{args.treatment};
  Eigen::MatrixXd d = Eigen::Map<const Eigen::VectorXd>(used.column(args.treatment).values.data(), n);
  d = with_covariates(std::move(d), used, args.covariates, twfe_names);
  const AbsorbedFit twfe =
      fit_with_unit_and_time_effects(panel, y, std::move(d), std::move(twfe_names), clusters);
  out.twfe_estimate = twfe.fit.coefficients(0);
  out.twfe_se = std::sqrt(twfe.variance.vcov(0, 0));
  return out;
}

Estimate sun_abraham(const Dataset& data, const EstimatorArgs& args) {
  const SunAbrahamFit fit = sun_abraham_fit(data, args);
  const double att = fit.att_weights.dot(fit.coefficients);
  const double att_se = std::sqrt(std::max(0.0, fit.att_weights.dot(fit.vcov * fit.att_weights)));
  Estimate out = to_estimate(t_test(att, att_se, fit.df, args.confidence_level), fit.rows);
  out.se_type = "cr1";  // of the saturated regression, carried to the aggregates by the delta method
  out.terms =
      coefficient_terms(fit.coefficient_names, fit.coefficients, fit.vcov, fit.df, args.confidence_level);
  Table cells{"cells",
              "Effect by adoption cohort and period relative to adoption (the saturated regression)",
              test_table_columns({"cohort", "period", "rows"}),
              {}};
  for (std::size_t j = 0; j < fit.cell_cohort.size(); ++j) {
    const auto c = static_cast<Eigen::Index>(j);
    cells.rows.push_back(
        test_row({fit.cell_cohort[j], fit.cell_relative[j], fit.cell_rows[j]},
                 t_test(fit.coefficients(c), std::sqrt(fit.vcov(c, c)), fit.df, args.confidence_level)));
  }
  out.diagnostics["clusters"] = static_cast<double>(fit.clusters);
  out.diagnostics["units"] = static_cast<double>(fit.units);
  out.diagnostics["cohorts"] = static_cast<double>(fit.cohorts.size());
  out.diagnostics["cells"] = static_cast<double>(fit.cell_cohort.size());
  out.diagnostics["reference"] = fit.reference;
  out.diagnostics["twfe_estimate"] = fit.twfe_estimate;
  out.diagnostics["twfe_se"] = fit.twfe_se;
  out.diagnostics["twfe_minus_robust"] = fit.twfe_estimate - att;

  const Eigen::VectorXd iw = fit.iw_weights * fit.coefficients;
  const Eigen::MatrixXd iw_vcov = fit.iw_weights * fit.vcov * fit.iw_weights.transpose();
  Plot plot{"sun-abraham", "Interaction-weighted effect by period relative to adoption (Sun & Abraham)",
            "points",      "periods since adoption",
            args.outcome,  {},
            {0.0},         {}};
  Table by_period{
      "sun-abraham",
      fmt::format("Interaction-weighted effect by period relative to adoption (reference period {})",
                  fit.reference),
      test_table_columns({"period"}),
      {}};
  Series series;
  series.name = fmt::format("IW coefficient ({:g}% CI)", 100 * args.confidence_level);
  std::vector<Eigen::Index> leads;
  bool reference_placed = false;
  auto place_reference = [&] {
    series.x.push_back(fit.reference);
    series.y.push_back(0);
    series.lower.push_back(0);
    series.upper.push_back(0);
    reference_placed = true;
  };
  for (std::size_t r = 0; r < fit.relative_periods.size(); ++r) {
    const double l = fit.relative_periods[r];
    if (!reference_placed && l > fit.reference) place_reference();
    const auto ri = static_cast<Eigen::Index>(r);
    const CoefficientTest test =
        t_test(iw(ri), std::sqrt(std::max(0.0, iw_vcov(ri, ri))), fit.df, args.confidence_level);
    out.diagnostics[fmt::format("coef_{}", l)] = test.estimate;
    out.diagnostics[fmt::format("se_{}", l)] = test.se;
    series.x.push_back(l);
    series.y.push_back(test.estimate);
    series.lower.push_back(test.ci_low);
    series.upper.push_back(test.ci_high);
    by_period.rows.push_back(test_row({l}, test));
    if (l < 0) leads.push_back(ri);
  }
  if (!reference_placed) place_reference();
  out.tables.push_back(std::move(by_period));
  out.tables.push_back(std::move(cells));
  plot.series.push_back(std::move(series));
  out.plots.push_back(std::move(plot));

  report_pretrend_test(out, iw, iw_vcov, leads, fit.df);
  out.notes.push_back(fmt::format(
      "ATT over the treated post-adoption cells of {} cohort(s), each (cohort, period-since-adoption) effect "
      "weighted by its rows; controls: {}; naive TWFE on the same rows gives {:.4g} ({:+.4g})",
      fit.cohorts.size(),
      fit.control == "never" ? "never-treated units" : "the last cohort to adopt, before it does",
      fit.twfe_estimate, fit.twfe_estimate - att));
  if (fit.dropped_always_treated > 0)
    out.notes.push_back(
        fmt::format("{} unit(s) treated from the first period on have no pre-period and are left out",
                    fit.dropped_always_treated));
  if (fit.clusters < 20)
    out.notes.push_back(
        fmt::format("few clusters ({}): cluster-robust standard errors can be too small", fit.clusters));
  return out;
}

}  // namespace casebook
