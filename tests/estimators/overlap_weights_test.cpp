// overlap-weights against R (weighting_fixture.hpp), its exact balance, and its stability where
// overlap is poor and IPTW's is not.
#include <gtest/gtest.h>

#include "estimators/overlap_weights.hpp"
#include "weighting_fixture.hpp"

namespace casebook {
namespace {

using namespace weighting_fixture;

const testing::RegisterExample kExample{
    "overlap-weights", {"weighting_data.csv", testing::example_args("y", "t", {"x1", "x2", "region"})}};

TEST(OverlapWeights, AgreesWithTheStackedEstimatingEquationsInR) {
  expect_reference(run("overlap-weights", good(), good_args()), "overlap");
}

TEST(OverlapWeights, BalanceEveryCovariateMeanExactly) {
  // With a logistic propensity fitted by maximum likelihood, overlap weights equalise the weighted
  // means of every term of the model in the two arms (Li, Morgan & Zaslavsky 2018, theorem 3).
  const std::vector<double> w = overlap_weights(good(), good_args()).weight;
  const std::vector<double>& t = good().column("t").values;
  for (const char* name : {"x1", "x2"}) {
    const std::vector<double>& x = good().column(name).values;
    double sum[2] = {0, 0}, weighted[2] = {0, 0};
    for (std::size_t i = 0; i < x.size(); ++i) {
      const int arm = t[i] == 1 ? 1 : 0;
      sum[arm] += w[i];
      weighted[arm] += w[i] * x[i];
    }
    EXPECT_NEAR(weighted[1] / sum[1], weighted[0] / sum[0], 1e-6) << name;
  }
}

TEST(Weighting, PoorOverlapInflatesIptwButNotOverlapWeights) {
  const Estimate inverse = run("iptw", poor(), poor_args());
  const Estimate overlap = run("overlap-weights", poor(), poor_args());
  expect_reference(inverse, "poor_iptw_ate");
  expect_reference(overlap, "poor_overlap");
  EXPECT_GT(inverse.se, 5 * overlap.se);
  EXPECT_GT(inverse.diagnostics.at("max_weight"), 100);
  EXPECT_LE(overlap.diagnostics.at("max_weight"), 1);
  EXPECT_LT(inverse.diagnostics.at("ess_treated"), 0.05 * overlap.diagnostics.at("ess_treated"));
}

}  // namespace
}  // namespace casebook
