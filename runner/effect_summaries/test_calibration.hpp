#pragma once
// grf's test_calibration for a causal forest: regress Y − Ŷ (no intercept) on
//   mean.forest.prediction         = (W − Ŵ) · τ̄        (τ̄ = mean of the out-of-bag τ̂)
//   differential.forest.prediction = (W − Ŵ) · (τ̂ − τ̄)
// with HC3 standard errors (what sandwich::vcovCL(type = "HC3", cluster = each row) gives), and one-sided
// p-values P(T_{n−2} > t). A coefficient of 1 on the mean prediction says the average effect is right; a
// differential coefficient significantly above 0 says the forest found heterogeneity (1 = well calibrated).
#include <span>

namespace casebook {

struct CalibrationCoefficient {
  double estimate = 0;
  double se = 0;
  double t_statistic = 0;
  double p_value = 1;  // one-sided: H1 coefficient > 0
};

struct CalibrationTest {
  CalibrationCoefficient mean_prediction;
  CalibrationCoefficient differential_prediction;
};

// With clusters (one id per row), the HC3 errors are clustered as grf does
// (vcovCL(type = "HC3", cluster = clusters), effect_summaries/clustered_hc3.hpp).
// Throws InputError when the lengths differ, n < 3, the regressors are collinear (e.g. every
// τ̂ equal, so there is no differential prediction to test), or the cluster ids are bad.
CalibrationTest test_calibration(std::span<const double> y, std::span<const double> w,
                                 std::span<const double> y_hat, std::span<const double> w_hat,
                                 std::span<const double> cate, std::span<const double> clusters = {});

}  // namespace casebook
