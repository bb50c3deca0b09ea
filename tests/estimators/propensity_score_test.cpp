// What the weighting estimators share (estimators/propensity_score): their checks of the
// treatment, the propensity model, the options and the covariates, each one line.
#include <gtest/gtest.h>

#include "input_error.hpp"
#include "weighting_fixture.hpp"

namespace casebook {
namespace {

using namespace weighting_fixture;

using testing::input_error;

TEST(WeightingBadInput, TreatmentNotBinary) {
  std::vector<double> t(40);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<double>(i % 3);
  for (const char* name : {"iptw", "overlap-weights", "aipw"})
    EXPECT_CONTAINS(input_error(name, small_data(t), testing::example_args("y", "t", {"x"})),
                    std::string("treatment 't' must be 0/1 for ") + name + "; row 3 has 2");
}

TEST(WeightingBadInput, PerfectSeparation) {
  const Dataset base = small_data(std::vector<double>(40, 0));
  std::vector<double> t(40);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = base.column("x").values[i] > 0 ? 1 : 0;
  for (const char* name : {"iptw", "overlap-weights", "aipw"})
    EXPECT_CONTAINS(input_error(name, small_data(t), testing::example_args("y", "t", {"x"})),
                    std::string(name) + ": propensity model of treatment 't': logistic regression");
}

TEST(WeightingBadInput, TrimOutsideZeroToOneHalf) {
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"trim", "0.6"}})),
                  "option 'trim' must be below 0.5");
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"trim", "0.5"}})),
                  "option 'trim' must be below 0.5");
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"trim", "0"}})), "option 'trim'");
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"trim", "-0.1"}})), "option 'trim'");
}

TEST(WeightingBadInput, UnsupportedEstimand) {
  EXPECT_CONTAINS(input_error("iptw", good(), good_args({{"estimand", "ato"}})), "option 'estimand'");
  EXPECT_CONTAINS(input_error("aipw", good(), good_args({{"estimand", "atc"}})), "option 'estimand'");
  EXPECT_CONTAINS(input_error("overlap-weights", good(), good_args({{"estimand", "att"}})), "'estimand'");
}

TEST(WeightingBadInput, NoCovariates) {
  for (const char* name : {"iptw", "overlap-weights", "aipw"})
    EXPECT_CONTAINS(input_error(name, good(), testing::example_args("y", "t", {})),
                    std::string(name) + " needs covariates");
}

}  // namespace
}  // namespace casebook
