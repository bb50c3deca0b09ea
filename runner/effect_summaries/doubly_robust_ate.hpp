#pragma once
// The doubly robust (AIPW) average treatment effect of a causal forest, as grf's
// average_treatment_effect(forest, target.sample = "all") for a binary treatment:
//   Γ_i = τ̂(X_i) + (W_i − Ŵ_i) / (Ŵ_i (1 − Ŵ_i)) · (Y_i − Ŷ_i − (W_i − Ŵ_i) τ̂(X_i)),
//   ATE = mean(Γ),  SE = sqrt(Σ (Γ_i − ATE)² / (n (n − 1))),
// with the out-of-bag Ŷ, Ŵ and τ̂ (Ŷ(x) + (w − Ŵ(x)) τ̂(x) is the implied outcome model μ̂_w(x)).
#include <span>
#include <vector>

namespace casebook {

struct DoublyRobustEffect {
  double estimate = 0;
  double se = 0;
  std::vector<double> scores;  // Γ_i
};

// Throws InputError when the lengths differ, n < 2, W is not 0/1, or some Ŵ_i is 0 or 1 (no overlap:
// the score divides by Ŵ(1 − Ŵ)).
DoublyRobustEffect doubly_robust_ate(std::span<const double> y, std::span<const double> w,
                                     std::span<const double> y_hat, std::span<const double> w_hat,
                                     std::span<const double> cate);

}  // namespace casebook
