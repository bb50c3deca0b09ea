// The overlap plot on hand-computed inputs: 20 equal bins over the scores' range, each arm's
// density a step function, the top score in the last bin, equal scores without a division by 0.
#include "estimators/propensity_overlap_plot.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace casebook {
namespace {

TEST(PropensityOverlapPlot, EachArmsDensityOverTwentyBinsOfTheScoresRange) {
  const std::vector<double> t = {1, 1, 0, 0};
  const std::vector<double> e = {0, 1, 0, 0.5};
  const Plot plot = propensity_overlap_plot(t, e);
  EXPECT_EQ(plot.id, "propensity-overlap");
  EXPECT_EQ(plot.kind, "lines");
  ASSERT_EQ(plot.series.size(), 2u);
  const Series& treated = plot.series[0];
  const Series& control = plot.series[1];
  EXPECT_EQ(treated.name, "treated");
  ASSERT_EQ(treated.x.size(), 40u);  // two points per bin
  EXPECT_DOUBLE_EQ(treated.x.front(), 0);
  EXPECT_DOUBLE_EQ(treated.x.back(), 1);
  // Bin width 0.05: one of two treated units in the first bin and one (the maximum) in the last.
  EXPECT_DOUBLE_EQ(treated.y[0], 10);
  EXPECT_DOUBLE_EQ(treated.y[38], 10);
  EXPECT_DOUBLE_EQ(treated.y[20], 0);
  // Controls at 0 and 0.5: the first bin and bin 10.
  EXPECT_DOUBLE_EQ(control.y[0], 10);
  EXPECT_DOUBLE_EQ(control.y[20], 10);
  EXPECT_DOUBLE_EQ(control.y[38], 0);
}

TEST(PropensityOverlapPlot, EqualScoresGiveOneFiniteBin) {
  const std::vector<double> t = {1, 0, 0};
  const std::vector<double> e = {0.3, 0.3, 0.3};
  const Plot plot = propensity_overlap_plot(t, e);
  for (const Series& arm : plot.series) {
    for (const double y : arm.y) EXPECT_TRUE(std::isfinite(y));
    EXPECT_DOUBLE_EQ(arm.y[0], 1000);  // all mass in a bin of width 1e-3
  }
}

}  // namespace
}  // namespace casebook
