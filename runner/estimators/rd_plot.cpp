#include "estimators/rd_plot.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "core/input_error.hpp"

namespace casebook {
namespace {

constexpr std::size_t kQuartic = 4;  // rdplot's global fit behind the bin selectors
constexpr std::size_t kCurvePoints = 200;

Eigen::MatrixXd powers(const std::vector<double>& x, std::size_t order, double centre) {
  Eigen::MatrixXd v(static_cast<Eigen::Index>(x.size()), static_cast<Eigen::Index>(order + 1));
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    double term = 1;
    for (Eigen::Index j = 0; j < v.cols(); ++j, term *= x[static_cast<std::size_t>(i)] - centre)
      v(i, j) = term;
  }
  return v;
}

Eigen::VectorXd least_squares(const Eigen::MatrixXd& design, const Eigen::VectorXd& y) {
  return design.colPivHouseholderQr().solve(y);
}

double polynomial_at(const Eigen::VectorXd& b, double x) {
  double value = 0;
  for (Eigen::Index j = b.size() - 1; j >= 0; --j) value = value * x + b(j);
  return value;
}

double slope_at(const Eigen::VectorXd& b, double x) {
  double value = 0;
  for (Eigen::Index j = b.size() - 1; j >= 1; --j) value = value * x + static_cast<double>(j) * b(j);
  return value;
}

struct SideData {
  std::vector<double> x, y;  // sorted by x (stable, as R's order)
};

// The variance estimates behind the number of bins (rdplot's V_es_hat_dw and V_es_chk_dw), the bias
// constant of the IMSE-optimal number, the share of repeated values and var(y).
struct SideMoments {
  double v_spacings = 0, v_polynomial = 0, bias = 0, mass = 0, var_y = 0;
};

SideMoments side_moments(const SideData& side, double range, std::size_t n_total) {
  const std::size_t n = side.x.size();
  const Eigen::Map<const Eigen::VectorXd> y(side.y.data(), static_cast<Eigen::Index>(n));
  const Eigen::MatrixXd quartic = powers(side.x, kQuartic, 0);  // in x itself, as rdplot
  const Eigen::VectorXd b = least_squares(quartic, y);
  const Eigen::VectorXd b2 = least_squares(quartic, y.array().square().matrix());
  SideMoments m;
  const double mean = y.mean();
  m.var_y = (y.array() - mean).square().sum() / static_cast<double>(n - 1);
  double spacings = 0, polynomial = 0, slopes = 0;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double dx = side.x[i + 1] - side.x[i], dy = side.y[i + 1] - side.y[i];
    spacings += dx * dy * dy;
    const double middle = (side.x[i + 1] + side.x[i]) / 2;
    const double mu = polynomial_at(b, middle);
    double sigma2 = polynomial_at(b2, middle) - mu * mu;
    if (sigma2 < 0) sigma2 = m.var_y;
    polynomial += dx * sigma2;
  }
  for (double v : side.x) slopes += std::pow(slope_at(b, v), 2);
  m.v_spacings = spacings / (2 * range);
  m.v_polynomial = polynomial / range;
  m.bias = range * range / (12 * static_cast<double>(n_total)) * slopes;
  m.mass =
      1 - static_cast<double>(std::set<double>(side.x.begin(), side.x.end()).size()) / static_cast<double>(n);
  return m;
}

std::vector<RdPlotBin> make_bins(const SideData& side, double from, double to, std::size_t count) {
  const double width = (to - from) / static_cast<double>(count);
  std::vector<double> edges(count);
  for (std::size_t k = 0; k < count; ++k) edges[k] = from + static_cast<double>(k) * width;
  std::vector<RdPlotBin> bins(count);
  std::vector<double> sum_x(count, 0), sum_y(count, 0);
  for (std::size_t i = 0; i < side.x.size(); ++i) {
    // The last edge not above the point, as rdplot compares with its edges.
    const auto k =
        static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), side.x[i]) - edges.begin());
    const std::size_t bin = k == 0 ? 0 : k - 1;
    ++bins[bin].n;
    sum_x[bin] += side.x[i];
    sum_y[bin] += side.y[i];
  }
  for (std::size_t k = 0; k < count; ++k) {
    bins[k].middle = (edges[k] + (k + 1 < count ? edges[k + 1] : to)) / 2;
    const double n = static_cast<double>(bins[k].n);
    bins[k].mean_x = bins[k].n ? sum_x[k] / n : std::nan("");
    bins[k].mean_y = bins[k].n ? sum_y[k] / n : std::nan("");
  }
  return bins;
}

}  // namespace

RdPlot rd_plot(std::span<const double> x, std::span<const double> y, double cutoff, std::size_t p,
               const std::string& x_label, const std::string& y_label) {
  if (x.size() != y.size())
    throw InputError(
        fmt::format("RD plot: {} values of '{}' but {} of '{}'", x.size(), x_label, y.size(), y_label));
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw InputError(fmt::format("RD plot: row {} has a missing or infinite value of '{}' or '{}'", i + 1,
                                   x_label, y_label));
  if (x.empty()) throw InputError(fmt::format("RD plot: '{}' has no rows", x_label));
  const auto [low, high] = std::minmax_element(x.begin(), x.end());
  const double x_min = *low, x_max = *high;
  if (!(cutoff > x_min && cutoff < x_max))
    throw InputError(fmt::format("RD plot: cutoff {} is outside the range of '{}' ({} to {})", cutoff,
                                 x_label, x_min, x_max));
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  SideData left, right;
  for (std::size_t i : order) {
    SideData& side = x[i] < cutoff ? left : right;
    side.x.push_back(x[i]);
    side.y.push_back(y[i]);
  }
  const std::size_t needed = std::max(p, kQuartic) + 1;
  for (const auto* side : {&left, &right}) {
    const std::size_t distinct = std::set<double>(side->x.begin(), side->x.end()).size();
    if (distinct < needed)
      throw InputError(
          fmt::format("RD plot: '{}' has {} distinct value{} {} the cutoff {}; the plot's polynomial "
                      "fits need at least {}",
                      x_label, distinct, distinct == 1 ? "" : "s", side == &left ? "below" : "at or above",
                      cutoff, needed));
  }

  const std::size_t n = x.size();
  const double range_left = cutoff - x_min, range_right = x_max - cutoff;
  const SideMoments ml = side_moments(left, range_left, n), mr = side_moments(right, range_right, n);
  RdPlot out;
  const bool adjust = ml.mass >= 0.2 || mr.mass >= 0.2;
  out.method = adjust ? "esmvpr" : "esmv";
  const double log_n = std::log(static_cast<double>(n));
  auto fill = [&](RdPlotSide& side, const SideMoments& m, const SideData& data, double from, double to) {
    side.variance = adjust ? m.v_polynomial : m.v_spacings;
    // A constant outcome has no variance to mimic: one bin (rdplot warns and does the same).
    side.bins = m.var_y > 0 ? static_cast<std::size_t>(std::ceil(m.var_y / side.variance *
                                                                 static_cast<double>(n) / (log_n * log_n)))
                            : 1;
    side.bins = std::max<std::size_t>(side.bins, 1);
    side.bins_imse =
        static_cast<std::size_t>(std::ceil(std::cbrt(2 * m.bias / side.variance * static_cast<double>(n))));
    side.bin = make_bins(data, from, to, side.bins);
    const Eigen::Map<const Eigen::VectorXd> yv(data.y.data(), static_cast<Eigen::Index>(data.y.size()));
    const Eigen::VectorXd b = least_squares(powers(data.x, p, cutoff), yv);
    side.coefficients.assign(b.data(), b.data() + b.size());
  };
  fill(out.left, ml, left, x_min, cutoff);
  fill(out.right, mr, right, cutoff, x_max);

  out.bins_plot.id = "rd_plot_bins";
  out.bins_plot.title = "Binned means on each side of the cutoff";
  out.bins_plot.kind = "points";
  out.fit_plot.id = "rd_plot_fit";
  out.fit_plot.title = fmt::format("Global polynomial of order {} on each side of the cutoff", p);
  out.fit_plot.kind = "lines";
  for (Plot* plot : {&out.bins_plot, &out.fit_plot}) {
    plot->x_label = x_label;
    plot->y_label = y_label;
  }
  for (const bool is_left : {true, false}) {
    const RdPlotSide& side = is_left ? out.left : out.right;
    Series means;
    means.name = is_left ? "bin means left of the cutoff" : "bin means right of the cutoff";
    for (const RdPlotBin& bin : side.bin)
      if (bin.n) {
        means.x.push_back(bin.middle);
        means.y.push_back(bin.mean_y);
      }
    out.bins_plot.series.push_back(std::move(means));
    Series curve;
    curve.name = is_left ? "fit left of the cutoff" : "fit right of the cutoff";
    const Eigen::Map<const Eigen::VectorXd> b(side.coefficients.data(),
                                              static_cast<Eigen::Index>(side.coefficients.size()));
    const double from = is_left ? x_min : cutoff, to = is_left ? cutoff : x_max;
    for (std::size_t k = 0; k < kCurvePoints; ++k) {
      const double at =
          k + 1 == kCurvePoints  // the ends exactly, so the curves meet the cutoff
              ? to
              : from + (to - from) * static_cast<double>(k) / static_cast<double>(kCurvePoints - 1);
      curve.x.push_back(at);
      curve.y.push_back(polynomial_at(b, at - cutoff));
    }
    out.fit_plot.series.push_back(std::move(curve));
  }
  return out;
}

}  // namespace casebook
