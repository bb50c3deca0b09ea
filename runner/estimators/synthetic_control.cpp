#include "estimators/synthetic_control.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <Eigen/QR>

#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/block_design_panel.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "synthetic-control";

// The least-squares solution on the affine hull of the free columns: z with Σz = 1, zero off `free`.
Eigen::VectorXd restricted_solution(const Eigen::MatrixXd& a, const Eigen::VectorXd& b,
                                    const std::vector<Eigen::Index>& free) {
  Eigen::VectorXd z = Eigen::VectorXd::Zero(a.cols());
  const Eigen::Index reference = free.front();
  const auto others = static_cast<Eigen::Index>(free.size()) - 1;
  if (others == 0) {
    z(reference) = 1;
    return z;
  }
  // Eliminate Σz = 1 through the first free column: A z − b = (A_F − a_r) y − (b − a_r).
  Eigen::MatrixXd d(a.rows(), others);
  for (Eigen::Index i = 0; i < others; ++i)
    d.col(i) = a.col(free[static_cast<std::size_t>(i + 1)]) - a.col(reference);
  const Eigen::VectorXd y = d.colPivHouseholderQr().solve(b - a.col(reference));
  for (Eigen::Index i = 0; i < others; ++i) z(free[static_cast<std::size_t>(i + 1)]) = y(i);
  z(reference) = 1 - y.sum();
  return z;
}

// v = softmax(θ): positive weights summing to 1 for any θ.
Eigen::VectorXd softmax(const Eigen::VectorXd& theta) {
  const Eigen::VectorXd e = (theta.array() - theta.maxCoeff()).exp();
  return e / e.sum();
}

// Nelder–Mead (reflection 1, expansion 2, contraction and shrink 1/2) from the simplex start,
// start + step·e_i; stops when the simplex's values agree to 1e-10 relative or after
// `max_evaluations`. Returns the best point; `value` receives its function value.
template <class F>
Eigen::VectorXd nelder_mead(F&& f, const Eigen::VectorXd& start, double step, int max_evaluations,
                            double& value) {
  const Eigen::Index k = start.size();
  std::vector<Eigen::VectorXd> p(static_cast<std::size_t>(k + 1), start);
  std::vector<double> fp(static_cast<std::size_t>(k + 1));
  for (Eigen::Index i = 0; i < k; ++i) p[static_cast<std::size_t>(i + 1)](i) += step;
  int evaluations = 0;
  auto eval = [&](const Eigen::VectorXd& x) {
    ++evaluations;
    return f(x);
  };
  for (std::size_t i = 0; i < p.size(); ++i) fp[i] = eval(p[i]);
  std::vector<std::size_t> order(p.size());
  while (true) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return fp[i] < fp[j]; });
    const std::size_t best = order.front(), worst = order.back(), second = order[order.size() - 2];
    if (fp[worst] - fp[best] <= 1e-10 * (std::abs(fp[best]) + 1e-20) || evaluations >= max_evaluations) break;
    Eigen::VectorXd centroid = Eigen::VectorXd::Zero(k);
    for (std::size_t i = 0; i < p.size(); ++i)
      if (i != worst) centroid += p[i];
    centroid /= static_cast<double>(k);
    const Eigen::VectorXd reflected = centroid + (centroid - p[worst]);
    const double fr = eval(reflected);
    if (fr < fp[best]) {
      const Eigen::VectorXd expanded = centroid + 2 * (centroid - p[worst]);
      const double fe = eval(expanded);
      if (fe < fr) {
        p[worst] = expanded;
        fp[worst] = fe;
      } else {
        p[worst] = reflected;
        fp[worst] = fr;
      }
      continue;
    }
    if (fr < fp[second]) {
      p[worst] = reflected;
      fp[worst] = fr;
      continue;
    }
    const bool outside = fr < fp[worst];
    const Eigen::VectorXd contracted = outside ? Eigen::VectorXd(centroid + 0.5 * (reflected - centroid))
                                               : Eigen::VectorXd(centroid + 0.5 * (p[worst] - centroid));
    const double fc = eval(contracted);
    if (fc < std::min(fr, fp[worst])) {
      p[worst] = contracted;
      fp[worst] = fc;
      continue;
    }
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (i == best) continue;
      p[i] = p[best] + 0.5 * (p[i] - p[best]);
      fp[i] = eval(p[i]);
    }
  }
  const auto best = static_cast<std::size_t>(std::min_element(fp.begin(), fp.end()) - fp.begin());
  value = fp[best];
  return p[best];
}

// Synth's regression-based start: diag(ββ') normalised, β the coefficients (intercept dropped) of
// each pre-period outcome on the scaled predictors over all units; empty when not identified.
Eigen::VectorXd regression_start(const Eigen::MatrixXd& x0, const Eigen::VectorXd& x1,
                                 const Eigen::MatrixXd& z0pre, const Eigen::VectorXd& z1pre) {
  const Eigen::Index units = x0.cols() + 1;
  const Eigen::Index k = x0.rows();
  if (units <= k + 1) return {};
  Eigen::MatrixXd x(units, k + 1);
  x.col(0).setOnes();
  x.block(0, 1, units - 1, k) = x0.transpose();
  x.block(units - 1, 1, 1, k) = x1.transpose();
  Eigen::MatrixXd z(units, z0pre.rows());
  z.topRows(units - 1) = z0pre.transpose();
  z.bottomRows(1) = z1pre.transpose();
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  if (qr.rank() < k + 1) return {};
  const Eigen::MatrixXd beta = qr.solve(z).bottomRows(k);
  Eigen::VectorXd v = beta.rowwise().squaredNorm();
  if (!(v.sum() > 0) || !v.allFinite()) return {};
  return v / v.sum();
}

// SD over units (divisor units − 1, R's sd) of each predictor.
Eigen::VectorXd predictor_sd(const Eigen::MatrixXd& x) {
  const Eigen::VectorXd mean = x.rowwise().mean();
  return ((x.colwise() - mean).rowwise().squaredNorm() / static_cast<double>(x.cols() - 1)).cwiseSqrt();
}

double root_mean_square(const Eigen::VectorXd& v) {
  return std::sqrt(v.squaredNorm() / static_cast<double>(v.size()));
}

}  // namespace

Eigen::VectorXd simplex_least_squares(const Eigen::MatrixXd& a, const Eigen::VectorXd& b) {
  const Eigen::Index k = a.cols();
  Eigen::VectorXd w = Eigen::VectorXd::Zero(k);
  Eigen::Index first = 0;
  (a.colwise() - b).colwise().squaredNorm().minCoeff(&first);
  w(first) = 1;
  if (k == 1) return w;
  // Reduced gradients below -tol (relative to the columns' scale) still improve the fit.
  const double column_scale =
      (a.colwise().norm().array() * (a.colwise().norm().array() + b.norm())).maxCoeff();
  const double tol = 1e-12 * std::max(column_scale, std::numeric_limits<double>::min());
  std::vector<Eigen::Index> free{first};
  std::vector<bool> is_free(static_cast<std::size_t>(k), false);
  is_free[static_cast<std::size_t>(first)] = true;
  for (Eigen::Index iteration = 0; iteration < 10 * k + 100; ++iteration) {
    // KKT: g_j = μ on the free set (μ = w'g there), g_j ≥ μ elsewhere.
    const Eigen::VectorXd g = a.transpose() * (a * w - b);
    const double mu = w.dot(g);
    Eigen::Index entering = -1;
    double most_negative = -tol;
    for (Eigen::Index j = 0; j < k; ++j)
      if (!is_free[static_cast<std::size_t>(j)] && g(j) - mu < most_negative) {
        most_negative = g(j) - mu;
        entering = j;
      }
    if (entering < 0) return w;
    free.push_back(entering);
    is_free[static_cast<std::size_t>(entering)] = true;
    while (true) {
      const Eigen::VectorXd z = restricted_solution(a, b, free);
      double alpha = 1;
      Eigen::Index leaving = -1;
      for (const Eigen::Index i : free)
        if (z(i) <= 0) {
          const double ratio = w(i) / (w(i) - z(i));
          if (leaving < 0 || ratio < alpha) {
            alpha = ratio;
            leaving = i;
          }
        }
      if (leaving < 0) {
        w = z;
        break;
      }
      // The entering column cannot move at all: its reduced gradient was rounding noise.
      if (leaving == entering && alpha == 0) {
        free.pop_back();
        is_free[static_cast<std::size_t>(entering)] = false;
        return w;
      }
      w += alpha * (z - w);
      w(leaving) = 0;
      std::erase_if(free, [&](Eigen::Index i) {
        if (i != leaving && w(i) > 0) return false;
        w(i) = 0;
        is_free[static_cast<std::size_t>(i)] = false;
        return true;
      });
      w /= w.sum();
    }
  }
  return w;
}

Eigen::VectorXd synthetic_control_weights(const Eigen::MatrixXd& x0, const Eigen::VectorXd& x1,
                                          const Eigen::VectorXd& v) {
  const Eigen::VectorXd root = v.cwiseMax(0).cwiseSqrt();
  return simplex_least_squares(root.asDiagonal() * x0, root.cwiseProduct(x1));
}

SyntheticControlUnitFit fit_synthetic_control(const Eigen::MatrixXd& x0, const Eigen::VectorXd& x1,
                                              const Eigen::MatrixXd& z0, const Eigen::VectorXd& z1,
                                              Eigen::Index t0) {
  const Eigen::Index k = x0.rows();
  const auto z0pre = z0.topRows(t0);
  const Eigen::VectorXd z1pre = z1.head(t0);
  auto loss_of = [&](const Eigen::VectorXd& v) {
    const Eigen::VectorXd w = synthetic_control_weights(x0, x1, v);
    return (z1pre - z0pre * w).squaredNorm() / static_cast<double>(t0);
  };
  SyntheticControlUnitFit out;
  out.v = Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k));
  out.loss = loss_of(out.v);
  if (x0.cols() > 1 && k > 1) {
    auto objective = [&](const Eigen::VectorXd& theta) { return loss_of(softmax(theta)); };
    const int max_evaluations = static_cast<int>(std::min<Eigen::Index>(20'000, 400 * (k + 1)));
    std::vector<Eigen::VectorXd> starts{Eigen::VectorXd::Zero(k)};
    const Eigen::VectorXd regression = regression_start(x0, x1, z0pre, z1pre);
    if (regression.size() == k)
      // log of the regression weights, floored so that a zero weight is a finite start.
      starts.push_back(regression.cwiseMax(1e-8 * regression.maxCoeff()).array().log().matrix());
    for (const Eigen::VectorXd& start : starts) {
      double value = 0;
      Eigen::VectorXd theta = nelder_mead(objective, start, 1.0, max_evaluations, value);
      theta = nelder_mead(objective, theta, 0.5, max_evaluations, value);  // one restart
      if (value < out.loss) {
        out.loss = value;
        out.v = softmax(theta);
      }
    }
  }
  out.w = synthetic_control_weights(x0, x1, out.v);
  out.gap = z1 - z0 * out.w;
  const Eigen::Index t1 = z1.size() - t0;
  out.estimate = out.gap.tail(t1).mean();
  out.pre_rmspe = root_mean_square(out.gap.head(t0));
  out.post_rmspe = root_mean_square(out.gap.tail(t1));
  return out;
}

SyntheticControlFit synthetic_control_fit(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(), "use 2sls for instrumental variables");
  reject_argument(kName, "covariates", !args.covariates.empty(),
                  "name the predictors with option predictors (their pre-period means are matched)");
  reject_argument(kName, "cluster", !args.cluster.empty(), "inference is by in-space placebos");
  if (args.se_type != "hc1" && args.se_type != "placebo")
    throw InputError(fmt::format(
        "{}: the standard error is the SD of the in-space placebo estimates (se '{}' is not available)",
        kName, args.se_type));
  require_distinct_roles(args);
  const OptionValues options = read_options(kName, args);
  const std::string unit = options.text("unit");
  const std::string time = options.text("time");
  BlockDesignPanel panel = read_block_design_panel(data, kName, args, unit, time, Adoption::simultaneous);

  SyntheticControlFit fit;
  fit.donors = std::move(panel.donors);
  fit.treated = std::move(panel.treated);
  fit.times = panel.times;
  fit.pre_periods = panel.pre_periods;
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  const auto n1 = static_cast<Eigen::Index>(fit.treated.size());
  const Eigen::Index t0 = fit.pre_periods;
  fit.y0 = panel.y.topRows(n0).transpose();
  fit.y1 = panel.y.bottomRows(n1).colwise().mean().transpose();

  // Predictors, one row per predictor, one column per unit (donors, then treated units).
  std::vector<Eigen::VectorXd> rows;
  auto add = [&](std::string name, Eigen::VectorXd values) {
    fit.predictors.push_back(std::move(name));
    rows.push_back(std::move(values));
  };
  const std::vector<std::string> columns = options.list("predictors");
  for (const std::string& column : columns) {
    require_column(data, kName, "predictor", column);
    if (data.column(column).is_categorical())
      throw InputError(data.source(),
                       fmt::format("{}: predictor '{}' is text; predictors must be numeric", kName, column));
    const Eigen::MatrixXd values = panel.matrix_of(data.column(column).values).leftCols(t0);
    Eigen::VectorXd means(values.rows());
    for (Eigen::Index u = 0; u < values.rows(); ++u) {
      double sum = 0;
      int seen = 0;
      for (Eigen::Index t = 0; t < t0; ++t)
        if (!std::isnan(values(u, t))) {
          sum += values(u, t);
          ++seen;
        }
      if (seen == 0)
        throw InputError(data.source(),
                         fmt::format("{}: predictor '{}' is missing in every pre-period for unit {} = {}",
                                     kName, column, unit,
                                     u < n0 ? fit.donors[static_cast<std::size_t>(u)]
                                            : fit.treated[static_cast<std::size_t>(u - n0)]));
      means(u) = sum / seen;
    }
    add(column, means);
  }
  std::vector<Eigen::Index> lags;
  if (options.given("outcome_lags")) {
    for (const std::string& text : options.list("outcome_lags")) {
      char* end = nullptr;
      const double period = std::strtod(text.c_str(), &end);
      const auto at = std::find(fit.times.begin(), fit.times.begin() + t0, period);
      if (text.empty() || *end != '\0' || at == fit.times.begin() + t0)
        throw InputError(fmt::format("{}: option outcome_lags: '{}' is not a pre-period of '{}' ({} to {})",
                                     kName, text, time, fit.times.front(),
                                     fit.times[static_cast<std::size_t>(t0 - 1)]));
      lags.push_back(at - fit.times.begin());
    }
  } else if (columns.empty()) {
    for (Eigen::Index t = 0; t < t0; ++t) lags.push_back(t);
  }
  for (const Eigen::Index t : lags)
    add(fmt::format("{}({})", args.outcome, fit.times[static_cast<std::size_t>(t)]), panel.y.col(t));

  const auto k = static_cast<Eigen::Index>(rows.size());
  Eigen::MatrixXd all(k, n0 + 1);  // donors, then the treated average
  for (Eigen::Index p = 0; p < k; ++p) {
    const Eigen::VectorXd& r = rows[static_cast<std::size_t>(p)];
    all.row(p).head(n0) = r.head(n0).transpose();
    all(p, n0) = r.tail(n1).mean();
  }
  fit.x0 = all.leftCols(n0);
  fit.x1 = all.col(n0);
  fit.scale = predictor_sd(all);
  for (Eigen::Index p = 0; p < k; ++p)
    if (!(fit.scale(p) > 0))
      throw InputError(
          fmt::format("{}: predictor '{}' is constant across units ({}): it cannot be standardised "
                      "or weighted",
                      kName, fit.predictors[static_cast<std::size_t>(p)], all(p, 0)));
  const Eigen::VectorXd inverse = fit.scale.cwiseInverse();
  fit.fit =
      fit_synthetic_control(inverse.asDiagonal() * fit.x0, inverse.cwiseProduct(fit.x1), fit.y0, fit.y1, t0);
  if (!(fit.fit.pre_rmspe > 0))
    throw InputError(
        fmt::format("{}: the synthetic control reproduces the treated pre-period exactly (RMSPE 0), "
                    "so the post/pre RMSPE ratio is undefined",
                    kName));

  // In-space placebos: each donor as the treated unit, the other donors as its pool.
  fit.placebos.resize(static_cast<std::size_t>(n0));
  parallel_for(
      static_cast<std::size_t>(n0), static_cast<unsigned>(options.count("threads")), [&](std::size_t j) {
        const auto placebo = static_cast<Eigen::Index>(j);
        std::vector<Eigen::Index> pool;
        for (Eigen::Index u = 0; u < n0; ++u)
          if (u != placebo) pool.push_back(u);
        Eigen::VectorXd sd = predictor_sd(fit.x0);
        sd = (sd.array() > 0).select(sd, 1.0);  // constant among the donors: it weighs nothing either way
        const Eigen::VectorXd scale_inverse = sd.cwiseInverse();
        const Eigen::MatrixXd x0 = scale_inverse.asDiagonal() * fit.x0(Eigen::all, pool);
        const Eigen::VectorXd x1 = scale_inverse.cwiseProduct(fit.x0.col(placebo));
        fit.placebos[j] = fit_synthetic_control(x0, x1, fit.y0(Eigen::all, pool), fit.y0.col(placebo), t0);
      });

  // Rank p-value of the post/pre RMSPE ratio (an exact placebo fit counts as an infinite ratio).
  const double ratio = fit.fit.post_rmspe / fit.fit.pre_rmspe;
  double at_least = 1, mean = 0;
  for (const auto& p : fit.placebos) {
    const double r = p.pre_rmspe > 0 ? p.post_rmspe / p.pre_rmspe : std::numeric_limits<double>::infinity();
    if (r >= ratio) at_least += 1;
    mean += p.estimate / static_cast<double>(n0);
  }
  fit.p_value = at_least / static_cast<double>(n0 + 1);
  double squares = 0;
  for (const auto& p : fit.placebos) squares += (p.estimate - mean) * (p.estimate - mean);
  fit.se = std::sqrt(squares / static_cast<double>(n0));
  return fit;
}

Estimate synthetic_control(const Dataset& data, const EstimatorArgs& args) {
  const SyntheticControlFit fit = synthetic_control_fit(data, args);
  const auto& f = fit.fit;
  Estimate out = to_estimate(z_test(f.estimate, fit.se, args.confidence_level), data.rows());
  out.diagnostics.erase("df");
  out.se_type = "placebo";
  out.p_value = fit.p_value;  // ADH's permutation p-value, not the normal one
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  const auto n1 = static_cast<Eigen::Index>(fit.treated.size());
  const Eigen::Index t0 = fit.pre_periods;
  const auto periods = static_cast<Eigen::Index>(fit.times.size());
  const Eigen::Index donors_with_weight = (f.w.array() > 0).count();
  out.diagnostics["pre_rmspe"] = f.pre_rmspe;
  out.diagnostics["post_rmspe"] = f.post_rmspe;
  out.diagnostics["rmspe_ratio"] = f.post_rmspe / f.pre_rmspe;
  out.diagnostics["p_value_placebo"] = fit.p_value;
  out.diagnostics["donors_with_weight"] = static_cast<double>(donors_with_weight);
  out.diagnostics["treated_units"] = static_cast<double>(n1);
  out.diagnostics["donors"] = static_cast<double>(n0);
  out.diagnostics["predictors"] = static_cast<double>(fit.predictors.size());
  out.diagnostics["pre_periods"] = static_cast<double>(t0);
  out.diagnostics["post_periods"] = static_cast<double>(periods - t0);

  Table weights{"unit_weights", "Donor weights W of the synthetic control", {"unit", "weight"}, {}};
  for (Eigen::Index j = 0; j < n0; ++j)
    weights.rows.push_back({fit.donors[static_cast<std::size_t>(j)], f.w(j)});
  Table v{"predictor_weights",
          "Predictor weights V (of the standardised predictors; sum to 1)",
          {"predictor", "weight"},
          {}};
  Table balance{"predictor_balance",
                "Predictors: treated, synthetic control and donor mean (unstandardised)",
                {"predictor", "treated", "synthetic", "donor_mean"},
                {}};
  const Eigen::VectorXd synthetic_x = fit.x0 * f.w;
  for (std::size_t p = 0; p < fit.predictors.size(); ++p) {
    const auto i = static_cast<Eigen::Index>(p);
    v.rows.push_back({fit.predictors[p], f.v(i)});
    balance.rows.push_back({fit.predictors[p], fit.x1(i), synthetic_x(i), fit.x0.row(i).mean()});
  }
  Table placebos{"placebos",
                 "In-space placebos: each donor fitted as the treated unit",
                 {"unit", "estimate", "pre_rmspe", "post_rmspe", "rmspe_ratio"},
                 {}};
  for (std::size_t j = 0; j < fit.placebos.size(); ++j) {
    const auto& p = fit.placebos[j];
    placebos.rows.push_back({fit.donors[j], p.estimate, p.pre_rmspe, p.post_rmspe,
                             p.pre_rmspe > 0 ? TableCell(p.post_rmspe / p.pre_rmspe) : TableCell("inf")});
  }
  out.tables.push_back(std::move(weights));
  out.tables.push_back(std::move(v));
  out.tables.push_back(std::move(balance));
  out.tables.push_back(std::move(placebos));

  const std::string treated_name = n1 == 1 ? fit.treated.front() : "treated average";
  const double start = fit.times[static_cast<std::size_t>(t0)];
  const Eigen::VectorXd synthetic = fit.y0 * f.w;
  auto values = [](const Eigen::VectorXd& x) { return std::vector<double>(x.data(), x.data() + x.size()); };
  Plot trajectory{"synthetic_control",
                  fmt::format("{} and its synthetic control (treatment from {})", treated_name, start),
                  "lines",
                  "period",
                  args.outcome,
                  {},
                  {},
                  {}};
  trajectory.series.push_back({treated_name, fit.times, values(fit.y1), {}, {}});
  trajectory.series.push_back({"synthetic control", fit.times, values(synthetic), {}, {}});
  Plot gap{"gap",   fmt::format("Gap: {} minus its synthetic control", treated_name),
           "lines", "period",
           "gap",   {},
           {0.0},   {}};
  gap.series.push_back({"gap", fit.times, values(f.gap), {}, {}});
  // The placebos as one series broken between donors (a NaN starts a new line), the treated on top.
  Plot placebo_plot{"placebo_gaps", "Gaps of the treated unit and of each donor fitted as a placebo",
                    "lines",        "period",
                    "gap",          {},
                    {0.0},          {}};
  Series donors_series{"placebos (each donor)", {}, {}, {}, {}};
  for (const auto& p : fit.placebos) {
    if (!donors_series.x.empty()) {
      donors_series.x.push_back(std::numeric_limits<double>::quiet_NaN());
      donors_series.y.push_back(std::numeric_limits<double>::quiet_NaN());
    }
    donors_series.x.insert(donors_series.x.end(), fit.times.begin(), fit.times.end());
    donors_series.y.insert(donors_series.y.end(), p.gap.data(), p.gap.data() + p.gap.size());
  }
  placebo_plot.series.push_back(std::move(donors_series));
  placebo_plot.series.push_back({treated_name, fit.times, values(f.gap), {}, {}});
  out.plots.push_back(std::move(trajectory));
  out.plots.push_back(std::move(gap));
  out.plots.push_back(std::move(placebo_plot));

  out.notes.push_back(
      fmt::format("{} treated unit(s){}, {} donors ({} with weight), {} predictors, {} pre- and {} "
                  "post-periods; pre-period "
                  "RMSPE {:.4g}",
                  n1, n1 > 1 ? " averaged into one series" : "", n0, donors_with_weight,
                  fit.predictors.size(), t0, periods - t0, f.pre_rmspe));
  out.notes.push_back(fmt::format(
      "p-value: rank of the treated post/pre RMSPE ratio among the {} units (the treated and each donor as a "
      "placebo); se: SD of the {} placebo estimates, a rough scale for the CI",
      n0 + 1, n0));
  if (n0 + 1 < 20)
    out.notes.push_back(fmt::format("with {} units the smallest attainable p-value is {:.3g}", n0 + 1,
                                    1.0 / static_cast<double>(n0 + 1)));
  return out;
}

}  // namespace casebook
