// The state-space smoother behind causal-impact against statsmodels' Kalman smoother
// (tests/fixtures/make_causal_impact_fixture.py: UnobservedComponents with fixed parameters and a
// known initial state, smooth(params) → smoothed_state, smoothed_state_cov), and the simulation
// smoother's draws against those exact moments.
#include "inference/state_space.hpp"

#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "core/derived_seed.hpp"

namespace casebook {
namespace {

const nlohmann::json& reference() {
  static const nlohmann::json r = [] {
    std::ifstream in(testing::fixture_path("causal_impact_smoother_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return r;
}

Eigen::VectorXd series(const std::string& column) {
  static const Dataset data = read_csv(testing::fixture_path("causal_impact_smoother_data.csv"));
  const auto& v = data.column(column).values;
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

StateSpaceModel reference_model(const nlohmann::json& ref) {
  const auto params = ref.at("params").get<std::vector<double>>();
  const auto a1 = ref.at("initial_mean").get<std::vector<double>>();
  const auto p1 = ref.at("initial_variance").get<std::vector<std::vector<double>>>();
  const auto m = static_cast<Eigen::Index>(a1.size());
  StateSpaceModel model;
  model.transition = Eigen::MatrixXd::Identity(m, m);
  if (m == 2) model.transition(0, 1) = 1;  // level_{t+1} = level_t + slope_t + η
  model.observation = Eigen::VectorXd::Unit(m, 0);
  model.selection = Eigen::MatrixXd::Identity(m, m);
  model.state_variances.resize(m);
  for (Eigen::Index i = 0; i < m; ++i) model.state_variances(i) = params[static_cast<std::size_t>(i) + 1];
  model.observation_variance = params[0];
  model.initial_mean.resize(m);
  model.initial_variance.resize(m, m);
  for (Eigen::Index i = 0; i < m; ++i) {
    model.initial_mean(i) = a1[static_cast<std::size_t>(i)];
    for (Eigen::Index j = 0; j < m; ++j)
      model.initial_variance(i, j) = p1[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  }
  return model;
}

struct SmootherCase {
  std::string model;   // key in the reference JSON
  std::string column;  // series in the data
};

class StateSmootherMatchesStatsmodels : public ::testing::TestWithParam<SmootherCase> {};

// Same algorithm as statsmodels' (Kalman filter + classical state smoother): agreement to 1e-8
// relative to the scale of each quantity. Not tighter: once P_t settles, statsmodels' filter stops
// updating it (its convergence tolerance), which leaves the variances ~1e-9 off the exact recursion.
TEST_P(StateSmootherMatchesStatsmodels, MeansAndVariances) {
  const nlohmann::json& ref = reference().at(GetParam().model);
  const Eigen::VectorXd y = series(GetParam().column);
  const SmoothedStates s = smooth_states(reference_model(ref), y);
  const auto mean = ref.at("smoothed_state").get<std::vector<std::vector<double>>>();
  const auto cov = ref.at("smoothed_state_cov").get<std::vector<std::vector<std::vector<double>>>>();
  ASSERT_EQ(static_cast<std::size_t>(s.mean.rows()), mean.size());
  ASSERT_EQ(static_cast<std::size_t>(s.mean.cols()), cov.size());
  for (Eigen::Index t = 0; t < s.mean.cols(); ++t) {
    const auto tt = static_cast<std::size_t>(t);
    for (Eigen::Index i = 0; i < s.mean.rows(); ++i) {
      const auto ii = static_cast<std::size_t>(i);
      EXPECT_TRUE(
          testing::near_relative(s.mean(i, t), mean[ii][tt], 1e-8, std::max(1.0, std::abs(mean[ii][tt]))))
          << "state " << i << " at t = " << t;
      for (Eigen::Index j = 0; j < s.mean.rows(); ++j)
        EXPECT_TRUE(testing::near_relative(s.variance[tt](i, j), cov[tt][ii][static_cast<std::size_t>(j)],
                                           1e-8, std::abs(cov[tt][ii][ii])))
            << "cov(" << i << ", " << j << ") at t = " << t;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, StateSmootherMatchesStatsmodels,
                         ::testing::Values(SmootherCase{"local_level", "y_level"},
                                           SmootherCase{"local_linear_trend", "y_trend"}));

// Draws from the simulation smoother have the smoother's mean and variance. With D independent
// draws the sample mean has SE sqrt(V/D) and the sample variance SE ≈ V sqrt(2/(D-1)) (normal
// draws); 5 SEs leave a chance below 1e-4 of a false alarm over all 60 × m checks of each kind.
TEST_P(StateSmootherMatchesStatsmodels, SimulationSmootherDrawsHaveTheSmoothedMoments) {
  const nlohmann::json& ref = reference().at(GetParam().model);
  const StateSpaceModel model = reference_model(ref);
  const Eigen::VectorXd y = series(GetParam().column);
  const SmoothedStates exact = smooth_states(model, y);
  const Eigen::Index m = model.state_size(), n = y.size();
  constexpr int kDraws = 4000;
  pcg64 generator;
  seed_from_key(generator, derive_seed(7, 0));
  SimulationSmoother smoother;
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(m, n), sum_sq = Eigen::MatrixXd::Zero(m, n);
  for (int d = 0; d < kDraws; ++d) {
    const Eigen::MatrixXd& draw = smoother.draw(model, y, generator);
    const Eigen::MatrixXd centred = draw - exact.mean;  // centred for a stable variance
    sum += centred;
    sum_sq += centred.cwiseProduct(centred);
  }
  for (Eigen::Index t = 0; t < n; ++t)
    for (Eigen::Index i = 0; i < m; ++i) {
      const double v = exact.variance[static_cast<std::size_t>(t)](i, i);
      const double mean_gap = sum(i, t) / kDraws;
      const double variance = (sum_sq(i, t) - kDraws * mean_gap * mean_gap) / (kDraws - 1);
      EXPECT_LT(std::abs(mean_gap), 5 * std::sqrt(v / kDraws)) << "state " << i << " at t = " << t;
      EXPECT_LT(std::abs(variance - v), 5 * v * std::sqrt(2.0 / (kDraws - 1)))
          << "state " << i << " at t = " << t;
    }
}

}  // namespace
}  // namespace casebook
