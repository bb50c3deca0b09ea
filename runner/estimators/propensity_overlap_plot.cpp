#include "estimators/propensity_overlap_plot.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace casebook {

Plot propensity_overlap_plot(std::span<const double> treatment, std::span<const double> propensity) {
  constexpr std::size_t kBins = 20;
  const auto [low_it, high_it] = std::minmax_element(propensity.begin(), propensity.end());
  const double low = propensity.empty() ? 0 : *low_it;
  const double high = propensity.empty() ? 1 : *high_it;
  // A degenerate range (every score equal) still gets one visible bin.
  const double width = high > low ? (high - low) / kBins : 1e-3;
  std::array<std::array<double, kBins>, 2> counts{};
  std::array<double, 2> total{};
  for (std::size_t i = 0; i < propensity.size(); ++i) {
    const auto arm = static_cast<std::size_t>(treatment[i] == 1);
    const auto bin = std::min(static_cast<std::size_t>((propensity[i] - low) / width), kBins - 1);
    ++counts[arm][bin];
    ++total[arm];
  }
  Plot plot{"propensity-overlap",
            "Overlap: the estimated propensity score in each arm",
            "lines",
            "estimated propensity score",
            "density",
            {{"treated", {}, {}, {}, {}}, {"control", {}, {}, {}, {}}},
            {},
            {}};
  for (std::size_t s = 0; s < 2; ++s) {
    Series& series = plot.series[s];
    const std::size_t arm = s == 0 ? 1 : 0;
    for (std::size_t b = 0; b < kBins; ++b) {
      const double density = total[arm] > 0 ? counts[arm][b] / (total[arm] * width) : 0;
      for (const double edge :
           {low + width * static_cast<double>(b), low + width * static_cast<double>(b + 1)}) {
        series.x.push_back(edge);
        series.y.push_back(density);
      }
    }
  }
  return plot;
}

}  // namespace casebook
