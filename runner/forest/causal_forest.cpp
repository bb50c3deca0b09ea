#include "forest/causal_forest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "forest/out_of_bag_effect.hpp"

namespace casebook {
namespace {

// Random streams of the three forests, so they never share a tree's generator.
constexpr std::uint64_t kOutcomeStream = 0x5965;    // "Ye"
constexpr std::uint64_t kTreatmentStream = 0x5765;  // "We"
constexpr std::uint64_t kCausalStream = 0x4346;     // "CF"

// τ̂ = cov(W̃, Ỹ) / var(W̃) from means of W̃Ỹ, W̃², W̃, Ỹ; NaN when W̃ has no variance.
double ratio(double wy, double ww, double w, double y) {
  const double variance = ww - w * w;
  if (!(variance > 1e-12 * std::max(ww, 1e-300))) return std::numeric_limits<double>::quiet_NaN();
  return (wy - w * y) / variance;
}

// The causal forest proper, on Y − Ŷ and W − Ŵ from the nuisances already in `fit`.
CausalForestFit fit_on_residuals(const BinnedMatrix& x, std::span<const double> y, std::span<const double> w,
                                 const CausalForestOptions& options, CausalForestFit fit) {
  std::vector<double> y_residual(x.rows()), w_residual(x.rows());
  for (std::size_t i = 0; i < x.rows(); ++i) {
    y_residual[i] = y[i] - fit.y_hat[i];
    w_residual[i] = w[i] - fit.w_hat[i];
  }
  const CausalRule rule(y_residual, w_residual);
  ForestOptions causal = options.forest;
  causal.seed = derive_seed(options.forest.seed, kCausalStream);
  grow_out_of_bag_effect(x, rule, causal, fit);
  return fit;
}

}  // namespace

CausalRule::CausalRule(std::span<const double> y_residual, std::span<const double> w_residual)
    : y_(y_residual), w_(w_residual) {
  const auto n = static_cast<double>(y_.size());
  double wy = 0, ww = 0, w = 0, y = 0;
  for (std::size_t i = 0; i < y_.size(); ++i) {
    wy += w_[i] * y_[i];
    ww += w_[i] * w_[i];
    w += w_[i];
    y += y_[i];
  }
  const double effect = ratio(wy / n, ww / n, w / n, y / n);
  overall_effect_ = std::isnan(effect) ? 0.0 : effect;
}

void CausalRule::sample_statistics(std::uint32_t row, std::span<double> out) const {
  out[0] = w_[row] * y_[row];
  out[1] = w_[row] * w_[row];
  out[2] = w_[row];
  out[3] = y_[row];
}

void CausalRule::node_responses(std::span<const std::uint32_t> rows, std::span<double> out) const {
  const auto n = static_cast<double>(rows.size());
  double w_mean = 0, y_mean = 0;
  for (const std::uint32_t r : rows) {
    w_mean += w_[r];
    y_mean += y_[r];
  }
  w_mean /= n;
  y_mean /= n;
  double covariance = 0, variance = 0;
  for (const std::uint32_t r : rows) {
    covariance += (w_[r] - w_mean) * (y_[r] - y_mean);
    variance += (w_[r] - w_mean) * (w_[r] - w_mean);
  }
  // W̃ constant in the node: no effect is identified there, so nothing to split on.
  if (!(variance > 0)) {
    std::fill(out.begin(), out.end(), 0.0);
    return;
  }
  const double effect = covariance / variance;
  const double scale = n / variance;  // 1 / Var_P(W̃)
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double w_centred = w_[rows[i]] - w_mean;
    out[i] = w_centred * (y_[rows[i]] - y_mean - effect * w_centred) * scale;
  }
}

double CausalRule::combine(std::span<const double> averages) const {
  const double effect = ratio(averages[0], averages[1], averages[2], averages[3]);
  return std::isnan(effect) ? overall_effect_ : effect;
}

void CausalRule::gradient(std::span<const double> averages, std::span<double> out) const {
  // τ = (wy − w·y) / D with D = ww − w²: the partial derivatives in the order W̃Ỹ, W̃², W̃, Ỹ.
  const double w = averages[2], y = averages[3];
  const double d = averages[1] - w * w;
  const double tau = (averages[0] - w * y) / d;
  out[0] = 1 / d;
  out[1] = -tau / d;
  out[2] = (2 * w * tau - y) / d;
  out[3] = -w / d;
}

CausalForestFit fit_causal_forest(const BinnedMatrix& x, std::span<const double> y, std::span<const double> w,
                                  const CausalForestOptions& options, std::span<const double> y_hat,
                                  std::span<const double> w_hat) {
  if (y.size() != x.rows() || w.size() != x.rows())
    throw InputError(fmt::format("causal forest: {} covariate rows but {} outcomes and {} treatments",
                                 x.rows(), y.size(), w.size()));
  if (y_hat.empty() != w_hat.empty() ||
      (!y_hat.empty() && (y_hat.size() != x.rows() || w_hat.size() != x.rows())))
    throw InputError(
        fmt::format("causal forest: given nuisances need one Ŷ and one Ŵ per row ({} rows; got {} and {})",
                    x.rows(), y_hat.size(), w_hat.size()));
  check_forest_options(options.forest, x.rows());
  std::vector<std::uint32_t> rows(x.rows());
  std::iota(rows.begin(), rows.end(), std::uint32_t{0});

  CausalForestFit fit;
  if (!y_hat.empty()) {
    fit.y_hat.assign(y_hat.begin(), y_hat.end());
    fit.w_hat.assign(w_hat.begin(), w_hat.end());
    return fit_on_residuals(x, y, w, options, std::move(fit));
  }
  ForestOptions nuisance = options.forest;
  nuisance.trees = options.nuisance_trees != 0 ? options.nuisance_trees
                                               : std::max<std::size_t>(50, options.forest.trees / 4);
  nuisance.ci_group_size = 1;
  nuisance.seed = derive_seed(options.forest.seed, kOutcomeStream);
  fit.y_hat = regression_forest_predictions(x, y, rows, nuisance);
  nuisance.seed = derive_seed(options.forest.seed, kTreatmentStream);
  fit.w_hat = regression_forest_predictions(x, w, rows, nuisance);
  return fit_on_residuals(x, y, w, options, std::move(fit));
}

}  // namespace casebook
