#include "inference/state_space.hpp"

#include <cmath>

#include <boost/random/normal_distribution.hpp>

namespace casebook {

StateSpaceModel local_level_model(double level_variance, double observation_variance, double initial_mean,
                                  double initial_variance) {
  StateSpaceModel model;
  model.transition = Eigen::MatrixXd::Ones(1, 1);
  model.observation = Eigen::VectorXd::Ones(1);
  model.selection = Eigen::MatrixXd::Ones(1, 1);
  model.state_variances = Eigen::VectorXd::Constant(1, level_variance);
  model.observation_variance = observation_variance;
  model.initial_mean = Eigen::VectorXd::Constant(1, initial_mean);
  model.initial_variance = Eigen::MatrixXd::Constant(1, 1, initial_variance);
  return model;
}

namespace {

Eigen::MatrixXd state_noise_variance(const StateSpaceModel& model) {
  return model.selection * model.state_variances.asDiagonal() * model.selection.transpose();
}

// The filter's one-step predictions a_t, P_t and innovations v_t, F_t, gains K_t = T P_t Z / F_t.
struct FilterPath {
  Eigen::MatrixXd predicted_mean;                   // m × n
  std::vector<Eigen::MatrixXd> predicted_variance;  // n of m × m
  Eigen::VectorXd innovation, innovation_variance;  // n
  Eigen::MatrixXd gain;                             // m × n
};

FilterPath kalman_filter(const StateSpaceModel& model, const Eigen::VectorXd& y) {
  const Eigen::Index n = y.size(), m = model.state_size();
  const Eigen::MatrixXd& T = model.transition;
  const Eigen::VectorXd& Z = model.observation;
  const Eigen::MatrixXd RQR = state_noise_variance(model);
  FilterPath f;
  f.predicted_mean.resize(m, n);
  f.predicted_variance.resize(static_cast<std::size_t>(n));
  f.innovation.resize(n);
  f.innovation_variance.resize(n);
  f.gain.resize(m, n);
  Eigen::VectorXd a = model.initial_mean;
  Eigen::MatrixXd P = model.initial_variance;
  for (Eigen::Index t = 0; t < n; ++t) {
    f.predicted_mean.col(t) = a;
    f.predicted_variance[static_cast<std::size_t>(t)] = P;
    const Eigen::VectorXd PZ = P * Z;
    const double F = Z.dot(PZ) + model.observation_variance;
    const double v = y(t) - Z.dot(a);
    const Eigen::VectorXd K = T * PZ / F;
    f.innovation(t) = v;
    f.innovation_variance(t) = F;
    f.gain.col(t) = K;
    const Eigen::MatrixXd L = T - K * Z.transpose();
    a = T * a + K * v;
    P = T * P * L.transpose() + RQR;
    P = 0.5 * (P + P.transpose());  // keep it symmetric against rounding
  }
  return f;
}

}  // namespace

SmoothedStates smooth_states(const StateSpaceModel& model, const Eigen::VectorXd& y) {
  const FilterPath f = kalman_filter(model, y);
  const Eigen::Index n = y.size(), m = model.state_size();
  const Eigen::MatrixXd& T = model.transition;
  const Eigen::VectorXd& Z = model.observation;
  SmoothedStates s;
  s.mean.resize(m, n);
  s.variance.resize(static_cast<std::size_t>(n));
  Eigen::VectorXd r = Eigen::VectorXd::Zero(m);
  Eigen::MatrixXd N = Eigen::MatrixXd::Zero(m, m);
  for (Eigen::Index t = n - 1; t >= 0; --t) {
    const double F = f.innovation_variance(t);
    const Eigen::MatrixXd L = T - f.gain.col(t) * Z.transpose();
    // r_{t-1} and N_{t-1} from r_t and N_t.
    r = Z * (f.innovation(t) / F) + L.transpose() * r;
    N = Z * Z.transpose() / F + L.transpose() * N * L;
    const Eigen::MatrixXd& P = f.predicted_variance[static_cast<std::size_t>(t)];
    s.mean.col(t) = f.predicted_mean.col(t) + P * r;
    s.variance[static_cast<std::size_t>(t)] = P - P * N * P;
  }
  return s;
}

void SimulationSmoother::smoothed_mean_scalar(const StateSpaceModel& model, const Eigen::VectorXd& y) {
  const Eigen::Index n = y.size();
  const double T = model.transition(0, 0), Z = model.observation(0);
  const double RQR = model.selection(0, 0) * model.selection(0, 0) * model.state_variances(0);
  const double H = model.observation_variance;
  // Columns of gains_: predicted mean a_t, predicted variance P_t, v_t / F_t, K_t.
  gains_.resize(n, 4);
  double a = model.initial_mean(0), P = model.initial_variance(0, 0);
  for (Eigen::Index t = 0; t < n; ++t) {
    const double F = Z * Z * P + H;
    const double v = y(t) - Z * a;
    const double K = T * P * Z / F;
    gains_(t, 0) = a;
    gains_(t, 1) = P;
    gains_(t, 2) = v / F;
    gains_(t, 3) = K;
    a = T * a + K * v;
    P = T * P * (T - K * Z) + RQR;
  }
  mean_.resize(1, n);
  double r = 0;
  for (Eigen::Index t = n - 1; t >= 0; --t) {
    r = Z * gains_(t, 2) + (T - gains_(t, 3) * Z) * r;
    mean_(0, t) = gains_(t, 0) + gains_(t, 1) * r;
  }
}

void SimulationSmoother::smoothed_mean(const StateSpaceModel& model, const Eigen::VectorXd& y) {
  if (model.state_size() == 1) return smoothed_mean_scalar(model, y);
  // Several states (trend, season): the general filter; its P_t are needed for the means anyway.
  const FilterPath f = kalman_filter(model, y);
  const Eigen::Index n = y.size(), m = model.state_size();
  const Eigen::VectorXd& Z = model.observation;
  mean_.resize(m, n);
  Eigen::VectorXd r = Eigen::VectorXd::Zero(m);
  for (Eigen::Index t = n - 1; t >= 0; --t) {
    const Eigen::MatrixXd L = model.transition - f.gain.col(t) * Z.transpose();
    r = Z * (f.innovation(t) / f.innovation_variance(t)) + L.transpose() * r;
    mean_.col(t) = f.predicted_mean.col(t) + f.predicted_variance[static_cast<std::size_t>(t)] * r;
  }
}

const Eigen::MatrixXd& SimulationSmoother::draw(const StateSpaceModel& model, const Eigen::VectorXd& y,
                                                pcg64& generator) {
  const Eigen::Index n = y.size(), m = model.state_size(), r = model.selection.cols();
  boost::random::normal_distribution<double> normal;
  // α⁺ and y⁺ from the model with initial mean 0: then α⁺ - E(α⁺ | y⁺) is the smoothing error,
  // independent of y, and E(α | y - y⁺) under the true a_1 plus α⁺ is a draw from p(α | y).
  simulated_states_.resize(m, n);
  simulated_y_.resize(n);
  innovations_.resize(r);
  Eigen::VectorXd state(m);
  if (m == 1) {
    state(0) = std::sqrt(model.initial_variance(0, 0)) * normal(generator);
  } else {
    const Eigen::LDLT<Eigen::MatrixXd> root(model.initial_variance);
    Eigen::VectorXd z(m);
    for (Eigen::Index i = 0; i < m; ++i) z(i) = normal(generator);
    // P_1 = Pᵀ L D Lᵀ P: a draw is Pᵀ L D^½ z.
    const Eigen::VectorXd scaled = root.vectorD().cwiseMax(0.0).cwiseSqrt().cwiseProduct(z);
    state = root.transpositionsP().transpose() * (root.matrixL() * scaled);
  }
  const double observation_sd = std::sqrt(model.observation_variance);
  const Eigen::VectorXd state_sd = model.state_variances.cwiseSqrt();
  for (Eigen::Index t = 0; t < n; ++t) {
    simulated_states_.col(t) = state;
    simulated_y_(t) = model.observation.dot(state) + observation_sd * normal(generator);
    for (Eigen::Index j = 0; j < r; ++j) innovations_(j) = state_sd(j) * normal(generator);
    if (m == 1)
      state(0) = model.transition(0, 0) * state(0) + model.selection(0, 0) * innovations_(0);
    else
      state = model.transition * state + model.selection * innovations_;
  }
  residual_y_ = y - simulated_y_;
  smoothed_mean(model, residual_y_);
  draw_ = mean_ + simulated_states_;
  return draw_;
}

}  // namespace casebook
