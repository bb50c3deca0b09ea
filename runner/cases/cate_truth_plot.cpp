#include "cases/cate_truth_plot.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace casebook {

namespace {

double quantile_type7(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  const double h = p * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(h);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

Plot cate_against_truth_plot(std::span<const double> cate, std::span<const double> truth, std::size_t bins) {
  Plot plot;
  plot.id = "cate-vs-truth";
  plot.title = "Estimated τ(x) against the true effect, by twentieth of the truth";
  plot.kind = "lines";
  plot.x_label = "true effect (mean in bin)";
  plot.y_label = "estimated effect";
  Series estimated{"estimate: bin mean, 10th–90th percentile band", {}, {}, {}, {}};
  Series perfect{"truth (45° line)", {}, {}, {}, {}};
  const std::size_t n = cate.size();
  if (n == truth.size() && bins > 0 && n >= bins) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Stable, so rows with equal truth keep their order and the bins are the same on every run.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return truth[a] < truth[b]; });
    for (std::size_t b = 0; b < bins; ++b) {
      const std::size_t begin = b * n / bins, end = (b + 1) * n / bins;
      std::vector<double> estimates;
      double truth_sum = 0;
      for (std::size_t i = begin; i < end; ++i) {
        estimates.push_back(cate[order[i]]);
        truth_sum += truth[order[i]];
      }
      const auto count = static_cast<double>(end - begin);
      const double x = truth_sum / count;
      estimated.x.push_back(x);
      estimated.y.push_back(std::accumulate(estimates.begin(), estimates.end(), 0.0) / count);
      estimated.lower.push_back(quantile_type7(estimates, 0.1));
      estimated.upper.push_back(quantile_type7(estimates, 0.9));
      perfect.x.push_back(x);
      perfect.y.push_back(x);
    }
  }
  plot.series = {std::move(estimated), std::move(perfect)};
  return plot;
}

}  // namespace casebook
