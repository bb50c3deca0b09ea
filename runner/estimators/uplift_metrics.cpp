#include "estimators/uplift_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

std::vector<std::size_t> rank_by_score(std::span<const double> score) {
  std::vector<std::size_t> order(score.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  return order;
}

// Fills undefined leading values by the line from 0 at k = 0 to the first defined value.
std::vector<double> interpolate_from_zero(const std::vector<std::optional<double>>& values) {
  std::vector<double> out(values.size(), 0.0);
  std::size_t first = values.size();
  for (std::size_t k = 1; k < values.size(); ++k)
    if (values[k]) {
      first = k;
      break;
    }
  for (std::size_t k = 1; k < values.size(); ++k) {
    if (values[k])
      out[k] = *values[k];
    else if (first < values.size())
      out[k] = *values[first] * static_cast<double>(k) / static_cast<double>(first);
  }
  return out;
}

// Σ_k curve(k)/|curve(n)| minus the random line's area, both over n + 1 points.
struct Area {
  double model = 0, random = 0;
};
Area normalised_areas(const std::vector<double>& curve) {
  const double end = curve.back();
  const double n = static_cast<double>(curve.size() - 1);
  Area area;
  if (end == 0) return area;
  const double scale = std::abs(end);
  for (std::size_t k = 0; k < curve.size(); ++k) {
    area.model += curve[k] / scale;
    area.random += static_cast<double>(k) / n * (end / scale);
  }
  area.model /= static_cast<double>(curve.size());
  area.random /= static_cast<double>(curve.size());
  return area;
}

void check_inputs(std::span<const double> y, std::span<const double> treatment,
                  std::span<const double> score) {
  if (y.size() != treatment.size() || y.size() != score.size())
    throw InputError("uplift metrics: outcome, treatment and score differ in length");
  if (y.size() < 2) throw InputError("uplift metrics: need at least 2 rows");
  for (std::size_t i = 0; i < treatment.size(); ++i)
    if (treatment[i] != 0 && treatment[i] != 1)
      throw InputError(
          fmt::format("uplift metrics: treatment must be 0/1; row {} has {}", i + 1, treatment[i]));
}

}  // namespace

UpliftCurves uplift_curves(std::span<const double> y, std::span<const double> treatment,
                           std::span<const double> score) {
  check_inputs(y, treatment, score);
  const std::vector<std::size_t> order = rank_by_score(score);
  const std::size_t n = y.size();
  std::vector<std::optional<double>> gain(n + 1), qini(n + 1);
  gain[0] = qini[0] = 0.0;
  double n_t = 0, n_c = 0, y_t = 0, y_c = 0;
  for (std::size_t k = 1; k <= n; ++k) {
    const std::size_t i = order[k - 1];
    if (treatment[i] == 1) {
      ++n_t;
      y_t += y[i];
    } else {
      ++n_c;
      y_c += y[i];
    }
    if (n_c > 0) qini[k] = y_t - y_c * n_t / n_c;
    if (n_c > 0 && n_t > 0) gain[k] = (y_t / n_t - y_c / n_c) * static_cast<double>(k);
  }
  return {interpolate_from_zero(gain), interpolate_from_zero(qini)};
}

UpliftEvaluation evaluate_uplift(std::span<const double> y, std::span<const double> treatment,
                                 std::span<const double> score, double top_share) {
  if (!(top_share > 0 && top_share <= 1))
    throw InputError(fmt::format("uplift metrics: the top share must be in (0, 1] (got {})", top_share));
  UpliftEvaluation e;
  e.curves = uplift_curves(y, treatment, score);
  const std::size_t n = y.size();
  const Area gain_area = normalised_areas(e.curves.gain);
  e.auuc = gain_area.model;
  e.auuc_random = gain_area.random;
  const Area qini_area = normalised_areas(e.curves.qini);
  e.qini_coefficient = qini_area.model - qini_area.random;
  const auto top = static_cast<std::size_t>(std::llround(top_share * static_cast<double>(n)));
  e.top_share = e.curves.gain.back() == 0 ? 0 : e.curves.gain[top] / e.curves.gain.back();

  const std::vector<std::size_t> order = rank_by_score(score);
  for (std::size_t d = 0; d < 10; ++d) {
    const std::size_t begin = d * n / 10, end = (d + 1) * n / 10;
    DecileUplift decile;
    decile.rows = end - begin;
    double sums[2] = {0, 0}, counts[2] = {0, 0}, score_sum = 0;
    for (std::size_t r = begin; r < end; ++r) {
      const std::size_t i = order[r];
      const auto arm = static_cast<std::size_t>(treatment[i]);
      sums[arm] += y[i];
      ++counts[arm];
      score_sum += score[i];
    }
    decile.mean_score = decile.rows ? score_sum / static_cast<double>(decile.rows) : 0;
    decile.defined = counts[0] > 0 && counts[1] > 0;
    decile.observed_uplift = decile.defined ? sums[1] / counts[1] - sums[0] / counts[0] : 0;
    e.deciles.push_back(decile);
  }
  return e;
}

double pehe(std::span<const double> estimate, std::span<const double> truth) {
  if (estimate.size() != truth.size() || estimate.empty())
    throw InputError("PEHE: the estimated and true effects differ in length");
  double sum = 0;
  for (std::size_t i = 0; i < estimate.size(); ++i)
    sum += (estimate[i] - truth[i]) * (estimate[i] - truth[i]);
  return std::sqrt(sum / static_cast<double>(estimate.size()));
}

double pearson_correlation(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size() || a.empty()) throw InputError("correlation: the two columns differ in length");
  const double n = static_cast<double>(a.size());
  const double mean_a = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mean_b = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - mean_a) * (b[i] - mean_b);
    saa += (a[i] - mean_a) * (a[i] - mean_a);
    sbb += (b[i] - mean_b) * (b[i] - mean_b);
  }
  if (saa == 0 || sbb == 0) return 0;
  return sab / std::sqrt(saa * sbb);
}

std::vector<Plot> uplift_plots(const UpliftEvaluation& evaluation, const std::string& label) {
  auto curve_plot = [&](const std::vector<double>& curve, const std::string& id, const std::string& title,
                        const std::string& y_label) {
    Plot plot{id, title, "lines", "share of population targeted (by predicted effect)", y_label, {}, {0}, {}};
    const std::size_t n = curve.size() - 1;
    const double scale = curve.back() == 0 ? 1 : std::abs(curve.back());
    Series model{label, {}, {}, {}, {}}, random{"random targeting", {}, {}, {}, {}};
    for (std::size_t step = 0; step <= 100; ++step) {
      const std::size_t k = step * n / 100;
      const double share = static_cast<double>(k) / static_cast<double>(n);
      model.x.push_back(share);
      model.y.push_back(curve[k] / scale);
      random.x.push_back(share);
      random.y.push_back(share * curve.back() / scale);
    }
    plot.series = {std::move(model), std::move(random)};
    return plot;
  };
  std::vector<Plot> plots;
  plots.push_back(curve_plot(evaluation.curves.gain, "gain", "Cumulative gain (uplift) curve",
                             "normalised cumulative gain"));
  plots.push_back(curve_plot(evaluation.curves.qini, "qini", "Qini curve", "normalised Qini"));
  Plot deciles{"uplift_by_decile",
               "Observed uplift by decile of predicted effect",
               "points",
               "decile of predicted effect (1 = highest)",
               "mean(Y|T=1) − mean(Y|T=0)",
               {},
               {0},
               {}};
  Series observed{"observed uplift", {}, {}, {}, {}}, predicted{"mean predicted effect", {}, {}, {}, {}};
  for (std::size_t d = 0; d < evaluation.deciles.size(); ++d) {
    observed.x.push_back(static_cast<double>(d + 1));
    observed.y.push_back(evaluation.deciles[d].observed_uplift);
    predicted.x.push_back(static_cast<double>(d + 1));
    predicted.y.push_back(evaluation.deciles[d].mean_score);
  }
  deciles.series = {std::move(observed), std::move(predicted)};
  plots.push_back(std::move(deciles));
  return plots;
}

}  // namespace casebook
