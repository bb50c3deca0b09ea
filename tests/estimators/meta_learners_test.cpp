// Meta-learners on a fresh randomized data set with a known CATE (n = 20,000, 6 covariates), and
// their bad-input messages.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <pcg_random.hpp>

#include "core/input_error.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/uplift_metrics.hpp"

namespace casebook {
namespace {

const bool kExamples = [] {
  for (const char* learner : {"s-learner", "t-learner", "x-learner", "dr-learner"})
    testing::RegisterExample(learner, {"estimators_data.csv",
                                       testing::example_args("y", "t", {"x1", "x2"}, testing::kSmallForest)});
  return true;
}();

struct Simulated {
  Dataset data;
  std::vector<double> tau;
};

// τ(x) = 1 + 2·x1 − 1.5·1{x2 > 0.5} + sin(π x3): a smooth part, a step, and a segment below zero.
Simulated randomized_experiment(std::size_t n, std::uint32_t seed) {
  pcg32 rng(seed);
  auto uniform = [&] { return std::ldexp(static_cast<double>(rng()), -32); };
  std::vector<std::vector<double>> x(6, std::vector<double>(n));
  std::vector<double> t(n), y(n), tau(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& column : x) column[i] = uniform();
    t[i] = uniform() < 0.5 ? 1 : 0;
    tau[i] = 1 + 2 * x[0][i] - 1.5 * (x[1][i] > 0.5 ? 1 : 0) + std::sin(M_PI * x[2][i]);
    const double noise = std::sqrt(-2 * std::log(1 - uniform())) * std::cos(2 * M_PI * uniform());
    y[i] = 2 * x[3][i] + x[4][i] * x[4][i] + t[i] * tau[i] + 0.5 * noise;
  }
  Simulated s{Dataset("simulated experiment"), tau};
  for (std::size_t j = 0; j < 6; ++j) s.data.add_column({"x" + std::to_string(j + 1), x[j], {}});
  s.data.add_column({"t", t, {}});
  s.data.add_column({"y", y, {}});
  return s;
}

EstimatorArgs arguments(std::map<std::string, std::string> options = {}) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.covariates = {"x1", "x2", "x3", "x4", "x5", "x6"};
  args.options = std::move(options);
  return args;
}

const Simulated& experiment() {
  static const Simulated s = randomized_experiment(20'000, 11);
  return s;
}

double true_ate() {
  const auto& tau = experiment().tau;
  double sum = 0;
  for (const double v : tau) sum += v;
  return sum / static_cast<double>(tau.size());
}

TEST(MetaLearners, TAndXLearnersRecoverTheCate) {
  for (const char* name : {"t-learner", "x-learner"}) {
    const Estimate e = find_estimator(name).run(experiment().data, arguments({{"trees", "200"}}));
    const double r = pearson_correlation(e.row_outputs.at("cate"), experiment().tau);
    std::cout << name << ": r = " << r << ", PEHE = " << pehe(e.row_outputs.at("cate"), experiment().tau)
              << ", ATE " << e.estimate << " (SE " << e.se << "), truth " << true_ate() << '\n';
    EXPECT_GE(r, 0.8) << name;
    EXPECT_LT(std::abs(e.estimate - true_ate()), 4 * e.se) << name;
    EXPECT_GT(e.diagnostics.at("auuc"), e.diagnostics.at("auuc_random")) << name;
    EXPECT_GT(e.diagnostics.at("qini"), 0) << name;
  }
}

TEST(MetaLearners, DrLearnerAteCoversTheTruthAndSLearnerRuns) {
  const Estimate dr = find_estimator("dr-learner").run(experiment().data, arguments({{"trees", "100"}}));
  EXPECT_LE(dr.ci_low, true_ate());
  EXPECT_GE(dr.ci_high, true_ate());
  EXPECT_GT(pearson_correlation(dr.row_outputs.at("cate"), experiment().tau), 0.7);
  const Estimate s = find_estimator("s-learner").run(experiment().data, arguments({{"trees", "100"}}));
  EXPECT_EQ(s.row_outputs.at("cate").size(), experiment().tau.size());
  EXPECT_GT(pehe(s.row_outputs.at("cate"), experiment().tau), 0);
}

TEST(MetaLearners, LinearBaseLearners) {
  // τ is nearly linear in x1..x3 here, so the linear T-learner already tracks it.
  const Estimate t =
      find_estimator("t-learner").run(experiment().data, arguments({{"base_learner", "linear"}}));
  EXPECT_GE(pearson_correlation(t.row_outputs.at("cate"), experiment().tau), 0.8);
  const Estimate s =
      find_estimator("s-learner").run(experiment().data, arguments({{"base_learner", "linear"}}));
  const auto& cate = s.row_outputs.at("cate");  // a linear S-learner has one effect for everyone
  for (const double c : cate) EXPECT_EQ(c, cate.front());
}

TEST(MetaLearners, IdenticalOnAnyThreadCount) {
  const Simulated small = randomized_experiment(2'000, 5);
  for (const char* name : {"s-learner", "x-learner", "dr-learner"}) {
    const Estimate one = find_estimator(name).run(small.data, arguments({{"trees", "40"}, {"threads", "1"}}));
    const Estimate two = find_estimator(name).run(small.data, arguments({{"trees", "40"}, {"threads", "2"}}));
    EXPECT_EQ(one.row_outputs.at("cate"), two.row_outputs.at("cate")) << name;
    EXPECT_EQ(one.estimate, two.estimate) << name;
  }
}

void expect_input_error(const Dataset& data, const EstimatorArgs& args, const std::string& fragment) {
  try {
    find_estimator("t-learner").run(data, args);
    ADD_FAILURE() << "no error; expected one mentioning '" << fragment << "'";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

TEST(MetaLearners, BadInputIsOneClearLine) {
  Simulated s = randomized_experiment(200, 9);
  Dataset not_binary = s.data;
  not_binary.column("t").values[3] = 2;
  expect_input_error(not_binary, arguments(), "must be 0/1");
  Dataset one_arm = s.data;
  for (double& v : one_arm.column("t").values) v = 1;
  expect_input_error(one_arm, arguments(), "one arm is empty");
  Dataset constant = s.data;
  for (double& v : constant.column("x4").values) v = 7;
  expect_input_error(constant, arguments(), "covariate 'x4' is constant");
  expect_input_error(s.data, arguments({{"base_learner", "boosting"}}),
                     "option 'base_learner' must be one of forest, linear");
  expect_input_error(s.data, arguments({{"trees", "0"}}),
                     "option 'trees' must be a whole number of at least 1");
  expect_input_error(s.data, arguments({{"tress", "10"}}), "option 'tress' is not known");
  EstimatorArgs no_covariates = arguments();
  no_covariates.covariates.clear();
  expect_input_error(s.data, no_covariates, "needs covariates");
}

}  // namespace
}  // namespace casebook
