#pragma once
// Linear Gaussian state-space models with one observation per period, in Durbin & Koopman's form
//   y_t = Z'α_t + ε_t,  ε_t ~ N(0, H);   α_{t+1} = T α_t + R η_t,  η_t ~ N(0, diag(Q));
//   α_1 ~ N(a_1, P_1),
// with the Kalman filter, the state smoother (means and variances, as statsmodels' smooth()
// reports smoothed_state and smoothed_state_cov) and Durbin & Koopman's (2002) simulation smoother,
// which draws α_1..α_n from p(α | y) by smoothing y - y⁺ for a series y⁺ simulated from the model.
// The one-dimensional case (a local level) takes a scalar path: O(n) per draw without allocations.
#include <vector>

#include <Eigen/Dense>
#include <pcg_random.hpp>

namespace casebook {

struct StateSpaceModel {
  Eigen::MatrixXd transition;        // T (m × m)
  Eigen::VectorXd observation;       // Z (m)
  Eigen::MatrixXd selection;         // R (m × r)
  Eigen::VectorXd state_variances;   // diag(Q) (r)
  double observation_variance = 1;   // H
  Eigen::VectorXd initial_mean;      // a_1 (m)
  Eigen::MatrixXd initial_variance;  // P_1 (m × m)

  Eigen::Index state_size() const { return transition.rows(); }
};

// The local level model: m = r = 1, T = Z = R = 1.
StateSpaceModel local_level_model(double level_variance, double observation_variance, double initial_mean,
                                  double initial_variance);

struct SmoothedStates {
  Eigen::MatrixXd mean;                   // m × n: E(α_t | y_1..y_n)
  std::vector<Eigen::MatrixXd> variance;  // n of m × m: Var(α_t | y_1..y_n)
};

// The Kalman filter and state smoother (Durbin & Koopman 2012, sections 4.3 and 4.4).
SmoothedStates smooth_states(const StateSpaceModel& model, const Eigen::VectorXd& y);

// Draws of the states from p(α | y), reusing its buffers from draw to draw.
class SimulationSmoother {
 public:
  // One draw (m × n), valid until the next call.
  const Eigen::MatrixXd& draw(const StateSpaceModel& model, const Eigen::VectorXd& y, pcg64& generator);

 private:
  // E(α | y) into `mean` by the fast state smoother (no variances).
  void smoothed_mean(const StateSpaceModel& model, const Eigen::VectorXd& y);
  void smoothed_mean_scalar(const StateSpaceModel& model, const Eigen::VectorXd& y);

  Eigen::MatrixXd mean_, simulated_states_, gains_, draw_;
  Eigen::VectorXd simulated_y_, innovations_, residual_y_;
};

}  // namespace casebook
