#include "estimators/regression_discontinuity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "core/input_error.hpp"
#include "core/options.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/rd_plot.hpp"
#include "inference/t_test.hpp"

namespace casebook {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr std::string_view kName = "rdd";

enum class Kernel { triangular, epanechnikov, uniform };
// cluster: rdrobust's clustered variance, CR1 on each fit's plain residuals (what its Python port
// computes both for vce "nn" and "hc1" once a cluster is given).
enum class Vce { nn, hc0, hc1, hc2, hc3, cluster };

struct Settings {
  std::string running;
  double cutoff = 0;
  int p = 1;
  int q = 2;
  Kernel kernel = Kernel::triangular;
  std::string bwselect = "mserd";
  double h = 0, b = 0;  // 0: selected
  Vce vce = Vce::nn;
  std::string vce_name = "nn";
  Index nnmatch = 3;
  bool masspoints = true;  // rdrobust's masspoints = "adjust"
  bool bandwidth_plot = true;
  double scaleregul = 1;
};

Settings read_settings(const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  Settings s;
  s.running = options.text("running");
  if (s.running.empty()) throw InputError("rdd needs option 'running' (the running variable's column)");
  s.cutoff = options.number("cutoff");
  s.p = static_cast<int>(options.count("p"));
  s.q = options.given("q") ? static_cast<int>(options.count("q")) : s.p + 1;
  if (s.p > 8) throw InputError(fmt::format("rdd: option 'p' must be at most 8, got {}", s.p));
  if (s.q <= s.p)
    throw InputError(
        fmt::format("rdd: option 'q' ({}) must be above p ({}): it is the order of the bias fit", s.q, s.p));
  const std::string kernel = options.text("kernel");
  s.kernel = kernel == "epanechnikov" ? Kernel::epanechnikov
             : kernel == "uniform"    ? Kernel::uniform
                                      : Kernel::triangular;
  s.bwselect = options.text("bwselect");
  if (options.has("h")) {
    s.h = options.number("h");
    if (!(s.h > 0))
      throw InputError(fmt::format("rdd: option 'h' must be above 0, got {}", options.text("h")));
    s.b = s.h;
  }
  if (options.has("b")) {
    if (!options.has("h")) throw InputError("rdd: option 'b' needs option 'h' (else both are selected)");
    s.b = options.number("b");
    if (!(s.b > 0))
      throw InputError(fmt::format("rdd: option 'b' must be above 0, got {}", options.text("b")));
  }
  s.vce_name = options.text("vce");
  s.vce = s.vce_name == "hc0"   ? Vce::hc0
          : s.vce_name == "hc1" ? Vce::hc1
          : s.vce_name == "hc2" ? Vce::hc2
          : s.vce_name == "hc3" ? Vce::hc3
                                : Vce::nn;
  if (!args.cluster.empty()) {
    if (s.vce != Vce::nn && s.vce != Vce::hc1)
      throw InputError(
          fmt::format("rdd: option 'vce' {} cannot be combined with --cluster (rdrobust clusters with CR1: "
                      "use nn or hc1)",
                      s.vce_name));
    s.vce = Vce::cluster;
  }
  s.nnmatch = static_cast<Index>(options.count("nnmatch"));
  s.masspoints = options.text("masspoints") == "adjust";
  s.bandwidth_plot = options.flag("bandwidth_plot");
  s.scaleregul = options.number("scaleregul");
  if (s.scaleregul < 0)
    throw InputError(fmt::format("rdd: option 'scaleregul' must be 0 or above, got {}", s.scaleregul));
  return s;
}

double kernel_weight(double x, double c, double h, Kernel kernel) {
  const double u = (x - c) / h;
  const double inside = std::abs(u) <= 1 ? 1.0 : 0.0;
  switch (kernel) {
    case Kernel::epanechnikov:
      return 0.75 * (1 - u * u) * inside / h;
    case Kernel::uniform:
      return 0.5 * inside / h;
    case Kernel::triangular:
      break;
  }
  return (1 - std::abs(u)) * inside / h;
}

// One side of the cutoff, sorted by the running variable once.
struct Side {
  bool left = false;
  std::vector<double> x;                      // raw running values, ascending
  MatrixXd d;                                 // columns: outcome, [treatment], covariates
  std::vector<Index> group_begin, group_end;  // each row's run of tied running values
  std::vector<Index> cluster;                 // cluster codes; empty without clusters
  Index distinct = 0;
  Index rows() const { return static_cast<Index>(x.size()); }
  const char* name() const { return left ? "left" : "right"; }
};

// The rows with a positive kernel weight at bandwidth h: a suffix of the left side, a prefix of
// the right one (weights fall with the distance from the cutoff).
struct Window {
  Index begin = 0, end = 0;
  Index size() const { return end - begin; }
};

struct Problem {
  Settings s;
  Index dT = 0, dZ = 0, nd = 1;
  std::string source;
};

Window window_of(const Side& side, double c, double h, Kernel kernel) {
  auto positive = [&](double v) { return kernel_weight(v, c, h, kernel) > 0; };
  if (side.left) {
    const auto it =
        std::partition_point(side.x.begin(), side.x.end(), [&](double v) { return !positive(v); });
    return {static_cast<Index>(it - side.x.begin()), side.rows()};
  }
  const auto it = std::partition_point(side.x.begin(), side.x.end(), positive);
  return {0, static_cast<Index>(it - side.x.begin())};
}

Index distinct_in(const Side& side, Window w) {
  Index count = 0;
  for (Index i = w.begin; i < w.end; ++i)
    if (i == w.begin || side.group_begin[static_cast<std::size_t>(i)] == i) ++count;
  return count;
}

// A weighted polynomial design on a window: regressors (x − c)^j, j = 0..order, and weights.
struct LocalDesign {
  Window rows;
  MatrixXd r;
  VectorXd w;
  Eigen::LDLT<MatrixXd> gram;  // R'WR
};

LocalDesign local_design(const Problem& pr, const Side& side, Window rows, double h, int order,
                         std::string_view step) {
  const Index k = order + 1;
  // The rows with positive weight at h (a part of `rows` when the other bandwidth is wider).
  const Window positive = window_of(side, pr.s.cutoff, h, pr.s.kernel);
  const Window inside{std::max(positive.begin, rows.begin), std::min(positive.end, rows.end)};
  const Index distinct = inside.size() > 0 ? distinct_in(side, inside) : 0;
  if (distinct < k)
    throw InputError(fmt::format(
        "rdd: {} needs {} distinct running values on the {} of the cutoff within {:.6g} of it, found {} "
        "(lower p or q, or widen h and b)",
        step, k, side.name(), h, distinct));
  LocalDesign out{rows, MatrixXd(rows.size(), k), VectorXd(rows.size()), {}};
  for (Index i = 0; i < rows.size(); ++i) {
    const double xv = side.x[static_cast<std::size_t>(rows.begin + i)];
    out.w[i] = kernel_weight(xv, pr.s.cutoff, h, pr.s.kernel);
    const double dx = xv - pr.s.cutoff;
    double power = 1;
    for (Index j = 0; j < k; ++j, power *= dx) out.r(i, j) = power;
  }
  out.gram.compute(out.r.transpose() * out.w.asDiagonal() * out.r);
  if (out.gram.info() != Eigen::Success || !(out.gram.vectorD().array() > 0).all())
    throw InputError(
        fmt::format("rdd: {} on the {} of the cutoff: the local polynomial of order {} cannot be "
                    "fitted (too few distinct running values within {:.6g})",
                    step, side.name(), order, h));
  return out;
}

// The residuals rdrobust's variance uses, for one combined column y = D·s on the design's rows
// (the residuals are linear in the column, so combining first equals combining residuals).
VectorXd residuals(const Problem& pr, const Side& side, const LocalDesign& f, const VectorXd& y) {
  const Index n = f.rows.size();
  VectorXd res(n);
  if (pr.s.vce == Vce::nn) {
    // Nearest neighbours by |x_i − x_j| among the rows, whole runs of tied x at a time, until at
    // least nnmatch others are in; equal distances on both sides take both (rdrobust's rule).
    const Index matches = std::min(pr.s.nnmatch, n - 1);
    if (matches < 1) throw InputError(fmt::format("rdd: one row only on the {} of the cutoff", side.name()));
    const Index base = f.rows.begin;
    auto gb = [&](Index i) {
      return std::max(side.group_begin[static_cast<std::size_t>(base + i)] - base, Index{0});
    };
    auto ge = [&](Index i) { return std::min(side.group_end[static_cast<std::size_t>(base + i)] - base, n); };
    auto xv = [&](Index i) { return side.x[static_cast<std::size_t>(base + i)]; };
    for (Index start = 0; start < n;) {
      const Index stop = ge(start);
      Index lo = start, hi = stop;  // the window [lo, hi) holds whole runs
      while ((hi - lo - 1) < matches) {
        if (lo == 0)
          hi = ge(hi);
        else if (hi == n)
          lo = gb(lo - 1);
        else {
          const double left = xv(start) - xv(lo - 1), right = xv(hi) - xv(start);
          if (left > right)
            hi = ge(hi);
          else if (left < right)
            lo = gb(lo - 1);
          else
            hi = ge(hi), lo = gb(lo - 1);
        }
      }
      const double sum = y.segment(lo, hi - lo).sum();
      const auto others = static_cast<double>(hi - lo - 1);
      const double scale = std::sqrt(others / (others + 1));
      for (Index i = start; i < stop; ++i) res[i] = scale * (y[i] - (sum - y[i]) / others);
      start = stop;
    }
    return res;
  }
  const VectorXd beta = f.gram.solve(f.r.transpose() * f.w.cwiseProduct(y));
  res = y - f.r * beta;
  if (pr.s.vce == Vce::hc1) {
    const auto k = static_cast<double>(f.r.cols());
    res *= std::sqrt(static_cast<double>(n) / (static_cast<double>(n) - k));
  } else if (pr.s.vce == Vce::hc2 || pr.s.vce == Vce::hc3) {
    const MatrixXd solved = f.gram.solve(f.r.transpose());
    for (Index i = 0; i < n; ++i) {
      const double leverage = f.w[i] * f.r.row(i).dot(solved.col(i));
      res[i] *= pr.s.vce == Vce::hc2 ? std::sqrt(1 / (1 - leverage)) : 1 / (1 - leverage);
    }
  }
  return res;
}

// Σ (c_i r_i)², or with clusters Σ_g (Σ_{i∈g} c_i r_i)² · ((n − 1)/(n − k))·(G/(G − 1)) with n the
// rows and G the clusters of the window (rdrobust_vce's factor; k the fit's columns).
double meat(const Problem& pr, const Side& side, Window rows, const VectorXd& c, const VectorXd& r, Index k) {
  if (pr.s.vce != Vce::cluster) return (c.array() * r.array()).square().sum();
  std::map<Index, double> sums;
  for (Index i = 0; i < rows.size(); ++i)
    sums[side.cluster[static_cast<std::size_t>(rows.begin + i)]] += c[i] * r[i];
  const auto g = static_cast<double>(sums.size());
  const auto n = static_cast<double>(rows.size());
  if (sums.size() < 2)
    throw InputError(
        fmt::format("rdd: one cluster only on the {} of the cutoff within the bandwidth", side.name()));
  double total = 0;
  for (const auto& [code, v] : sums) total += v * v;
  return total * ((n - 1) / (n - static_cast<double>(k))) * (g / (g - 1));
}

double factorial(int n) {
  double f = 1;
  for (int i = 2; i <= n; ++i) f *= i;
  return f;
}

// Covariate adjustment (Calonico, Cattaneo, Farrell & Titiunik 2019): γ from the covariates'
// weighted cross-products net of the polynomial, Z'WZ − U_Z'G⁻¹U and Z'WY − U_Z'G⁻¹U_Y.
struct CovariateMoments {
  MatrixXd zwz, zwy;
};

CovariateMoments covariate_moments(const Problem& pr, const Side& side, const LocalDesign& f) {
  const auto dblock = side.d.middleRows(f.rows.begin, f.rows.size());
  const MatrixXd wd = f.w.asDiagonal() * dblock;
  const MatrixXd u = f.r.transpose() * wd;  // (o+1) × nd
  const MatrixXd zwd = dblock.rightCols(pr.dZ).transpose() * wd;
  const MatrixXd uigu = u.rightCols(pr.dZ).transpose() * f.gram.solve(u);
  const Index ny = 1 + pr.dT;
  return {zwd.rightCols(pr.dZ) - uigu.rightCols(pr.dZ), zwd.leftCols(ny) - uigu.leftCols(ny)};
}

MatrixXd solve_gamma(const CovariateMoments& m) {
  const Eigen::LDLT<MatrixXd> ldlt(m.zwz);
  if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().array() > 0).all())
    throw InputError("rdd: the covariates are collinear (or constant) near the cutoff; drop one");
  return ldlt.solve(m.zwy);
}

// rdrobust's combination vector s: the outcome column, or the fuzzy ratio's linearisation, with
// the covariates' −γ.
VectorXd combination(const Problem& pr, const MatrixXd& gamma, double tau_y, double tau_t) {
  VectorXd s = VectorXd::Zero(pr.nd);
  if (pr.dT == 0) {
    s[0] = 1;
    if (pr.dZ > 0) s.tail(pr.dZ) = -gamma.col(0);
    return s;
  }
  s[0] = 1 / tau_t;
  s[1] = -tau_y / (tau_t * tau_t);
  if (pr.dZ > 0) s.tail(pr.dZ) = -(1 / tau_t) * gamma.col(0) + (tau_y / (tau_t * tau_t)) * gamma.col(1);
  return s;
}

struct BandwidthTerms {
  double v = 0, b = 0, r = 0, rate = 0;
};

// rdbwselect's building block: the variance (V), bias (B) and regularisation (R) constants of a
// local polynomial of order o estimating the nu-th derivative at bandwidth h_v, its bias from a fit
// of order o_b at the pilot bandwidth h_b.
BandwidthTerms bandwidth_terms(const Problem& pr, const Side& side, int o, int nu, int o_b, double h_v,
                               double h_b, double scale) {
  const double c = pr.s.cutoff;
  const LocalDesign fv =
      local_design(pr, side, window_of(side, c, h_v, pr.s.kernel), h_v, o, "bandwidth selection");
  const auto dv = side.d.middleRows(fv.rows.begin, fv.rows.size());
  const MatrixXd beta = fv.gram.solve(fv.r.transpose() * fv.w.asDiagonal() * dv);
  MatrixXd gamma;
  if (pr.dZ > 0) gamma = solve_gamma(covariate_moments(pr, side, fv));
  double tau_y = 0, tau_t = 1;
  if (pr.dT > 0) {
    // The ratio's linearisation at this fit's nu-th derivatives (covariate-adjusted with γ).
    VectorXd sy = VectorXd::Zero(pr.nd), st = VectorXd::Zero(pr.nd);
    sy[0] = 1, st[1] = 1;
    if (pr.dZ > 0) sy.tail(pr.dZ) = -gamma.col(0), st.tail(pr.dZ) = -gamma.col(1);
    tau_y = factorial(nu) * beta.row(nu).dot(sy);
    tau_t = factorial(nu) * beta.row(nu).dot(st);
  }
  const VectorXd s = combination(pr, gamma, tau_y, tau_t);
  const VectorXd yv = dv * s;
  const VectorXd res_v = residuals(pr, side, fv, yv);
  const VectorXd a = fv.gram.solve(VectorXd::Unit(o + 1, nu));
  const VectorXd cv = fv.w.cwiseProduct(fv.r * a);
  const double v_v = meat(pr, side, fv.rows, cv, res_v, o + 1);
  VectorXd v = VectorXd::Zero(o + 1);
  for (Index i = 0; i < fv.rows.size(); ++i)
    v += fv.w[i] * std::pow(fv.r(i, 1) / h_v, o + 1) * fv.r.row(i).transpose();
  const double b_const = std::pow(h_v, nu) * fv.gram.solve(v)[nu];

  const LocalDesign fb =
      local_design(pr, side, window_of(side, c, h_b, pr.s.kernel), h_b, o_b, "bandwidth selection");
  const VectorXd yb = side.d.middleRows(fb.rows.begin, fb.rows.size()) * s;
  const VectorXd beta_b = fb.gram.solve(fb.r.transpose() * fb.w.cwiseProduct(yb));
  double regularisation = 0;
  if (scale > 0) {
    const VectorXd res_b = residuals(pr, side, fb, yb);
    const VectorXd ab = fb.gram.solve(VectorXd::Unit(o_b + 1, o + 1));
    const VectorXd cb = fb.w.cwiseProduct(fb.r * ab);
    regularisation = 3 * b_const * b_const * meat(pr, side, fb.rows, cb, res_b, o_b + 1);
  }
  BandwidthTerms out;
  out.b = std::sqrt(2.0 * (o + 1 - nu)) * b_const * beta_b[o + 1];
  out.v = (2 * nu + 1) * std::pow(h_v, 2 * nu + 1) * v_v;
  out.r = scale * (2 * (o + 1 - nu)) * regularisation;
  out.rate = 1.0 / (2 * o + 3);
  return out;
}

// R's quantile(type = 2): the inverse empirical CDF, averaging at discontinuities.
double quantile_type2(const std::vector<double>& sorted, double prob) {
  const auto n = static_cast<double>(sorted.size());
  const double fuzz = 4 * std::numeric_limits<double>::epsilon();
  const double nppm = n * prob;
  const double j = std::floor(nppm + fuzz);
  const auto at = [&](double k) {  // 1-based, clamped
    return sorted[static_cast<std::size_t>(std::clamp(k, 1.0, n)) - 1];
  };
  if (nppm - j > fuzz) return at(j + 1);
  return 0.5 * (at(j) + at(j + 1));
}

struct Bandwidths {
  double h_l = 0, h_r = 0, b_l = 0, b_r = 0;
};

Bandwidths select_bandwidths(const Problem& pr, const Side& l, const Side& r,
                             const std::vector<double>& x_all, Index clusters_l, Index clusters_r) {
  const Settings& s = pr.s;
  const double c = s.cutoff;
  const auto n = static_cast<double>(x_all.size());
  const double x_min = x_all.front(), x_max = x_all.back();
  // Silverman-type pilot: C_K · min(sd, IQR/1.349) · N^(−1/5), with mass points the number of distinct
  // values.
  const double kernel_constant = s.kernel == Kernel::epanechnikov ? 2.34
                                 : s.kernel == Kernel::uniform    ? 1.843
                                                                  : 2.576;
  const double mean = std::accumulate(x_all.begin(), x_all.end(), 0.0) / n;
  double ss = 0;
  for (const double v : x_all) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / (n - 1));
  const double iqr = quantile_type2(x_all, 0.75) - quantile_type2(x_all, 0.25);
  const double spread = std::min(sd, iqr / 1.349);
  const auto m = static_cast<double>(l.distinct + r.distinct);
  double c_bw = kernel_constant * spread * std::pow(s.masspoints ? m : n, -0.2);

  const double max_l = std::abs(c - x_min), max_r = std::abs(c - x_max), max_lr = std::max(max_l, max_r);
  c_bw = std::min(c_bw, max_lr);
  // With mass points (≥ 20% of a side's rows repeat a value) each bandwidth keeps at least 10
  // distinct values on each side (rdrobust's bwcheck = 10 under masspoints = "adjust").
  const bool mass = 1 - static_cast<double>(l.distinct) / static_cast<double>(l.rows()) >= 0.2 ||
                    1 - static_cast<double>(r.distinct) / static_cast<double>(r.rows()) >= 0.2;
  const bool check = s.masspoints && mass;
  double min_l = 0, min_r = 0;
  if (check) {
    constexpr Index kCheck = 10;
    // The kCheck-th distinct value from the cutoff on each side.
    Index seen = 0;
    for (Index i = l.rows() - 1; i >= 0; --i)
      if (l.group_end[static_cast<std::size_t>(i)] == i + 1 && ++seen == std::min(kCheck, l.distinct)) {
        min_l = std::abs(l.x[static_cast<std::size_t>(i)] - c) + 1e-8;
        break;
      }
    seen = 0;
    for (Index i = 0; i < r.rows(); ++i)
      if (r.group_begin[static_cast<std::size_t>(i)] == i && ++seen == std::min(kCheck, r.distinct)) {
        min_r = std::abs(r.x[static_cast<std::size_t>(i)] - c) + 1e-8;
        break;
      }
    c_bw = std::max({c_bw, min_l, min_r});
  }
  auto bound_one = [&](double h, double upper, double lower) {
    h = std::min(h, upper);
    return check ? std::max(h, lower) : h;
  };
  auto bound_both = [&](double h) {
    h = std::min(h, max_lr);
    return check ? std::max({h, min_l, min_r}) : h;
  };
  auto finite = [&](double h, const char* what) {
    if (!std::isfinite(h) || !(h > 0))
      throw InputError(fmt::format(
          "rdd: bandwidth selection ({}) gave no usable {} (the bias or the jump is 0 near the cutoff); give "
          "option h",
          s.bwselect, what));
    return h;
  };
  const int p = s.p, q = s.q;
  const double sr = s.scaleregul;
  const BandwidthTerms d_l = bandwidth_terms(pr, l, q + 1, q + 1, q + 2, c_bw, max_l + 1e-8, 0);
  const BandwidthTerms d_r = bandwidth_terms(pr, r, q + 1, q + 1, q + 2, c_bw, max_r + 1e-8, 0);
  Bandwidths out;
  const bool two = s.bwselect == "msetwo" || s.bwselect == "certwo";
  if (two) {
    const double dl = bound_one(finite(std::pow(d_l.v / (d_l.b * d_l.b), d_l.rate), "pilot"), max_l, min_l);
    const double dr = bound_one(finite(std::pow(d_r.v / (d_r.b * d_r.b), d_l.rate), "pilot"), max_r, min_r);
    const BandwidthTerms bl = bandwidth_terms(pr, l, q, p + 1, q + 1, c_bw, dl, sr);
    const BandwidthTerms br = bandwidth_terms(pr, r, q, p + 1, q + 1, c_bw, dr, sr);
    out.b_l = bound_one(finite(std::pow(bl.v / (bl.b * bl.b + sr * bl.r), bl.rate), "b"), max_l, min_l);
    out.b_r = bound_one(finite(std::pow(br.v / (br.b * br.b + sr * br.r), br.rate), "b"), max_r, min_r);
    const BandwidthTerms hl = bandwidth_terms(pr, l, p, 0, q, c_bw, out.b_l, sr);
    const BandwidthTerms hr = bandwidth_terms(pr, r, p, 0, q, c_bw, out.b_r, sr);
    out.h_l = bound_one(finite(std::pow(hl.v / (hl.b * hl.b + sr * hl.r), hl.rate), "h"), max_l, min_l);
    out.h_r = bound_one(finite(std::pow(hr.v / (hr.b * hr.b + sr * hr.r), hr.rate), "h"), max_r, min_r);
  } else {
    // mserd: one h for both sides, from the difference of the sides' biases; msesum: their sum.
    const double sign = s.bwselect == "msesum" || s.bwselect == "cersum" ? 1.0 : -1.0;
    auto combine = [&](const BandwidthTerms& tl, const BandwidthTerms& tr, double reg, const char* what) {
      const double bias = tr.b + sign * tl.b;
      return bound_both(finite(std::pow((tl.v + tr.v) / (bias * bias + reg * (tl.r + tr.r)), tl.rate), what));
    };
    const double d = combine(d_l, d_r, 0, "pilot");
    const BandwidthTerms bl = bandwidth_terms(pr, l, q, p + 1, q + 1, c_bw, d, sr);
    const BandwidthTerms br = bandwidth_terms(pr, r, q, p + 1, q + 1, c_bw, d, sr);
    out.b_l = out.b_r = combine(bl, br, sr, "b");
    const BandwidthTerms hl = bandwidth_terms(pr, l, p, 0, q, c_bw, out.b_l, sr);
    const BandwidthTerms hr = bandwidth_terms(pr, r, p, 0, q, c_bw, out.b_r, sr);
    out.h_l = out.h_r = combine(hl, hr, sr, "h");
  }
  if (s.bwselect.starts_with("cer")) {
    // Coverage-error-optimal h (Calonico, Cattaneo & Farrell 2020): the MSE-optimal h times
    // N^(−p/((3+p)(3+2p))), N the clusters when clustered; b is kept.
    const double count = s.vce == Vce::cluster ? static_cast<double>(clusters_l + clusters_r) : n;
    const double factor = std::pow(count, -static_cast<double>(p) / ((3.0 + p) * (3.0 + 2.0 * p)));
    out.h_l *= factor;
    out.h_r *= factor;
  }
  return out;
}

// The side's pieces of the final estimate at (h, b): the rows of the wider window, the weights at
// h and b, and the coefficient rows c (conventional) and q (bias-corrected) whose products with
// the data columns give the intercepts.
struct SideFit {
  Window rows;
  Index n_h = 0;
  LocalDesign fp, fq;  // order p at h, order q at b, both on `rows`
  VectorXd conventional, corrected;
  MatrixXd dblock;
};

SideFit fit_side(const Problem& pr, const Side& side, double h, double b) {
  const Settings& s = pr.s;
  const Window wh = window_of(side, s.cutoff, h, s.kernel), wb = window_of(side, s.cutoff, b, s.kernel);
  SideFit out;
  out.rows = h > b ? wh : wb;
  out.n_h = wh.size();
  out.fp = local_design(pr, side, out.rows, h, s.p, "the conventional estimate (order p at h)");
  out.fq = local_design(pr, side, out.rows, b, s.q, "the bias estimate (order q at b)");
  const VectorXd ap = out.fp.gram.solve(VectorXd::Unit(s.p + 1, 0));
  const VectorXd aq = out.fq.gram.solve(VectorXd::Unit(s.q + 1, s.p + 1));
  // Q = R_p·W_h − h^(p+1)·L·e'_(p+1)·G_q⁻¹·R_q'·W_b with L = Σ W_h R_p u^(p+1) (Calonico et al. 2014).
  VectorXd l = VectorXd::Zero(s.p + 1);
  for (Index i = 0; i < out.rows.size(); ++i)
    l += out.fp.w[i] * std::pow(out.fp.r(i, 1) / h, s.p + 1) * out.fp.r.row(i).transpose();
  const double scale = std::pow(h, s.p + 1) * ap.dot(l);
  out.conventional = out.fp.w.cwiseProduct(out.fp.r * ap);
  out.corrected = out.conventional - scale * out.fq.w.cwiseProduct(out.fq.r * aq);
  out.dblock = side.d.middleRows(out.rows.begin, out.rows.size());
  return out;
}

Side make_side(bool left, const std::vector<std::size_t>& order, const std::vector<double>& x,
               const std::vector<const std::vector<double>*>& columns, const std::vector<Index>& cluster) {
  Side side;
  side.left = left;
  const auto n = static_cast<Index>(order.size());
  side.x.resize(order.size());
  side.d.resize(n, static_cast<Index>(columns.size()));
  if (!cluster.empty()) side.cluster.resize(order.size());
  for (Index i = 0; i < n; ++i) {
    const std::size_t row = order[static_cast<std::size_t>(i)];
    side.x[static_cast<std::size_t>(i)] = x[row];
    for (std::size_t j = 0; j < columns.size(); ++j) side.d(i, static_cast<Index>(j)) = (*columns[j])[row];
    if (!cluster.empty()) side.cluster[static_cast<std::size_t>(i)] = cluster[row];
  }
  side.group_begin.resize(order.size());
  side.group_end.resize(order.size());
  for (Index i = 0; i < n;) {
    Index j = i;
    while (j < n && side.x[static_cast<std::size_t>(j)] == side.x[static_cast<std::size_t>(i)]) ++j;
    for (Index k = i; k < j; ++k) {
      side.group_begin[static_cast<std::size_t>(k)] = i;
      side.group_end[static_cast<std::size_t>(k)] = j;
    }
    ++side.distinct;
    i = j;
  }
  return side;
}

Index clusters_in(const Side& side) {
  std::vector<Index> codes = side.cluster;
  std::sort(codes.begin(), codes.end());
  return static_cast<Index>(std::unique(codes.begin(), codes.end()) - codes.begin());
}

// True when column j of the side's data takes one value only.
bool constant_on(const Side& side, Index j) {
  return side.rows() == 0 || (side.d.col(j).array() == side.d(0, j)).all();
}

bool treatment_follows_the_rule(const std::vector<double>& treatment, const std::vector<double>& x,
                                double cutoff) {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (treatment[i] != (x[i] >= cutoff ? 1.0 : 0.0)) return false;
  return true;
}

// rdplot's picture of the design (rd_plot.hpp): binned means and global quartic fits of `column`
// on each side of the cutoff, ids prefixed by `id`. A side too thin for a quartic gets a note instead.
void add_rd_plot(Estimate& out, const std::vector<double>& x, const Dataset& data, const std::string& column,
                 double cutoff, const std::string& running, const std::string& id, const std::string& what) {
  try {
    RdPlot plot = rd_plot(x, data.column(column).values, cutoff, 4, running, column);
    plot.bins_plot.id = id + "_bins";
    plot.fit_plot.id = id + "_fit";
    plot.bins_plot.title = what + ": " + plot.bins_plot.title;
    plot.fit_plot.title = what + ": " + plot.fit_plot.title;
    out.plots.push_back(std::move(plot.bins_plot));
    out.plots.push_back(std::move(plot.fit_plot));
  } catch (const InputError& e) {
    out.notes.push_back(fmt::format("no RD plot of '{}': {}", column, e.what()));
  }
}

// The estimate and its robust CI as h grows: the fit again at multiples of the (mean of the two
// sides') h and b, the selected pair at 1. A multiple the data cannot support is left out.
void add_bandwidth_plot(Estimate& out, const Dataset& data, const EstimatorArgs& args, double h, double b,
                        const std::string& running);

}  // namespace

Estimate regression_discontinuity(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(),
                  "a fuzzy design takes the treatment column with --treatment; the cutoff is its instrument");
  if (args.se_type != "hc1" && args.se_type != "cr1")
    throw InputError(fmt::format("rdd: --se {} does not apply; choose with --option vce=nn|hc0|hc1|hc2|hc3",
                                 args.se_type));
  const Settings settings = read_settings(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_numeric_column(data, kName, "running variable", settings.running);
  bool fuzzy = !args.treatment.empty();
  if (fuzzy) {
    require_numeric_column(data, kName, "treatment", args.treatment);
    require_not_constant(data, "treatment", args.treatment, "no jump to scale the outcome's jump by");
  }
  // A treatment that is exactly running >= cutoff is a sharp design (a case names its treatment
  // either way): its jump is 1 and the fuzzy ratio would only divide by it.
  const bool sharp_rule =
      fuzzy && treatment_follows_the_rule(data.column(args.treatment).values,
                                          data.column(settings.running).values, settings.cutoff);
  if (sharp_rule) fuzzy = false;
  for (const auto& z : args.covariates) require_numeric_column(data, kName, "covariate", z);
  require_distinct_roles(args);
  for (const std::string* role : {&args.outcome, &args.treatment})
    if (*role == settings.running)
      throw InputError(fmt::format("rdd: column '{}' is both the running variable and another role", *role));
  for (const auto& z : args.covariates)
    if (z == settings.running)
      throw InputError(fmt::format("rdd: the running variable '{}' is also listed as a covariate", z));

  Problem pr;
  pr.s = settings;
  pr.source = data.source();
  pr.dT = fuzzy ? 1 : 0;
  pr.dZ = static_cast<Index>(args.covariates.size());
  pr.nd = 1 + pr.dT + pr.dZ;
  const double c = settings.cutoff;
  const std::vector<double>& x = data.column(settings.running).values;
  const auto [lowest, highest] = std::minmax_element(x.begin(), x.end());
  if (x.empty() || !(c > *lowest && c < *highest))
    throw InputError(data.source(),
                     fmt::format("rdd: option 'cutoff' {} is outside the range of the running variable '{}' "
                                 "({} to {}); it must lie strictly inside",
                                 c, settings.running, x.empty() ? NAN : *lowest, x.empty() ? NAN : *highest));

  std::vector<Index> cluster;
  std::size_t cluster_count = 0;
  if (!args.cluster.empty()) {
    require_column(data, kName, "cluster", args.cluster);
    require_complete(data, {args.cluster});
    std::map<double, Index> codes;
    for (const double g : data.column(args.cluster).values)
      cluster.push_back(codes.try_emplace(g, static_cast<Index>(codes.size())).first->second);
    cluster_count = codes.size();
  }
  std::vector<const std::vector<double>*> columns{&data.column(args.outcome).values};
  if (fuzzy) columns.push_back(&data.column(args.treatment).values);
  for (const auto& z : args.covariates) columns.push_back(&data.column(z).values);

  // Sort once by the running variable; ties keep data order.
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  const auto split = static_cast<std::size_t>(
      std::partition_point(order.begin(), order.end(), [&](std::size_t i) { return x[i] < c; }) -
      order.begin());
  auto sides = [&](const std::vector<const std::vector<double>*>& of) {
    return std::pair{
        make_side(true, {order.begin(), order.begin() + static_cast<std::ptrdiff_t>(split)}, x, of, cluster),
        make_side(false, {order.begin() + static_cast<std::ptrdiff_t>(split), order.end()}, x, of, cluster)};
  };
  const auto both = sides(columns);
  const Side& left = both.first;
  const Side& right = both.second;
  for (const Side* side : {&left, &right})
    if (side->distinct < settings.p + 2)
      throw InputError(
          data.source(),
          fmt::format("rdd: the running variable '{}' takes {} distinct value(s) on the {} of the "
                      "cutoff {}; order p = {} needs at least {}",
                      settings.running, side->distinct, side->name(), c, settings.p, settings.p + 2));
  std::vector<double> x_sorted(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x_sorted[i] = x[order[i]];
  const Index clusters_l = cluster.empty() ? 0 : clusters_in(left);
  const Index clusters_r = cluster.empty() ? 0 : clusters_in(right);

  // With the treatment constant on a side (one-sided non-compliance: no one below the cutoff is
  // treated) rdrobust selects the bandwidths as for the sharp design on the outcome: the fuzzy
  // pilot would divide by that side's derivatives of the treatment, all 0 (its perf_comp).
  const bool perfect_compliance = fuzzy && (constant_on(left, 1) || constant_on(right, 1));
  Bandwidths bw{settings.h, settings.h, settings.b, settings.b};
  if (!(settings.h > 0) && perfect_compliance) {
    Problem sharp = pr;
    sharp.dT = 0;
    sharp.nd = 1 + pr.dZ;
    std::vector<const std::vector<double>*> without_treatment = columns;
    without_treatment.erase(without_treatment.begin() + 1);
    const auto outcome_only = sides(without_treatment);
    bw = select_bandwidths(sharp, outcome_only.first, outcome_only.second, x_sorted, clusters_l, clusters_r);
  } else if (!(settings.h > 0)) {
    bw = select_bandwidths(pr, left, right, x_sorted, clusters_l, clusters_r);
  }

  const SideFit fl = fit_side(pr, left, bw.h_l, bw.b_l);
  const SideFit fr = fit_side(pr, right, bw.h_r, bw.b_r);
  // Intercept jumps of every data column: conventional and bias-corrected.
  const VectorXd jump_p = fr.dblock.transpose() * fr.conventional - fl.dblock.transpose() * fl.conventional;
  const VectorXd jump_bc = fr.dblock.transpose() * fr.corrected - fl.dblock.transpose() * fl.corrected;
  MatrixXd gamma;
  if (pr.dZ > 0) {
    const CovariateMoments ml = covariate_moments(pr, left, fl.fp), mr = covariate_moments(pr, right, fr.fp);
    gamma = solve_gamma({ml.zwz + mr.zwz, ml.zwy + mr.zwy});
  }
  VectorXd s_y = VectorXd::Zero(pr.nd), s_t = VectorXd::Zero(pr.nd);
  s_y[0] = 1;
  if (pr.dZ > 0) s_y.tail(pr.dZ) = -gamma.col(0);
  if (fuzzy) {
    s_t[1] = 1;
    if (pr.dZ > 0) s_t.tail(pr.dZ) = -gamma.col(1);
  }
  double tau_cl = jump_p.dot(s_y), tau_bc = jump_bc.dot(s_y);
  double tau_t = 0;
  VectorXd s = s_y;
  if (fuzzy) {
    tau_t = jump_p.dot(s_t);
    const double tau_t_bc = jump_bc.dot(s_t);
    if (tau_t == 0 || !std::isfinite(tau_t))
      throw InputError(data.source(),
                       fmt::format("rdd: treatment '{}' does not jump at the cutoff (jump 0): the "
                                   "fuzzy ratio is undefined",
                                   args.treatment));
    const double tau_y = tau_cl, tau_y_bc = tau_bc;
    s = combination(pr, gamma, tau_y, tau_t);
    tau_cl = tau_y / tau_t;
    // rdrobust's bias-corrected ratio: the linearised correction of both jumps.
    tau_bc = tau_cl - (s[0] * (tau_y - tau_y_bc) + s[1] * (tau_t - tau_t_bc));
  }

  auto variances = [&](const VectorXd& comb) {
    double v_cl = 0, v_rb = 0;
    for (const auto* pair : {&fl, &fr}) {
      const SideFit& f = *pair;
      const Side& side = pair == &fl ? left : right;
      const VectorXd y = f.dblock * comb;
      const VectorXd res_h = residuals(pr, side, f.fp, y);
      // nn residuals do not depend on the fit; the others come from the order-q fit at b.
      const VectorXd res_b = settings.vce == Vce::nn ? res_h : residuals(pr, side, f.fq, y);
      v_cl += meat(pr, side, f.rows, f.conventional, res_h, settings.p + 1);
      v_rb += meat(pr, side, f.rows, f.corrected, res_b, settings.q + 1);
    }
    return std::pair{v_cl, v_rb};
  };
  const auto [v_cl, v_rb] = variances(s);
  const double se_cl = std::sqrt(v_cl), se_rb = std::sqrt(v_rb);
  if (!std::isfinite(tau_cl) || !std::isfinite(tau_bc) || !std::isfinite(se_cl) || !std::isfinite(se_rb))
    throw InputError("rdd: the estimate is not finite (a degenerate fit near the cutoff); check the data");

  const CoefficientTest conventional = z_test(tau_cl, se_cl, args.confidence_level);
  const CoefficientTest corrected = z_test(tau_bc, se_cl, args.confidence_level);
  const CoefficientTest robust = z_test(tau_bc, se_rb, args.confidence_level);
  Estimate out;
  out.estimate = tau_cl;
  out.se = se_cl;
  out.ci_low = robust.ci_low;
  out.ci_high = robust.ci_high;
  out.p_value = robust.p_value;
  out.n = x.size();
  out.se_type = settings.vce == Vce::cluster ? "cr1" : settings.vce_name;
  out.tables.push_back(
      {"rdrobust",
       "Conventional, bias-corrected and robust estimates (rdrobust's three rows)",
       test_table_columns({"method"}),
       {test_row({std::string("Conventional")}, conventional),
        test_row({std::string("Bias-Corrected")}, corrected), test_row({std::string("Robust")}, robust)}});
  auto& d = out.diagnostics;
  d["h_left"] = bw.h_l;
  d["h_right"] = bw.h_r;
  d["b_left"] = bw.b_l;
  d["b_right"] = bw.b_r;
  d["n_h_left"] = static_cast<double>(fl.n_h);
  d["n_h_right"] = static_cast<double>(fr.n_h);
  d["n_left"] = static_cast<double>(left.rows());
  d["n_right"] = static_cast<double>(right.rows());
  d["estimate_bc"] = tau_bc;
  d["se_robust"] = se_rb;
  d["p_conventional"] = conventional.p_value;
  if (settings.vce == Vce::cluster) d["clusters"] = static_cast<double>(cluster_count);
  if (fuzzy) {
    const double se_t = std::sqrt(variances(s_t).first);
    const double f = se_t > 0 ? (tau_t / se_t) * (tau_t / se_t) : std::numeric_limits<double>::max();
    d["first_stage"] = tau_t;
    d["first_stage_F"] = f;
    if (f < 10)
      out.notes.push_back(
          fmt::format("weak first stage: the treatment jumps by {:.4g} at the cutoff with F = {:.3g} (below "
                      "10); the fuzzy "
                      "estimate divides by that jump and its interval is unreliable",
                      tau_t, f));
  }
  // A selected common bandwidth is a step function of the data: a subset that reselected it would
  // move more than the SE says (data-subsets failed 5% of valid mlda runs at level 1%).
  if (!(settings.h > 0) && bw.h_l == bw.h_r && bw.b_l == bw.b_r)
    out.refit_options = {{"h", fmt::format("{:.17g}", bw.h_l)}, {"b", fmt::format("{:.17g}", bw.b_l)}};
  if (!(settings.h > 0) &&
      (bw.h_l >= std::abs(c - x_sorted.front()) || bw.h_r >= std::abs(x_sorted.back() - c)))
    out.notes.push_back("the selected h reaches the end of the data on one side: the fit is global there");
  if (perfect_compliance && !(settings.h > 0))
    out.notes.push_back(fmt::format(
        "'{}' is constant on one side of the cutoff: bandwidths selected as for the sharp design on '{}' "
        "(as rdrobust does)",
        args.treatment, args.outcome));
  if (sharp_rule)
    out.notes.push_back(fmt::format("'{}' is 1 exactly when {} >= {}: a sharp design, estimated as such",
                                    args.treatment, settings.running, settings.cutoff));
  // The design's own picture first (the page shows an analysis's first plot beside the estimates).
  add_rd_plot(out, x, data, args.outcome, c, settings.running, "rd_plot", "Outcome");
  if (fuzzy) add_rd_plot(out, x, data, args.treatment, c, settings.running, "rd_plot_treatment", "Treatment");
  if (settings.bandwidth_plot)
    add_bandwidth_plot(out, data, args, (bw.h_l + bw.h_r) / 2, (bw.b_l + bw.b_r) / 2, settings.running);
  return out;
}

namespace {

void add_bandwidth_plot(Estimate& out, const Dataset& data, const EstimatorArgs& args, double h, double b,
                        const std::string& running) {
  Series series;
  series.name = "estimate with its robust bias-corrected CI";
  for (const double multiple : {0.5, 0.75, 1.0, 1.5, 2.0}) {
    Estimate fit = out;
    if (multiple != 1.0) {
      EstimatorArgs at = args;
      at.options["h"] = fmt::format("{}", multiple * h);
      at.options["b"] = fmt::format("{}", multiple * b);
      at.options["bandwidth_plot"] = "false";
      try {
        fit = regression_discontinuity(data, at);
      } catch (const InputError&) {
        continue;  // too few points within the smaller bandwidth
      }
    }
    series.x.push_back(multiple * h);
    series.y.push_back(fit.estimate);
    series.lower.push_back(fit.ci_low);
    series.upper.push_back(fit.ci_high);
  }
  Plot plot;
  plot.id = "rd_bandwidth";
  plot.title = "Estimate by bandwidth h (0.5 to 2 times the one used)";
  plot.kind = "points";
  plot.x_label = fmt::format("h (distance in {} from the cutoff)", running);
  plot.y_label = "estimate";
  plot.series.push_back(std::move(series));
  plot.reference_lines = {0};
  out.plots.push_back(std::move(plot));
}

}  // namespace
}  // namespace casebook
