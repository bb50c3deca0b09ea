#include "effect_summaries/targeted_average_effect.hpp"

#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "effect_summaries/doubly_robust_ate.hpp"
#include "inference/cluster_index.hpp"

namespace casebook {

TargetSample parse_target_sample(std::string_view text) {
  if (text == "all") return TargetSample::all;
  if (text == "treated") return TargetSample::treated;
  if (text == "control") return TargetSample::control;
  throw InputError(fmt::format("target sample '{}' is not one of: all, treated, control", text));
}

std::string_view to_string(TargetSample target) {
  switch (target) {
    case TargetSample::all:
      return "all";
    case TargetSample::treated:
      return "treated";
    case TargetSample::control:
      return "control";
  }
  return "all";
}

AverageEffect average_treatment_effect(std::span<const double> y, std::span<const double> w,
                                       std::span<const double> y_hat, std::span<const double> w_hat,
                                       std::span<const double> cate, const AverageEffectOptions& options) {
  // Validates the inputs (lengths, 0/1 treatment, overlap) and gives the AIPW scores.
  const DoublyRobustEffect scores = doubly_robust_ate(y, w, y_hat, w_hat, cate);
  const std::size_t n = y.size();
  const ClusterCodes clusters = make_cluster_codes(options.clusters, n, "average treatment effect");
  AverageEffect out;
  out.target = options.target;
  out.rows = n;
  out.clusters = clusters.count;

  if (options.target == TargetSample::all) {
    std::vector<double> centred(n);
    for (std::size_t i = 0; i < n; ++i) centred[i] = scores.scores[i] - scores.estimate;
    out.estimate = scores.estimate;
    out.se = std::sqrt(clustered_variance_of_mean(centred, clusters));
    return out;
  }

  // The target arm is the one averaged over (treated for the ATT); the other arm is reweighted to it.
  const double target_arm = options.target == TargetSample::treated ? 1.0 : 0.0;
  std::size_t target_rows = 0;
  double target_cate_sum = 0, odds_sum = 0;
  std::vector<double> odds(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (w[i] == target_arm) {
      ++target_rows;
      target_cate_sum += cate[i];
    } else {
      // Odds of belonging to the target arm: e/(1 − e) for the ATT, (1 − e)/e for the ATC.
      odds[i] = target_arm == 1.0 ? w_hat[i] / (1 - w_hat[i]) : (1 - w_hat[i]) / w_hat[i];
      odds_sum += odds[i];
    }
  }
  if (target_rows == 0 || target_rows == n)
    throw InputError(fmt::format("average treatment effect on the {}: needs both treated and control rows",
                                 to_string(options.target)));
  const auto n_target = static_cast<double>(target_rows);
  const double target_cate_mean = target_cate_sum / n_target;
  double cate_variance = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (w[i] == target_arm) cate_variance += (cate[i] - target_cate_mean) * (cate[i] - target_cate_mean);
  cate_variance /= n_target * n_target;

  std::vector<double> correction(n);
  double correction_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double gamma = static_cast<double>(n) * (w[i] == target_arm ? 1.0 / n_target : odds[i] / odds_sum);
    const double mu_treated = y_hat[i] + (1 - w_hat[i]) * cate[i];
    const double mu_control = y_hat[i] - w_hat[i] * cate[i];
    correction[i] = w[i] == 1.0 ? gamma * (y[i] - mu_treated) : -gamma * (y[i] - mu_control);
    correction_sum += correction[i];
  }
  out.estimate = target_cate_mean + correction_sum / static_cast<double>(n);
  out.se = std::sqrt(cate_variance + clustered_variance_of_mean(correction, clusters));
  return out;
}

}  // namespace casebook
