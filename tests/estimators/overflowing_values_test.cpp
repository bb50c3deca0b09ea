// Values whose squares overflow, and results that are not numbers: every estimator refuses them
// with one line naming the column and row (issue 20, item 4), instead of writing NaN as `null`.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"

namespace casebook {
namespace {

Dataset with_outcome(double scale) {
  Dataset data("big.csv");
  std::vector<double> y, t, x;
  for (int i = 0; i < 40; ++i) {
    t.push_back(i % 2);
    x.push_back(std::sin(i));
    y.push_back(scale * (1 + 0.1 * std::cos(i)) + t.back());
  }
  data.add_column(Column{"y", y, {}});
  data.add_column(Column{"t", t, {}});
  data.add_column(Column{"x", x, {}});
  return data;
}

TEST(OverflowingValues, AreRefusedWithTheirColumnAndRowByEveryRegressionStyleEstimator) {
  const Dataset data = with_outcome(1e307);
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  for (const char* name : {"ols", "difference-in-means", "iptw", "aipw"}) {
    EstimatorArgs a = args;
    if (std::string(name) != "difference-in-means") a.covariates = {"x"};
    try {
      find_estimator(name).run(data, a);
      ADD_FAILURE() << name << " accepted an outcome of 1e307";
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("big.csv"), std::string::npos) << message;
      EXPECT_NE(message.find("column 'y', row 1"), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
}

TEST(OverflowingValues, LargeButSquarableValuesAreEstimated) {
  // 1e100 squared is 1e200: finite, so the estimate is a number (the treatment adds 1, lost in
  // rounding at this scale, but nothing overflows).
  const Estimate e = find_estimator("difference-in-means").run(with_outcome(1e100), [] {
    EstimatorArgs a;
    a.outcome = "y";
    a.treatment = "t";
    return a;
  }());
  EXPECT_TRUE(std::isfinite(e.estimate));
  EXPECT_TRUE(std::isfinite(e.se));
}

TEST(FiniteResult, ANonNumberNeverLeavesAnEstimator) {
  const Dataset data = with_outcome(1);
  Estimate e;
  e.estimate = 1;
  e.se = 0.5;
  e.ci_low = 0;
  e.ci_high = 2;
  e.p_value = 0.04;
  EXPECT_NO_THROW(require_finite_result(data, "ols", e));
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    for (double Estimate::*field :
         {&Estimate::estimate, &Estimate::se, &Estimate::ci_low, &Estimate::ci_high}) {
      Estimate broken = e;
      broken.*field = bad;
      EXPECT_THROW(require_finite_result(data, "ols", broken), InputError);
    }
  }
  Estimate no_p = e;
  no_p.p_value = std::numeric_limits<double>::quiet_NaN();
  try {
    require_finite_result(data, "ols", no_p);
    ADD_FAILURE() << "a NaN p-value passed";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("ols: the result is not a finite number"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace casebook
