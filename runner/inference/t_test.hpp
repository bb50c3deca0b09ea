#pragma once
// t-based inference for one coefficient: Student t with the variance estimate's df (n-k, or
// G-1 with clusters), as Stata and R's estimatr report; z_test for a normal reference.
namespace casebook {

struct CoefficientTest {
  double estimate = 0;
  double se = 0;
  double t_statistic = 0;
  double p_value = 1;  // two-sided
  double ci_low = 0;
  double ci_high = 0;
  double df = 0;
};

// Throws InputError unless 0 < confidence_level < 1 and df > 0. A zero se (an exact fit) gives
// a zero-width interval and p = 0 (or 1 when the estimate is 0 too), never NaN.
CoefficientTest t_test(double estimate, double se, double df, double confidence_level);

// The same with a normal reference distribution (large-sample and influence-function SEs, e.g.
// grf's AIPW ATE); df is 0. Throws InputError unless 0 < confidence_level < 1.
CoefficientTest z_test(double estimate, double se, double confidence_level);

// z with P(|Z| ≤ z) = confidence_level (1.96 for 0.95). Throws InputError as check_confidence_level.
double normal_critical_value(double confidence_level);

// Throws InputError "confidence_level 1.5 must be between 0 and 1 (exclusive)".
void check_confidence_level(double confidence_level);

}  // namespace casebook
