#include "estimators/mediation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Cholesky>
#include <boost/random/normal_distribution.hpp>
#include <pcg_random.hpp>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "core/memory_check.hpp"
#include "core/progress.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "inference/bootstrap.hpp"
#include "inference/design_matrix.hpp"
#include "inference/least_squares.hpp"
#include "inference/t_test.hpp"

namespace casebook {

namespace {

constexpr std::string_view kName = "mediation";

struct Settings {
  std::string mediator;
  bool interaction = false;
  bool bootstrap = false;
  std::size_t sims = 1000;
  std::uint64_t seed = 42;
  double treat_value = 1, control_value = 0;
  std::optional<double> rho;  // an error correlation to report the ACME at
};

Settings read_settings(const Dataset& data, const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  Settings s;
  s.mediator = options.text("mediator");
  if (s.mediator.empty())
    throw InputError("mediation needs option mediator=<column>: the variable the effect may run through");
  if (s.mediator == args.outcome || s.mediator == args.treatment)
    throw InputError(fmt::format(
        "mediation: option mediator '{}' is the {} itself; it must be a third column, moved by the "
        "treatment and moving the outcome",
        s.mediator, s.mediator == args.outcome ? "outcome" : "treatment"));
  for (const auto& covariate : args.covariates)
    if (covariate == s.mediator)
      throw InputError(fmt::format(
          "mediation: mediator '{}' is also listed as a covariate; covariates must be pre-treatment",
          s.mediator));
  s.interaction = options.flag("interaction");
  s.bootstrap = options.text("ci") == "bootstrap";
  s.sims = options.count("sims");
  s.seed = options.count("seed");
  s.treat_value = options.number("treat_value");
  s.control_value = options.number("control_value");
  if (options.given("rho")) {
    s.rho = options.number("rho");
    if (!(std::abs(*s.rho) < 1))
      throw InputError(fmt::format("mediation: option rho {} must lie strictly between -1 and 1", *s.rho));
    if (s.interaction)
      throw InputError(
          "mediation: option rho needs interaction=false (the sensitivity formula assumes no interaction)");
  }
  if (s.treat_value == s.control_value)
    throw InputError(fmt::format("mediation: treat_value and control_value are both {}: nothing to compare",
                                 s.treat_value));
  // A treatment that is not 0/1 has no natural pair of levels: the analyst names them.
  if (!options.given("treat_value") && !options.given("control_value")) {
    require_numeric_column(data, kName, "treatment", args.treatment);
    const auto& t = data.column(args.treatment).values;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (t[i] != 0 && t[i] != 1)
        throw InputError(data.source(),
                         fmt::format("treatment '{}' is not 0/1 (row {} has {}): give options treat_value "
                                     "and control_value, the two levels whose effects mediation compares",
                                     args.treatment, i + 1, t[i]));
  }
  return s;
}

// The two designs: mediator [1, T, X…]; outcome [1, T, M, X…, T:M].
struct Designs {
  Eigen::MatrixXd mediator_x, outcome_x;
  Eigen::VectorXd m, y;
  std::vector<std::string> mediator_names, outcome_names;
};

Designs build_designs(const Dataset& data, const EstimatorArgs& args, const Settings& s) {
  std::vector<std::string> columns{args.treatment};
  columns.insert(columns.end(), args.covariates.begin(), args.covariates.end());
  DesignMatrix design = build_design_matrix(data, columns);
  Designs d;
  d.m = numeric_column(data, s.mediator, "mediator");
  d.y = numeric_column(data, args.outcome, "outcome");
  const Eigen::Index n = design.x.rows(), k = design.x.cols();
  d.mediator_x = std::move(design.x);
  d.mediator_names = design.names;
  d.outcome_x.resize(n, k + 1 + (s.interaction ? 1 : 0));
  d.outcome_x.leftCols(2) = d.mediator_x.leftCols(2);
  d.outcome_x.col(2) = d.m;
  d.outcome_x.middleCols(3, k - 2) = d.mediator_x.rightCols(k - 2);
  d.outcome_names = {d.mediator_names[0], d.mediator_names[1], s.mediator};
  d.outcome_names.insert(d.outcome_names.end(), d.mediator_names.begin() + 2, d.mediator_names.end());
  if (s.interaction) {
    d.outcome_x.col(k + 1) = d.mediator_x.col(1).cwiseProduct(d.m);
    d.outcome_names.push_back(args.treatment + ":" + s.mediator);
  }
  return d;
}

// Positions in the coefficient vectors.
constexpr Eigen::Index kTreatment = 1;  // T in both models
constexpr Eigen::Index kMediator = 2;   // M in the outcome model

// The effects of one set of coefficients, in this order.
constexpr std::size_t kEffects = 8;
using Effects = std::array<double, kEffects>;
const std::array<std::string, kEffects> kEffectKeys{"acme_control", "acme_treated", "ade_control",
                                                    "ade_treated",  "total_effect", "acme",
                                                    "ade",          "prop_mediated"};
const std::array<std::string, kEffects> kEffectLabels{
    "ACME (control)", "ACME (treated)", "ADE (control)", "ADE (treated)",
    "Total effect",   "ACME (average)", "ADE (average)", "Prop. mediated (average)"};
constexpr std::size_t kAcme = 5;

// The closed forms at coefficients (alpha, beta); `means` is the mediator design's column means.
Effects effects_at(const Eigen::VectorXd& alpha, const Eigen::VectorXd& beta, Eigen::RowVectorXd means,
                   const Settings& s) {
  const double a = alpha[kTreatment], c = beta[kTreatment], b = beta[kMediator];
  const double d = s.interaction ? beta[beta.size() - 1] : 0;
  const double t0 = s.control_value, t1 = s.treat_value, delta = t1 - t0;
  const auto mean_mediator = [&](double t) {
    means[kTreatment] = t;
    return means.dot(alpha);
  };
  Effects e;
  e[0] = a * (b + d * t0) * delta;
  e[1] = a * (b + d * t1) * delta;
  e[2] = delta * (c + d * mean_mediator(t0));
  e[3] = delta * (c + d * mean_mediator(t1));
  e[4] = e[1] + e[2];
  e[5] = (e[0] + e[1]) / 2;
  e[6] = (e[2] + e[3]) / 2;
  e[7] = e[5] / e[4];
  return e;
}

// The ρ grid of the sensitivity analysis (as mediate's medsens, finer): −0.95, −0.90, …, 0.95.
std::vector<double> rho_grid() {
  std::vector<double> grid;
  for (int i = -19; i <= 19; ++i) grid.push_back(i / 20.0);
  return grid;
}

struct Fits {
  LeastSquaresFit mediator, outcome;
  Eigen::MatrixXd mediator_vcov, outcome_vcov;  // classical: s² (X'X)⁻¹
  Eigen::RowVectorXd means;
};

Eigen::MatrixXd classical_vcov(const LeastSquaresFit& fit) {
  return fit.residual_sum_of_squares / fit.residual_df() * fit.bread;
}

Fits fit_models(const Eigen::MatrixXd& mediator_x, const Eigen::MatrixXd& outcome_x, const Eigen::VectorXd& m,
                const Eigen::VectorXd& y, const Designs& names) {
  Fits f{fit_least_squares(mediator_x, m, names.mediator_names),
         fit_least_squares(outcome_x, y, names.outcome_names),
         {},
         {},
         mediator_x.colwise().mean()};
  f.mediator_vcov = classical_vcov(f.mediator);
  f.outcome_vcov = classical_vcov(f.outcome);
  return f;
}

// ACME(ρ) at coefficients a, b, with r = σ₁√(1 − ρ̃²)/σ₂ = σ₃/σ₂ (σ₃ the outcome model's error SD):
// the published formula rewritten with b = ρ̃σ₁/σ₂, so that drawn a and b carry their uncertainty.
double acme_at_rho(double a, double b, double r, double rho, double delta) {
  return delta * a * (b - rho * r / std::sqrt(1 - rho * rho));
}

double error_ratio(const Fits& f) {
  return std::sqrt(f.outcome.residual_sum_of_squares / f.mediator.residual_sum_of_squares);
}

// The draws of the effects (and without interaction, of ACME(ρ) on the grid).
struct Draws {
  std::vector<Effects> effects;
  std::vector<std::vector<double>> sensitivity;  // [grid point][draw]
  std::size_t failed = 0;
};

// Every draw's effects and, without interaction, its ACME at each ρ of the sensitivity grid are
// kept for the percentiles: room for all of them is checked and reserved before the first draw.
Draws reserved_draws(const Settings& s, const std::vector<double>& grid) {
  Draws out;
  out.sensitivity.resize(s.interaction ? 0 : grid.size());
  const double per_draw = sizeof(Effects) + static_cast<double>(out.sensitivity.size()) * sizeof(double);
  require_memory(static_cast<double>(s.sims) * per_draw, memory_budget(),
                 fmt::format("mediation with sims={}", s.sims),
                 fmt::format("each draw's effects and its ACME at {} values of rho", out.sensitivity.size()),
                 "give fewer sims");
  out.effects.reserve(s.sims);
  for (auto& at_rho : out.sensitivity) at_rho.reserve(s.sims);
  return out;
}

Draws quasi_bayesian(const Fits& fit, const Settings& s, const std::vector<double>& grid) {
  const Eigen::MatrixXd lm = fit.mediator_vcov.llt().matrixL();
  const Eigen::MatrixXd ly = fit.outcome_vcov.llt().matrixL();
  pcg64 generator;
  seed_from_key(generator, derive_seed(s.seed, 0));
  boost::random::normal_distribution<double> normal;
  const auto draw = [&](const Eigen::VectorXd& mean, const Eigen::MatrixXd& root) {
    Eigen::VectorXd z(mean.size());
    for (Eigen::Index j = 0; j < z.size(); ++j) z[j] = normal(generator);
    return Eigen::VectorXd(mean + root * z);
  };
  const double r = error_ratio(fit);
  Draws out = reserved_draws(s, grid);
  ProgressLoop progress(s.sims, "quasi-Bayesian draws");
  for (std::size_t i = 0; i < s.sims; ++i) {
    progress.step();
    const Eigen::VectorXd alpha = draw(fit.mediator.coefficients, lm);
    const Eigen::VectorXd beta = draw(fit.outcome.coefficients, ly);
    out.effects.push_back(effects_at(alpha, beta, fit.means, s));
    for (std::size_t g = 0; g < out.sensitivity.size(); ++g)
      out.sensitivity[g].push_back(
          acme_at_rho(alpha[kTreatment], beta[kMediator], r, grid[g], s.treat_value - s.control_value));
  }
  return out;
}

Draws bootstrap_draws(const Designs& d, const Settings& s, const std::vector<double>& grid) {
  const Eigen::Index n = d.y.size();
  Draws out = reserved_draws(s, grid);
  std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
  ProgressLoop progress(s.sims, "bootstrap resamples");
  for (std::size_t r = 0; r < s.sims; ++r) {
    progress.step();
    pcg64 generator;  // replicate r's own stream: the same resample whatever came before
    seed_from_key(generator, derive_seed(s.seed, r));
    for (auto& row : rows) row = static_cast<Eigen::Index>(generator(static_cast<std::uint64_t>(n)));
    try {
      const Fits fit =
          fit_models(d.mediator_x(rows, Eigen::all), d.outcome_x(rows, Eigen::all), d.m(rows), d.y(rows), d);
      out.effects.push_back(effects_at(fit.mediator.coefficients, fit.outcome.coefficients, fit.means, s));
      for (std::size_t g = 0; g < out.sensitivity.size(); ++g)
        out.sensitivity[g].push_back(acme_at_rho(fit.mediator.coefficients[kTreatment],
                                                 fit.outcome.coefficients[kMediator], error_ratio(fit),
                                                 grid[g], s.treat_value - s.control_value));
    } catch (const InputError&) {
      ++out.failed;  // a resample whose design is rank-deficient (e.g. one arm only)
    }
  }
  if (out.effects.size() < 2)
    throw InputError(fmt::format("mediation: only {} of {} bootstrap resamples could be fitted",
                                 out.effects.size(), s.sims));
  return out;
}

struct Summary {
  double estimate = 0, se = 0, ci_low = 0, ci_high = 0, p_value = 1;
};

// The closed-form estimate with the spread of its draws: SD, percentile interval, and mediate's
// p-value 2 min(#{draws ≥ 0}, #{draws ≤ 0}) / R (1 when the estimate is exactly 0).
Summary summarise(double estimate, std::vector<double> draws, double confidence_level) {
  std::erase_if(draws, [](double v) { return !std::isfinite(v); });
  Summary out;
  out.estimate = estimate;
  if (draws.size() < 2) return out;
  const double r = static_cast<double>(draws.size());
  double mean = 0;
  for (const double v : draws) mean += v / r;
  double ss = 0;
  for (const double v : draws) ss += (v - mean) * (v - mean);
  out.se = std::sqrt(ss / (r - 1));
  std::sort(draws.begin(), draws.end());
  const double alpha = 1 - confidence_level;
  out.ci_low = sorted_quantile(draws, alpha / 2);
  out.ci_high = sorted_quantile(draws, 1 - alpha / 2);
  const auto nonnegative = std::count_if(draws.begin(), draws.end(), [](double v) { return v >= 0; });
  const auto nonpositive = std::count_if(draws.begin(), draws.end(), [](double v) { return v <= 0; });
  out.p_value =
      estimate == 0 ? 1 : std::min(1.0, 2 * static_cast<double>(std::min(nonnegative, nonpositive)) / r);
  return out;
}

Table model_table(std::string id, std::string title, const LeastSquaresFit& fit, const Eigen::MatrixXd& vcov,
                  double confidence_level) {
  Table table{std::move(id), std::move(title), test_table_columns({"term"}), {}};
  for (const Term& t :
       coefficient_terms(fit.names, fit.coefficients, vcov, fit.residual_df(), confidence_level))
    table.rows.push_back({t.term, t.estimate, t.std_error, t.statistic, t.p_value, t.conf_low, t.conf_high});
  return table;
}

// The sensitivity analysis's point curve from the published formula, with the total-effect
// regression Y ~ T + X beside the mediator model.
struct Sensitivity {
  double rho_at_zero = 0;  // ρ̃
  std::vector<double> acme;
};

Sensitivity sensitivity_curve(const Designs& d, const Fits& fit, const std::vector<double>& grid,
                              double delta) {
  const LeastSquaresFit total = fit_least_squares(d.mediator_x, d.y, d.mediator_names);
  const Eigen::VectorXd& e1 = total.residuals;
  const Eigen::VectorXd& e2 = fit.mediator.residuals;
  const double s1 = std::sqrt(e1.squaredNorm()), s2 = std::sqrt(e2.squaredNorm());  // same divisor
  Sensitivity out;
  out.rho_at_zero = e1.dot(e2) / (s1 * s2);
  const double rt = out.rho_at_zero, a = fit.mediator.coefficients[kTreatment];
  for (const double rho : grid)
    out.acme.push_back(delta * a * s1 / s2 * (rt - rho * std::sqrt((1 - rt * rt) / (1 - rho * rho))));
  return out;
}

}  // namespace

Estimate mediation(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(), "mediation takes no instruments");
  reject_argument(kName, "a cluster column", !args.cluster.empty(),
                  "its intervals come from the quasi-Bayesian draws or the row bootstrap");
  require_distinct_roles(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_numeric_column(data, kName, "treatment", args.treatment);
  for (const auto& covariate : args.covariates) require_column(data, kName, "covariate", covariate);
  const Settings s = read_settings(data, args);
  require_numeric_column(data, kName, "mediator", s.mediator);
  require_not_constant(data, "mediator", s.mediator, "it cannot carry any of the effect");
  require_not_constant(data, "treatment", args.treatment, "nothing to compare");

  const Designs d = build_designs(data, args, s);
  const Fits fit = fit_models(d.mediator_x, d.outcome_x, d.m, d.y, d);
  const Effects point = effects_at(fit.mediator.coefficients, fit.outcome.coefficients, fit.means, s);
  const std::vector<double> grid = rho_grid();
  std::vector<double> rhos = grid;  // the plot's grid, then option rho if given
  if (s.rho) rhos.push_back(*s.rho);
  const Draws draws = s.bootstrap ? bootstrap_draws(d, s, rhos) : quasi_bayesian(fit, s, rhos);

  std::array<Summary, kEffects> summaries;
  for (std::size_t k = 0; k < kEffects; ++k) {
    std::vector<double> values;
    values.reserve(draws.effects.size());
    for (const Effects& e : draws.effects) values.push_back(e[k]);
    summaries[k] = summarise(point[k], std::move(values), args.confidence_level);
  }

  Estimate result;
  const Summary& acme = summaries[kAcme];
  result.estimate = acme.estimate;
  result.se = acme.se;
  result.ci_low = acme.ci_low;
  result.ci_high = acme.ci_high;
  result.p_value = acme.p_value;
  result.n = data.rows();
  result.se_type = s.bootstrap ? "bootstrap" : "quasi-bayesian";

  auto& diag = result.diagnostics;
  Table effects_table{
      "effects",
      fmt::format("Mediation through {} ({} vs {})", s.mediator, s.treat_value, s.control_value),
      {"effect", "estimate", "std.error", "p.value", "conf.low", "conf.high"},
      {}};
  for (std::size_t k = 0; k < kEffects; ++k) {
    const Summary& e = summaries[k];
    if (!std::isfinite(e.estimate)) {  // a total effect of exactly 0 leaves no proportion
      result.notes.push_back("the total effect is 0, so the proportion mediated is undefined");
      continue;
    }
    diag[kEffectKeys[k]] = e.estimate;
    diag[kEffectKeys[k] + "_ci_low"] = e.ci_low;
    diag[kEffectKeys[k] + "_ci_high"] = e.ci_high;
    diag[kEffectKeys[k] + "_p"] = e.p_value;
    effects_table.rows.push_back({kEffectLabels[k], e.estimate, e.se, e.p_value, e.ci_low, e.ci_high});
  }
  result.tables.push_back(std::move(effects_table));
  result.tables.push_back(model_table("mediator_model", fmt::format("Mediator model ({})", s.mediator),
                                      fit.mediator, fit.mediator_vcov, args.confidence_level));
  result.tables.push_back(model_table("outcome_model", fmt::format("Outcome model ({})", args.outcome),
                                      fit.outcome, fit.outcome_vcov, args.confidence_level));

  const double a = fit.mediator.coefficients[kTreatment];
  const double delta = s.treat_value - s.control_value;
  diag["a_path"] = a;
  diag["b_path"] = fit.outcome.coefficients[kMediator];
  if (s.interaction) diag["interaction_coef"] = fit.outcome.coefficients[fit.outcome.params() - 1];
  diag["treat_value"] = s.treat_value;
  diag["control_value"] = s.control_value;
  diag["sims"] = static_cast<double>(s.sims);
  if (s.bootstrap) diag["failed_sims"] = static_cast<double>(draws.failed);

  // Baron–Kenny: a·b·Δ from the outcome model without interaction, Sobel's first-order SE.
  const Eigen::MatrixXd outcome_main = d.outcome_x.leftCols(d.outcome_x.cols() - (s.interaction ? 1 : 0));
  const std::vector<std::string> main_names(d.outcome_names.begin(),
                                            d.outcome_names.begin() + outcome_main.cols());
  const LeastSquaresFit bk = s.interaction ? fit_least_squares(outcome_main, d.y, main_names) : fit.outcome;
  const double b = bk.coefficients[kMediator];
  const double var_a = fit.mediator_vcov(kTreatment, kTreatment);
  const double var_b = classical_vcov(bk)(kMediator, kMediator);
  const CoefficientTest sobel = z_test(
      a * b * delta, std::abs(delta) * std::sqrt(b * b * var_a + a * a * var_b), args.confidence_level);
  diag["product_of_coefficients"] = sobel.estimate;
  diag["product_of_coefficients_se"] = sobel.se;
  diag["product_of_coefficients_p"] = sobel.p_value;

  if (s.interaction) {
    result.notes.push_back(
        "no sensitivity analysis on ρ: its closed form (Imai, Keele & Yamamoto 2010) assumes no "
        "treatment–mediator interaction");
  } else {
    const Sensitivity curve = sensitivity_curve(d, fit, rhos, delta);
    diag["rho_at_zero"] = curve.rho_at_zero;
    if (s.rho) {
      const Summary at = summarise(curve.acme.back(), draws.sensitivity.back(), args.confidence_level);
      diag["acme_at_rho"] = at.estimate;
      diag["acme_at_rho_ci_low"] = at.ci_low;
      diag["acme_at_rho_ci_high"] = at.ci_high;
    }
    Table table{"sensitivity",
                "ACME as a function of ρ, the correlation of the mediator and outcome models' errors",
                {"rho", "acme", "conf.low", "conf.high"},
                {}};
    Series series{"ACME(ρ)", {}, {}, {}, {}};
    for (std::size_t g = 0; g < grid.size(); ++g) {
      const Summary band = summarise(curve.acme[g], draws.sensitivity[g], args.confidence_level);
      table.rows.push_back({grid[g], curve.acme[g], band.ci_low, band.ci_high});
      series.x.push_back(grid[g]);
      series.y.push_back(curve.acme[g]);
      series.lower.push_back(band.ci_low);
      series.upper.push_back(band.ci_high);
    }
    result.tables.push_back(std::move(table));
    result.plots.push_back(
        {"acme_sensitivity",
         fmt::format("Sensitivity of the ACME to mediator–outcome confounding (ACME = 0 at "
                     "ρ = {:.2f})",
                     curve.rho_at_zero),
         "lines",
         "ρ (correlation of the two models' errors)",
         "ACME",
         {std::move(series)},
         {0},
         {}});
  }
  result.notes.push_back(
      s.bootstrap
          ? fmt::format("intervals: percentiles of {} nonparametric bootstrap refits of both models", s.sims)
          : fmt::format("intervals: percentiles of {} quasi-Bayesian draws of both models' coefficients "
                        "(classical OLS variance)",
                        s.sims));
  return result;
}

}  // namespace casebook
