#pragma once
// Average effects by subgroup from doubly robust scores Γ_i (effect_summaries/doubly_robust_ate.hpp): in each
// group g, the mean predicted CATE, the doubly robust effect mean_g(Γ) with SE sd_g(Γ)/√n_g (sd with
// divisor n_g − 1) and the normal confidence interval estimate ∓ z(1 − α/2)·SE. grf has no such function;
// it is the grouping its tutorials do by hand (compare the groups' estimates to see heterogeneity).
//
// By CATE quantile: the breaks are R's type-7 quantiles of the CATE at probabilities 0, 1/G, …, 1 and a
// row with CATE c is in the first group whose break is >= c — R's
// cut(cate, quantile(cate, (0:G)/G), include.lowest = TRUE). Rows with equal CATE are always in the same
// group; when many rows share a value two breaks can coincide and a group can be empty, which is an error.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace casebook {

struct GroupEffect {
  std::string label;  // "Q1".."QG" (lowest predicted effect first) or the category's level
  std::size_t rows = 0;
  double mean_cate = 0;  // mean predicted CATE in the group
  double cate_min = 0;   // range of the predicted CATE in the group
  double cate_max = 0;
  double estimate = 0;  // mean of Γ
  double se = 0;        // sd(Γ) / √n_g
  double ci_low = 0;
  double ci_high = 0;
};

// Throws InputError when the lengths differ, a value is missing, groups < 2 or groups > n / 2, a group
// has fewer than 2 rows (ties in the CATE), or the confidence level is outside (0, 1).
std::vector<GroupEffect> effects_by_cate_quantile(std::span<const double> cate,
                                                  std::span<const double> scores, std::size_t groups = 5,
                                                  double confidence_level = 0.95);

// level_codes: a categorical column's codes 0..k-1 (data/dataset.hpp); levels: its labels. Groups come in
// level order; levels with no rows are left out. Throws InputError when the lengths differ, a code is
// missing or not one of 0..k-1, a present level has fewer than 2 rows, fewer than 2 levels are present,
// or the confidence level is outside (0, 1).
std::vector<GroupEffect> effects_by_category(std::span<const double> level_codes,
                                             const std::vector<std::string>& levels,
                                             std::span<const double> cate, std::span<const double> scores,
                                             double confidence_level = 0.95);

}  // namespace casebook
