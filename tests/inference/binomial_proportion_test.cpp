#include "inference/binomial_proportion.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

// Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in
// Medicine 17:857–872, Table I, method 3 (Wilson score, no continuity correction), 4 decimals.
TEST(BinomialProportion, WilsonIntervalMatchesNewcombesTable) {
  struct Row {
    std::size_t x, n;
    double low, high;
  };
  for (const Row& row : {Row{81, 263, 0.2553, 0.3662}, Row{15, 148, 0.0624, 0.1605}, Row{0, 20, 0.0, 0.1611},
                         Row{1, 29, 0.0061, 0.1718}}) {
    SCOPED_TRACE(row.x);
    const BinomialProportion p = binomial_proportion(row.x, row.n);
    EXPECT_NEAR(p.wilson_low, row.low, 5e-5);
    EXPECT_NEAR(p.wilson_high, row.high, 5e-5);
  }
}

TEST(BinomialProportion, StandardErrorIsTheBinomialOne) {
  const BinomialProportion p = binomial_proportion(42, 50);
  EXPECT_DOUBLE_EQ(p.rate, 0.84);
  EXPECT_NEAR(p.se, std::sqrt(0.84 * 0.16 / 50), 1e-15);
}

TEST(BinomialProportion, AnAllSuccessRateStillHasAnInterval) {
  const BinomialProportion p = binomial_proportion(200, 200);
  EXPECT_EQ(p.se, 0);  // the SE vanishes; Wilson's interval does not
  EXPECT_GT(1 - p.wilson_low, 0.015);
  EXPECT_EQ(p.wilson_high, 1);
}

TEST(BinomialProportion, RejectsNoTrials) {
  EXPECT_THROW(binomial_proportion(0, 0), InputError);
  EXPECT_THROW(binomial_proportion(3, 2), InputError);
}

}  // namespace
}  // namespace casebook
