#include "estimators/synthdid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/panel_structure.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "synthdid";
constexpr int kIterationsBeforeSparsifying = 100;  // synthdid's max.iter.pre.sparsify
constexpr int kMaxIterations = 10'000;             // its max.iter

std::string unit_name(const Dataset& data, const std::string& unit, std::size_t row) {
  const Column& u = data.column(unit);
  return u.is_categorical() ? u.levels.at(static_cast<std::size_t>(u.values[row]))
                            : fmt::format("{}", u.values[row]);
}

// Weights ≤ max/4 set to 0, the rest renormalised (synthdid's default `sparsify`).
Eigen::VectorXd sparsified(Eigen::VectorXd w) {
  const double cut = w.maxCoeff() / 4;
  for (auto& v : w)
    if (v <= cut) v = 0;
  return w / w.sum();
}

// 100 Frank–Wolfe iterations from uniform weights, sparsify, then solve again from there.
Eigen::VectorXd fitted_weights(const Eigen::MatrixXd& y, double zeta, bool intercept, double min_decrease) {
  const Eigen::Index k = y.cols() - 1;
  const Eigen::VectorXd uniform = Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k));
  const Eigen::VectorXd first =
      simplex_weights(y, zeta, intercept, uniform, min_decrease, kIterationsBeforeSparsifying);
  return simplex_weights(y, zeta, intercept, sparsified(first), min_decrease, kMaxIterations);
}

// The treated-minus-control contrast c_u' Y c_t: ω over the donors (renormalised to the ones kept),
// the treated units' mean, λ over the pre-periods against the post-period mean.
double contrast(const Eigen::MatrixXd& y, Eigen::Index donors, const Eigen::VectorXd& omega,
                const Eigen::VectorXd& lambda, const std::vector<bool>& keep) {
  const Eigen::Index t0 = lambda.size();
  const Eigen::Index t1 = y.cols() - t0;
  Eigen::VectorXd time_contrast(y.cols());
  time_contrast << -lambda, Eigen::VectorXd::Constant(t1, 1.0 / static_cast<double>(t1));
  const Eigen::VectorXd by_unit = y * time_contrast;
  double donor_weight = 0, donor_sum = 0, treated_sum = 0, treated = 0, kept_donors = 0;
  for (Eigen::Index u = 0; u < y.rows(); ++u) {
    if (!keep[static_cast<std::size_t>(u)]) continue;
    if (u < donors) {
      donor_weight += omega(u);
      kept_donors += 1;
    } else {
      treated_sum += by_unit(u);
      treated += 1;
    }
  }
  // sum_normalize: uniform weights when every donor left in has weight 0.
  for (Eigen::Index u = 0; u < donors; ++u)
    if (keep[static_cast<std::size_t>(u)])
      donor_sum += (donor_weight != 0 ? omega(u) / donor_weight : 1 / kept_donors) * by_unit(u);
  return treated_sum / treated - donor_sum;
}

}  // namespace

Eigen::VectorXd simplex_weights(const Eigen::MatrixXd& y, double zeta, bool intercept, Eigen::VectorXd start,
                                double min_decrease, int max_iterations) {
  const Eigen::Index k = y.cols() - 1;
  Eigen::MatrixXd centred = y;
  if (intercept) centred.rowwise() -= y.colwise().mean();
  const auto a = centred.leftCols(k);
  const auto b = centred.col(k);
  const double rows = static_cast<double>(y.rows());
  const double eta = rows * zeta * zeta;
  Eigen::VectorXd w = std::move(start);
  double previous = std::numeric_limits<double>::infinity(), latest = previous;
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    if (iteration >= 2 && !(previous - latest > min_decrease * min_decrease)) break;
    // One step towards the vertex with the smallest gradient, by exact line search, clipped to [0, 1].
    const Eigen::VectorXd aw = a * w;
    const Eigen::VectorXd half_gradient = a.transpose() * (aw - b) + eta * w;
    Eigen::Index vertex = 0;
    half_gradient.minCoeff(&vertex);
    Eigen::VectorXd direction = -w;
    direction(vertex) = 1 - w(vertex);
    if (!direction.isZero(0)) {
      const Eigen::VectorXd error_change = a.col(vertex) - aw;
      const double curvature = error_change.squaredNorm() + eta * direction.squaredNorm();
      // A flat direction (ζ = 0 and the vertex fits as well as w) is not taken: no 0/0 step.
      const double step = curvature > 0 ? -half_gradient.dot(direction) / curvature : 0.0;
      w += std::clamp(step, 0.0, 1.0) * direction;
    }
    previous = latest;
    latest = zeta * zeta * w.squaredNorm() + (a * w - b).squaredNorm() / rows;
  }
  return w;
}

SynthdidFit synthdid_fit(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(), "use 2sls for instrumental variables");
  reject_argument(kName, "covariates", !args.covariates.empty(),
                  "synthdid weights units and periods on the outcome alone");
  reject_argument(kName, "cluster", !args.cluster.empty(), "its jackknife leaves out one unit at a time");
  if (args.se_type != "hc1" && args.se_type != "jackknife")
    throw InputError(
        fmt::format("{}: the standard error is the jackknife over units (se '{}' is not available)", kName,
                    args.se_type));
  require_distinct_roles(args);
  const OptionValues options = read_options(kName, args);
  const std::string unit = options.text("unit");
  const std::string time = options.text("time");
  require_column(data, kName, "outcome", args.outcome);
  require_column(data, kName, "unit", unit);
  require_column(data, kName, "time", time);
  {
    const auto& y = data.column(args.outcome).values;
    for (std::size_t row = 0; row < y.size(); ++row)
      if (std::isnan(y[row]))
        throw InputError(data.source(),
                         fmt::format("{}: outcome '{}' is missing for unit {} = {} in {} = {} (row {})",
                                     kName, args.outcome, unit, unit_name(data, unit, row), time,
                                     data.column(time).values[row], row + 1));
  }
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_numeric_column(data, kName, "treatment", args.treatment);
  const PanelStructure panel = make_panel_structure(data, kName, unit, time);
  const auto adoption = adoption_times(data, panel, args.treatment);
  require_comparison_and_pre_periods(adoption, panel, kName, args.treatment);

  const auto units = static_cast<std::size_t>(panel.units.count);
  const auto periods = static_cast<Eigen::Index>(panel.times.size());
  std::vector<std::size_t> first_row(units, data.rows());
  std::vector<Eigen::Index> rows_of_unit(units, 0);
  for (std::size_t row = 0; row < data.rows(); ++row) {
    const auto u = static_cast<std::size_t>(panel.units.code[row]);
    first_row[u] = std::min(first_row[u], row);
    ++rows_of_unit[u];
  }
  for (std::size_t u = 0; u < units; ++u)
    if (rows_of_unit[u] != periods)
      throw InputError(
          data.source(),
          fmt::format("{}: the panel is unbalanced: unit {} = {} has {} of the {} periods; synthdid "
                      "needs every unit in every period",
                      kName, unit, unit_name(data, unit, first_row[u]), rows_of_unit[u], periods));

  // A block design: every treated unit adopts in the same period.
  std::optional<double> start;
  std::size_t first_treated = 0;
  for (std::size_t u = 0; u < units; ++u) {
    if (!adoption[u]) continue;
    if (!start) {
      start = adoption[u];
      first_treated = u;
    } else if (*adoption[u] != *start) {
      throw InputError(
          data.source(),
          fmt::format("{}: staggered adoption: unit {} = {} is treated from {} = {} but unit {} = "
                      "{} from {}; synthdid needs every treated unit to adopt in the same period",
                      kName, unit, unit_name(data, unit, first_row[u]), time, *adoption[u], unit,
                      unit_name(data, unit, first_row[first_treated]), *start));
    }
  }

  SynthdidFit fit;
  fit.method = options.text("method");
  fit.times = panel.times;
  fit.pre_periods = std::lower_bound(panel.times.begin(), panel.times.end(), *start) - panel.times.begin();
  std::vector<Eigen::Index> position(units);
  for (std::size_t u = 0; u < units; ++u) {
    auto& names = adoption[u] ? fit.treated : fit.donors;
    names.push_back(unit_name(data, unit, first_row[u]));
  }
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  const auto n1 = static_cast<Eigen::Index>(fit.treated.size());
  {
    Eigen::Index donor = 0, treated = n0;
    for (std::size_t u = 0; u < units; ++u) position[u] = adoption[u] ? treated++ : donor++;
  }
  if (n0 < 2)
    throw InputError(
        fmt::format("{}: a donor pool of one (unit {} = {}): synthdid needs at least two never-treated "
                    "units to weight",
                    kName, unit, fit.donors.front()));
  const Eigen::Index t0 = fit.pre_periods;
  const Eigen::Index t1 = periods - t0;
  if (t0 < 2)
    throw InputError(
        fmt::format("{}: one pre-period ({} = {}): the noise level and the time weights need at "
                    "least two periods before adoption",
                    kName, time, panel.times.front()));
  fit.y.resize(n0 + n1, periods);
  const auto& y = data.column(args.outcome).values;
  for (std::size_t row = 0; row < data.rows(); ++row)
    fit.y(position[static_cast<std::size_t>(panel.units.code[row])], panel.time_code[row]) = y[row];

  // The noise level: SD of the donors' period-to-period changes before adoption.
  const auto pre = fit.y.topLeftCorner(n0, t0);
  const Eigen::MatrixXd changes = pre.rightCols(t0 - 1) - pre.leftCols(t0 - 1);
  const double mean_change = changes.mean();
  fit.noise_level =
      std::sqrt((changes.array() - mean_change).square().sum() / static_cast<double>(changes.size() - 1));
  const double min_decrease = 1e-5 * fit.noise_level;
  fit.zeta_lambda = 1e-6 * fit.noise_level;
  fit.zeta_omega = fit.method == "sdid" ? std::pow(static_cast<double>(n1 * t1), 0.25) * fit.noise_level
                   : fit.method == "sc" ? 1e-6 * fit.noise_level
                                        : 0.0;

  // The collapsed panel: donors' post-period means in the last column, the treated mean in the last row.
  Eigen::MatrixXd collapsed(n0 + 1, t0 + 1);
  collapsed.topLeftCorner(n0, t0) = pre;
  collapsed.topRightCorner(n0, 1) = fit.y.topRightCorner(n0, t1).rowwise().mean();
  collapsed.bottomLeftCorner(1, t0) = fit.y.bottomLeftCorner(n1, t0).colwise().mean();
  collapsed(n0, t0) = fit.y.bottomRightCorner(n1, t1).mean();

  if (fit.method == "did") {
    fit.omega = Eigen::VectorXd::Constant(n0, 1.0 / static_cast<double>(n0));
    fit.lambda = Eigen::VectorXd::Constant(t0, 1.0 / static_cast<double>(t0));
  } else {
    fit.lambda = fit.method == "sc"
                     ? Eigen::VectorXd::Zero(t0)
                     : fitted_weights(collapsed.topRows(n0), fit.zeta_lambda, true, min_decrease);
    fit.omega = fitted_weights(collapsed.leftCols(t0).transpose(), fit.zeta_omega, fit.method == "sdid",
                               min_decrease);
  }
  std::vector<bool> keep(static_cast<std::size_t>(n0 + n1), true);
  fit.estimate = contrast(fit.y, n0, fit.omega, fit.lambda, keep);

  // Jackknife over units with the weights fixed: sqrt((n-1)/n · Σ (θ_(i) − θ̄)²).
  if (n1 < 2)
    throw InputError(
        fmt::format("{}: one treated unit ({} = {}): the jackknife SE needs at least two (synthdid's "
                    "vcov returns NA)",
                    kName, unit, fit.treated.front()));
  if ((fit.omega.array() != 0).count() == 1)
    throw InputError(
        fmt::format("{}: a single donor carries all the unit weight: the jackknife SE is undefined "
                    "(synthdid's vcov returns NA); method=did weights every donor",
                    kName));
  const Eigen::Index n = n0 + n1;
  Eigen::VectorXd leave_one_out(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    keep[static_cast<std::size_t>(i)] = false;
    leave_one_out(i) = contrast(fit.y, n0, fit.omega, fit.lambda, keep);
    keep[static_cast<std::size_t>(i)] = true;
  }
  const double nn = static_cast<double>(n);
  fit.jackknife_se = std::sqrt((nn - 1) / nn * (leave_one_out.array() - leave_one_out.mean()).square().sum());
  return fit;
}

Estimate synthdid(const Dataset& data, const EstimatorArgs& args) {
  const SynthdidFit fit = synthdid_fit(data, args);
  Estimate out = to_estimate(z_test(fit.estimate, fit.jackknife_se, args.confidence_level), data.rows());
  out.se_type = "jackknife";
  out.diagnostics.erase("df");  // a normal reference, as synthdid's confidence interval
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  const auto n1 = static_cast<Eigen::Index>(fit.treated.size());
  const Eigen::Index t0 = fit.pre_periods;

  // The counterfactual of the treated average: the synthetic control shifted by the λ-weighted
  // pre-period gap (no shift for sc, where λ = 0), so that the estimate is its mean post-period gap.
  const Eigen::VectorXd treated = fit.y.bottomRows(n1).colwise().mean().transpose();
  const Eigen::VectorXd synthetic = fit.y.topRows(n0).transpose() * fit.omega;
  const double shift = fit.lambda.dot(treated.head(t0) - synthetic.head(t0));
  const Eigen::VectorXd counterfactual = synthetic.array() + shift;
  const double pre_rmse =
      std::sqrt((treated.head(t0) - counterfactual.head(t0)).squaredNorm() / static_cast<double>(t0));

  out.diagnostics["zeta"] = fit.zeta_omega;
  out.diagnostics["zeta_lambda"] = fit.zeta_lambda;
  out.diagnostics["noise_level"] = fit.noise_level;
  out.diagnostics["n_donors_with_weight"] = static_cast<double>((fit.omega.array() != 0).count());
  out.diagnostics["n_periods_with_weight"] = static_cast<double>((fit.lambda.array() != 0).count());
  out.diagnostics["pre_rmse"] = pre_rmse;
  out.diagnostics["treated_units"] = static_cast<double>(n1);
  out.diagnostics["donors"] = static_cast<double>(n0);
  out.diagnostics["pre_periods"] = static_cast<double>(t0);
  out.diagnostics["post_periods"] = static_cast<double>(fit.times.size()) - static_cast<double>(t0);

  Table units{
      "unit_weights", fmt::format("Unit weights ω of the donors ({})", fit.method), {"unit", "weight"}, {}};
  for (Eigen::Index u = 0; u < n0; ++u)
    units.rows.push_back({fit.donors[static_cast<std::size_t>(u)], fit.omega(u)});
  Table times{"time_weights",
              fmt::format("Time weights λ of the pre-periods ({})", fit.method),
              {"period", "weight"},
              {}};
  for (Eigen::Index t = 0; t < t0; ++t)
    times.rows.push_back({fit.times[static_cast<std::size_t>(t)], fit.lambda(t)});
  out.tables.push_back(std::move(units));
  out.tables.push_back(std::move(times));

  Plot plot{"synthdid",
            fmt::format("Treated average and its synthetic counterfactual ({}; treatment from {})",
                        fit.method, fit.times[static_cast<std::size_t>(t0)]),
            "lines",
            "period",
            args.outcome,
            {},
            {},
            {}};
  plot.series.push_back(
      {"treated average", fit.times, {treated.data(), treated.data() + treated.size()}, {}, {}});
  plot.series.push_back({"synthetic control (shifted by the weighted pre-period gap)",
                         fit.times,
                         {counterfactual.data(), counterfactual.data() + counterfactual.size()},
                         {},
                         {}});
  out.plots.push_back(std::move(plot));

  out.notes.push_back(fmt::format(
      "{} treated unit(s) adopting together, {} donors, {} pre- and {} post-periods; {} of the donors carry "
      "weight; jackknife SE over units with the weights held fixed",
      n1, n0, t0, fit.times.size() - static_cast<std::size_t>(t0),
      static_cast<int>(out.diagnostics["n_donors_with_weight"])));
  if (n0 + n1 < 20)
    out.notes.push_back(
        "few units: the jackknife SE can be unreliable (Arkhangelsky et al. 2021, section 5)");
  return out;
}

}  // namespace casebook
