#include "estimators/rd_density.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/estimator.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "rd-density";
constexpr std::size_t kMaxOrder = 7;     // rddensity takes p = 1..7
constexpr std::size_t kGridPoints = 20;  // per side of the density plot

enum class Kernel { triangular, uniform, epanechnikov };

Kernel parse_kernel(const std::string& name) {
  if (name == "uniform") return Kernel::uniform;
  if (name == "epanechnikov") return Kernel::epanechnikov;
  return Kernel::triangular;
}

// K(u) for |u| ≤ 1, as rddensity writes its kernels.
double kernel_value(Kernel kernel, double u) {
  switch (kernel) {
    case Kernel::uniform:
      return 0.5;
    case Kernel::epanechnikov:
      return 0.75 * (1 - u * u);
    case Kernel::triangular:
      break;
  }
  return 1 - std::abs(u);
}

// K on [0, 1] as the coefficients of u^0, u^1, …, so that the kernel integrals are exact sums.
std::vector<double> kernel_polynomial(Kernel kernel) {
  switch (kernel) {
    case Kernel::uniform:
      return {0.5};
    case Kernel::epanechnikov:
      return {0.75, 0, -0.75};
    case Kernel::triangular:
      break;
  }
  return {1, -1};
}

double as_double(Eigen::Index i) { return static_cast<double>(i); }

// S = ∫_0^1 r(u) r(u)' K(u) du, r(u) = (1, u, …, u^order).
Eigen::MatrixXd one_sided_s(Eigen::Index order, Kernel kernel) {
  const std::vector<double> k = kernel_polynomial(kernel);
  Eigen::MatrixXd s = Eigen::MatrixXd::Zero(order + 1, order + 1);
  for (Eigen::Index a = 0; a <= order; ++a)
    for (Eigen::Index b = 0; b <= order; ++b)
      for (std::size_t m = 0; m < k.size(); ++m)
        s(a, b) += k[m] / (as_double(a + b) + static_cast<double>(m) + 1);
  return s;
}

// C = ∫_0^1 r(u) u^power K(u) du.
Eigen::VectorXd one_sided_c(Eigen::Index order, Eigen::Index power, Kernel kernel) {
  const std::vector<double> k = kernel_polynomial(kernel);
  Eigen::VectorXd c = Eigen::VectorXd::Zero(order + 1);
  for (Eigen::Index a = 0; a <= order; ++a)
    for (std::size_t m = 0; m < k.size(); ++m)
      c(a) += k[m] / (as_double(a + power) + static_cast<double>(m) + 1);
  return c;
}

// G = ∫_0^1 ∫_0^1 min(u, v) r(u) r(v)' K(u) K(v) du dv (the covariance of the empirical CDF process),
// integrated exactly over u < v and u > v.
Eigen::MatrixXd one_sided_g(Eigen::Index order, Kernel kernel) {
  const std::vector<double> k = kernel_polynomial(kernel);
  Eigen::MatrixXd g = Eigen::MatrixXd::Zero(order + 1, order + 1);
  for (Eigen::Index a = 0; a <= order; ++a)
    for (Eigen::Index b = 0; b <= order; ++b)
      for (std::size_t m = 0; m < k.size(); ++m)
        for (std::size_t n = 0; n < k.size(); ++n) {
          const double am = as_double(a) + static_cast<double>(m), bn = as_double(b) + static_cast<double>(n);
          g(a, b) +=
              k[m] * k[n] * (1 / ((am + 2) * (am + bn + 3)) + (1 / (bn + 2) - 1 / (am + bn + 3)) / (am + 1));
        }
  return g;
}

// [S^-1 G S^-1]_{22}: the plug-in variance of a one-sided density estimate is f/(N h) times this.
double plugin_factor(Eigen::Index order, Kernel kernel) {
  const Eigen::MatrixXd s_inv = one_sided_s(order, kernel).inverse();  // (order+1)² Hilbert-like, tiny
  return (s_inv * one_sided_g(order, kernel) * s_inv)(1, 1);
}

// The running variable sorted and centred, with its estimated CDF at each point.
struct RunningSample {
  std::vector<double> x;           // x - cutoff, ascending
  std::vector<double> cdf;         // (last rank of the point's tie group - 1) / (N - 1)
  std::vector<std::size_t> first;  // index of the first point tied with each point
  std::vector<double> unique;      // the distinct values of x
  std::size_t n_left = 0;          // points with x < 0
  bool mass_points = false;
  std::string column;

  std::size_t size() const { return x.size(); }
  std::size_t n_right() const { return x.size() - n_left; }
};

RunningSample running_sample(const std::vector<double>& values, double cutoff, std::string column) {
  RunningSample s;
  s.column = std::move(column);
  s.x.reserve(values.size());
  for (double v : values) s.x.push_back(v - cutoff);
  std::sort(s.x.begin(), s.x.end());
  const std::size_t n = s.x.size();
  s.cdf.resize(n);
  s.first.resize(n);
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start;
    while (end + 1 < n && s.x[end + 1] == s.x[start]) ++end;
    if (end > start) s.mass_points = true;
    for (std::size_t i = start; i <= end; ++i) {
      s.cdf[i] = static_cast<double>(end) / static_cast<double>(n - 1);
      s.first[i] = start;
    }
    s.unique.push_back(s.x[start]);
    start = end + 1;
  }
  s.n_left = static_cast<std::size_t>(std::lower_bound(s.x.begin(), s.x.end(), 0.0) - s.x.begin());
  return s;
}

// The k-th smallest |v| of the values left of the cutoff and the k-th smallest right of it
// (k capped at each side's count), of an ascending vector.
double kth_left(const std::vector<double>& v, std::size_t k) {
  const auto left = static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), 0.0) - v.begin());
  return -v[left - std::min(k, left)];
}
double kth_right(const std::vector<double>& v, std::size_t k) {
  const auto left = static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), 0.0) - v.begin());
  return v[left + std::min(k, v.size() - left) - 1];
}

struct Variances {
  double left = 0, right = 0, diff = 0, sum = 0;
};

struct DensityFit {
  double f_left = 0, f_right = 0;
  double coef_left = 0, coef_right = 0;  // coefficient of x^power on each side
  Variances jackknife, plugin;
  std::size_t n_left = 0, n_right = 0;  // points in [-h_left, h_right]
};

// Jackknife meat L'L: row i of L sums the weighted design rows after the first point tied with
// i, over N - 1 (how the fit moves when point i's share of the estimated CDF is left out).
Eigen::MatrixXd jackknife_meat(const Eigen::MatrixXd& weighted, const RunningSample& s, std::size_t lo) {
  const Eigen::Index rows = weighted.rows();
  Eigen::MatrixXd after(rows, weighted.cols());
  Eigen::RowVectorXd total = Eigen::RowVectorXd::Zero(weighted.cols());
  for (Eigen::Index i = rows - 1; i >= 0; --i) {
    after.row(i) = total;
    total += weighted.row(i);
  }
  const double scale = static_cast<double>(s.size() - 1);
  Eigen::MatrixXd l(rows, weighted.cols());
  for (Eigen::Index i = 0; i < rows; ++i) {
    const std::size_t row = lo + static_cast<std::size_t>(i);
    l.row(i) = after.row(static_cast<Eigen::Index>(s.first[row] - lo)) / scale;
  }
  return l.transpose() * l;
}

std::size_t distinct_inside(const RunningSample& s, std::size_t lo, std::size_t hi, double h) {
  std::size_t count = 0;
  for (std::size_t i = lo; i < hi; ++i)
    if (std::abs(s.x[i]) < h && (i == lo || s.x[i] != s.x[i - 1])) ++count;
  return count;
}

// The CDF fitted by a polynomial of `order` in x/h on each side of the cutoff, within
// [-h_left, h_right] (rddensity's rddensity_fV, unrestricted model).
DensityFit fit_density(const RunningSample& s, double h_left, double h_right, Eigen::Index order,
                       Eigen::Index power, Kernel kernel) {
  const auto lo = static_cast<std::size_t>(std::lower_bound(s.x.begin(), s.x.end(), -h_left) - s.x.begin());
  const auto hi = static_cast<std::size_t>(std::upper_bound(s.x.begin(), s.x.end(), h_right) - s.x.begin());
  const std::size_t mid = std::max(lo, std::min(hi, s.n_left));
  for (const bool left : {true, false}) {
    const std::size_t distinct =
        left ? distinct_inside(s, lo, mid, h_left) : distinct_inside(s, mid, hi, h_right);
    if (distinct < static_cast<std::size_t>(order) + 1)
      throw InputError(fmt::format(
          "{}: h_{}={:.6g} leaves {} distinct value{} of '{}' {} the cutoff inside the window; a local "
          "polynomial of order {} needs at least {} (widen h)",
          kName, left ? "left" : "right", left ? h_left : h_right, distinct, distinct == 1 ? "" : "s",
          s.column, left ? "left of" : "right of", order, order + 1));
  }
  const Eigen::Index m = order + 1;
  const auto rows = static_cast<Eigen::Index>(hi - lo);
  Eigen::MatrixXd design = Eigen::MatrixXd::Zero(rows, 2 * m);
  Eigen::MatrixXd weighted = Eigen::MatrixXd::Zero(rows, 2 * m);
  Eigen::VectorXd y(rows);
  for (Eigen::Index i = 0; i < rows; ++i) {
    const std::size_t row = lo + static_cast<std::size_t>(i);
    const bool left = row < s.n_left;
    const double h = left ? h_left : h_right;
    const double u = s.x[row] / h;
    const double w = kernel_value(kernel, u) / h;
    const Eigen::Index offset = left ? 0 : m;
    double term = 1;
    for (Eigen::Index j = 0; j < m; ++j, term *= u) {
      design(i, offset + j) = term;
      weighted(i, offset + j) = w * term;
    }
    y(i) = s.cdf[row];
  }
  Eigen::VectorXd scale(2 * m);
  for (Eigen::Index j = 0; j < m; ++j) {
    scale(j) = std::pow(h_left, as_double(j));
    scale(m + j) = std::pow(h_right, as_double(j));
  }
  const Eigen::MatrixXd a = weighted.transpose() * design;
  const Eigen::MatrixXd a_inv = a.ldlt().solve(Eigen::MatrixXd::Identity(2 * m, 2 * m));
  const Eigen::VectorXd beta = (a_inv * (weighted.transpose() * y)).cwiseQuotient(scale);

  DensityFit fit;
  const Eigen::Index il = 1, ir = m + 1;
  fit.f_left = beta(il);
  fit.f_right = beta(ir);
  fit.coef_left = beta(power);
  fit.coef_right = beta(m + power);
  fit.n_left = mid - lo;
  fit.n_right = hi - mid;
  const Eigen::MatrixXd v =
      (a_inv * jackknife_meat(weighted, s, lo) * a_inv).cwiseQuotient(scale * scale.transpose());
  fit.jackknife = {v(il, il), v(ir, ir), v(il, il) + v(ir, ir) - 2 * v(il, ir),
                   v(il, il) + v(ir, ir) + 2 * v(il, ir)};
  const double factor = plugin_factor(order, kernel), n = static_cast<double>(s.size());
  const double plug_left = fit.f_left * factor / (n * h_left),
               plug_right = fit.f_right * factor / (n * h_right);
  fit.plugin = {plug_left, plug_right, plug_left + plug_right, plug_left + plug_right};
  return fit;
}

// Probabilists' Hermite polynomial He_k(z), by He_{k+1} = z He_k - k He_{k-1}.
double hermite(double z, std::size_t k) {
  double previous = 1, current = z;
  if (k == 0) return previous;
  for (std::size_t j = 1; j < k; ++j) {
    const double next = z * current - static_cast<double>(j) * previous;
    previous = current;
    current = next;
  }
  return current;
}

// rdbwdensity's pilot-bandwidth constants (uniform kernel), by p = 1..7.
constexpr double kPilotBias[kMaxOrder] = {
    25884.444444494150957, 3430865.4551236177795, 845007948.04262602329,  330631733667.03808594,
    187774809656037.3125,  145729502641999264.0,  146013502974449876992.0};
constexpr double kPilotDensity[kMaxOrder] = {
    4.8000000000000246914, 548.57142857155463389, 100800.00000020420703, 29558225.458100609481,
    12896196859.612621307, 7890871468221.609375,  6467911284037581.0};

struct Bandwidths {
  double left = 0, right = 0, diff = 0, sum = 0;
};

// rdbwdensity (unrestricted model, regularize = TRUE, nLocalMin = nUniqueMin = 20 + p + 1).
Bandwidths select_bandwidths(const RunningSample& s, std::size_t p, Kernel kernel, bool jackknife) {
  const double n = static_cast<double>(s.size());
  const auto order = static_cast<Eigen::Index>(p);
  const double pd = static_cast<double>(p);
  double mean = 0;
  for (double v : s.x) mean += v / n;
  double ss = 0;
  for (double v : s.x) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / (n - 1));
  const double z = mean / sd;
  const double phi = std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi);
  const double f_b = 1 / (std::pow(hermite(z, p + 2), 2) * phi), f_c = 1 / (std::pow(hermite(z, p), 2) * phi);
  double bn = std::pow((2 * pd + 1) / 4 * f_b * kPilotBias[p - 1] / n, 1 / (2 * pd + 5)) * sd;
  double cn = std::pow(1 / (2 * pd) * f_c * kPilotDensity[p - 1] / n, 1 / (2 * pd + 1)) * sd;
  const double widest = std::max(-s.unique.front(), s.unique.back());
  bn = std::min(bn, widest);
  cn = std::min(cn, widest);
  for (const auto* values : {&s.x, &s.unique}) {
    bn = std::max({bn, kth_left(*values, 20 + p + 3), kth_right(*values, 20 + p + 3)});
    cn = std::max({cn, kth_left(*values, 20 + p + 1), kth_right(*values, 20 + p + 1)});
  }
  const DensityFit bias_fit = fit_density(s, bn, bn, order + 2, order + 1, kernel);
  const DensityFit variance_fit = fit_density(s, cn, cn, order, 1, kernel);
  const Variances& v = jackknife ? variance_fit.jackknife : variance_fit.plugin;
  const Eigen::MatrixXd s_p = one_sided_s(order, kernel);
  const double k = s_p.ldlt().solve(one_sided_c(order, order + 1, kernel))(1);
  const double bias_left = bias_fit.coef_left * k * (p % 2 == 0 ? 1 : -1),
               bias_right = bias_fit.coef_right * k;
  auto optimal = [&](double variance, double bias) {
    const double h = std::pow(n * cn * variance / (2 * pd) / (bias * bias) / n, 1 / (2 * pd + 1));
    return std::isnan(h) || variance < 0 ? 0.0 : h;
  };
  Bandwidths h{optimal(v.left, bias_left), optimal(v.right, bias_right),
               optimal(v.diff, bias_right - bias_left), optimal(v.sum, bias_right + bias_left)};
  h.left = std::min(h.left, -s.unique.front());
  h.right = std::min(h.right, s.unique.back());
  h.diff = std::min(h.diff, widest);
  h.sum = std::min(h.sum, widest);
  for (const auto* values : {&s.x, &s.unique}) {
    const double left_min = kth_left(*values, 20 + p + 1), right_min = kth_right(*values, 20 + p + 1);
    h.left = std::max(h.left, left_min);
    h.right = std::max(h.right, right_min);
    h.diff = std::max({h.diff, left_min, right_min});
    h.sum = std::max({h.sum, left_min, right_min});
  }
  return h;
}

double median3(double a, double b, double c) { return std::max(std::min(a, b), std::min(std::max(a, b), c)); }

// The order-p density at a grid point g of one side, from that side's points within h of g, with its
// jackknife SE (as the test's fit, with one block): the curve rdplotdensity draws.
struct GridEstimate {
  double density = 0, se = 0;
  bool ok = false;
};
GridEstimate grid_density(const RunningSample& s, bool left, double g, double h, Eigen::Index order,
                          Kernel kernel) {
  const std::size_t side_lo = left ? 0 : s.n_left, side_hi = left ? s.n_left : s.size();
  const auto lo = std::max(
      side_lo, static_cast<std::size_t>(std::lower_bound(s.x.begin(), s.x.end(), g - h) - s.x.begin()));
  const auto hi = std::min(
      side_hi, static_cast<std::size_t>(std::upper_bound(s.x.begin(), s.x.end(), g + h) - s.x.begin()));
  GridEstimate out;
  if (hi <= lo) return out;
  std::size_t distinct = 0;
  for (std::size_t i = lo; i < hi; ++i)
    if (std::abs(s.x[i] - g) < h && (i == lo || s.x[i] != s.x[i - 1])) ++distinct;
  if (distinct < static_cast<std::size_t>(order) + 1) return out;
  const Eigen::Index m = order + 1;
  const auto rows = static_cast<Eigen::Index>(hi - lo);
  Eigen::MatrixXd design(rows, m), weighted(rows, m);
  Eigen::VectorXd y(rows);
  for (Eigen::Index i = 0; i < rows; ++i) {
    const std::size_t row = lo + static_cast<std::size_t>(i);
    const double u = (s.x[row] - g) / h, w = kernel_value(kernel, u) / h;
    double term = 1;
    for (Eigen::Index j = 0; j < m; ++j, term *= u) {
      design(i, j) = term;
      weighted(i, j) = w * term;
    }
    y(i) = s.cdf[row];
  }
  const Eigen::MatrixXd a_inv = (weighted.transpose() * design).ldlt().solve(Eigen::MatrixXd::Identity(m, m));
  const Eigen::VectorXd beta = a_inv * (weighted.transpose() * y);
  const Eigen::MatrixXd v = a_inv * jackknife_meat(weighted, s, lo) * a_inv;
  out.density = beta(1) / h;
  out.se = std::sqrt(std::max(v(1, 1), 0.0)) / h;
  out.ok = std::isfinite(out.density) && std::isfinite(out.se);
  return out;
}

Plot density_plot(const RunningSample& s, double cutoff, double h_left, double h_right, Eigen::Index order,
                  Kernel kernel, double confidence_level) {
  const double z = normal_critical_value(confidence_level);
  Plot plot;
  plot.id = "rd_density";
  plot.title = "Density of the running variable on each side of the cutoff";
  plot.kind = "lines";
  plot.x_label = s.column;
  plot.y_label = "density";
  for (const bool left : {true, false}) {
    Series series;
    series.name = left ? "left of the cutoff" : "right of the cutoff";
    // rdplotdensity's default range: three bandwidths from the cutoff, within the data.
    const double from = left ? std::max(s.x.front(), -3 * h_left) : 0.0;
    const double to = left ? 0.0 : std::min(s.x.back(), 3 * h_right);
    for (std::size_t k = 0; k < kGridPoints; ++k) {
      const double g =
          k + 1 == kGridPoints  // the cutoff itself exactly, not 1e-16 off it
              ? to
              : from + (to - from) * static_cast<double>(k) / static_cast<double>(kGridPoints - 1);
      const GridEstimate e = grid_density(s, left, g, left ? h_left : h_right, order, kernel);
      if (!e.ok) continue;
      series.x.push_back(g + cutoff);
      series.y.push_back(e.density);
      series.lower.push_back(e.density - z * e.se);
      series.upper.push_back(e.density + z * e.se);
    }
    plot.series.push_back(std::move(series));
  }
  return plot;
}

void check_variance(double variance, std::string_view what, std::string_view vce) {
  if (std::isfinite(variance) && variance > 0) return;
  throw InputError(
      fmt::format("{}: the {} variance of the {} is {} (not positive): the density fit is "
                  "degenerate; try {}a wider h",
                  kName, vce, what, variance, vce == "plugin" ? "vce=jackknife or " : ""));
}

}  // namespace

Estimate rd_density(const Dataset& data, const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "covariates", !args.covariates.empty(),
                  "the density test uses the running variable only");
  reject_argument(kName, "instruments", !args.instruments.empty(),
                  "the density test uses the running variable only");
  reject_argument(kName, "cluster", !args.cluster.empty(), "the density test uses the running variable only");
  if (!options.given("running"))
    throw InputError(fmt::format("{} needs the running variable: --option running=COLUMN", kName));
  const std::string column = options.text("running");
  require_numeric_column(data, kName, "running variable", column);
  const std::size_t p = options.count("p");
  if (p < 1 || p > kMaxOrder)
    throw InputError(
        fmt::format("{}: option p must be 1 to {} (rddensity's range), got {}", kName, kMaxOrder, p));
  const double cutoff = options.number("cutoff");
  const Kernel kernel = parse_kernel(options.text("kernel"));
  const std::string vce = options.text("vce");
  const bool jackknife = vce == "jackknife";
  const std::vector<double>& values = data.column(column).values;
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  if (values.empty() || !(cutoff > *low && cutoff < *high))
    throw InputError(
        data.source(),
        fmt::format("{}: cutoff={} is outside the range of '{}' ({} to {}); it must lie strictly "
                    "inside",
                    kName, cutoff, column, values.empty() ? 0.0 : *low, values.empty() ? 0.0 : *high));
  const RunningSample s = running_sample(values, cutoff, column);
  const std::size_t needed = p + 3;  // the pilot fit of the bias has order p + 2
  const auto unique_left =
      static_cast<std::size_t>(std::lower_bound(s.unique.begin(), s.unique.end(), 0.0) - s.unique.begin());
  for (const bool left : {true, false}) {
    const std::size_t distinct = left ? unique_left : s.unique.size() - unique_left;
    if (distinct < needed)
      throw InputError(
          data.source(),
          fmt::format("{}: '{}' has {} distinct value{} {} the cutoff {} ({} row{}); the density "
                      "test with p={} needs at least {} on each side",
                      kName, column, distinct, distinct == 1 ? "" : "s", left ? "below" : "at or above",
                      cutoff, left ? s.n_left : s.n_right(), (left ? s.n_left : s.n_right()) == 1 ? "" : "s",
                      p, needed));
  }

  double h_left = 0, h_right = 0;
  Bandwidths selected;
  const std::string bwselect = options.text("bwselect");
  if (options.given("h")) {
    const double h = options.number("h");
    if (!(h > 0)) throw InputError(fmt::format("{}: option h must be positive, got {}", kName, h));
    if (options.given("bwselect"))
      throw InputError(fmt::format("{}: give either h or bwselect, not both", kName));
    h_left = h_right = h;
  } else {
    selected = select_bandwidths(s, p, kernel, jackknife);
    if (bwselect == "each") {
      h_left = selected.left;
      h_right = selected.right;
    } else if (bwselect == "diff") {
      h_left = h_right = selected.diff;
    } else if (bwselect == "sum") {
      h_left = h_right = selected.sum;
    } else {
      h_left = median3(selected.left, selected.diff, selected.sum);
      h_right = median3(selected.right, selected.diff, selected.sum);
    }
  }

  const auto order = static_cast<Eigen::Index>(p);
  const DensityFit robust = fit_density(s, h_left, h_right, order + 1, 1, kernel);
  const DensityFit conventional = fit_density(s, h_left, h_right, order, 1, kernel);
  const Variances& v = jackknife ? robust.jackknife : robust.plugin;
  const Variances& v_p = jackknife ? conventional.jackknife : conventional.plugin;
  check_variance(v.diff, "density difference", vce);
  check_variance(v.left, "density left of the cutoff", vce);
  check_variance(v.right, "density right of the cutoff", vce);
  check_variance(v_p.diff, "conventional (order-p) density difference", vce);

  Estimate out =
      to_estimate(z_test(robust.f_right - robust.f_left, std::sqrt(v.diff), args.confidence_level), s.size());
  out.diagnostics.erase("df");
  out.se_type = vce;
  const CoefficientTest conventional_test =
      z_test(conventional.f_right - conventional.f_left, std::sqrt(v_p.diff), args.confidence_level);
  auto& d = out.diagnostics;
  d["f_left"] = robust.f_left;
  d["f_right"] = robust.f_right;
  d["se_left"] = std::sqrt(v.left);
  d["se_right"] = std::sqrt(v.right);
  d["T"] = out.estimate / out.se;
  d["p_value"] = out.p_value;
  d["f_left_p"] = conventional.f_left;
  d["f_right_p"] = conventional.f_right;
  d["T_p"] = conventional_test.t_statistic;
  d["p_value_p"] = conventional_test.p_value;
  d["h_left"] = h_left;
  d["h_right"] = h_right;
  d["n_h_left"] = static_cast<double>(robust.n_left);
  d["n_h_right"] = static_cast<double>(robust.n_right);
  d["n_left"] = static_cast<double>(s.n_left);
  d["n_right"] = static_cast<double>(s.n_right());
  d["p"] = static_cast<double>(p);
  d["q"] = static_cast<double>(p + 1);
  if (!options.given("h")) {
    d["h_each_left"] = selected.left;
    d["h_each_right"] = selected.right;
    d["h_diff"] = selected.diff;
    d["h_sum"] = selected.sum;
  }

  if (!args.outcome.empty() || !args.treatment.empty())
    out.notes.push_back(
        fmt::format("the density test uses only the running variable '{}'; the {} named in the "
                    "analysis {} not used",
                    column,
                    !args.outcome.empty() && !args.treatment.empty() ? "outcome and treatment"
                    : !args.outcome.empty()                          ? "outcome"
                                                                     : "treatment",
                    !args.outcome.empty() && !args.treatment.empty() ? "are" : "is"));
  out.notes.push_back(
      fmt::format("{}: T = {:.3f}, p = {:.4f} (robust bias-corrected, q = {}); {}",
                  "density discontinuity at the cutoff", d["T"], out.p_value, p + 1,
                  out.p_value < 1 - args.confidence_level
                      ? "the density jumps at the cutoff: units may sort themselves across it (manipulation)"
                      : "no evidence that the density jumps at the cutoff"));
  if (robust.n_left < 20 || robust.n_right < 20)
    out.notes.push_back(
        fmt::format("only {} and {} points fall within the bandwidths left and right of the "
                    "cutoff: h may be too small (rddensity warns below 20)",
                    robust.n_left, robust.n_right));
  if (s.mass_points)
    out.notes.push_back(
        fmt::format("'{}' has repeated values: the estimated CDF and the jackknife treat tied points as "
                    "rddensity's massPoints = TRUE does",
                    column));
  out.plots.push_back(density_plot(s, cutoff, h_left, h_right, order, kernel, args.confidence_level));
  return out;
}

}  // namespace casebook
