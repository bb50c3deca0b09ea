// The CATE-against-truth plot (cases/cate_truth_plot.hpp): bins by the truth, means and bands.
#include <gtest/gtest.h>

#include <vector>

#include "cases/cate_truth_plot.hpp"

namespace casebook {
namespace {

TEST(CateTruthPlot, BinsRowsByTheirTrueEffect) {
  // Truth 0…99 in reverse order; the estimate is the truth plus 1 on even rows and minus 1 on odd ones.
  std::vector<double> truth, cate;
  for (int i = 99; i >= 0; --i) {
    truth.push_back(i);
    cate.push_back(i + (i % 2 == 0 ? 1.0 : -1.0));
  }
  const Plot plot = cate_against_truth_plot(cate, truth, 4);
  ASSERT_EQ(plot.series.size(), 2u);
  const Series& estimated = plot.series[0];
  const Series& perfect = plot.series[1];
  ASSERT_EQ(estimated.x.size(), 4u);
  // Bin 1 holds truths 0…24 (mean 12), bin 4 truths 75…99.
  EXPECT_DOUBLE_EQ(estimated.x[0], 12);
  EXPECT_DOUBLE_EQ(estimated.x[3], 87);
  double sum = 0;
  for (int i = 0; i < 25; ++i) sum += i + (i % 2 == 0 ? 1.0 : -1.0);
  EXPECT_DOUBLE_EQ(estimated.y[0], sum / 25);
  // The band is the estimates' 10th and 90th percentiles (R's type 7) in the bin.
  EXPECT_LT(estimated.lower[0], estimated.y[0]);
  EXPECT_GT(estimated.upper[0], estimated.y[0]);
  // Bin 1's estimates sorted are 0…23 and 25: R's quantile(v, c(0.1, 0.9)) is 2.4 and 21.6.
  EXPECT_NEAR(estimated.lower[0], 2.4, 1e-12);
  EXPECT_NEAR(estimated.upper[0], 21.6, 1e-12);
  EXPECT_EQ(perfect.x, estimated.x);
  EXPECT_EQ(perfect.y, perfect.x);
  EXPECT_TRUE(perfect.lower.empty());
  EXPECT_EQ(plot.kind, "lines");
}

TEST(CateTruthPlot, NoPointsWhenTooFewRowsOrLengthsDiffer) {
  EXPECT_TRUE(
      cate_against_truth_plot(std::vector<double>{1, 2}, std::vector<double>{1, 2}, 20).series[0].x.empty());
  EXPECT_TRUE(cate_against_truth_plot(std::vector<double>(30, 1.0), std::vector<double>(29, 1.0), 20)
                  .series[0]
                  .x.empty());
}

}  // namespace
}  // namespace casebook
