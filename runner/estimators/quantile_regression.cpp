#include "estimators/quantile_regression.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <Eigen/QR>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <pcg_random.hpp>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "core/progress.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/propensity_score.hpp"
#include "inference/bootstrap.hpp"
#include "inference/design_matrix.hpp"
#include "inference/least_squares.hpp"
#include "inference/t_test.hpp"

namespace casebook {

namespace {

constexpr std::string_view kName = "quantile-regression";
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// A row's direction derivative at a vertex is "zero" (another vertex is as good) within this;
// quantreg's rqbr uses eps^(2/3) ≈ 3.7e-11 on its tableau, we allow for sums over more rows.
constexpr double kOptimalityTolerance = 1e-9;

double check_loss(const VectorXd& residuals, double tau) {
  double sum = 0;
  for (const double r : residuals) sum += r * (tau - (r < 0 ? 1.0 : 0.0));
  return sum;
}

// Largest step in [0, 1] keeping v + step·dv ≥ 0, shortened to stay strictly inside.
double step_to_boundary(const VectorXd& v, const VectorXd& dv) {
  double step = 1;
  for (Index i = 0; i < v.size(); ++i)
    if (dv(i) < 0) step = std::min(step, -v(i) / dv(i));
  return std::min(1.0, 0.99995 * step);
}

// Frisch–Newton (Portnoy & Koenker 1997): Mehrotra's predictor–corrector on the dual programme
// max y'a subject to X'a = (1 − τ) X'1, 0 ≤ a ≤ 1, whose multipliers λ give b = −λ. Only a
// starting point for the simplex: it need not reach a vertex, nor full precision.
VectorXd interior_point_start(const MatrixXd& x, const VectorXd& y, double tau) {
  const Index n = x.rows();
  const double rows = static_cast<double>(n);
  VectorXd a = VectorXd::Constant(n, 1 - tau);
  VectorXd s = VectorXd::Constant(n, tau);  // 1 − a
  const VectorXd c = -y;
  VectorXd lambda = (x.transpose() * x).ldlt().solve(x.transpose() * c);
  const VectorXd r0 = c - x * lambda;
  const double shift = std::max(r0.cwiseAbs().mean(), 1e-12);
  VectorXd z = r0.cwiseMax(0).array() + shift;
  VectorXd w = (-r0).cwiseMax(0).array() + shift;
  VectorXd best = -lambda;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const double gap = a.dot(z) + s.dot(w);
    if (!std::isfinite(gap) || gap < 1e-11 * (1 + std::abs(c.dot(a)))) break;
    const VectorXd dual_residual = c - x * lambda - z + w;
    const VectorXd primal_residual = (1 - tau) * x.colwise().sum().transpose() - x.transpose() * a;
    const VectorXd q = z.cwiseQuotient(a) + w.cwiseQuotient(s);
    const VectorXd q_inverse = q.cwiseInverse();
    const MatrixXd normal = x.transpose() * q_inverse.asDiagonal() * x;
    const Eigen::LDLT<MatrixXd> factor(normal);
    if (factor.info() != Eigen::Success) break;
    // The Newton direction for complementarity targets a∘z → t1, s∘w → t2.
    auto direction = [&](const VectorXd& t1, const VectorXd& t2, VectorXd& da, VectorXd& dl, VectorXd& dz,
                         VectorXd& dw) {
      const VectorXd rho = t1.cwiseQuotient(a) - t2.cwiseQuotient(s) - dual_residual;
      dl = factor.solve(primal_residual - x.transpose() * rho.cwiseProduct(q_inverse));
      da = (x * dl + rho).cwiseProduct(q_inverse);
      dz = (t1 - z.cwiseProduct(da)).cwiseQuotient(a);
      dw = (t2 + w.cwiseProduct(da)).cwiseQuotient(s);
    };
    VectorXd da, dl, dz, dw;
    direction(-a.cwiseProduct(z), -s.cwiseProduct(w), da, dl, dz, dw);
    double primal_step = std::min(step_to_boundary(a, da), step_to_boundary(s, -da));
    double dual_step = std::min(step_to_boundary(z, dz), step_to_boundary(w, dw));
    const double affine_gap =
        (a + primal_step * da).dot(z + dual_step * dz) + (s - primal_step * da).dot(w + dual_step * dw);
    const double mu = std::pow(affine_gap / gap, 3) * gap / (2 * rows);
    const VectorXd t1 = (mu - a.cwiseProduct(z).array() - da.cwiseProduct(dz).array()).matrix();
    const VectorXd t2 = (mu - s.cwiseProduct(w).array() + da.cwiseProduct(dw).array()).matrix();
    direction(t1, t2, da, dl, dz, dw);
    primal_step = std::min(step_to_boundary(a, da), step_to_boundary(s, -da));
    dual_step = std::min(step_to_boundary(z, dz), step_to_boundary(w, dw));
    if (!da.allFinite() || !dl.allFinite() || !dz.allFinite() || !dw.allFinite()) break;
    a += primal_step * da;
    s = (1 - a.array()).matrix().cwiseMax(0);
    s = s.cwiseMax(1e-300);
    lambda += dual_step * dl;
    z += dual_step * dz;
    w += dual_step * dw;
    best = -lambda;
  }
  return best;
}

// p rows, by increasing |residual|, whose covariate rows are linearly independent (modified
// Gram–Schmidt, twice, on the rows accepted so far).
std::vector<Index> independent_rows(const MatrixXd& x, const VectorXd& residuals) {
  const Index n = x.rows(), p = x.cols();
  std::vector<Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](Index i, Index j) { return std::abs(residuals(i)) < std::abs(residuals(j)); });
  std::vector<Index> basis;
  MatrixXd orthonormal(p, p);
  for (const Index i : order) {
    VectorXd v = x.row(i).transpose();
    const double norm = v.norm();
    if (norm == 0) continue;
    for (int pass = 0; pass < 2; ++pass)
      for (Index k = 0; k < static_cast<Index>(basis.size()); ++k)
        v -= orthonormal.col(k).dot(v) * orthonormal.col(k);
    if (v.norm() <= 1e-8 * norm) continue;
    orthonormal.col(static_cast<Index>(basis.size())) = v / v.norm();
    basis.push_back(i);
    if (static_cast<Index>(basis.size()) == p) return basis;
  }
  throw InputError(fmt::format("{}: the design's columns are linearly dependent", kName));
}

}  // namespace

QuantileFit fit_quantile_regression(const MatrixXd& x, const VectorXd& y, double tau) {
  const Index n = x.rows(), p = x.cols();
  if (n <= p) throw InputError(fmt::format("{}: too few rows: {} rows for {} coefficients", kName, n, p));
  const double y_scale = 1 + y.cwiseAbs().maxCoeff();
  const double zero = 1e-11 * y_scale;  // a non-basic residual this small ties with the fit

  std::vector<Index> basis = independent_rows(x, y - x * interior_point_start(x, y, tau));
  std::vector<char> is_basic(static_cast<std::size_t>(n), 0);
  for (const Index i : basis) is_basic[static_cast<std::size_t>(i)] = 1;

  // Each pivot strictly lowers the loss, so no vertex repeats; the bound only guards against
  // numerical trouble.
  const long max_pivots = 50 * static_cast<long>(n) + 1000;
  for (long pivot = 0;; ++pivot) {
    if (pivot > max_pivots)
      throw InputError(fmt::format("{}: the simplex did not converge at tau {}", kName, tau));
    MatrixXd basic_rows(p, p);
    VectorXd basic_y(p);
    for (Index k = 0; k < p; ++k) {
      basic_rows.row(k) = x.row(basis[static_cast<std::size_t>(k)]);
      basic_y(k) = y(basis[static_cast<std::size_t>(k)]);
    }
    const Eigen::PartialPivLU<MatrixXd> lu(basic_rows);
    const MatrixXd inverse = lu.inverse();
    const VectorXd b = lu.solve(basic_y);
    VectorXd r = y - x * b;
    for (const Index i : basis) r(i) = 0;

    // ξ = Σ ψ_i x_i' B⁻¹ over the non-basic rows with a nonzero residual; rows that tie with the
    // fit (zero residual) add the slope of whichever side a move pushes them to.
    VectorXd g = VectorXd::Zero(p);
    std::vector<Index> ties;
    for (Index i = 0; i < n; ++i) {
      if (is_basic[static_cast<std::size_t>(i)]) continue;
      if (std::abs(r(i)) <= zero)
        ties.push_back(i);
      else
        g += (r(i) > 0 ? tau : tau - 1) * x.row(i).transpose();
    }
    const VectorXd xi = inverse.transpose() * g;
    MatrixXd tie_rows(static_cast<Index>(ties.size()), p);
    for (Index j = 0; j < tie_rows.rows(); ++j)
      tie_rows.row(j) = x.row(ties[static_cast<std::size_t>(j)]) * inverse;

    // Directional derivative of the loss when basic row k leaves the fit upwards (σ = +1: its
    // residual turns negative) or downwards (σ = −1).
    double best_slope = std::numeric_limits<double>::infinity();
    Index best_k = 0;
    double best_sign = 1;
    bool flat = false;
    for (Index k = 0; k < p; ++k)
      for (const double sign : {1.0, -1.0}) {
        double slope = sign > 0 ? (1 - tau) - xi(k) : tau + xi(k);
        for (Index j = 0; j < tie_rows.rows(); ++j) {
          const double move = sign * tie_rows(j, k);
          slope += (move < 0 ? tau : 1 - tau) * std::abs(move);
        }
        if (std::abs(slope) <= kOptimalityTolerance) flat = true;
        if (slope < best_slope) {
          best_slope = slope;
          best_k = k;
          best_sign = sign;
        }
      }
    if (best_slope >= -kOptimalityTolerance) {
      QuantileFit fit;
      fit.coefficients = b;
      fit.residuals = r;
      fit.objective = check_loss(r, tau);
      fit.basis = basis;
      fit.nonunique = flat;
      return fit;
    }

    // Line search along the edge: the loss is convex and piecewise linear in the step t; each
    // residual crossing zero raises the slope by |its rate|, so the minimum is a weighted median.
    const VectorXd rate = x * (best_sign * inverse.col(best_k));
    std::vector<std::pair<double, Index>> crossings;
    for (Index i = 0; i < n; ++i) {
      if (is_basic[static_cast<std::size_t>(i)] || std::abs(r(i)) <= zero || rate(i) == 0) continue;
      const double t = r(i) / rate(i);
      if (t > 0) crossings.emplace_back(t, i);
    }
    std::sort(crossings.begin(), crossings.end());
    double slope = best_slope;
    Index entering = -1;
    for (const auto& [t, i] : crossings) {
      slope += std::abs(rate(i));
      if (slope >= 0) {
        entering = i;
        break;
      }
    }
    if (entering < 0)
      throw InputError(fmt::format("{}: the loss is unbounded at tau {} (degenerate design)", kName, tau));
    is_basic[static_cast<std::size_t>(basis[static_cast<std::size_t>(best_k)])] = 0;
    basis[static_cast<std::size_t>(best_k)] = entering;
    is_basic[static_cast<std::size_t>(entering)] = 1;
  }
}

double quantile_bandwidth(double tau, std::size_t n, bool hall_sheather) {
  const boost::math::normal_distribution<double> normal;
  const double x0 = boost::math::quantile(normal, tau);
  const double f0 = boost::math::pdf(normal, x0);
  const double rows = static_cast<double>(n);
  if (hall_sheather) {
    const double z = boost::math::quantile(normal, 1 - 0.05 / 2);
    return std::pow(rows, -1.0 / 3) * std::pow(z, 2.0 / 3) *
           std::pow(1.5 * f0 * f0 / (2 * x0 * x0 + 1), 1.0 / 3);
  }
  return std::pow(rows, -0.2) * std::pow(4.5 * std::pow(f0, 4) / std::pow(2 * x0 * x0 + 1, 2), 0.2);
}

double weighted_quantile(const std::vector<double>& y, const std::vector<double>& weight,
                         const std::vector<std::size_t>& rows, double tau) {
  if (rows.empty()) throw std::logic_error("weighted_quantile: no rows");
  std::vector<std::size_t> order = rows;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return y[i] < y[j]; });
  double total = 0;
  for (const std::size_t i : order) total += weight[i];
  // Relative slack so that a cumulative weight equal to τ·total up to rounding counts as reaching it
  // (R's quantile(type = 1) fuzzes the same comparison).
  const double target = tau * total * (1 - 1e-12);
  double cumulative = 0;
  for (const std::size_t i : order) {
    cumulative += weight[i];
    if (cumulative >= target) return y[i];
  }
  return y[order.back()];
}

namespace {

enum class StandardError { nid, iid, ker, boot };

struct Settings {
  std::vector<double> taus;
  StandardError se = StandardError::nid;
  bool se_by_default = false;
  bool hall_sheather = true;
  std::size_t replications = 200;
  std::uint64_t seed = 42;
  unsigned threads = 0;
  bool unconditional = false;
  bool process = true;
};

std::vector<double> parse_taus(const OptionValues& options) {
  std::vector<double> taus;
  for (const std::string& text : options.list("tau")) {
    double tau = std::numeric_limits<double>::quiet_NaN();
    std::size_t used = 0;
    try {
      tau = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || !(tau > 0 && tau < 1))
      throw InputError(fmt::format(
          "{}: option 'tau' must be numbers between 0 and 1 (exclusive), separated by commas; got '{}'",
          kName, text));
    taus.push_back(tau);
  }
  if (taus.empty()) throw InputError(fmt::format("{}: option 'tau' names no quantile", kName));
  return taus;
}

Settings read_settings(const EstimatorArgs& args, std::size_t rows) {
  const OptionValues options = read_options(kName, args);
  Settings s;
  s.taus = parse_taus(options);
  s.unconditional = options.text("effect") == "unconditional";
  const std::string se = options.text("se");
  if (s.unconditional && !se.empty() && se != "boot")
    throw InputError(fmt::format(
        "{}: option 'se' {} does not apply with effect=unconditional (its intervals are bootstrapped)", kName,
        se));
  // summary.rq's rule: nid from 1001 rows on; below, rq's default "rank" (rank-test intervals,
  // no standard error) is not available here, so iid.
  s.se_by_default = se.empty();
  const std::string chosen = !se.empty() ? se : rows > 1000 ? "nid" : "iid";
  s.se = chosen == "iid"    ? StandardError::iid
         : chosen == "ker"  ? StandardError::ker
         : chosen == "boot" ? StandardError::boot
                            : StandardError::nid;
  if (s.unconditional) s.se = StandardError::boot;
  s.hall_sheather = options.text("bandwidth") == "hall-sheather";
  s.replications = options.count("replications");
  s.seed = options.count("seed");
  s.threads = static_cast<unsigned>(options.count("threads"));
  s.process = options.flag("process");
  return s;
}

std::string se_name(StandardError se) {
  switch (se) {
    case StandardError::nid:
      return "nid";
    case StandardError::iid:
      return "iid";
    case StandardError::ker:
      return "ker";
    case StandardError::boot:
      return "bootstrap";
  }
  return "nid";
}

// The rows of bootstrap replicate r: n draws with replacement from a generator keyed by (seed, r).
std::vector<std::size_t> resample(std::uint64_t seed, std::size_t replicate, std::size_t n) {
  pcg64 generator;
  seed_from_key(generator, derive_seed(seed, replicate));
  boost::random::uniform_int_distribution<std::size_t> draw(0, n - 1);
  std::vector<std::size_t> rows(n);
  for (auto& row : rows) row = draw(generator);
  return rows;
}

// (X' diag(f) X)⁻¹ X'X (X' diag(f) X)⁻¹ τ(1 − τ): summary.rq's Hendricks–Koenker sandwich.
MatrixXd density_sandwich(const MatrixXd& x, const VectorXd& f, double tau) {
  const MatrixXd weighted = x.array().colwise() * f.array().sqrt();
  const Eigen::ColPivHouseholderQR<MatrixXd> qr(weighted);
  if (qr.rank() < x.cols())
    throw InputError(fmt::format(
        "{}: the density estimate is zero along some column at tau {}: no sandwich standard errors (try "
        "se=boot)",
        kName, tau));
  const MatrixXd inverse =
      (weighted.transpose() * weighted).ldlt().solve(MatrixXd::Identity(x.cols(), x.cols()));
  return tau * (1 - tau) * inverse * (x.transpose() * x) * inverse;
}

struct QuantileResult {
  double tau = 0;
  QuantileFit fit;
  MatrixXd vcov;
  double bandwidth = 0;         // on the τ scale (nid, ker), after halving to stay in (0, 1)
  double sparsity = 0;          // iid
  std::size_t nonpositive = 0;  // nid: rows whose fitted density was not positive
  std::size_t failed = 0;       // boot: replicates on a singular resample
};

QuantileResult fit_with_se(const MatrixXd& x, const VectorXd& y, const MatrixXd& xx_inverse, double tau,
                           const Settings& s) {
  const Index n = x.rows(), p = x.cols();
  const std::size_t rows = static_cast<std::size_t>(n);
  QuantileResult out;
  out.tau = tau;
  out.fit = fit_quantile_regression(x, y, tau);
  const double eps = std::sqrt(std::numeric_limits<double>::epsilon());
  double h = quantile_bandwidth(tau, rows, s.hall_sheather);
  switch (s.se) {
    case StandardError::nid: {
      while (tau - h < 0 || tau + h > 1) h /= 2;
      out.bandwidth = h;
      const VectorXd high = fit_quantile_regression(x, y, tau + h).coefficients;
      const VectorXd low = fit_quantile_regression(x, y, tau - h).coefficients;
      const VectorXd dyhat = x * (high - low);
      VectorXd f(n);
      for (Index i = 0; i < n; ++i) {
        if (dyhat(i) <= 0) ++out.nonpositive;
        f(i) = std::max(0.0, 2 * h / (dyhat(i) - eps));
      }
      out.vcov = density_sandwich(x, f, tau);
      break;
    }
    case StandardError::ker: {
      while (tau - h < 0 || tau + h > 1) h /= 2;
      out.bandwidth = h;
      const VectorXd& u = out.fit.residuals;
      const double mean = u.mean();
      const double sd = std::sqrt((u.array() - mean).square().sum() / static_cast<double>(n - 1));
      std::vector<double> sorted(u.begin(), u.end());
      std::sort(sorted.begin(), sorted.end());
      const double spread =
          std::min(sd, (sorted_quantile(sorted, 0.75) - sorted_quantile(sorted, 0.25)) / 1.34);
      const boost::math::normal_distribution<double> normal;
      const double kernel_h =
          (boost::math::quantile(normal, tau + h) - boost::math::quantile(normal, tau - h)) * spread;
      if (!(kernel_h > 0))
        throw InputError(fmt::format("{}: se=ker needs residuals that vary (their spread is 0)", kName));
      VectorXd f(n);
      for (Index i = 0; i < n; ++i) f(i) = boost::math::pdf(normal, u(i) / kernel_h) / kernel_h;
      out.vcov = density_sandwich(x, f, tau);
      break;
    }
    case StandardError::iid: {
      // The sparsity 1/f(F⁻¹(τ)): the slope of a median regression of the residuals nearest 0
      // (sorted) on their ranks, as summary.rq.
      const VectorXd& r = out.fit.residuals;
      std::size_t zeros = 0;
      for (const double v : r) zeros += std::abs(v) < eps ? 1 : 0;
      const auto width = std::max(static_cast<std::size_t>(p + 1),
                                  static_cast<std::size_t>(std::ceil(static_cast<double>(rows) * h)));
      if (zeros + width + 1 > rows)
        throw InputError(
            fmt::format("{}: too few rows ({}) for se=iid at tau {}; try se=ker or nid", kName, rows, tau));
      std::vector<Index> by_size(rows);
      std::iota(by_size.begin(), by_size.end(), Index{0});
      std::stable_sort(by_size.begin(), by_size.end(),
                       [&](Index i, Index j) { return std::abs(r(i)) < std::abs(r(j)); });
      const std::size_t m = width + 1;
      std::vector<double> nearest(m);
      MatrixXd ranks(static_cast<Index>(m), 2);
      for (std::size_t j = 0; j < m; ++j) {
        nearest[j] = r(by_size[zeros + j]);
        ranks(static_cast<Index>(j), 0) = 1;
        ranks(static_cast<Index>(j), 1) = static_cast<double>(zeros + j + 1) / static_cast<double>(n - p);
      }
      std::sort(nearest.begin(), nearest.end());
      const VectorXd ordered = Eigen::Map<const VectorXd>(nearest.data(), static_cast<Index>(m));
      out.sparsity = fit_quantile_regression(ranks, ordered, 0.5).coefficients(1);
      out.bandwidth = h;
      out.vcov = out.sparsity * out.sparsity * tau * (1 - tau) * xx_inverse;
      break;
    }
    case StandardError::boot: {
      std::vector<std::optional<VectorXd>> replicates(s.replications);
      ProgressLoop progress(s.replications, "bootstrap replications");
      parallel_for(s.replications, s.threads, [&](std::size_t b) {
        const std::vector<std::size_t> draw = resample(s.seed, b, rows);
        MatrixXd xb(n, p);
        VectorXd yb(n);
        for (Index i = 0; i < n; ++i) {
          xb.row(i) = x.row(static_cast<Index>(draw[static_cast<std::size_t>(i)]));
          yb(i) = y(static_cast<Index>(draw[static_cast<std::size_t>(i)]));
        }
        try {
          replicates[b] = fit_quantile_regression(xb, yb, tau).coefficients;
        } catch (const InputError&) {  // a resample whose design is singular
        }
        progress.step();
      });
      std::vector<VectorXd> good;
      for (auto& replicate : replicates)
        if (replicate) good.push_back(std::move(*replicate));
      out.failed = s.replications - good.size();
      if (good.size() < 2)
        throw InputError(fmt::format("{}: fewer than 2 of {} bootstrap replicates could be fitted at tau {}",
                                     kName, s.replications, tau));
      VectorXd mean = VectorXd::Zero(p);
      for (const auto& v : good) mean += v;
      mean /= static_cast<double>(good.size());
      out.vcov = MatrixXd::Zero(p, p);
      for (const auto& v : good) out.vcov.noalias() += (v - mean) * (v - mean).transpose();
      out.vcov /= static_cast<double>(good.size() - 1);
      break;
    }
  }
  return out;
}

// τ = 0.05, 0.10, …, 0.95.
std::vector<double> process_grid() {
  std::vector<double> grid;
  for (int k = 1; k <= 19; ++k) grid.push_back(k / 20.0);
  return grid;
}

void reject_unused(const EstimatorArgs& args) {
  reject_argument(kName, "instruments", !args.instruments.empty(), "use 2sls for instrumental variables");
  reject_argument(kName, "cluster", !args.cluster.empty(), "its standard errors treat rows as independent");
  if (!args.se_type.empty() && args.se_type != "hc1")
    throw InputError(fmt::format("{}: --se {} does not apply; choose with --option se=nid|iid|ker|boot",
                                 kName, args.se_type));
}

Estimate conditional_quantiles(const Dataset& data, const EstimatorArgs& args, const Settings& s) {
  std::vector<std::string> regressors{args.treatment};
  regressors.insert(regressors.end(), args.covariates.begin(), args.covariates.end());
  const DesignMatrix design = build_design_matrix(data, regressors);
  const VectorXd y = numeric_column(data, args.outcome, "outcome");
  // Rank and row count, with the collinear columns named.
  LeastSquaresFit least_squares;
  try {
    least_squares = fit_least_squares(design.x, y, design.names);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: {}", kName, e.what()));
  }
  const Index n = design.x.rows(), p = design.x.cols();
  const double df = static_cast<double>(n - p);
  constexpr Index treatment_index = 1;  // right after the intercept

  std::vector<QuantileResult> results;
  for (const double tau : s.taus) results.push_back(fit_with_se(design.x, y, least_squares.bread, tau, s));
  const QuantileResult& first = results.front();

  Estimate out =
      to_estimate(t_test(first.fit.coefficients(treatment_index),
                         std::sqrt(first.vcov(treatment_index, treatment_index)), df, args.confidence_level),
                  data.rows());
  out.se_type = se_name(s.se);
  out.terms = coefficient_terms(design.names, first.fit.coefficients, first.vcov, df, args.confidence_level);
  Table table{"coefficients", "Coefficients at each quantile", test_table_columns({"tau", "term"}), {}};
  for (const auto& result : results)
    for (Index j = 0; j < p; ++j)
      table.rows.push_back(test_row(
          {result.tau, design.names[static_cast<std::size_t>(j)]},
          t_test(result.fit.coefficients(j), std::sqrt(result.vcov(j, j)), df, args.confidence_level)));
  out.tables.push_back(std::move(table));

  out.diagnostics["tau"] = first.tau;
  out.diagnostics["params"] = static_cast<double>(p);
  out.diagnostics["objective"] = first.fit.objective;
  out.diagnostics["nonunique"] = first.fit.nonunique ? 1 : 0;
  if (s.se != StandardError::boot) out.diagnostics["bandwidth"] = first.bandwidth;
  if (s.se == StandardError::iid) out.diagnostics["sparsity"] = first.sparsity;
  if (s.se == StandardError::nid) out.diagnostics["nonpositive_fis"] = static_cast<double>(first.nonpositive);
  if (s.se == StandardError::boot) {
    out.diagnostics["replications"] = static_cast<double>(s.replications);
    out.diagnostics["failed_replications"] = static_cast<double>(first.failed);
  }
  for (const auto& result : results) {
    if (result.fit.nonunique)
      out.notes.push_back(
          fmt::format("tau {}: the solution may be nonunique (another vertex fits as well; quantreg warns "
                      "the same and may "
                      "return a different one)",
                      result.tau));
    if (result.nonpositive > 0)
      out.notes.push_back(
          fmt::format("tau {}: {} non-positive fis (rows whose fitted density was not positive)", result.tau,
                      result.nonpositive));
  }
  if (s.se_by_default)
    out.notes.push_back(n > 1000 ? "standard errors: nid, summary.rq's default from 1001 rows"
                                 : "standard errors: iid (summary.rq's default below 1001 rows is rank-test "
                                   "intervals, which casebook does not compute)");

  // The quantile process: the treatment's coefficient across τ, with its intervals.
  std::vector<double> grid = s.taus;
  const bool on_grid = s.taus.size() == 1 && s.process;
  if (on_grid) grid = process_grid();
  Settings plot_settings = s;
  if (on_grid && s.se == StandardError::boot) plot_settings.se = StandardError::nid;
  Series series{args.treatment, {}, {}, {}, {}};
  for (const double tau : grid) {
    const auto given = std::find(s.taus.begin(), s.taus.end(), tau);
    const QuantileResult result = given != s.taus.end() && plot_settings.se == s.se
                                      ? results[static_cast<std::size_t>(given - s.taus.begin())]
                                      : fit_with_se(design.x, y, least_squares.bread, tau, plot_settings);
    const CoefficientTest test =
        t_test(result.fit.coefficients(treatment_index),
               std::sqrt(result.vcov(treatment_index, treatment_index)), df, args.confidence_level);
    series.x.push_back(tau);
    series.y.push_back(test.estimate);
    series.lower.push_back(test.ci_low);
    series.upper.push_back(test.ci_high);
  }
  if (on_grid && s.se == StandardError::boot)
    out.notes.push_back(
        "the quantile process plot's band uses nid standard errors (bootstrapping 19 quantiles "
        "would take 19 times as long)");
  Plot plot{"quantile_process",
            fmt::format("Coefficient of {} across quantiles", args.treatment),
            grid.size() > 5 ? "lines" : "points",
            "quantile τ",
            fmt::format("coefficient of {}", args.treatment),
            {std::move(series)},
            {0, least_squares.coefficients(treatment_index)},
            {}};
  out.plots.push_back(std::move(plot));
  return out;
}

// Firpo (2007): each arm's marginal τ-quantile, its rows weighted by 1/e (treated) or 1/(1 − e)
// (controls) with e a logit propensity on the covariates, or unweighted without covariates.
struct ArmQuantiles {
  std::vector<double> treated, control;
};

ArmQuantiles arm_quantiles(const std::vector<double>& y, const std::vector<double>& t,
                           const std::vector<double>& weight, const std::vector<std::size_t>& rows,
                           const std::vector<double>& taus) {
  std::vector<std::size_t> treated, control;
  for (const std::size_t i : rows) (t[i] == 1 ? treated : control).push_back(i);
  if (treated.empty() || control.empty()) throw InputError(fmt::format("{}: an arm is empty", kName));
  ArmQuantiles q;
  for (const double tau : taus) {
    q.treated.push_back(weighted_quantile(y, weight, treated, tau));
    q.control.push_back(weighted_quantile(y, weight, control, tau));
  }
  return q;
}

Estimate unconditional_quantiles(const Dataset& data, const EstimatorArgs& args, const Settings& s) {
  const std::size_t n = data.rows();
  std::optional<PropensityData> propensity;
  std::vector<double> y, t;
  if (!args.covariates.empty()) {
    propensity = propensity_data(kName, data, args);
    y = propensity->y;
    t = propensity->t;
  } else {
    y = data.column(args.outcome).values;
    t = data.column(args.treatment).values;
    const auto treated = std::count(t.begin(), t.end(), 1.0);
    if (treated < 2 || static_cast<std::size_t>(treated) + 2 > n)
      throw InputError(data.source(),
                       fmt::format("treatment '{}' has {} treated and {} control rows; {} needs "
                                   "at least 2 in each arm",
                                   args.treatment, treated, static_cast<std::ptrdiff_t>(n) - treated, kName));
  }
  // The weights from a propensity fitted on `rows` (repeats count), for every row.
  auto weights_on = [&](const std::vector<std::size_t>& rows, std::vector<double>* e) {
    std::vector<double> weight(n, 1.0);
    if (!propensity) return weight;
    std::vector<std::uint32_t> fit_rows(rows.begin(), rows.end());
    const PropensityFit fit = fit_propensity(kName, args.treatment, *propensity, fit_rows);
    for (std::size_t i = 0; i < n; ++i) weight[i] = t[i] == 1 ? 1 / fit.e[i] : 1 / (1 - fit.e[i]);
    if (e) *e = fit.e;
    return weight;
  };

  std::vector<double> grid = s.taus;
  if (s.taus.size() == 1 && s.process) grid = process_grid();
  std::vector<double> all_taus = s.taus;
  for (const double tau : grid)
    if (std::find(all_taus.begin(), all_taus.end(), tau) == all_taus.end()) all_taus.push_back(tau);

  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  std::vector<double> e;
  const ArmQuantiles estimate = arm_quantiles(y, t, weights_on(all, &e), all, all_taus);

  std::vector<std::optional<std::vector<double>>> replicates(s.replications);
  parallel_for(s.replications, s.threads, [&](std::size_t b) {
    const std::vector<std::size_t> rows = resample(s.seed, b, n);
    try {
      const ArmQuantiles q = arm_quantiles(y, t, weights_on(rows, nullptr), rows, all_taus);
      std::vector<double> effects(all_taus.size());
      for (std::size_t j = 0; j < all_taus.size(); ++j) effects[j] = q.treated[j] - q.control[j];
      replicates[b] = std::move(effects);
    } catch (const InputError&) {  // an empty arm or a separated propensity model in this resample
    }
  });
  std::vector<std::vector<double>> good;
  for (auto& replicate : replicates)
    if (replicate) good.push_back(std::move(*replicate));
  if (good.size() < 2)
    throw InputError(
        fmt::format("{}: fewer than 2 of {} bootstrap replicates could be computed", kName, s.replications));

  const double alpha = 1 - args.confidence_level;
  std::vector<CoefficientTest> tests;
  for (std::size_t j = 0; j < all_taus.size(); ++j) {
    std::vector<double> values;
    for (const auto& replicate : good) values.push_back(replicate[j]);
    const double mean =
        std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
    double squares = 0;
    for (const double v : values) squares += (v - mean) * (v - mean);
    std::sort(values.begin(), values.end());
    CoefficientTest test =
        z_test(estimate.treated[j] - estimate.control[j],
               std::sqrt(squares / static_cast<double>(values.size() - 1)), args.confidence_level);
    test.ci_low = sorted_quantile(values, alpha / 2);  // percentile interval
    test.ci_high = sorted_quantile(values, 1 - alpha / 2);
    tests.push_back(test);
  }

  Estimate out;
  out.estimate = tests.front().estimate;
  out.se = tests.front().se;
  out.ci_low = tests.front().ci_low;
  out.ci_high = tests.front().ci_high;
  out.p_value = tests.front().p_value;
  out.n = n;
  out.se_type = "bootstrap";
  Table table{"quantile_treatment_effects",
              "Unconditional quantile treatment effects",
              {"tau", "q_treated", "q_control", "estimate", "std.error", "statistic", "p.value", "conf.low",
               "conf.high"},
              {}};
  for (std::size_t j = 0; j < s.taus.size(); ++j)
    table.rows.push_back({s.taus[j], estimate.treated[j], estimate.control[j], tests[j].estimate, tests[j].se,
                          tests[j].t_statistic, tests[j].p_value, tests[j].ci_low, tests[j].ci_high});
  out.tables.push_back(std::move(table));
  out.diagnostics["tau"] = s.taus.front();
  out.diagnostics["q_treated"] = estimate.treated.front();
  out.diagnostics["q_control"] = estimate.control.front();
  out.diagnostics["replications"] = static_cast<double>(s.replications);
  out.diagnostics["failed_replications"] = static_cast<double>(s.replications - good.size());
  const auto treated = std::count(t.begin(), t.end(), 1.0);
  out.diagnostics["n_treated"] = static_cast<double>(treated);
  out.diagnostics["n_control"] = static_cast<double>(static_cast<std::ptrdiff_t>(n) - treated);
  if (propensity) {
    out.diagnostics["min_propensity"] = *std::min_element(e.begin(), e.end());
    out.diagnostics["max_propensity"] = *std::max_element(e.begin(), e.end());
  } else {
    out.notes.push_back(
        "no covariates: the arms' plain quantiles, which estimate the effect only when the "
        "treatment was randomised");
  }

  Series series{"quantile treatment effect", {}, {}, {}, {}};
  for (const double tau : grid) {
    const auto j =
        static_cast<std::size_t>(std::find(all_taus.begin(), all_taus.end(), tau) - all_taus.begin());
    series.x.push_back(tau);
    series.y.push_back(tests[j].estimate);
    series.lower.push_back(tests[j].ci_low);
    series.upper.push_back(tests[j].ci_high);
  }
  out.plots.push_back({"quantile_process",
                       fmt::format("Unconditional quantile treatment effect of {}", args.treatment),
                       grid.size() > 5 ? "lines" : "points",
                       "quantile τ",
                       "difference of the arms' quantiles",
                       {std::move(series)},
                       {0},
                       {}});
  return out;
}

}  // namespace

Estimate quantile_regression(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_unused(args);
  require_distinct_roles(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  const Settings s = read_settings(args, data.rows());
  if (s.unconditional)
    require_binary_column(data, kName, "treatment", args.treatment);
  else
    require_numeric_column(data, kName, "treatment", args.treatment);
  for (const auto& covariate : args.covariates) require_column(data, kName, "covariate", covariate);
  require_complete(data, used_columns(args));
  require_not_constant(data, "treatment", args.treatment, "nothing to compare");
  return s.unconditional ? unconditional_quantiles(data, args, s) : conditional_quantiles(data, args, s);
}

}  // namespace casebook
