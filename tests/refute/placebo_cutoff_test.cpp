// placebo-cutoff: the rdd refit at cutoffs where nothing happens, each on its own side of the real
// cutoff. It must pass when the outcome is smooth away from the cutoff, fail when the outcome
// breaks at a placebo, drop a fuzzy design's treatment (which does not jump there), and refuse
// what it cannot do in one line.
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <pcg_random.hpp>

#include "core/input_error.hpp"
#include "refute/refutation.hpp"

namespace casebook {
namespace {

// x ~ U(-1, 1); y = x + 2·1{x ≥ 0} + `second_break`·1{x ≥ 0.5} + N(0, 0.5²). With `fuzzy`, the
// treatment is taken with probability 0.2 below the cutoff and 0.8 above it, and y jumps by 2·d.
Dataset rd_data(double second_break, bool fuzzy, std::uint64_t seed = 11) {
  pcg64 generator(seed);
  boost::random::uniform_real_distribution<double> uniform(-1, 1);
  boost::random::uniform_real_distribution<double> coin(0, 1);
  boost::random::normal_distribution<double> noise(0, 0.5);
  std::vector<double> x, d, y;
  for (int i = 0; i < 4000; ++i) {
    x.push_back(uniform(generator));
    const double above = x.back() >= 0 ? 1 : 0;
    d.push_back(fuzzy ? (coin(generator) < 0.2 + 0.6 * above ? 1 : 0) : above);
    y.push_back(x.back() + 2 * d.back() + second_break * (x.back() >= 0.5 ? 1 : 0) + noise(generator));
  }
  Dataset data("rd test data");
  data.add_column(Column{"x", x, {}});
  data.add_column(Column{"d", d, {}});
  data.add_column(Column{"y", y, {}});
  return data;
}

EstimatorArgs rd_args(bool fuzzy) {
  EstimatorArgs args;
  args.outcome = "y";
  if (fuzzy) args.treatment = "d";
  args.options = {{"running", "x"}, {"cutoff", "0"}, {"bandwidth_plot", "false"}};
  return args;
}

RefutationResult refute(const Dataset& data, const EstimatorArgs& args,
                        std::map<std::string, std::string> options = {}) {
  const EstimatorInfo& rdd = find_estimator("rdd");
  RefuterInput input;
  input.data = &data;
  input.estimator = &rdd;
  input.args = args;
  input.original = rdd.run(data, args);
  input.analysis = "test";
  input.seed = 7;
  input.threads = 2;
  input.options = std::move(options);
  return run_refuter(find_refuter("placebo-cutoff"), input);
}

TEST(PlaceboCutoff, PassesWhenTheOutcomeIsSmoothAwayFromTheCutoff) {
  const RefutationResult r = refute(rd_data(0, false), rd_args(false));
  EXPECT_TRUE(r.pass) << r.rule;
  // The defaults: the running variable's median on each side, about −0.5 and 0.5.
  EXPECT_NEAR(r.details.at("cutoff_1"), -0.5, 0.05);
  EXPECT_NEAR(r.details.at("cutoff_2"), 0.5, 0.05);
  EXPECT_EQ(r.reps, 2u);
  // Two intervals at 99.5% each hold the pair at 99%.
  EXPECT_NE(r.rule.find("99.5%"), std::string::npos) << r.rule;
}

TEST(PlaceboCutoff, FailsWhenTheOutcomeBreaksAtAPlacebo) {
  const RefutationResult r = refute(rd_data(1.5, false), rd_args(false), {{"cutoffs", "-0.5,0.5"}});
  EXPECT_FALSE(r.pass) << r.rule;
  // The report leads with the broken placebo: its jump is near 1.5.
  EXPECT_NEAR(r.estimate, 1.5, 0.4) << r.rule;
  ASSERT_TRUE(r.p_value);
  EXPECT_LT(*r.p_value, 0.01);
  EXPECT_NE(r.reading_en.find("0.5"), std::string::npos) << r.reading_en;
}

TEST(PlaceboCutoff, FitsAFuzzyDesignsOutcomeAloneAwayFromTheCutoff) {
  // The treatment does not jump at ±0.5, so a fuzzy fit there would divide by about nothing; the
  // refuter fits the reduced form, whose placebo jumps are near 0 when the design is sound.
  const RefutationResult sound = refute(rd_data(0, true), rd_args(true));
  EXPECT_TRUE(sound.pass) << sound.rule;
  EXPECT_LT(std::abs(sound.estimate), 0.5) << sound.rule;
  const RefutationResult broken = refute(rd_data(1.5, true), rd_args(true), {{"cutoffs", "0.5"}});
  EXPECT_FALSE(broken.pass) << broken.rule;
  EXPECT_EQ(broken.reps, 1u);
}

TEST(PlaceboCutoff, RefusesWhatItCannotDoInOneLine) {
  const Dataset data = rd_data(0, false);
  for (const char* bad : {"0", "half", "0.5,"}) {
    try {
      refute(data, rd_args(false), {{"cutoffs", bad}});
      ADD_FAILURE() << "cutoffs=" << bad << " was accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("cutoffs"), std::string::npos) << e.what();
    }
  }
  // A placebo beyond the data on its side leaves nothing to fit: the message names the placebo.
  try {
    refute(data, rd_args(false), {{"cutoffs", "5"}});
    ADD_FAILURE() << "a placebo outside the data was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("placebo-cutoff at x = 5"), std::string::npos) << e.what();
  }
  // Not a regression discontinuity.
  RefuterInput input;
  input.data = &data;
  input.estimator = &find_estimator("ols");
  input.args.outcome = "y";
  input.args.treatment = "d";
  input.original = input.estimator->run(data, input.args);
  EXPECT_THROW(run_refuter(find_refuter("placebo-cutoff"), input), InputError);
}

}  // namespace
}  // namespace casebook
