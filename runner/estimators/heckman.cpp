#include "estimators/heckman.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Cholesky>
#include <boost/math/special_functions/erf.hpp>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "inference/design_matrix.hpp"
#include "inference/least_squares.hpp"
#include "inference/t_test.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {

namespace {

constexpr std::string_view kName = "heckman";
constexpr double kLogSqrtTwoPi = 0.91893853320467274178;
const std::string kMillsName = "invMillsRatio";  // as sampleSelection names it

double normal_pdf(double x) { return std::exp(-0.5 * x * x - kLogSqrtTwoPi); }

// Φ(x) through erfc keeps its relative accuracy in the lower tail; below -30 (Φ < 1e-197) the
// asymptotic series of the Mills ratio takes over, so neither λ nor log Φ ever becomes 0/0 or -inf.
constexpr double kTail = -30;
double normal_cdf(double x) { return 0.5 * boost::math::erfc(-x / std::sqrt(2.0)); }

// λ(x) = φ(x)/Φ(x), the inverse Mills ratio.
double inverse_mills(double x) {
  if (x > kTail) return normal_pdf(x) / normal_cdf(x);
  const double u = 1 / (x * x);
  return -x / (1 - u + 3 * u * u - 15 * u * u * u);
}

double log_normal_cdf(double x) {
  if (x > kTail) return std::log(normal_cdf(x));
  return -0.5 * x * x - kLogSqrtTwoPi - std::log(inverse_mills(x));
}

struct Settings {
  std::string selection;
  std::vector<std::string> selection_covariates;
  bool ml = false;
  std::size_t max_iterations = 100;
};

Settings read_settings(const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  Settings s;
  s.selection = options.text("selection");
  if (s.selection.empty())
    throw InputError(
        "heckman needs option selection=<column>: the 0/1 indicator of the rows whose outcome is observed");
  s.selection_covariates = options.list("selection_covariates");
  if (s.selection_covariates.empty())
    throw InputError(
        "heckman needs option selection_covariates=a,b,…: the columns of the selection equation, with at "
        "least one that is not in the outcome equation");
  s.ml = options.text("method") == "ml";
  s.max_iterations = options.count("max_iterations");
  return s;
}

// The rows whose outcome equation must be complete: every column it uses is observed wherever
// the selection indicator is 1 (elsewhere it may be missing).
void require_observed_where_selected(const Dataset& data, const std::string& selection,
                                     const std::vector<std::size_t>& selected, std::string_view role,
                                     const std::string& name) {
  const auto& values = data.column(name).values;
  std::size_t missing = 0, first = 0;
  for (const std::size_t row : selected)
    if (std::isnan(values[row]) && missing++ == 0) first = row;
  if (missing > 0)
    throw InputError(
        data.source(),
        fmt::format("{} '{}' is missing on {} row{} with {} = 1 (first at row {}); heckman needs it "
                    "wherever {} = 1 (it may be NA where {} = 0)",
                    role, name, missing, missing == 1 ? "" : "s", selection, first + 1, selection,
                    selection));
}

struct SelectionEquation {
  DesignMatrix design;     // every row
  Eigen::VectorXd gamma;   // probit coefficients
  Eigen::MatrixXd vcov;    // inverse Fisher information at gamma
  Eigen::VectorXd eta;     // z'γ, every row
  Eigen::VectorXd lambda;  // φ(η)/Φ(η), every row
};

// A column of the selection design whose values for s = 0 and s = 1 do not overlap separates the
// two perfectly: the probit's likelihood then has no maximum (R's glm warns "fitted probabilities
// numerically 0 or 1"). Named here, before the fit diverges; separation by a combination of columns
// shows up as the fit's own failure below.
void reject_separating_column(const Dataset& data, const Settings& s, const DesignMatrix& design,
                              const std::vector<double>& indicator) {
  for (Eigen::Index j = 0; j < design.x.cols(); ++j) {
    double low[2] = {INFINITY, INFINITY}, high[2] = {-INFINITY, -INFINITY};
    for (Eigen::Index i = 0; i < design.x.rows(); ++i) {
      const int arm = indicator[static_cast<std::size_t>(i)] == 1 ? 1 : 0;
      low[arm] = std::min(low[arm], design.x(i, j));
      high[arm] = std::max(high[arm], design.x(i, j));
    }
    const bool below = high[0] < low[1];  // s = 0 rows all below the s = 1 rows
    if (below || high[1] < low[0])
      throw InputError(
          data.source(),
          fmt::format("heckman: perfect separation in the selection equation: '{}' is {} {} on every "
                      "row with {} = 0 and {} {} on every row with {} = 1, so the probit of '{}' has "
                      "no maximum; drop or coarsen it",
                      design.names[static_cast<std::size_t>(j)], below ? "at most" : "at least",
                      below ? high[0] : low[0], s.selection, below ? "at least" : "at most",
                      below ? low[1] : high[1], s.selection, s.selection));
  }
}

SelectionEquation fit_selection(const Dataset& data, const Settings& s,
                                const std::vector<double>& indicator) {
  SelectionEquation eq;
  eq.design = build_design_matrix(data, s.selection_covariates);
  reject_separating_column(data, s, eq.design, indicator);
  std::vector<std::uint32_t> rows(indicator.size());
  std::iota(rows.begin(), rows.end(), 0u);
  try {
    eq.gamma = fit_binomial_glm(eq.design.x, indicator, rows, BinomialLink::probit).coefficients;
  } catch (const InputError& error) {
    const std::string what = error.what();
    const std::string equation =
        fmt::format("the probit of '{}' on {}", s.selection, fmt::join(s.selection_covariates, ", "));
    // The two ways a probit meets separation by a combination of covariates: fitted probabilities
    // of 0 or 1, or coefficients that grow without end.
    const bool diverged = what.find("did not converge") != std::string::npos;
    if (diverged || what.find("fitted probabilities of 0 or 1") != std::string::npos)
      throw InputError(
          data.source(),
          fmt::format("heckman: perfect separation in the selection equation: {} {} (a combination "
                      "of covariates splits {} = 0 from {} = 1); drop or coarsen one",
                      equation, diverged ? "did not converge" : "fits probabilities of 0 or 1", s.selection,
                      s.selection));
    throw InputError(data.source(), fmt::format("heckman: selection equation ({}): {}", equation, what));
  }
  eq.eta = eq.design.x * eq.gamma;
  const Eigen::Index n = eq.eta.size();
  eq.lambda.resize(n);
  Eigen::VectorXd fisher_weight(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double e = eq.eta[i];
    eq.lambda[i] = inverse_mills(e);
    // φ²/(Φ(1 - Φ)) = λ(η) λ(-η), finite in both tails.
    fisher_weight[i] = eq.lambda[i] * inverse_mills(-e);
  }
  const Eigen::MatrixXd information = eq.design.x.transpose() * fisher_weight.asDiagonal() * eq.design.x;
  eq.vcov = information.ldlt().solve(Eigen::MatrixXd::Identity(information.rows(), information.cols()));
  return eq;
}

struct OutcomeEquation {
  std::vector<std::string> names;  // without invMillsRatio
  Eigen::MatrixXd x;               // selected rows
  Eigen::VectorXd y;
};

// What both methods report about the outcome equation and the error terms.
struct Fit {
  std::vector<std::string> outcome_names;  // with invMillsRatio for twostep
  Eigen::VectorXd outcome_coefficients;
  Eigen::VectorXd outcome_se;
  double outcome_df = 0;  // > 0: t tests (twostep); 0: z tests (ml)
  Eigen::VectorXd selection_coefficients;
  Eigen::VectorXd selection_se;
  double sigma = 0, rho = 0, inverse_mills = 0, inverse_mills_se = 0;
  double sigma_se = 0, rho_se = 0, loglik = 0;
  std::size_t iterations = 0;
};

Eigen::VectorXd sqrt_diagonal(const Eigen::MatrixXd& vcov, std::string_view what,
                              const std::vector<std::string>& names) {
  Eigen::VectorXd se(vcov.rows());
  for (Eigen::Index j = 0; j < vcov.rows(); ++j) {
    if (!(vcov(j, j) > 0) || !std::isfinite(vcov(j, j)))
      throw InputError(
          fmt::format("heckman: the {} variance of '{}' is not positive: the selection model does "
                      "not fit these data",
                      what, names[static_cast<std::size_t>(j)]));
    se[j] = std::sqrt(vcov(j, j));
  }
  return se;
}

Fit two_step(const SelectionEquation& sel, const OutcomeEquation& out,
             const std::vector<std::size_t>& selected) {
  const auto n1 = static_cast<Eigen::Index>(selected.size());
  const Eigen::Index kx = out.x.cols();
  Eigen::MatrixXd x(n1, kx + 1);
  x.leftCols(kx) = out.x;
  Eigen::MatrixXd z(n1, sel.design.x.cols());
  Eigen::VectorXd delta(n1);
  for (Eigen::Index i = 0; i < n1; ++i) {
    const auto row = static_cast<Eigen::Index>(selected[static_cast<std::size_t>(i)]);
    x(i, kx) = sel.lambda[row];
    z.row(i) = sel.design.x.row(row);
    delta[i] = sel.lambda[row] * (sel.lambda[row] + sel.eta[row]);
  }
  std::vector<std::string> names = out.names;
  names.push_back(kMillsName);
  const LeastSquaresFit ols = fit_least_squares(x, out.y, names);

  Fit fit;
  fit.outcome_names = names;
  fit.outcome_coefficients = ols.coefficients;
  fit.outcome_df = ols.residual_df();
  const double b_lambda = ols.coefficients[kx];
  fit.sigma =
      std::sqrt(ols.residual_sum_of_squares / static_cast<double>(n1) + b_lambda * b_lambda * delta.mean());
  fit.rho = b_lambda / fit.sigma;
  const double rho2 = fit.rho * fit.rho;
  // Heckman (1979) / Greene: σ²(X'X)⁻¹(X'(I - ρ²Δ)X + Q)(X'X)⁻¹, Q = ρ²(X'ΔZ) V(γ)(Z'ΔX).
  const Eigen::MatrixXd xdz = x.transpose() * delta.asDiagonal() * z;
  const Eigen::VectorXd shrink = Eigen::VectorXd::Ones(n1) - rho2 * delta;
  const Eigen::MatrixXd middle =
      x.transpose() * shrink.asDiagonal() * x + rho2 * xdz * sel.vcov * xdz.transpose();
  const Eigen::MatrixXd vcov = fit.sigma * fit.sigma * ols.bread * middle * ols.bread;
  fit.outcome_se = sqrt_diagonal(vcov, "two-step corrected", names);
  fit.inverse_mills = b_lambda;
  fit.inverse_mills_se = fit.outcome_se[kx];
  fit.selection_coefficients = sel.gamma;
  fit.selection_se = sqrt_diagonal(sel.vcov, "probit", sel.design.names);
  return fit;
}

// The Tobit-2 log likelihood in θ = (γ, β, τ = log σ, a = atanh ρ): rows with s = 0 add log Φ(-z'γ);
// rows with s = 1 add log Φ(q) - τ - ε²/2 - log √(2π), ε = (y - x'β)/σ,
// q = (z'γ + ρε)/√(1 - ρ²) = z'γ cosh a + ε sinh a. Gradient and Hessian are analytic.
class SelectionLikelihood {
 public:
  SelectionLikelihood(const SelectionEquation& sel, const OutcomeEquation& out,
                      const std::vector<double>& indicator)
      : z_(sel.design.x), x_(out.x), y_(out.y), indicator_(indicator) {
    kz_ = z_.cols();
    kx_ = x_.cols();
    xtx_ = x_.transpose() * x_;
  }
  Eigen::Index size() const { return kz_ + kx_ + 2; }
  Eigen::Index tau() const { return kz_ + kx_; }
  Eigen::Index a() const { return kz_ + kx_ + 1; }

  // The log likelihood; with `gradient`/`hessian` non-null, those too.
  double evaluate(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient, Eigen::MatrixXd* hessian) const {
    const Eigen::VectorXd gamma = theta.head(kz_);
    const Eigen::VectorXd beta = theta.segment(kz_, kx_);
    const double sigma = std::exp(theta[tau()]);
    const double ch = std::cosh(theta[a()]), sh = std::sinh(theta[a()]);
    const Eigen::VectorXd w = z_ * gamma;
    const Eigen::VectorXd fitted = x_ * beta;
    const Eigen::Index p = size();
    if (gradient) gradient->setZero(p);
    if (hessian) hessian->setZero(p, p);
    Eigen::VectorXd dq(p);
    double loglik = 0;
    Eigen::Index k = 0;  // position among the selected rows
    for (Eigen::Index i = 0; i < w.size(); ++i) {
      if (indicator_[static_cast<std::size_t>(i)] == 0) {
        const double m = inverse_mills(-w[i]);
        loglik += log_normal_cdf(-w[i]);
        if (gradient) gradient->head(kz_) -= m * z_.row(i).transpose();
        if (hessian)
          hessian->topLeftCorner(kz_, kz_).selfadjointView<Eigen::Lower>().rankUpdate(z_.row(i).transpose(),
                                                                                      -m * (m - w[i]));
        continue;
      }
      const double eps = (y_[k] - fitted[k]) / sigma;
      const double q = w[i] * ch + eps * sh;
      const double l1 = inverse_mills(q);
      loglik += log_normal_cdf(q) - theta[tau()] - 0.5 * eps * eps - kLogSqrtTwoPi;
      // ∂q/∂θ by block.
      dq.head(kz_) = ch * z_.row(i).transpose();
      dq.segment(kz_, kx_) = (-sh / sigma) * x_.row(k).transpose();
      dq[tau()] = -eps * sh;
      dq[a()] = w[i] * sh + eps * ch;
      if (gradient) {
        *gradient += l1 * dq;
        gradient->segment(kz_, kx_) += (eps / sigma) * x_.row(k).transpose();
        (*gradient)[tau()] += eps * eps - 1;
      }
      if (hessian) {
        // L2 ∂q∂q' + L1 ∂²q + ∂²(-ε²/2), L2 = -λ(λ + q); only the lower triangle is filled here.
        hessian->selfadjointView<Eigen::Lower>().rankUpdate(dq, -l1 * (l1 + q));
        auto& h = *hessian;
        h.block(a(), 0, 1, kz_) += l1 * sh * z_.row(i);
        h.block(tau(), kz_, 1, kx_) += ((l1 * sh - 2 * eps) / sigma) * x_.row(k);
        h.block(a(), kz_, 1, kx_) += (-l1 * ch / sigma) * x_.row(k);
        h(tau(), tau()) += l1 * eps * sh - 2 * eps * eps;
        h(a(), tau()) += -l1 * eps * ch;
        h(a(), a()) += l1 * q;
      }
      ++k;
    }
    if (hessian) {
      hessian->block(kz_, kz_, kx_, kx_) -= xtx_ / (sigma * sigma);
      for (Eigen::Index j = 1; j < p; ++j)
        for (Eigen::Index i = 0; i < j; ++i) (*hessian)(i, j) = (*hessian)(j, i);
    }
    return loglik;
  }

 private:
  const Eigen::MatrixXd& z_;
  const Eigen::MatrixXd& x_;
  const Eigen::VectorXd& y_;
  const std::vector<double>& indicator_;
  Eigen::Index kz_ = 0, kx_ = 0;
  Eigen::MatrixXd xtx_;
};

// Newton's method with step halving from the two-step estimates; where the Hessian is not negative
// definite (far from the maximum) a multiple of the identity is added (Levenberg–Marquardt).
Fit maximum_likelihood(const SelectionEquation& sel, const OutcomeEquation& out,
                       const std::vector<double>& indicator, const Fit& start, std::size_t max_iterations) {
  const SelectionLikelihood likelihood(sel, out, indicator);
  const Eigen::Index p = likelihood.size(), kz = sel.gamma.size(), kx = out.x.cols();
  Eigen::VectorXd theta(p);
  theta.head(kz) = start.selection_coefficients;
  theta.segment(kz, kx) = start.outcome_coefficients.head(kx);
  theta[likelihood.tau()] = std::log(start.sigma);
  theta[likelihood.a()] = std::atanh(std::clamp(start.rho, -0.99, 0.99));  // a two-step ρ may leave (-1, 1)

  Eigen::VectorXd gradient;
  Eigen::MatrixXd hessian;
  double loglik = likelihood.evaluate(theta, &gradient, &hessian);
  bool converged = false;
  std::size_t iteration = 0;
  for (; iteration < max_iterations && !converged; ++iteration) {
    Eigen::MatrixXd information = -hessian;
    Eigen::LDLT<Eigen::MatrixXd> ldlt(information);
    double ridge = 1e-8 * std::max(1.0, information.diagonal().cwiseAbs().maxCoeff());
    while (ldlt.info() != Eigen::Success || !ldlt.isPositive() || (ldlt.vectorD().array() <= 0).any()) {
      information.diagonal().array() += ridge;
      ldlt.compute(information);
      ridge *= 10;
      if (!std::isfinite(ridge)) break;
    }
    const Eigen::VectorXd step = ldlt.solve(gradient);
    const double decrement = gradient.dot(step);  // ≈ 2 × the likelihood still to gain
    if (!std::isfinite(decrement)) break;
    // Deep in the quadratic region (the likelihood within 5e-11 of its maximum) one full Newton step
    // leaves an error far below the rounding of the summed likelihood, which can no longer tell
    // better from worse: take it and stop.
    if (decrement < 1e-10) {
      theta += step;
      loglik = likelihood.evaluate(theta, &gradient, &hessian);
      converged = true;
      ++iteration;
      break;
    }
    double t = 1;
    Eigen::VectorXd trial = theta + step;
    double trial_loglik = likelihood.evaluate(trial, nullptr, nullptr);
    for (int halving = 0; halving < 50 && !(trial_loglik >= loglik); ++halving) {
      t /= 2;
      trial = theta + t * step;
      trial_loglik = likelihood.evaluate(trial, nullptr, nullptr);
    }
    if (!(trial_loglik >= loglik)) break;  // no ascent along a Newton direction: not converging
    theta = trial;
    loglik = likelihood.evaluate(theta, &gradient, &hessian);
    if (std::abs(theta[likelihood.a()]) > 15)
      throw InputError(
          "heckman: maximum likelihood drives ρ to ±1 (the outcome's error is a function of the selection "
          "equation's): the model is not identified on these data; use method=twostep");
  }
  if (!converged)
    throw InputError(
        fmt::format("heckman: maximum likelihood did not converge in {} iterations (option max_iterations); "
                    "the model may be weakly identified (check the exclusion restriction), or use "
                    "method=twostep",
                    max_iterations));

  Eigen::MatrixXd information = -hessian;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(information);
  if (ldlt.info() != Eigen::Success || !ldlt.isPositive() || (ldlt.vectorD().array() <= 0).any())
    throw InputError(
        "heckman: the likelihood is flat at its maximum (Hessian not negative definite): the selection model "
        "is not identified on these data");
  const Eigen::MatrixXd vcov = ldlt.solve(Eigen::MatrixXd::Identity(p, p));
  std::vector<std::string> names = sel.design.names;
  names.insert(names.end(), out.names.begin(), out.names.end());
  names.emplace_back("log(sigma)");
  names.emplace_back("atanh(rho)");
  const Eigen::VectorXd se = sqrt_diagonal(vcov, "maximum likelihood", names);

  Fit fit;
  fit.selection_coefficients = theta.head(kz);
  fit.selection_se = se.head(kz);
  fit.outcome_names = out.names;
  fit.outcome_coefficients = theta.segment(kz, kx);
  fit.outcome_se = se.segment(kz, kx);
  fit.sigma = std::exp(theta[likelihood.tau()]);
  fit.rho = std::tanh(theta[likelihood.a()]);
  // The delta method: dσ/dτ = σ, dρ/da = 1 - ρ², β_λ = ρσ with gradient (ρσ, σ(1 - ρ²)) in (τ, a).
  fit.sigma_se = fit.sigma * se[likelihood.tau()];
  fit.rho_se = (1 - fit.rho * fit.rho) * se[likelihood.a()];
  fit.inverse_mills = fit.rho * fit.sigma;
  Eigen::Vector2d g(fit.rho * fit.sigma, fit.sigma * (1 - fit.rho * fit.rho));
  fit.inverse_mills_se = std::sqrt(g.dot(vcov.bottomRightCorner(2, 2) * g));
  fit.loglik = loglik;
  fit.iterations = iteration;
  return fit;
}

CoefficientTest coefficient_test(double estimate, double se, double df, double confidence_level) {
  return df > 0 ? t_test(estimate, se, df, confidence_level) : z_test(estimate, se, confidence_level);
}

Table equation_table(std::string id, std::string title, const std::vector<std::string>& names,
                     const Eigen::VectorXd& coefficients, const Eigen::VectorXd& se, double df,
                     double confidence_level) {
  Table table{std::move(id), std::move(title), test_table_columns({"term"}), {}};
  for (Eigen::Index j = 0; j < coefficients.size(); ++j)
    table.rows.push_back(test_row({names[static_cast<std::size_t>(j)]},
                                  coefficient_test(coefficients[j], se[j], df, confidence_level)));
  return table;
}

}  // namespace

Estimate heckman_selection(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(),
                  "list the selection equation's excluded variables in option selection_covariates");
  reject_argument(kName, "a cluster column", !args.cluster.empty(),
                  "its standard errors are not cluster-robust");
  require_distinct_roles(args);
  const Settings s = read_settings(args);
  require_column(data, kName, "outcome", args.outcome);
  require_column(data, kName, "treatment", args.treatment);
  for (const auto& covariate : args.covariates) require_column(data, kName, "covariate", covariate);
  if (s.selection == args.outcome || s.selection == args.treatment)
    throw InputError(
        fmt::format("heckman: option selection '{}' is the {} itself; it must be the 0/1 indicator "
                    "of the rows whose outcome is observed",
                    s.selection, s.selection == args.outcome ? "outcome" : "treatment"));
  require_binary_column(data, kName, "selection", s.selection);
  for (const auto& covariate : s.selection_covariates) {
    if (covariate == s.selection)
      throw InputError(
          fmt::format("heckman: selection covariate '{}' is the selection indicator itself", covariate));
    if (covariate == args.outcome)
      throw InputError(fmt::format("heckman: selection covariate '{}' is the outcome", covariate));
    require_column(data, kName, "selection covariate", covariate);
  }
  require_complete(data, s.selection_covariates);

  const std::vector<double>& indicator = data.column(s.selection).values;
  std::vector<std::size_t> selected;
  for (std::size_t i = 0; i < indicator.size(); ++i)
    if (indicator[i] == 1) selected.push_back(i);
  if (selected.empty())
    throw InputError(data.source(),
                     fmt::format("heckman: no row has {} = 1, so the outcome '{}' is observed nowhere",
                                 s.selection, args.outcome));
  if (selected.size() == indicator.size())
    throw InputError(
        data.source(),
        fmt::format("heckman: every row has {} = 1: no row is selected out, so there is no selection "
                    "to correct (use ols)",
                    s.selection));

  std::vector<std::string> regressors{args.treatment};
  regressors.insert(regressors.end(), args.covariates.begin(), args.covariates.end());
  require_observed_where_selected(data, s.selection, selected, "outcome", args.outcome);
  for (std::size_t j = 0; j < regressors.size(); ++j)
    require_observed_where_selected(data, s.selection, selected, j == 0 ? "treatment" : "covariate",
                                    regressors[j]);
  const Dataset observed = select_rows(data, selected);
  require_numeric_column(observed, kName, "outcome", args.outcome);
  require_numeric_column(observed, kName, "treatment", args.treatment);
  require_not_constant(observed, "treatment", args.treatment,
                       fmt::format("nothing to compare on the rows with {} = 1", s.selection));

  const SelectionEquation sel = fit_selection(data, s, indicator);
  const DesignMatrix outcome_design = build_design_matrix(observed, regressors);
  const OutcomeEquation out{outcome_design.names, outcome_design.x,
                            numeric_column(observed, args.outcome, "outcome")};
  const Fit start = two_step(sel, out, selected);
  const Fit fit = s.ml ? maximum_likelihood(sel, out, indicator, start, s.max_iterations) : start;

  constexpr Eigen::Index treatment_index = 1;  // right after the intercept
  Estimate result =
      to_estimate(coefficient_test(fit.outcome_coefficients[treatment_index], fit.outcome_se[treatment_index],
                                   fit.outcome_df, args.confidence_level),
                  data.rows());
  result.se_type = s.ml ? "mle" : "heckman";
  for (Eigen::Index j = 0; j < fit.outcome_coefficients.size(); ++j)
    result.terms.push_back(make_term(fit.outcome_names[static_cast<std::size_t>(j)],
                                     coefficient_test(fit.outcome_coefficients[j], fit.outcome_se[j],
                                                      fit.outcome_df, args.confidence_level)));
  result.tables.push_back(equation_table(
      "selection", fmt::format("Selection equation (probit of {})", s.selection), sel.design.names,
      fit.selection_coefficients, fit.selection_se, 0, args.confidence_level));
  result.tables.push_back(equation_table(
      "outcome", fmt::format("Outcome equation ({} rows with {} = 1)", selected.size(), s.selection),
      fit.outcome_names, fit.outcome_coefficients, fit.outcome_se, fit.outcome_df, args.confidence_level));

  auto& d = result.diagnostics;
  d["sigma"] = fit.sigma;
  d["rho"] = fit.rho;
  d["inverse_mills"] = fit.inverse_mills;
  d["inverse_mills_se"] = fit.inverse_mills_se;
  d["n_selected"] = static_cast<double>(selected.size());
  d["n_censored"] = static_cast<double>(indicator.size() - selected.size());
  // The uncorrected regression on the selected rows, for comparison (the bias the model removes).
  d["estimate_selected_ols"] = fit_least_squares(out.x, out.y, out.names).coefficients[treatment_index];
  if (s.ml) {
    d["sigma_se"] = fit.sigma_se;
    d["rho_se"] = fit.rho_se;
    d["loglik"] = fit.loglik;
    d["iterations"] = static_cast<double>(fit.iterations);
  }
  result.row_outputs["inverse_mills_ratio"] = std::vector<double>(sel.lambda.begin(), sel.lambda.end());

  const std::set<std::string> outcome_columns(regressors.begin(), regressors.end());
  if (std::all_of(s.selection_covariates.begin(), s.selection_covariates.end(),
                  [&](const std::string& c) { return outcome_columns.contains(c); }))
    result.notes.push_back(fmt::format(
        "no exclusion restriction: every selection covariate is also in the outcome equation, so the "
        "correction rests on the probit's curvature alone and is weakly identified; add a variable that "
        "moves "
        "{} but not {}",
        s.selection, args.outcome));
  if (!s.ml && std::abs(fit.rho) > 1)
    result.notes.push_back(fmt::format(
        "the two-step ρ̂ = {:.3g} lies outside [-1, 1] (reported as computed, as sampleSelection does): the "
        "selection model fits these data poorly; compare method=ml",
        fit.rho));
  return result;
}

}  // namespace casebook
