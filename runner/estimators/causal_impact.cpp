#include "estimators/causal_impact.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <Eigen/Dense>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <pcg_random.hpp>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "core/memory_check.hpp"
#include "core/progress.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/estimator.hpp"
#include "inference/state_space.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "causal-impact";
// CausalImpact's constants (impact_model.R) and bsts's defaults.
constexpr double kLevelPriorSampleSize = 32;  // kLocalLevelPriorSampleSize
constexpr double kExpectedR2 = 0.8;           // kStaticRegressionExpectedR2
constexpr double kPriorDf = 50;               // kStaticRegressionPriorDf
constexpr double kPriorInformationWeight = 0.01;
constexpr double kDiagonalShrinkage = 0.5;
constexpr double kSigmaUpperLimitFactor = 1.2;         // bsts: σ_ε ≤ 1.2 sd(y)
constexpr double kDefaultStatePriorSampleSize = 0.01;  // SdPrior's default sample.size

// An SdPrior: 1/σ² ~ Gamma(sample_size / 2, sample_size · guess² / 2), σ ≤ upper.
struct SdPrior {
  double guess = 0, sample_size = 0, upper = 0;
};

double mean_of(const std::vector<double>& v, std::size_t from, std::size_t to) {
  double s = 0;
  for (std::size_t i = from; i < to; ++i) s += v[i];
  return s / static_cast<double>(to - from);
}

double sd_of(const std::vector<double>& v, std::size_t from, std::size_t to) {
  const double m = mean_of(v, from, to);
  double s = 0;
  for (std::size_t i = from; i < to; ++i) s += (v[i] - m) * (v[i] - m);
  return std::sqrt(s / static_cast<double>(to - from - 1));
}

// R's quantile(type = 7) of a copy of the values.
double quantile7(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double sample_sd(const std::vector<double>& v) { return v.size() < 2 ? 0.0 : sd_of(v, 0, v.size()); }

// A precision 1/σ² from Gamma(shape, rate) restricted to σ ≤ upper, by inversion of the upper tail
// (stable however little of the gamma lies above 1/upper²).
double draw_precision(double shape, double rate, double upper, pcg64& generator) {
  boost::random::uniform_01<double> uniform;
  const double lower = std::isfinite(upper) ? 1.0 / (upper * upper) : 0.0;
  const double tail = lower > 0 ? boost::math::gamma_q(shape, rate * lower) : 1.0;
  if (!(tail > 0)) return lower;
  const double u = tail * (1.0 - uniform(generator));  // in (0, tail]
  return boost::math::gamma_q_inv(shape, u) / rate;
}

struct Layout {
  Eigen::Index level = 0, slope = -1, season = -1;  // state indices (-1: absent)
  std::vector<Eigen::Index> innovation_rows;        // the state each innovation enters
};

struct SpikeSlab {
  Eigen::MatrixXd xtx, siginv;  // X'X of the pre-period; the slab's prior precision (per σ²)
  std::vector<double> log_prior_in, log_prior_out;
  std::vector<int> fixed;  // -1 free, 0 always out, 1 always in
  double prior_ss = 0, prior_df = 0, sigma_upper = 0;
  Eigen::Index n = 0;

  // log p(γ | ỹ) up to a constant, β and σ² integrated out; fills the posterior mean and the
  // Cholesky factor of V⁻¹ when asked.
  double log_posterior(const std::vector<char>& gamma, const Eigen::VectorXd& xty, double yty,
                       Eigen::VectorXd* beta_tilde = nullptr, Eigen::MatrixXd* root = nullptr,
                       double* ss_out = nullptr) const {
    std::vector<Eigen::Index> in;
    double log_prior = 0;
    for (std::size_t j = 0; j < gamma.size(); ++j) {
      log_prior += gamma[j] ? log_prior_in[j] : log_prior_out[j];
      if (gamma[j]) in.push_back(static_cast<Eigen::Index>(j));
    }
    const auto q = static_cast<Eigen::Index>(in.size());
    double ss = prior_ss + yty, log_det = 0;
    if (q > 0) {
      Eigen::MatrixXd omega_inv(q, q), v_inv(q, q);
      Eigen::VectorXd b(q);
      for (Eigen::Index a = 0; a < q; ++a) {
        b(a) = xty(in[static_cast<std::size_t>(a)]);
        for (Eigen::Index c = 0; c < q; ++c) {
          omega_inv(a, c) = siginv(in[static_cast<std::size_t>(a)], in[static_cast<std::size_t>(c)]);
          v_inv(a, c) =
              omega_inv(a, c) + xtx(in[static_cast<std::size_t>(a)], in[static_cast<std::size_t>(c)]);
        }
      }
      const Eigen::LLT<Eigen::MatrixXd> prior_root(omega_inv), post_root(v_inv);
      const Eigen::VectorXd mean = post_root.solve(b);
      ss -= b.dot(mean);
      log_det = prior_root.matrixLLT().diagonal().array().log().sum() -
                post_root.matrixLLT().diagonal().array().log().sum();
      if (beta_tilde) *beta_tilde = mean;
      if (root) *root = post_root.matrixL();
    }
    ss = std::max(ss, 1e-12 * prior_ss);
    if (ss_out) *ss_out = ss;
    return log_prior + log_det - 0.5 * (prior_df + static_cast<double>(n)) * std::log(ss);
  }
};

}  // namespace

Estimate causal_impact(const Dataset& data, const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  reject_argument(kName, "treatment", !args.treatment.empty(),
                  "the intervention is a time (--option post_start=T), not a column");
  reject_argument(kName, "instruments", !args.instruments.empty(), "control series go in --covariates");
  reject_argument(kName, "cluster", !args.cluster.empty(), "causal-impact fits one series");
  if (args.se_type != "hc1" && args.se_type != "posterior")
    throw InputError(fmt::format(
        "causal-impact: --se {} does not apply; its SE is the posterior sd (posterior)", args.se_type));
  if (!(args.confidence_level > 0 && args.confidence_level < 1))
    throw InputError(fmt::format("confidence_level must be between 0 and 1, got {}", args.confidence_level));
  const std::string time_column = options.text("time");
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_numeric_column(data, kName, "time", time_column);
  require_distinct_roles(args);
  if (std::find(args.covariates.begin(), args.covariates.end(), time_column) != args.covariates.end() ||
      args.outcome == time_column)
    throw InputError(fmt::format(
        "causal-impact: the time column '{}' cannot also be the outcome or a control", time_column));
  const auto& time = data.column(time_column).values;
  const std::size_t n = time.size();
  for (std::size_t i = 1; i < n; ++i)
    if (!(time[i] > time[i - 1]))
      throw InputError(
          data.source(),
          fmt::format("time '{}' is {} at row {} after {} at row {}: causal-impact takes one series "
                      "in time order, one row per time point",
                      time_column, time[i] == time[i - 1] ? "repeated" : "not increasing", i + 1, time[i - 1],
                      i));
  if (!options.given("post_start"))
    throw InputError("causal-impact needs the first post-period time: --option post_start=T");
  const double post_start = options.number("post_start");
  if (n == 0 || post_start <= time.front() || post_start > time.back())
    throw InputError(data.source(),
                     fmt::format("post_start={} is outside the series: '{}' runs from {} to {}, and the "
                                 "post-period must start after the first time and by the last",
                                 post_start, time_column, n ? time.front() : 0.0, n ? time.back() : 0.0));
  const auto n_pre = static_cast<std::size_t>(
      std::find_if(time.begin(), time.end(), [&](double t) { return t >= post_start; }) - time.begin());
  const std::size_t n_post = n - n_pre;

  // Controls: numeric, complete (bsts allows no missing predictors; the counterfactual needs them
  // through the post-period) and varying over the pre-period.
  for (const auto& c : args.covariates) {
    require_column(data, kName, "control", c);
    const Column& column = data.column(c);
    if (column.is_categorical())
      throw InputError(data.source(), fmt::format("control '{}' is categorical; causal-impact needs numeric "
                                                  "control series",
                                                  c));
    for (std::size_t i = 0; i < n; ++i)
      if (std::isnan(column.values[i]))
        throw InputError(
            data.source(),
            fmt::format("control '{}' is missing at {} = {} (row {}) in the {}-period: causal-impact "
                        "needs every control at every time point",
                        c, time_column, time[i], i + 1, i < n_pre ? "pre" : "post"));
    if (sd_of(column.values, 0, n_pre) == 0 || n_pre < 2)
      throw InputError(data.source(), fmt::format("control '{}' is constant over the pre-period (all {}): it "
                                                  "cannot predict the counterfactual",
                                                  c, column.values.front()));
  }
  const auto& outcome = data.column(args.outcome).values;

  const bool has_trend = options.text("trend") == "local_linear";
  const std::size_t seasons = options.count("season");
  if (seasons == 1)
    throw InputError("causal-impact: option season must be 0 (none) or a period of at least 2");
  const auto k = static_cast<Eigen::Index>(args.covariates.size());
  const Eigen::Index p = k + 1;  // the intercept, as bsts's model.matrix
  Layout layout;
  Eigen::Index m = 1;
  layout.innovation_rows.push_back(0);
  if (has_trend) {
    layout.slope = m++;
    layout.innovation_rows.push_back(layout.slope);
  }
  if (seasons > 1) {
    layout.season = m;
    m += static_cast<Eigen::Index>(seasons) - 1;
    layout.innovation_rows.push_back(layout.season);
  }
  const auto r = static_cast<Eigen::Index>(layout.innovation_rows.size());
  // Parameters: the regression (intercept and controls), the initial state, the state sds and σ_ε.
  const std::size_t parameters = static_cast<std::size_t>(p + m + r + 1);
  if (n_pre <= parameters)
    throw InputError(
        data.source(),
        fmt::format("post_start={} leaves {} pre-period time points for {} parameters ({} regression "
                    "coefficients, {} states, {} variances): causal-impact needs more",
                    post_start, n_pre, parameters, p, m, r + 1));
  const double y_sd_raw = sd_of(outcome, 0, n_pre);
  if (y_sd_raw == 0)
    throw InputError(data.source(), fmt::format("outcome '{}' is constant over the pre-period (all {})",
                                                args.outcome, outcome.front()));

  const std::size_t niter = options.count("niter");
  if (niter < 10)
    throw InputError("causal-impact: option niter must be at least 10 (CausalImpact's minimum)");
  const std::size_t burn = options.given("burn") ? options.count("burn") : niter / 10;
  if (burn >= niter)
    throw InputError(fmt::format("causal-impact: burn={} leaves no draws of niter={}", burn, niter));
  const double model_size = options.number("expected_model_size");
  const double prior_level_sd = options.number("prior_level_sd");
  if (!(model_size > 0)) throw InputError("causal-impact: option expected_model_size must be positive");
  if (!(prior_level_sd > 0)) throw InputError("causal-impact: option prior_level_sd must be positive");

  // Standardise on the pre-period (CausalImpact's StandardizeAllVariables).
  const bool standardize = options.flag("standardize");
  const double y_mean = standardize ? mean_of(outcome, 0, n_pre) : 0.0;
  const double y_scale = standardize ? y_sd_raw : 1.0;
  const auto rows = static_cast<Eigen::Index>(n);
  const auto pre = static_cast<Eigen::Index>(n_pre);
  Eigen::VectorXd y(rows);
  for (Eigen::Index i = 0; i < rows; ++i) y(i) = (outcome[static_cast<std::size_t>(i)] - y_mean) / y_scale;
  Eigen::MatrixXd x(rows, p);
  x.col(0).setOnes();
  for (Eigen::Index j = 0; j < k; ++j) {
    const auto& v = data.column(args.covariates[static_cast<std::size_t>(j)]).values;
    const double mu = standardize ? mean_of(v, 0, n_pre) : 0.0;
    const double sd = standardize ? sd_of(v, 0, n_pre) : 1.0;
    for (Eigen::Index i = 0; i < rows; ++i) x(i, j + 1) = (v[static_cast<std::size_t>(i)] - mu) / sd;
  }
  const double sdy = standardize ? 1.0 : y_sd_raw;  // sd(y, na.rm = TRUE) of the series bsts sees
  const Eigen::VectorXd y_pre = y.head(pre);
  const Eigen::MatrixXd x_pre = x.topRows(pre);

  // The regression prior (SpikeSlabPrior over bsts's whole design matrix, y's moments pre-period).
  SpikeSlab slab;
  slab.n = pre;
  slab.xtx = x_pre.transpose() * x_pre;
  const Eigen::MatrixXd average_xtx = x.transpose() * x / static_cast<double>(n);
  slab.siginv =
      kPriorInformationWeight * (kDiagonalShrinkage * Eigen::MatrixXd(average_xtx.diagonal().asDiagonal()) +
                                 (1 - kDiagonalShrinkage) * average_xtx);
  slab.prior_df = kPriorDf;
  slab.prior_ss = kPriorDf * (1 - kExpectedR2) * sdy * sdy;
  slab.sigma_upper = kSigmaUpperLimitFactor * sdy;
  const double inclusion = std::min(1.0, model_size / static_cast<double>(p));
  for (Eigen::Index j = 0; j < p; ++j) {
    slab.log_prior_in.push_back(std::log(inclusion));
    slab.log_prior_out.push_back(std::log1p(-inclusion));
    slab.fixed.push_back(inclusion >= 1 ? 1 : -1);
  }

  // The state model and its priors (CausalImpact's level prior; bsts's defaults for the rest).
  std::vector<SdPrior> state_priors{{prior_level_sd * sdy, kLevelPriorSampleSize, sdy}};
  StateSpaceModel model;
  model.transition = Eigen::MatrixXd::Zero(m, m);
  model.observation = Eigen::VectorXd::Zero(m);
  model.selection = Eigen::MatrixXd::Zero(m, r);
  model.initial_mean = Eigen::VectorXd::Zero(m);
  model.initial_variance = Eigen::MatrixXd::Identity(m, m) * sdy * sdy;
  model.transition(0, 0) = 1;
  model.observation(0) = 1;
  model.initial_mean(0) = y(0);
  for (Eigen::Index j = 0; j < r; ++j)
    model.selection(layout.innovation_rows[static_cast<std::size_t>(j)], j) = 1;
  if (has_trend) {
    model.transition(0, layout.slope) = 1;
    model.transition(layout.slope, layout.slope) = 1;
    state_priors.push_back({0.01 * sdy, kDefaultStatePriorSampleSize, sdy});
  }
  if (seasons > 1) {
    const Eigen::Index s0 = layout.season, width = static_cast<Eigen::Index>(seasons) - 1;
    model.observation(s0) = 1;
    model.transition.block(s0, s0, 1, width).setConstant(-1);
    for (Eigen::Index i = 1; i < width; ++i) model.transition(s0 + i, s0 + i - 1) = 1;
    state_priors.push_back({0.01 * sdy, kDefaultStatePriorSampleSize, sdy});
  }
  model.state_variances.resize(r);
  for (Eigen::Index j = 0; j < r; ++j)
    model.state_variances(j) = std::pow(state_priors[static_cast<std::size_t>(j)].guess, 2);
  model.observation_variance = slab.prior_ss / slab.prior_df;

  pcg64 generator;
  seed_from_key(generator, derive_seed(options.count("seed"), 0));
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> uniform;
  SimulationSmoother smoother;

  const std::size_t kept = niter - burn;
  const auto draws = static_cast<Eigen::Index>(kept);
  // Every kept draw's state and outcome at every time point, and three sums of each draw.
  require_memory((2 * static_cast<double>(rows) + 3) * static_cast<double>(kept) * sizeof(double),
                 memory_budget(), fmt::format("causal-impact with niter={}", niter),
                 fmt::format("the state and the outcome of {} kept draws at {} time points", kept, rows),
                 "give a smaller niter");
  Eigen::MatrixXd state_samples(draws, rows), y_samples(draws, rows);  // original units
  std::vector<double> inclusion_count(static_cast<std::size_t>(p), 0.0);
  double sigma_obs_sum = 0, sigma_level_sum = 0;

  std::vector<char> gamma(static_cast<std::size_t>(p), 0);
  for (Eigen::Index j = 0; j < p; ++j)
    gamma[static_cast<std::size_t>(j)] = slab.fixed[static_cast<std::size_t>(j)] == 1;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  std::vector<std::size_t> order(static_cast<std::size_t>(p));
  std::iota(order.begin(), order.end(), std::size_t{0});
  Eigen::VectorXd state(m), innovation(r), beta_tilde;
  Eigen::MatrixXd root;

  ProgressLoop progress(niter, "MCMC iterations");
  for (std::size_t iter = 0; iter < niter; ++iter) {
    progress.step();
    // (1) States given the regression and the variances.
    const Eigen::VectorXd regression = x_pre * beta;
    const Eigen::MatrixXd& alpha = smoother.draw(model, y_pre - regression, generator);
    const Eigen::VectorXd contribution = alpha.transpose() * model.observation;

    // (2) State sds from their innovations.
    for (Eigen::Index j = 0; j < r; ++j) {
      const Eigen::Index row = layout.innovation_rows[static_cast<std::size_t>(j)];
      double ss = 0;
      for (Eigen::Index t = 0; t + 1 < pre; ++t) {
        const double e = alpha(row, t + 1) - model.transition.row(row).dot(alpha.col(t));
        ss += e * e;
      }
      const SdPrior& prior = state_priors[static_cast<std::size_t>(j)];
      const double shape = 0.5 * (prior.sample_size + static_cast<double>(pre - 1));
      const double rate = 0.5 * (prior.sample_size * prior.guess * prior.guess + ss);
      model.state_variances(j) = 1.0 / draw_precision(shape, rate, prior.upper, generator);
    }

    // (3) γ one at a time (SSVS, random order), then σ_ε and β, on ỹ = y - states.
    const Eigen::VectorXd residual = y_pre - contribution;
    const Eigen::VectorXd xty = x_pre.transpose() * residual;
    const double yty = residual.squaredNorm();
    for (std::size_t i = order.size(); i > 1; --i)  // Fisher–Yates with our own generator
      std::swap(order[i - 1], order[static_cast<std::size_t>(uniform(generator) * static_cast<double>(i))]);
    double current = slab.log_posterior(gamma, xty, yty);
    for (std::size_t j : order) {
      if (slab.fixed[j] >= 0) continue;
      gamma[j] = !gamma[j];
      const double flipped = slab.log_posterior(gamma, xty, yty);
      // Keep the flip with probability p(flipped) / (p(flipped) + p(current)).
      if (uniform(generator) < 1.0 / (1.0 + std::exp(current - flipped)))
        current = flipped;
      else
        gamma[j] = !gamma[j];
    }
    double ss = 0;
    slab.log_posterior(gamma, xty, yty, &beta_tilde, &root, &ss);
    const double precision = draw_precision(0.5 * (slab.prior_df + static_cast<double>(pre)), 0.5 * ss,
                                            slab.sigma_upper, generator);
    model.observation_variance = 1.0 / precision;
    beta.setZero();
    if (beta_tilde.size() > 0 && std::any_of(gamma.begin(), gamma.end(), [](char g) { return g != 0; })) {
      Eigen::VectorXd z(beta_tilde.size());
      for (Eigen::Index i = 0; i < z.size(); ++i) z(i) = normal(generator);
      // V = (L L')⁻¹: β = β̃ + σ L'⁻¹ z.
      const Eigen::VectorXd draw = beta_tilde + std::sqrt(model.observation_variance) *
                                                    root.transpose().triangularView<Eigen::Upper>().solve(z);
      Eigen::Index a = 0;
      for (Eigen::Index j = 0; j < p; ++j)
        if (gamma[static_cast<std::size_t>(j)]) beta(j) = draw(a++);
    }
    if (iter < burn) continue;

    // The kept draw: fitted pre-period, then the post-period propagated with fresh innovations.
    const Eigen::Index d = static_cast<Eigen::Index>(iter - burn);
    const double sigma = std::sqrt(model.observation_variance);
    const Eigen::VectorXd fitted = contribution + x_pre * beta;
    for (Eigen::Index t = 0; t < pre; ++t) {
      state_samples(d, t) = fitted(t) * y_scale + y_mean;
      y_samples(d, t) = (fitted(t) + sigma * normal(generator)) * y_scale + y_mean;
    }
    state = alpha.col(pre - 1);
    const Eigen::VectorXd state_sd = model.state_variances.cwiseSqrt();
    for (Eigen::Index t = pre; t < rows; ++t) {
      for (Eigen::Index j = 0; j < r; ++j) innovation(j) = state_sd(j) * normal(generator);
      state = model.transition * state + model.selection * innovation;
      const double mean = model.observation.dot(state) + x.row(t).dot(beta);
      state_samples(d, t) = mean * y_scale + y_mean;
      y_samples(d, t) = (mean + sigma * normal(generator)) * y_scale + y_mean;
    }
    for (Eigen::Index j = 0; j < p; ++j)
      inclusion_count[static_cast<std::size_t>(j)] += gamma[static_cast<std::size_t>(j)];
    sigma_obs_sum += sigma * y_scale;
    sigma_level_sum += std::sqrt(model.state_variances(0)) * y_scale;
  }

  // CausalImpact's summary (CompileSummaryTable) over the post-period.
  const double alpha_level = 1 - args.confidence_level;
  const double lower_p = alpha_level / 2, upper_p = 1 - alpha_level / 2;
  const double kept_d = static_cast<double>(kept);
  Eigen::VectorXd point_prediction = state_samples.colwise().mean();
  double actual_sum = 0, predicted_sum = 0;
  for (Eigen::Index t = pre; t < rows; ++t) {
    actual_sum += outcome[static_cast<std::size_t>(t)];
    predicted_sum += point_prediction(t);
  }
  const double post_d = static_cast<double>(n_post);
  std::vector<double> average_effects(kept), cumulative_effects(kept), sample_sums(kept);
  for (Eigen::Index d = 0; d < draws; ++d) {
    const double s = y_samples.row(d).tail(rows - pre).sum();
    sample_sums[static_cast<std::size_t>(d)] = s;
    cumulative_effects[static_cast<std::size_t>(d)] = actual_sum - s;
    average_effects[static_cast<std::size_t>(d)] = (actual_sum - s) / post_d;
  }
  const double actual_average = actual_sum / post_d, predicted_average = predicted_sum / post_d;
  Estimate out;
  out.n = n;
  out.se_type = "posterior";
  out.estimate = actual_average - predicted_average;
  out.ci_low = quantile7(average_effects, lower_p);
  out.ci_high = quantile7(average_effects, upper_p);
  out.se = sample_sd(average_effects);
  // One-sided tail-area probability: the share of draws (and the observation itself) at least as
  // extreme as the observed post-period sum, on the smaller side.
  std::size_t above = 1, below = 1;
  for (double s : sample_sums) {
    above += s >= actual_sum;
    below += s <= actual_sum;
  }
  const double tail = static_cast<double>(std::min(above, below)) / (kept_d + 1);
  out.p_value = tail;
  auto& diag = out.diagnostics;
  diag["actual_average"] = actual_average;
  diag["predicted_average"] = predicted_average;
  diag["predicted_average_ci_low"] = actual_average - out.ci_high;
  diag["predicted_average_ci_high"] = actual_average - out.ci_low;
  diag["cumulative_effect"] = actual_sum - predicted_sum;
  diag["cumulative_ci_low"] = quantile7(cumulative_effects, lower_p);
  diag["cumulative_ci_high"] = quantile7(cumulative_effects, upper_p);
  diag["cumulative_se"] = sample_sd(cumulative_effects);
  if (predicted_average != 0) {
    diag["relative_effect"] = out.estimate / predicted_average;
    diag["relative_ci_low"] = out.ci_low / predicted_average;
    diag["relative_ci_high"] = out.ci_high / predicted_average;
  } else {
    out.notes.push_back("the predicted post-period average is 0: no relative effect");
  }
  diag["tail_probability"] = tail;
  diag["posterior_probability_of_effect"] = 1 - tail;
  diag["n_pre"] = static_cast<double>(n_pre);
  diag["n_post"] = static_cast<double>(n_post);
  diag["post_start"] = post_start;
  diag["niter"] = static_cast<double>(niter);
  diag["burn"] = static_cast<double>(burn);
  diag["sigma_obs"] = sigma_obs_sum / kept_d;
  diag["sigma_level"] = sigma_level_sum / kept_d;
  for (Eigen::Index j = 0; j < k; ++j)
    diag["inclusion_" + args.covariates[static_cast<std::size_t>(j)]] =
        inclusion_count[static_cast<std::size_t>(j + 1)] / kept_d;
  if (n_post < 3) out.notes.push_back(fmt::format("only {} post-period time point(s)", n_post));

  // CausalImpact's three panels: original, pointwise and cumulative, with their intervals.
  auto column_quantiles = [&](const Eigen::MatrixXd& samples, Eigen::Index t) {
    std::vector<double> v(samples.col(t).data(), samples.col(t).data() + draws);
    return std::pair{quantile7(v, lower_p), quantile7(v, upper_p)};
  };
  const int percent = static_cast<int>(std::lround(100 * args.confidence_level));
  Series observed{"observed", {}, {}, {}, {}}, counterfactual{"counterfactual", {}, {}, {}, {}},
      pointwise{"pointwise effect", {}, {}, {}, {}}, cumulative{"cumulative effect", {}, {}, {}, {}};
  Eigen::VectorXd running = Eigen::VectorXd::Zero(draws);
  double cumulative_point = 0;
  for (Eigen::Index t = 0; t < rows; ++t) {
    const double tt = time[static_cast<std::size_t>(t)], yt = outcome[static_cast<std::size_t>(t)];
    const auto [lo, hi] = column_quantiles(y_samples, t);
    observed.x.push_back(tt);
    observed.y.push_back(yt);
    for (Series* s : {&counterfactual, &pointwise, &cumulative}) s->x.push_back(tt);
    counterfactual.y.push_back(point_prediction(t));
    counterfactual.lower.push_back(lo);
    counterfactual.upper.push_back(hi);
    pointwise.y.push_back(yt - point_prediction(t));
    pointwise.lower.push_back(yt - hi);
    pointwise.upper.push_back(yt - lo);
    if (t < pre) {  // zero before the post-period by construction, as CausalImpact's
      cumulative.y.push_back(0);
      cumulative.lower.push_back(0);
      cumulative.upper.push_back(0);
      continue;
    }
    running.array() += yt - y_samples.col(t).array();
    cumulative_point += yt - point_prediction(t);
    std::vector<double> v(running.data(), running.data() + draws);
    cumulative.y.push_back(cumulative_point);
    cumulative.lower.push_back(quantile7(v, lower_p));
    cumulative.upper.push_back(quantile7(v, upper_p));
  }
  auto panel = [&](std::string id, std::string title, std::string y_label, std::vector<Series> series,
                   std::vector<double> reference) {
    Plot plot;
    plot.id = std::move(id);
    plot.title = std::move(title);
    plot.kind = "lines";
    plot.x_label = time_column;
    plot.y_label = std::move(y_label);
    plot.series = std::move(series);
    plot.reference_lines = std::move(reference);
    out.plots.push_back(std::move(plot));
  };
  panel("causal_impact_original",
        fmt::format("Observed and counterfactual {} ({}% interval)", args.outcome, percent), args.outcome,
        {std::move(observed), std::move(counterfactual)}, {});
  panel("causal_impact_pointwise", fmt::format("Pointwise effect ({}% interval)", percent), "effect",
        {std::move(pointwise)}, {0.0});
  panel("causal_impact_cumulative", fmt::format("Cumulative effect ({}% interval)", percent),
        "cumulative effect", {std::move(cumulative)}, {0.0});
  return out;
}

}  // namespace casebook
