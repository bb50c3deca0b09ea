#include "estimators/interrupted_time_series.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/estimator.hpp"
#include "inference/ar1_gls.hpp"
#include "inference/least_squares.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "its";
constexpr Eigen::Index kLevel = 2;  // column of "post"
constexpr Eigen::Index kSlope = 3;  // column of "post:trend"

// Σ_t u_t u_t' + Σ_{j=1..L} (1 - j/(L+1)) Σ_t (u_t u_{t-j}' + u_{t-j} u_t'), as sandwich's meatHAC
// times n with NeweyWest's weights; lag 0 is HC0's meat.
Eigen::MatrixXd newey_west_meat(const Eigen::MatrixXd& scores, std::size_t lag) {
  const Eigen::Index n = scores.rows();
  Eigen::MatrixXd meat = scores.transpose() * scores;
  for (std::size_t j = 1; j <= lag && static_cast<Eigen::Index>(j) < n; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    const double weight = 1.0 - static_cast<double>(j) / static_cast<double>(lag + 1);
    const Eigen::MatrixXd gamma = scores.topRows(n - jj).transpose() * scores.bottomRows(n - jj);
    meat += weight * (gamma + gamma.transpose());
  }
  return meat;
}

// sandwich::bwNeweyWest with the Bartlett kernel: the scores (prewhitened ones when `prewhitened`)
// of every column but the intercept summed, their autocovariances up to m = floor(c (n/100)^(2/9))
// with c = 3 after prewhitening and 4 without, and 1.1447 ((s1/s0)²)^(1/3) n^(1/3), n the series'
// length before prewhitening.
double newey_west_bandwidth(const Eigen::MatrixXd& scores, bool prewhitened, Eigen::Index series_length) {
  const Eigen::Index n = scores.rows();
  const Eigen::VectorXd h = scores.rightCols(scores.cols() - 1).rowwise().sum();
  const auto m = static_cast<Eigen::Index>(std::floor(
      (prewhitened ? 3.0 : 4.0) * std::pow(static_cast<double>(series_length) / 100.0, 2.0 / 9.0)));
  auto sigma = [&](Eigen::Index j) { return h.head(n - j).dot(h.tail(n - j)) / static_cast<double>(n); };
  double s0 = sigma(0), s1 = 0;
  for (Eigen::Index j = 1; j <= m && j < n; ++j) {
    s0 += 2 * sigma(j);
    s1 += 2 * static_cast<double>(j) * sigma(j);
  }
  return 1.1447 * std::pow((s1 / s0) * (s1 / s0), 1.0 / 3.0) *
         std::pow(static_cast<double>(series_length), 1.0 / 3.0);
}

// VAR(1) prewhitening of the scores u_t as sandwich's meatHAC(prewhite = 1) does it through
// ar.ols(demean = FALSE): u_t = A u_{t-1} + e_t by least squares without intercept; the Newey–West
// meat of the e_t is then recoloured by D = (I - A)^-1 (Andrews & Monahan 1992).
struct Prewhitened {
  Eigen::MatrixXd residuals;  // e_2..e_n
  Eigen::MatrixXd recolour;   // D
};

Prewhitened prewhiten(const Eigen::MatrixXd& scores) {
  const Eigen::Index n = scores.rows(), k = scores.cols();
  const Eigen::MatrixXd lagged = scores.topRows(n - 1);
  // ar.ols's rank check, on columns scaled to unit SD as it scales them.
  Eigen::VectorXd scale(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    const double mean = scores.col(j).mean();
    const double sd = std::sqrt((scores.col(j).array() - mean).square().sum() / static_cast<double>(n - 1));
    scale(j) = sd > 0 ? 1 / sd : 1;
  }
  const Eigen::MatrixXd scaled = lagged * scale.asDiagonal();
  Eigen::FullPivLU<Eigen::MatrixXd> gram(scaled.transpose() * scaled);
  gram.setThreshold(1e-7);
  if (gram.rank() < k)
    throw InputError(
        "its: the VAR(1) prewhitening of the scores is singular (two terms move together); use "
        "--option prewhite=false");
  const Eigen::MatrixXd a_transposed =
      scale.asDiagonal() * gram.solve(scaled.transpose() * scores.bottomRows(n - 1));
  Prewhitened out;
  out.residuals = scores.bottomRows(n - 1) - lagged * a_transposed;
  const Eigen::FullPivLU<Eigen::MatrixXd> whitener(Eigen::MatrixXd::Identity(k, k) -
                                                   a_transposed.transpose());
  out.recolour = whitener.inverse();
  if (!whitener.isInvertible() || !out.recolour.allFinite())  // a unit root: nothing to recolour by
    throw InputError(
        "its: the scores' VAR(1) has a unit root, so prewhitening cannot recolour them; use --option "
        "prewhite=false");
  return out;
}

struct TimeOrder {
  std::vector<std::size_t> order;  // rows sorted by time
  std::vector<double> time;        // in that order
};

TimeOrder sorted_series(const Dataset& data, const std::string& time_column) {
  const auto& t = data.column(time_column).values;
  TimeOrder s;
  s.order.resize(t.size());
  std::iota(s.order.begin(), s.order.end(), std::size_t{0});
  std::stable_sort(s.order.begin(), s.order.end(), [&](std::size_t a, std::size_t b) { return t[a] < t[b]; });
  for (std::size_t i = 0; i < s.order.size(); ++i) {
    s.time.push_back(t[s.order[i]]);
    if (i > 0 && s.time[i] == s.time[i - 1])
      throw InputError(data.source(),
                       fmt::format("time '{}' repeats {} (rows {} and {}): its takes one series, one row per "
                                   "time point",
                                   time_column, s.time[i], s.order[i - 1] + 1, s.order[i] + 1));
  }
  return s;
}

// Seasons and AR(1) steps count whole time units.
void require_whole_number_times(const Dataset& data, const TimeOrder& series, const std::string& time_column,
                                const std::string& needed_by) {
  for (double t : series.time)
    if (t != std::floor(t))
      throw InputError(data.source(),
                       fmt::format("{} needs whole-number times; '{}' has {}", needed_by, time_column, t));
}

// The segmented regression fitted: its coefficients, their variance, and what the fit reports.
struct Fit {
  Eigen::VectorXd coefficients;
  Eigen::MatrixXd vcov;
  Eigen::VectorXd residuals;  // y - X b
  double df = 0;
  double r_squared = 0;  // 1 - Σ(y - X b)² / Σ(y - ȳ)²
  std::string se_type;
  std::map<std::string, double> diagnostics;
  std::vector<std::string> notes;
};

// Lag-1 autocorrelation as R's acf: Σ e_t e_{t-1} / Σ e_t² (e has mean 0).
double lag1_autocorrelation(const Eigen::VectorXd& e) {
  const Eigen::Index n = e.size();
  const double rho = e.head(n - 1).dot(e.tail(n - 1)) / e.squaredNorm();
  return std::isfinite(rho) ? rho : 0.0;
}

// Ordinary least squares with Newey–West (or iid) standard errors.
Fit fit_ols(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const std::vector<std::string>& names,
            const OptionValues& options) {
  const LeastSquaresFit ls = fit_least_squares(x, y, names);
  Fit fit{ls.coefficients, {}, ls.residuals, ls.residual_df(), ls.r_squared(), {}, {}, {}};
  const double rho = lag1_autocorrelation(ls.residuals);
  fit.diagnostics["residual_autocorrelation"] = rho;
  if (options.text("se") == "iid") {
    fit.se_type = "iid";
    fit.vcov = ls.bread * (ls.residual_sum_of_squares / fit.df);
    if (rho > 0.2)
      fit.notes.push_back(
          fmt::format("residuals are autocorrelated (lag-1 {:.2f}): iid standard errors are "
                      "too small; use the default Newey–West ones or model=ar1",
                      rho));
    return fit;
  }
  fit.se_type = "newey-west";
  const Eigen::MatrixXd scores = x.array().colwise() * ls.residuals.array();
  std::optional<Prewhitened> whitened;
  if (options.flag("prewhite")) whitened = prewhiten(scores);
  const Eigen::MatrixXd& hac_scores = whitened ? whitened->residuals : scores;
  const double bandwidth = newey_west_bandwidth(hac_scores, whitened.has_value(), x.rows());
  std::size_t lag = options.given("hac_lag")
                        ? options.count("hac_lag")
                        : static_cast<std::size_t>(std::isfinite(bandwidth) ? std::floor(bandwidth) : 0);
  lag = std::min(lag, static_cast<std::size_t>(hac_scores.rows()) - 1);
  Eigen::MatrixXd meat = newey_west_meat(hac_scores, lag);
  if (whitened) meat = whitened->recolour * meat * whitened->recolour.transpose();
  fit.vcov = ls.bread * meat * ls.bread;
  fit.diagnostics["hac_lag"] = static_cast<double>(lag);
  fit.diagnostics["nw_bandwidth"] = bandwidth;
  if (!options.given("hac_lag") && lag == 0 && rho > 0.2)
    fit.notes.push_back(
        fmt::format("the automatic Newey–West lag is 0 (HC0) although the residuals' lag-1 "
                    "autocorrelation is {:.2f}: consider --option hac_lag=L",
                    rho));
  return fit;
}

// Generalised least squares with AR(1) errors (REML, as nlme::gls with corAR1).
Fit fit_ar1_errors(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const std::vector<std::string>& names,
                   const Dataset& data, const TimeOrder& series, const std::string& time_column,
                   const OptionValues& options) {
  for (const char* ols_only : {"se", "prewhite", "hac_lag"})
    if (options.given(ols_only))
      throw InputError(
          fmt::format("its: option {} applies to model=ols; model=ar1 models the errors' "
                      "autocorrelation itself",
                      ols_only));
  require_whole_number_times(data, series, time_column, "model=ar1");
  // φ^step vanishes long before a step of a million, so longer gaps are cut there.
  std::vector<int> steps(series.time.size(), 1);
  for (std::size_t i = 1; i < series.time.size(); ++i)
    steps[i] = static_cast<int>(std::min(series.time[i] - series.time[i - 1], 1e6));
  const Ar1GlsFit gls = fit_ar1_gls(x, y, names, steps, "its");
  const double total = (y.array() - y.mean()).square().sum();
  Fit fit{gls.whitened.coefficients,
          gls.vcov,
          gls.residuals,
          gls.residual_df(),
          1 - gls.residuals.squaredNorm() / total,
          "gls-ar1",
          {},
          {}};
  fit.diagnostics["ar1_phi"] = gls.phi;
  fit.diagnostics["sigma"] = gls.sigma;
  fit.diagnostics["residual_autocorrelation"] = lag1_autocorrelation(gls.normalized_residuals);
  return fit;
}

}  // namespace

Estimate interrupted_time_series(const Dataset& data, const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  reject_argument(kName, "treatment", !args.treatment.empty(),
                  "the intervention is a time (--option intervention=T), not a column");
  reject_argument(kName, "instruments", !args.instruments.empty(), "its fits one series");
  reject_argument(kName, "cluster", !args.cluster.empty(),
                  "its handles autocorrelation with Newey–West SEs (--option hac_lag=L) or AR(1) errors "
                  "(--option model=ar1)");
  if (args.se_type != "hc1" && args.se_type != "newey-west")
    throw InputError(
        fmt::format("its: --se {} does not apply; choose with --option se=newey-west|iid", args.se_type));
  const std::string time_column = options.text("time");
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_numeric_column(data, kName, "time", time_column);
  for (const auto& c : args.covariates) require_numeric_column(data, kName, "covariate", c);
  require_distinct_roles(args);
  if (std::find(args.covariates.begin(), args.covariates.end(), time_column) != args.covariates.end() ||
      args.outcome == time_column)
    throw InputError(
        fmt::format("its: the time column '{}' cannot also be the outcome or a covariate", time_column));
  if (!options.given("intervention"))
    throw InputError("its needs the intervention time: --option intervention=T (the first post-period time)");
  const double t0 = options.number("intervention");

  const TimeOrder series = sorted_series(data, time_column);
  const std::size_t n = series.time.size();
  const auto n_post = static_cast<std::size_t>(
      std::count_if(series.time.begin(), series.time.end(), [&](double t) { return t >= t0; }));
  const std::size_t n_pre = n - n_post;
  if (n_pre < 3 || n_post < 3)
    throw InputError(data.source(),
                     fmt::format("intervention={} leaves {} time points before and {} from it on in '{}' "
                                 "(from {} to {}): its needs at least 3 on each side",
                                 t0, n_pre, n_post, time_column, series.time.front(), series.time.back()));

  const std::size_t seasons = options.has("seasonality") ? options.count("seasonality") : 0;
  if (seasons == 1) throw InputError("its: option seasonality must be 0 (none) or a period of at least 2");
  if (seasons > 0)
    require_whole_number_times(data, series, time_column, fmt::format("seasonality={}", seasons));

  std::vector<std::string> names{"(Intercept)", "trend", "post", "post:trend"};
  for (const auto& c : args.covariates) names.push_back(c);
  for (std::size_t s = 1; s < seasons; ++s) names.push_back(fmt::format("season{}", s));
  const auto rows = static_cast<Eigen::Index>(n);
  const auto k = static_cast<Eigen::Index>(names.size());
  if (n <= names.size())
    throw InputError(data.source(), fmt::format("its: {} time points for {} parameters; it needs more "
                                                "observations than parameters",
                                                n, names.size()));

  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(rows, k);
  Eigen::VectorXd y(rows);
  const auto& outcome = data.column(args.outcome).values;
  for (Eigen::Index i = 0; i < rows; ++i) {
    const std::size_t row = series.order[static_cast<std::size_t>(i)];
    const double t = series.time[static_cast<std::size_t>(i)];
    const double post = t >= t0 ? 1.0 : 0.0;
    y(i) = outcome[row];
    x(i, 0) = 1;
    x(i, 1) = t - t0;
    x(i, kLevel) = post;
    x(i, kSlope) = post * (t - t0);
    Eigen::Index col = 4;
    for (const auto& c : args.covariates) x(i, col++) = data.column(c).values[row];
    if (seasons > 0) {
      const auto period = static_cast<long long>(seasons);
      const long long season = ((static_cast<long long>(t) % period) + period) % period;
      if (season > 0) x(i, col + season - 1) = 1;
    }
  }
  const Fit fit = options.text("model") == "ar1"
                      ? fit_ar1_errors(x, y, names, data, series, time_column, options)
                      : fit_ols(x, y, names, options);
  const double df = fit.df;
  const Eigen::MatrixXd& vcov = fit.vcov;

  // The effect as a linear combination c'b of the coefficients.
  double post_trend_mean = 0;
  for (double t : series.time)
    if (t >= t0) post_trend_mean += (t - t0) / static_cast<double>(n_post);
  auto combination = [&](double level, double slope) {
    Eigen::VectorXd c = Eigen::VectorXd::Zero(k);
    c(kLevel) = level;
    c(kSlope) = slope;
    return t_test(c.dot(fit.coefficients), std::sqrt(c.dot(vcov * c)), df, args.confidence_level);
  };
  const CoefficientTest level = combination(1, 0), slope = combination(0, 1),
                        average = combination(1, post_trend_mean);
  const std::string effect = options.text("effect");
  Estimate out = to_estimate(effect == "slope" ? slope : effect == "average" ? average : level, n);
  out.se_type = fit.se_type;
  out.terms = coefficient_terms(names, fit.coefficients, vcov, df, args.confidence_level);
  out.diagnostics["n_pre"] = static_cast<double>(n_pre);
  out.diagnostics["n_post"] = static_cast<double>(n_post);
  out.diagnostics["intervention"] = t0;
  out.diagnostics["level_change"] = level.estimate;
  out.diagnostics["level_change_se"] = level.se;
  out.diagnostics["slope_change"] = slope.estimate;
  out.diagnostics["slope_change_se"] = slope.se;
  out.diagnostics["average_effect"] = average.estimate;
  out.diagnostics["average_effect_se"] = average.se;
  out.diagnostics["r_squared"] = fit.r_squared;
  out.diagnostics.insert(fit.diagnostics.begin(), fit.diagnostics.end());
  out.notes.insert(out.notes.end(), fit.notes.begin(), fit.notes.end());

  // Observed, fitted, and the counterfactual: the fit without the level and slope change.
  Plot plot;
  plot.id = "its";
  plot.title = "Interrupted time series: observed, fitted and counterfactual";
  plot.kind = "lines";
  plot.x_label = time_column;
  plot.y_label = args.outcome;
  const Eigen::VectorXd fitted = y - fit.residuals;
  Series obs, fit_series, cf;
  obs.name = "observed";
  fit_series.name = "fitted";
  cf.name = "counterfactual";
  for (Eigen::Index i = 0; i < rows; ++i) {
    const double t = series.time[static_cast<std::size_t>(i)];
    obs.x.push_back(t);
    obs.y.push_back(y(i));
    fit_series.x.push_back(t);
    fit_series.y.push_back(fitted(i));
    // From the last pre-period point on, so that the counterfactual leaves the fitted line there.
    if (t >= t0 || (i + 1 < rows && series.time[static_cast<std::size_t>(i + 1)] >= t0)) {
      cf.x.push_back(t);
      cf.y.push_back(fitted(i) - x(i, kLevel) * fit.coefficients(kLevel) -
                     x(i, kSlope) * fit.coefficients(kSlope));
    }
  }
  plot.series = {std::move(obs), std::move(fit_series), std::move(cf)};
  out.plots.push_back(std::move(plot));
  return out;
}

}  // namespace casebook
