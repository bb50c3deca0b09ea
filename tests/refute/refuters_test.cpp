// Refuters on the estimator fixture data: each passes on a sound analysis and fails on one built
// to break it, and every result is the same for any thread count.
#include <cmath>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "refute/refutation.hpp"

namespace casebook {
namespace {

const Dataset& data() {
  static const Dataset d = read_csv(std::string(CASEBOOK_FIXTURES) + "/estimators_data.csv");
  return d;
}

RefutationResult refute(const std::string& refuter, const EstimatorArgs& args,
                        const std::string& estimator = "ols", unsigned threads = 2,
                        std::map<std::string, std::string> options = {}, std::size_t reps = 0) {
  RefuterInput input;
  input.data = &data();
  input.estimator = &find_estimator(estimator);
  input.args = args;
  input.original = input.estimator->run(data(), args);
  input.analysis = "fixture";
  input.seed = 42;
  input.threads = threads;
  input.reps = reps;
  input.options = std::move(options);
  return run_refuter(find_refuter(refuter), input);
}

EstimatorArgs adjusted() {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.covariates = {"x1", "x2", "region"};
  return args;
}

TEST(Refuters, AllPassOnASoundRegression) {
  for (const char* name :
       {"placebo-treatment", "random-common-cause", "data-subsets", "dummy-outcome", "bootstrap"}) {
    const RefutationResult r = refute(name, adjusted());
    EXPECT_TRUE(r.pass) << name << ": " << r.rule;
    EXPECT_EQ(r.name, name);
    EXPECT_FALSE(r.rule.empty());
    EXPECT_FALSE(r.reading_en.empty());
    EXPECT_FALSE(r.reading_ko.empty());
    EXPECT_TRUE(std::isfinite(r.estimate));
  }
}

TEST(Refuters, PlaceboEffectVanishesButTheRealOneDoesNot) {
  const RefutationResult r = refute("placebo-treatment", adjusted());
  EXPECT_NEAR(r.estimate, 0, 0.1);  // the real effect is about 1.9
  ASSERT_TRUE(r.p_value);
  EXPECT_GT(*r.p_value, kRefuterLevel);            // the refuter's t-test finds the placebos centred on 0
  EXPECT_LT(r.details.at("permutation_p"), 0.05);  // no placebo comes near the real estimate
}

TEST(Refuters, SameResultOnOneAndManyThreads) {
  for (const char* name : {"placebo-treatment", "data-subsets", "random-common-cause"}) {
    const RefutationResult one = refute(name, adjusted(), "ols", 1);
    const RefutationResult four = refute(name, adjusted(), "ols", 4);
    EXPECT_EQ(one.estimate, four.estimate) << name;
    EXPECT_EQ(one.interval_low, four.interval_low) << name;
  }
}

TEST(Refuters, NegativeControlOutcomeCatchesConfounding) {
  // t depends on x1; without adjusting for x1, t "affects" x1 itself, which it cannot.
  EstimatorArgs naive;
  naive.outcome = "y";
  naive.treatment = "t";
  const RefutationResult confounded = refute("dummy-outcome", naive, "ols", 2, {{"outcome", "x1"}});
  EXPECT_FALSE(confounded.pass) << confounded.rule;
  EstimatorArgs with_x2 = naive;
  with_x2.covariates = {"x2"};
  const RefutationResult randomised = refute("dummy-outcome", with_x2, "ols", 2, {{"outcome", "z_cont"}});
  EXPECT_TRUE(randomised.pass) << randomised.rule;
}

TEST(Refuters, PlaceboFailsWhenTheEstimatorManufacturesAnEffect) {
  // An "estimator" that reports the outcome's mean whatever the treatment: shuffling cannot remove it.
  // Built field by field, so that fields added to EstimatorInfo keep their defaults.
  static const EstimatorInfo broken = [] {
    EstimatorInfo info;
    info.name = "broken";
    info.run = [](const Dataset& d, const EstimatorArgs& a) {
      Estimate e;
      double sum = 0;
      for (double v : d.column(a.outcome).values) sum += v;
      e.estimate = sum / static_cast<double>(d.rows());
      e.se = 1;
      return e;
    };
    return info;
  }();
  RefuterInput input;
  input.data = &data();
  input.estimator = &broken;
  input.args = adjusted();
  input.original = broken.run(data(), input.args);
  input.analysis = "broken";
  const RefutationResult r = run_refuter(find_refuter("placebo-treatment"), input);
  EXPECT_FALSE(r.pass);
}

TEST(Refuters, UnknownOptionOrRefuterIsAnInputError) {
  EXPECT_THROW(find_refuter("placebo"), InputError);
  EXPECT_THROW(refute("placebo-treatment", adjusted(), "ols", 1, {{"fraction", "0.5"}}), InputError);
  EXPECT_THROW(refute("data-subsets", adjusted(), "ols", 1, {{"fraction", "abc"}}), InputError);
  EXPECT_THROW(refute("data-subsets", adjusted(), "ols", 1, {{"fraction", "1.5"}}), InputError);
  EXPECT_THROW(refute("placebo-date", adjusted()), InputError);  // not a panel estimator
}

TEST(Refuters, InstrumentsMoveWithThePlaceboTreatment) {
  EstimatorArgs iv;
  iv.outcome = "y_iv";
  iv.treatment = "d";
  iv.instruments = {"z_bin"};
  iv.covariates = {"x1"};
  const RefutationResult r = refute("placebo-treatment", iv, "2sls");
  EXPECT_TRUE(r.pass) << r.rule;
  EXPECT_EQ(r.failed, 0u);  // the first stage survives the shuffle
}

}  // namespace
}  // namespace casebook
