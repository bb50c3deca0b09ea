// aipw against its influence function computed in R (weighting_fixture.hpp), with and without
// cross-fitting.
#include <gtest/gtest.h>

#include "estimators/aipw.hpp"
#include "weighting_fixture.hpp"

namespace casebook {
namespace {

using namespace weighting_fixture;

const testing::RegisterExample kExample{
    "aipw", {"weighting_data.csv", testing::example_args("y", "t", {"x1", "x2", "region"})}};

TEST(Aipw, AgreesWithTheInfluenceFunctionInR) {
  expect_reference(run("aipw", good(), good_args()), "aipw_ate");
  expect_reference(run("aipw", good(), good_args({{"estimand", "att"}})), "aipw_att");
  std::vector<std::size_t> fold(good().rows());
  for (std::size_t i = 0; i < fold.size(); ++i) fold[i] = i % 5;  // R's (row - 1) %% 5
  expect_reference(aipw_with_folds(good(), good_args(), fold), "aipw_ate_folds5");
}

TEST(Aipw, CrossFittingIsSeededAndClose) {
  const Estimate whole = run("aipw", good(), good_args());
  const Estimate a = run("aipw", good(), good_args({{"folds", "5"}, {"seed", "1"}}));
  const Estimate b = run("aipw", good(), good_args({{"folds", "5"}, {"seed", "1"}}));
  const Estimate c = run("aipw", good(), good_args({{"folds", "5"}, {"seed", "2"}}));
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.se, b.se);
  EXPECT_NE(a.estimate, c.estimate);
  EXPECT_NE(a.estimate, whole.estimate);
  EXPECT_LT(std::abs(a.estimate - whole.estimate), 0.5 * whole.se);
  const std::vector<std::size_t> fold = aipw_folds(good().rows(), 5, 1);
  std::vector<std::size_t> sizes(5, 0);
  for (const std::size_t f : fold) ++sizes[f];
  for (const std::size_t s : sizes) EXPECT_EQ(s, good().rows() / 5);
}

}  // namespace
}  // namespace casebook
