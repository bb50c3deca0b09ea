#include "forest/instrumental_forest.hpp"

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

// Random streams of the four forests, apart from each other and from the causal forest's.
constexpr std::uint64_t kOutcomeStream = 0x4959;     // "IY"
constexpr std::uint64_t kTreatmentStream = 0x4957;   // "IW"
constexpr std::uint64_t kInstrumentStream = 0x495a;  // "IZ"
constexpr std::uint64_t kForestStream = 0x4946;      // "IF"

// Leaf statistics, in grf's order.
enum Statistic : std::size_t { kY, kW, kZ, kYZ, kWZ };

// τ̂ = cov(Z̃, Ỹ) / cov(Z̃, W̃) from means; NaN when the first stage is (numerically) zero.
double ratio(double yz, double wz, double y, double w, double z) {
  const double first_stage = wz - w * z;
  if (!(std::abs(first_stage) > 1e-12 * std::max(std::abs(wz), 1e-300)))
    return std::numeric_limits<double>::quiet_NaN();
  return (yz - y * z) / first_stage;
}

}  // namespace

InstrumentalRule::InstrumentalRule(std::span<const double> y_residual, std::span<const double> w_residual,
                                   std::span<const double> z_residual)
    : y_(y_residual), w_(w_residual), z_(z_residual) {
  const auto n = static_cast<double>(y_.size());
  double yz = 0, wz = 0, y = 0, w = 0, z = 0;
  for (std::size_t i = 0; i < y_.size(); ++i) {
    yz += y_[i] * z_[i];
    wz += w_[i] * z_[i];
    y += y_[i];
    w += w_[i];
    z += z_[i];
  }
  const double effect = ratio(yz / n, wz / n, y / n, w / n, z / n);
  overall_effect_ = std::isnan(effect) ? 0.0 : effect;
}

void InstrumentalRule::sample_statistics(std::uint32_t row, std::span<double> out) const {
  out[kY] = y_[row];
  out[kW] = w_[row];
  out[kZ] = z_[row];
  out[kYZ] = y_[row] * z_[row];
  out[kWZ] = w_[row] * z_[row];
}

void InstrumentalRule::node_responses(std::span<const std::uint32_t> rows, std::span<double> out) const {
  const auto n = static_cast<double>(rows.size());
  double y_mean = 0, w_mean = 0, z_mean = 0;
  for (const std::uint32_t r : rows) {
    y_mean += y_[r];
    w_mean += w_[r];
    z_mean += z_[r];
  }
  y_mean /= n;
  w_mean /= n;
  z_mean /= n;
  double reduced_form = 0, first_stage = 0;
  for (const std::uint32_t r : rows) {
    reduced_form += (z_[r] - z_mean) * (y_[r] - y_mean);
    first_stage += (z_[r] - z_mean) * (w_[r] - w_mean);
  }
  // The instrument does not move the treatment in this node: no effect is identified, nothing to split
  // on (grf signals "do not split" with the same tolerance).
  if (!(std::abs(first_stage) > 1e-10)) {
    std::fill(out.begin(), out.end(), 0.0);
    return;
  }
  const double effect = reduced_form / first_stage;
  const double scale = n / first_stage;  // a node constant: the split it chooses is grf's
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::uint32_t r = rows[i];
    out[i] = (z_[r] - z_mean) * (y_[r] - y_mean - effect * (w_[r] - w_mean)) * scale;
  }
}

double InstrumentalRule::combine(std::span<const double> averages) const {
  const double effect = ratio(averages[kYZ], averages[kWZ], averages[kY], averages[kW], averages[kZ]);
  return std::isnan(effect) ? overall_effect_ : effect;
}

void InstrumentalRule::gradient(std::span<const double> averages, std::span<double> out) const {
  // τ = (yz − y·z) / D with D = wz − w·z.
  const double y = averages[kY], w = averages[kW], z = averages[kZ];
  const double d = averages[kWZ] - w * z;
  const double tau = (averages[kYZ] - y * z) / d;
  out[kYZ] = 1 / d;
  out[kWZ] = -tau / d;
  out[kY] = -z / d;
  out[kW] = tau * z / d;
  out[kZ] = (tau * w - y) / d;
}

InstrumentalForestFit fit_instrumental_forest(const BinnedMatrix& x, std::span<const double> y,
                                              std::span<const double> w, std::span<const double> z,
                                              const InstrumentalForestOptions& options) {
  if (y.size() != x.rows() || w.size() != x.rows() || z.size() != x.rows())
    throw InputError(fmt::format(
        "instrumental forest: {} covariate rows but {} outcomes, {} treatments and {} instruments", x.rows(),
        y.size(), w.size(), z.size()));
  check_forest_options(options.forest, x.rows());
  std::vector<std::uint32_t> rows(x.rows());
  std::iota(rows.begin(), rows.end(), std::uint32_t{0});

  InstrumentalForestFit fit;
  ForestOptions nuisance = options.forest;
  nuisance.trees =
      options.nuisance_trees != 0 ? options.nuisance_trees : std::min<std::size_t>(500, options.forest.trees);
  nuisance.ci_group_size = 1;
  nuisance.seed = derive_seed(options.forest.seed, kOutcomeStream);
  fit.y_hat = regression_forest_predictions(x, y, rows, nuisance);
  nuisance.seed = derive_seed(options.forest.seed, kTreatmentStream);
  fit.w_hat = regression_forest_predictions(x, w, rows, nuisance);
  nuisance.seed = derive_seed(options.forest.seed, kInstrumentStream);
  fit.z_hat = regression_forest_predictions(x, z, rows, nuisance);

  std::vector<double> y_residual(x.rows()), w_residual(x.rows()), z_residual(x.rows());
  for (std::size_t i = 0; i < x.rows(); ++i) {
    y_residual[i] = y[i] - fit.y_hat[i];
    w_residual[i] = w[i] - fit.w_hat[i];
    z_residual[i] = z[i] - fit.z_hat[i];
  }
  const InstrumentalRule rule(y_residual, w_residual, z_residual);
  ForestOptions forest = options.forest;
  forest.seed = derive_seed(options.forest.seed, kForestStream);
  grow_out_of_bag_effect(x, rule, forest, fit);
  return fit;
}

}  // namespace casebook
