// Uplift metrics on tiny examples computed by hand from the definitions in uplift_metrics.hpp
// (CausalML's get_cumgain, get_qini, auuc_score, qini_score).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "estimators/uplift_metrics.hpp"

namespace casebook {
namespace {

// Four rows already in score order: (score, T, Y) = (4,1,1) (3,0,0) (2,1,0) (1,0,1).
const std::vector<double> kScore{4, 3, 2, 1}, kT{1, 0, 1, 0}, kY{1, 0, 0, 1};

TEST(UpliftMetrics, GainAndQiniCurvesByHand) {
  const UpliftCurves c = uplift_curves(kY, kT, kScore);
  // k=1: no control row yet: lift undefined; qini undefined (N_C = 0) → interpolated from 0 to k=2.
  // k=2: lift = 1/1 − 0/1 = 1, gain = 2;  qini = 1 − 0·1/1 = 1.
  // k=3: lift = 1/2 − 0/1 = 0.5, gain = 1.5;  qini = 1 − 0 = 1.
  // k=4: lift = 1/2 − 1/2 = 0, gain = 0;  qini = 1 − 1·2/2 = 0.
  const std::vector<double> gain{0, 1, 2, 1.5, 0}, qini{0, 0.5, 1, 1, 0};
  ASSERT_EQ(c.gain.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k) {
    EXPECT_DOUBLE_EQ(c.gain[k], gain[k]) << k;
    EXPECT_DOUBLE_EQ(c.qini[k], qini[k]) << k;
  }
}

TEST(UpliftMetrics, AuucQiniAndTopShareByHand) {
  // Y = T·1 for the two top rows' units: (score, T, Y) = (4,1,3) (3,0,1) (2,1,2) (1,0,2).
  const std::vector<double> y{3, 1, 2, 2};
  // gain: k=2: (3/1 − 1/1)·2 = 4;  k=3: (5/2 − 1)·3 = 4.5;  k=4: (5/2 − 3/2)·4 = 4;  k=1 by interpolation 2.
  // normalised by 4: 0, .5, 1, 1.125, 1 → AUUC = 3.625/5 = 0.725; random line k/4: sum 2.5/5 = 0.5.
  // qini: k=2: 3 − 1 = 2; k=3: 5 − 1·2/1 = 3; k=4: 5 − 3 = 2; k=1: 1 → normalised /2: 0, .5, 1, 1.5, 1
  //   Qini coefficient = (4 − 2.5)/5 = 0.3.
  // top 50% share = gain(2)/gain(4) = 1.
  const UpliftEvaluation e = evaluate_uplift(y, kT, kScore, 0.5);
  EXPECT_DOUBLE_EQ(e.auuc, 0.725);
  EXPECT_DOUBLE_EQ(e.auuc_random, 0.5);
  EXPECT_DOUBLE_EQ(e.qini_coefficient, 0.3);
  EXPECT_DOUBLE_EQ(e.top_share, 1.0);
}

TEST(UpliftMetrics, RankingIsByScoreNotByDataOrder) {
  // The same rows shuffled give the same curves.
  const std::vector<double> score{1, 3, 4, 2}, t{0, 0, 1, 1}, y{1, 0, 1, 0};
  const UpliftCurves shuffled = uplift_curves(y, t, score), ordered = uplift_curves(kY, kT, kScore);
  EXPECT_EQ(shuffled.gain, ordered.gain);
  EXPECT_EQ(shuffled.qini, ordered.qini);
}

TEST(UpliftMetrics, DecilesOfTwentyRows) {
  // 20 rows, scores 20..1; in each decile (2 rows) one treated, one control, uplift = decile index.
  std::vector<double> score, t, y;
  for (int d = 0; d < 10; ++d) {
    score.insert(score.end(), {40.0 - 2 * d, 39.0 - 2 * d});
    t.insert(t.end(), {1, 0});
    y.insert(y.end(), {static_cast<double>(10 - d), 0});
  }
  const UpliftEvaluation e = evaluate_uplift(y, t, score);
  ASSERT_EQ(e.deciles.size(), 10u);
  for (std::size_t d = 0; d < 10; ++d) {
    EXPECT_EQ(e.deciles[d].rows, 2u);
    EXPECT_DOUBLE_EQ(e.deciles[d].observed_uplift, 10.0 - static_cast<double>(d));
    EXPECT_DOUBLE_EQ(e.deciles[d].mean_score, 39.5 - 2.0 * static_cast<double>(d));
  }
}

TEST(UpliftMetrics, PeheAndCorrelationByHand) {
  const std::vector<double> estimate{1, 2, 3}, truth{1, 2, 5};
  EXPECT_DOUBLE_EQ(pehe(estimate, truth), std::sqrt(4.0 / 3));
  // Correlation of (1,2,3) and (1,2,5): cov 4/… → 4 / sqrt(2 · 8.6667) = 0.9607689228
  EXPECT_NEAR(pearson_correlation(estimate, truth), 4 / std::sqrt(2 * 26.0 / 3), 1e-15);
  EXPECT_DOUBLE_EQ(pearson_correlation(estimate, std::vector<double>{2, 2, 2}), 0.0);
}

TEST(UpliftMetrics, TreatmentMustBeBinary) {
  EXPECT_THROW(uplift_curves(std::vector<double>{1, 2}, std::vector<double>{0, 2}, std::vector<double>{1, 2}),
               InputError);
}

}  // namespace
}  // namespace casebook
