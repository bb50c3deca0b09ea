#include "cases/segment_truth.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace casebook {
namespace {

std::optional<double> diagnostic(const Estimate& e, const std::string& name) {
  const auto it = e.diagnostics.find(name);
  if (it == e.diagnostics.end()) return std::nullopt;
  return it->second;
}

}  // namespace

void add_segment_truth(Estimate& estimate, std::span<const double> row_truth) {
  const auto segment = estimate.row_outputs.find("segment");
  const auto target = estimate.row_outputs.find("segment_target");
  if (segment == estimate.row_outputs.end() || target == estimate.row_outputs.end()) return;
  if (segment->second.size() != row_truth.size() || target->second.size() != row_truth.size()) return;
  const auto k = static_cast<std::size_t>(*std::max_element(segment->second.begin(), segment->second.end()));
  std::vector<double> sum(k + 1, 0.0), count(k + 1, 0.0);
  for (std::size_t i = 0; i < row_truth.size(); ++i) {
    if (target->second[i] != 1) continue;
    const auto s = static_cast<std::size_t>(segment->second[i]);
    sum[s] += row_truth[i];
    count[s] += 1;
  }
  double covered = 0, with_effect = 0;
  std::optional<std::size_t> top_estimate, top_truth;
  for (std::size_t s = 1; s <= k; ++s) {
    if (count[s] == 0) continue;
    const double truth = sum[s] / count[s];
    estimate.diagnostics[fmt::format("segment{}_truth", s)] = truth;
    const auto effect = diagnostic(estimate, fmt::format("segment{}_effect", s));
    const auto low = diagnostic(estimate, fmt::format("segment{}_ci_low", s));
    const auto high = diagnostic(estimate, fmt::format("segment{}_ci_high", s));
    if (!effect || !low || !high) continue;  // not estimable
    with_effect += 1;
    covered += *low <= truth && truth <= *high ? 1 : 0;
    if (!top_estimate || *effect > estimate.diagnostics.at(fmt::format("segment{}_effect", *top_estimate)))
      top_estimate = s;
    if (!top_truth || truth > estimate.diagnostics.at(fmt::format("segment{}_truth", *top_truth)))
      top_truth = s;
  }
  if (with_effect == 0) return;
  estimate.diagnostics["segment_truth_coverage"] = covered / with_effect;
  if (with_effect >= 2) estimate.diagnostics["largest_segment_found"] = top_estimate == top_truth ? 1 : 0;
}

}  // namespace casebook
