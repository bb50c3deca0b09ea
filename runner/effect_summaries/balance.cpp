#include "effect_summaries/balance.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

namespace {

// MatchIt treats |difference| below √ε as zero and scales nothing below it.
const double kTiny = std::sqrt(std::numeric_limits<double>::epsilon());

struct Arm {
  std::vector<double> x;      // the arm's values
  std::span<const double> w;  // and weights
};

double weighted_mean(const Arm& arm) {
  double sw = 0, swx = 0;
  for (std::size_t i = 0; i < arm.x.size(); ++i) {
    sw += arm.w[i];
    swx += arm.w[i] * arm.x[i];
  }
  return swx / sw;
}

// MatchIt's wvar: with weights normalised to sum 1, m(1 − m) for a 0/1 covariate, otherwise
// Σ w (x − m)² / (1 − Σ w²) (the unbiased variance for equal weights).
double weighted_variance(const Arm& arm, bool binary) {
  const double sw = std::accumulate(arm.w.begin(), arm.w.end(), 0.0);
  const double mean = weighted_mean(arm);
  if (binary) return mean * (1 - mean);
  double ss = 0, sw2 = 0;
  for (std::size_t i = 0; i < arm.x.size(); ++i) {
    const double wi = arm.w[i] / sw;
    ss += wi * (arm.x[i] - mean) * (arm.x[i] - mean);
    sw2 += wi * wi;
  }
  return ss / (1 - sw2);
}

// MatchIt's pooled_sd(contribution = "proportional") with unit weights, its fallback when the
// chosen arm's SD is 0: within-arm deviations pooled over both arms.
double pooled_sd(const Arm& treated, const Arm& control, bool binary) {
  const double n = static_cast<double>(treated.x.size() + control.x.size());
  double total = 0;
  for (const Arm* arm : {&treated, &control}) {
    const double ni = static_cast<double>(arm->x.size());
    const double sum = std::accumulate(arm->x.begin(), arm->x.end(), 0.0);
    if (binary) {
      total += sum * (1 - sum / ni) / n;
    } else {
      const double mean = sum / ni;
      for (const double v : arm->x) total += (v - mean) * (v - mean) / (n - 1);
    }
  }
  return std::sqrt(total);
}

// Both arms' values in ascending order, each with its place in the treated-then-control sequence:
// sorted once per covariate and used for the eCDF before and after weighting.
struct SortedValue {
  double x;
  std::uint32_t index;
};
std::vector<SortedValue> sorted_values(const Arm& treated, const Arm& control) {
  std::vector<SortedValue> out;
  out.reserve(treated.x.size() + control.x.size());
  for (const double x : treated.x) out.push_back({x, static_cast<std::uint32_t>(out.size())});
  for (const double x : control.x) out.push_back({x, static_cast<std::uint32_t>(out.size())});
  std::sort(out.begin(), out.end(), [](const SortedValue& a, const SortedValue& b) { return a.x < b.x; });
  return out;
}

// max over values v of |F_treated(v) − F_control(v)| with each arm's weights normalised to 1
// (MatchIt's qqsum with standardize = TRUE).
double ecdf_max(const Arm& treated, const Arm& control, const std::vector<SortedValue>& sorted) {
  const double s1 = std::accumulate(treated.w.begin(), treated.w.end(), 0.0);
  const double s0 = std::accumulate(control.w.begin(), control.w.end(), 0.0);
  const std::size_t n1 = treated.x.size();
  double cumulative = 0, largest = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const std::size_t k = sorted[i].index;
    cumulative += k < n1 ? treated.w[k] / s1 : -control.w[k - n1] / s0;
    if (i + 1 == sorted.size() || sorted[i + 1].x != sorted[i].x)  // the last of tied values
      largest = std::max(largest, std::abs(cumulative));
  }
  return largest;
}

// One covariate's statistics with the arms' weights; `scale` is the SD every SMD divides by.
BalanceStatistics statistics(const Arm& treated, const Arm& control, bool binary, double scale,
                             const std::vector<SortedValue>& sorted) {
  BalanceStatistics s;
  s.mean_treated = weighted_mean(treated);
  s.mean_control = weighted_mean(control);
  const double difference = s.mean_treated - s.mean_control;
  // summary.matchit reports the raw difference when it is (numerically) zero.
  s.smd = std::abs(difference) > kTiny ? difference / scale : difference;
  if (binary) {
    s.ecdf_max = std::abs(difference);
  } else {
    // Undefined (MatchIt: NA) when an arm has one positive weight or no spread: never NaN.
    const double v1 = weighted_variance(treated, false);
    const double v0 = weighted_variance(control, false);
    if (v0 > 0 && std::isfinite(v0) && std::isfinite(v1)) s.var_ratio = v1 / v0;
    s.ecdf_max = ecdf_max(treated, control, sorted);
  }
  return s;
}

}  // namespace

double effective_sample_size(std::span<const double> weights) {
  double sum = 0, sum_squares = 0;
  for (const double w : weights) {
    sum += w;
    sum_squares += w * w;
  }
  return sum_squares > 0 ? sum * sum / sum_squares : 0.0;
}

BalanceTable covariate_balance(const Eigen::Ref<const Eigen::MatrixXd>& x,
                               const std::vector<std::string>& names, std::span<const double> treatment,
                               std::span<const double> weights, BalanceEstimand estimand) {
  const auto n = static_cast<std::size_t>(x.rows());
  if (names.size() != static_cast<std::size_t>(x.cols()) || treatment.size() != n || weights.size() != n)
    throw InputError(fmt::format("balance: {} rows, {} treatments and {} weights; {} columns and {} names", n,
                                 treatment.size(), weights.size(), x.cols(), names.size()));
  std::vector<std::size_t> rows1, rows0;
  std::vector<double> w1, w0;
  for (std::size_t i = 0; i < n; ++i) {
    if (treatment[i] != 0 && treatment[i] != 1)
      throw InputError(fmt::format("balance: treatment must be 0/1, got {} in row {}", treatment[i], i + 1));
    if (!std::isfinite(weights[i]) || weights[i] < 0)
      throw InputError(
          fmt::format("balance: weight {} in row {} is not a finite number ≥ 0", weights[i], i + 1));
    (treatment[i] == 1 ? rows1 : rows0).push_back(i);
    (treatment[i] == 1 ? w1 : w0).push_back(weights[i]);
  }
  BalanceTable table;
  table.ess_treated = effective_sample_size(w1);
  table.ess_control = effective_sample_size(w0);
  if (table.ess_treated == 0 || table.ess_control == 0)
    throw InputError("balance: an arm has no row with a positive weight; nothing to compare");

  const std::vector<double> ones1(rows1.size(), 1.0), ones0(rows0.size(), 1.0);
  Arm treated, control;
  treated.x.resize(rows1.size());
  control.x.resize(rows0.size());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (std::size_t k = 0; k < rows1.size(); ++k) treated.x[k] = x(static_cast<Eigen::Index>(rows1[k]), j);
    for (std::size_t k = 0; k < rows0.size(); ++k) control.x[k] = x(static_cast<Eigen::Index>(rows0[k]), j);
    CovariateBalance row;
    row.name = names[static_cast<std::size_t>(j)];
    row.binary = std::all_of(treated.x.begin(), treated.x.end(), [](double v) { return v == 0 || v == 1; }) &&
                 std::all_of(control.x.begin(), control.x.end(), [](double v) { return v == 0 || v == 1; });
    // Before: unit weights. The SMD's denominator always comes from the unweighted sample
    // (MatchIt's bal1var), so before and after differences are on one scale.
    treated.w = ones1;
    control.w = ones0;
    const double v1 = weighted_variance(treated, row.binary);
    const double v0 = weighted_variance(control, row.binary);
    double scale = estimand == BalanceEstimand::att   ? std::sqrt(v1)
                   : estimand == BalanceEstimand::atc ? std::sqrt(v0)
                                                      : std::sqrt((v1 + v0) / 2);
    if (!std::isfinite(scale) || scale < kTiny) scale = pooled_sd(treated, control, row.binary);
    if (!std::isfinite(scale) || scale < kTiny) scale = 1;  // constant covariate: every difference is 0
    const std::vector<SortedValue> sorted =
        row.binary ? std::vector<SortedValue>{} : sorted_values(treated, control);
    row.before = statistics(treated, control, row.binary, scale, sorted);
    treated.w = w1;
    control.w = w0;
    row.after = statistics(treated, control, row.binary, scale, sorted);
    table.max_abs_smd_before = std::max(table.max_abs_smd_before, std::abs(row.before.smd));
    table.max_abs_smd_after = std::max(table.max_abs_smd_after, std::abs(row.after.smd));
    table.covariates.push_back(std::move(row));
  }
  return table;
}

}  // namespace casebook
