// The stratum weights shared by cem and subclassification, by hand against MatchIt 4.5's
// weights.subclass on a small example (the fixtures check them on real data through both
// estimators): strata without both arms dropped, att/atc/ate weights, arms rescaled.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "estimators/subclass_weights.hpp"

namespace casebook {
namespace {

// Stratum 0: 2 treated, 1 control; stratum 1: 1 treated, 3 controls; stratum 2: controls only;
// stratum 3: treated only; the last row in none.
const std::vector<std::ptrdiff_t> kSubclass{0, 0, 0, 1, 1, 1, 1, 2, 2, 3, kNoSubclass};
const std::vector<double> kTreatment{1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0};

SubclassWeights weights_for(BalanceEstimand estimand) {
  return subclass_weights(kSubclass, kTreatment, estimand, "test", "stratum", "hint");
}

TEST(SubclassWeights, DropStrataWithoutBothArms) {
  const SubclassWeights w = weights_for(BalanceEstimand::att);
  EXPECT_EQ(w.strata, 2u);
  EXPECT_EQ(w.subclass, (std::vector<std::ptrdiff_t>{0, 0, 0, 1, 1, 1, 1, kNoSubclass, kNoSubclass,
                                                     kNoSubclass, kNoSubclass}));
  for (std::size_t i = 7; i < kSubclass.size(); ++i) EXPECT_EQ(w.weights[i], 0) << "row " << i;
}

TEST(SubclassWeights, AttWeightsControlsByTreatedPerControlRescaled) {
  // Controls: 2/1 in stratum 0, 1/3 in stratum 1, rescaled so the 4 kept controls sum to 4:
  // (2, 1/3, 1/3, 1/3) · 4 / 3.
  const SubclassWeights w = weights_for(BalanceEstimand::att);
  const std::vector<double> expected{1, 1, 8.0 / 3, 1, 4.0 / 9, 4.0 / 9, 4.0 / 9, 0, 0, 0, 0};
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(w.weights[i], expected[i], 1e-15) << "row " << i;
}

TEST(SubclassWeights, AtcWeightsTreatedByControlPerTreatedRescaled) {
  // Treated: 1/2, 1/2 in stratum 0, 3 in stratum 1, rescaled so the 3 kept treated sum to 3: · 3/4.
  const SubclassWeights w = weights_for(BalanceEstimand::atc);
  const std::vector<double> expected{3.0 / 8, 3.0 / 8, 1, 9.0 / 4, 1, 1, 1, 0, 0, 0, 0};
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(w.weights[i], expected[i], 1e-15) << "row " << i;
}

TEST(SubclassWeights, AteWeightsBothArmsByStratumSizeRescaled) {
  // Treated: 3/2, 3/2, 4 (sum 7, rescaled to 3); controls: 3, 4/3 ×3 (sum 7, rescaled to 4).
  const SubclassWeights w = weights_for(BalanceEstimand::ate);
  const std::vector<double> expected{4.5 / 7,   4.5 / 7, 12.0 / 7, 12.0 / 7, 16.0 / 21, 16.0 / 21,
                                     16.0 / 21, 0,       0,        0,        0};
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(w.weights[i], expected[i], 1e-15) << "row " << i;
}

TEST(SubclassWeights, RenumbersKeptStrataInOrder) {
  const std::vector<std::ptrdiff_t> subclass{5, 5, 2, 2, 9};
  const std::vector<double> t{1, 0, 1, 0, 1};
  const SubclassWeights w = subclass_weights(subclass, t, BalanceEstimand::ate, "test", "stratum", "hint");
  EXPECT_EQ(w.subclass, (std::vector<std::ptrdiff_t>{1, 1, 0, 0, kNoSubclass}));
  EXPECT_EQ(w.strata, 2u);
}

TEST(SubclassWeights, NoStratumWithBothArmsIsOneLineError) {
  const std::vector<std::ptrdiff_t> subclass{0, 0, 1, 1};
  const std::vector<double> t{1, 1, 0, 0};
  try {
    subclass_weights(subclass, t, BalanceEstimand::att, "cem", "stratum", "coarsen further");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cem: no stratum holds both treated and control units; coarsen further");
  }
}

}  // namespace
}  // namespace casebook
