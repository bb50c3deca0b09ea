#include "effect_summaries/grouped_treatment_effects.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

void check_inputs(std::span<const double> cate, std::span<const double> scores, double confidence_level,
                  const char* what) {
  if (cate.size() != scores.size())
    throw InputError(fmt::format("{}: {} CATE values for {} scores", what, cate.size(), scores.size()));
  for (std::size_t i = 0; i < cate.size(); ++i)
    if (std::isnan(cate[i]) || std::isnan(scores[i]))
      throw InputError(fmt::format("{}: row {} has a missing CATE or score", what, i + 1));
  if (!(confidence_level > 0 && confidence_level < 1))
    throw InputError(
        fmt::format("{}: confidence level must be between 0 and 1, got {}", what, confidence_level));
}

// R's quantile(x, p, type = 7) of sorted values, with R's arithmetic (so breaks equal R's bit for bit).
double type7_quantile(const std::vector<double>& sorted, double p) {
  const double index = 1 + static_cast<double>(sorted.size() - 1) * p;
  const double lo = std::floor(index);
  const auto lo_at = static_cast<std::size_t>(lo) - 1;
  const std::size_t hi_at = static_cast<std::size_t>(std::ceil(index)) - 1;
  if (!(index > lo) || sorted[hi_at] == sorted[lo_at]) return sorted[lo_at];
  const double h = index - lo;
  return (1 - h) * sorted[lo_at] + h * sorted[hi_at];
}

// Summaries of the rows with group[i] == g for each g, labelled as given.
std::vector<GroupEffect> summarise(const std::vector<std::size_t>& group,
                                   const std::vector<std::string>& labels, std::span<const double> cate,
                                   std::span<const double> scores, double confidence_level,
                                   const char* what) {
  const std::size_t count = labels.size();
  std::vector<GroupEffect> out(count);
  std::vector<double> cate_sum(count, 0.0), score_sum(count, 0.0);
  for (std::size_t g = 0; g < count; ++g) {
    out[g].label = labels[g];
    out[g].cate_min = std::numeric_limits<double>::infinity();
    out[g].cate_max = -std::numeric_limits<double>::infinity();
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    GroupEffect& e = out[group[i]];
    ++e.rows;
    cate_sum[group[i]] += cate[i];
    score_sum[group[i]] += scores[i];
    e.cate_min = std::min(e.cate_min, cate[i]);
    e.cate_max = std::max(e.cate_max, cate[i]);
  }
  for (std::size_t g = 0; g < count; ++g) {
    if (out[g].rows < 2)
      throw InputError(fmt::format("{}: group '{}' has {} row{}; an effect and its SE need at least 2", what,
                                   labels[g], out[g].rows, out[g].rows == 1 ? "" : "s"));
    const auto size = static_cast<double>(out[g].rows);
    out[g].mean_cate = cate_sum[g] / size;
    out[g].estimate = score_sum[g] / size;
  }
  std::vector<double> squares(count, 0.0);
  for (std::size_t i = 0; i < group.size(); ++i) {
    const double d = scores[i] - out[group[i]].estimate;
    squares[group[i]] += d * d;
  }
  const double z = normal_critical_value(confidence_level);
  for (std::size_t g = 0; g < count; ++g) {
    const auto size = static_cast<double>(out[g].rows);
    out[g].se = std::sqrt(squares[g] / (size - 1) / size);
    out[g].ci_low = out[g].estimate - z * out[g].se;
    out[g].ci_high = out[g].estimate + z * out[g].se;
  }
  return out;
}

}  // namespace

std::vector<GroupEffect> effects_by_cate_quantile(std::span<const double> cate,
                                                  std::span<const double> scores, std::size_t groups,
                                                  double confidence_level) {
  const char* what = "effects by CATE quantile";
  check_inputs(cate, scores, confidence_level, what);
  const std::size_t n = cate.size();
  if (groups < 2 || groups > n / 2)
    throw InputError(fmt::format("{}: the number of groups must be between 2 and half the rows ({}), got {}",
                                 what, n / 2, groups));
  std::vector<double> sorted(cate.begin(), cate.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> upper(groups);  // upper break of each group; the lowest break is the minimum
  for (std::size_t g = 0; g < groups; ++g)
    upper[g] = type7_quantile(sorted, static_cast<double>(g + 1) / static_cast<double>(groups));
  std::vector<std::size_t> group(n);
  for (std::size_t i = 0; i < n; ++i)
    group[i] =
        static_cast<std::size_t>(std::lower_bound(upper.begin(), upper.end(), cate[i]) - upper.begin());
  std::vector<std::string> labels(groups);
  for (std::size_t g = 0; g < groups; ++g) labels[g] = fmt::format("Q{}", g + 1);
  return summarise(group, labels, cate, scores, confidence_level, what);
}

std::vector<GroupEffect> effects_by_category(std::span<const double> level_codes,
                                             const std::vector<std::string>& levels,
                                             std::span<const double> cate, std::span<const double> scores,
                                             double confidence_level) {
  const char* what = "effects by category";
  check_inputs(cate, scores, confidence_level, what);
  const std::size_t n = cate.size();
  if (level_codes.size() != n)
    throw InputError(fmt::format("{}: {} category codes for {} rows", what, level_codes.size(), n));
  std::vector<std::size_t> code(n);
  std::vector<bool> present(levels.size(), false);
  for (std::size_t i = 0; i < n; ++i) {
    const double c = level_codes[i];
    if (!(c >= 0 && c < static_cast<double>(levels.size()) && c == std::floor(c)))
      throw InputError(fmt::format("{}: row {} has category code {}, not one of the {} levels", what, i + 1,
                                   c, levels.size()));
    code[i] = static_cast<std::size_t>(c);
    present[code[i]] = true;
  }
  // Renumber the present levels densely, keeping level order.
  std::vector<std::size_t> dense(levels.size(), 0);
  std::vector<std::string> labels;
  for (std::size_t l = 0; l < levels.size(); ++l)
    if (present[l]) {
      dense[l] = labels.size();
      labels.push_back(levels[l]);
    }
  if (labels.size() < 2)
    throw InputError(fmt::format("{}: needs rows in at least 2 categories (got {})", what, labels.size()));
  for (auto& c : code) c = dense[c];
  return summarise(code, labels, cate, scores, confidence_level, what);
}

}  // namespace casebook
