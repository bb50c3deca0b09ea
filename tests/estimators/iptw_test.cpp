// iptw against the stacked estimating equations in R (weighting_fixture.hpp).
#include <gtest/gtest.h>

#include "estimators/iptw.hpp"
#include "weighting_fixture.hpp"

namespace casebook {
namespace {

using namespace weighting_fixture;

const testing::RegisterExample kExample{
    "iptw", {"weighting_data.csv", testing::example_args("y", "t", {"x1", "x2", "region"})}};

TEST(Iptw, AgreesWithTheStackedEstimatingEquationsInR) {
  expect_reference(run("iptw", good(), good_args()), "iptw_ate");
  expect_reference(run("iptw", good(), good_args({{"estimand", "att"}})), "iptw_att");
  expect_reference(run("iptw", good(), good_args({{"estimand", "atc"}})), "iptw_atc");
  expect_reference(run("iptw", good(), good_args({{"stabilize", "true"}})), "iptw_ate_stabilized");
  expect_reference(run("iptw", good(), good_args({{"estimand", "att"}, {"stabilize", "true"}})),
                   "iptw_att_stabilized");
  expect_reference(run("iptw", good(), good_args({{"trim", "0.1"}})), "iptw_ate_trim");
}

TEST(Iptw, EstimandsDifferWhenTheEffectVaries) {
  // The effect grows with x1 and treated rows have larger x1: ATT > ATE > ATC.
  const double ate = run("iptw", good(), good_args()).estimate;
  EXPECT_GT(run("iptw", good(), good_args({{"estimand", "att"}})).estimate, ate + 0.1);
  EXPECT_LT(run("iptw", good(), good_args({{"estimand", "atc"}})).estimate, ate - 0.1);
}

TEST(Iptw, StabilizingChangesTheWeightsNotTheEstimate) {
  const Estimate plain = run("iptw", good(), good_args());
  const Estimate stable = run("iptw", good(), good_args({{"stabilize", "true"}}));
  EXPECT_DOUBLE_EQ(plain.estimate, stable.estimate);
  EXPECT_DOUBLE_EQ(plain.se, stable.se);
  EXPECT_LT(stable.diagnostics.at("max_weight"), 0.6 * plain.diagnostics.at("max_weight"));
  const std::vector<double> w = iptw_weights(good(), good_args({{"stabilize", "true"}})).weight;
  EXPECT_EQ(w, stable.row_outputs.at("weight"));
}

TEST(Iptw, TrimmingBoundsThePropensities) {
  const Estimate e = run("iptw", good(), good_args({{"trim", "0.1"}}));
  EXPECT_DOUBLE_EQ(e.diagnostics.at("min_propensity"), 0.1);
  EXPECT_DOUBLE_EQ(e.diagnostics.at("max_propensity"), 0.9);
  EXPECT_LE(e.diagnostics.at("max_weight"), 10 + 1e-9);  // 1 / (1 - 0.9) rounds above 10
  EXPECT_EQ(run("iptw", good(), good_args()).diagnostics.at("n_trimmed"), 0);
}

}  // namespace
}  // namespace casebook
