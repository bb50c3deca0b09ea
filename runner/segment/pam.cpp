#include "segment/pam.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace casebook {
namespace {

// Distances of every row to its nearest and second-nearest medoid (pam's dysma and dysmb).
struct NearestMedoids {
  Eigen::VectorXd first, second;
};

NearestMedoids nearest_medoids(const Eigen::MatrixXd& d, const std::vector<bool>& is_medoid, double far) {
  const Eigen::Index n = d.rows();
  NearestMedoids m{Eigen::VectorXd::Constant(n, far), Eigen::VectorXd::Constant(n, far)};
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!is_medoid[static_cast<std::size_t>(i)]) continue;
      if (m.first(j) > d(i, j)) {
        m.second(j) = m.first(j);
        m.first(j) = d(i, j);
      } else if (m.second(j) > d(i, j)) {
        m.second(j) = d(i, j);
      }
    }
  return m;
}

}  // namespace

PamFit pam(const Eigen::MatrixXd& d, std::size_t k) {
  const Eigen::Index n = d.rows();
  if (k < 1 || static_cast<Eigen::Index>(k) > n || d.cols() != n)
    throw std::logic_error("pam: need 1 ≤ k ≤ n");
  // pam's "infinity": larger than any dissimilarity.
  const double far = 1.1 * d.maxCoeff() + 1;
  std::vector<bool> is_medoid(static_cast<std::size_t>(n), false);

  // BUILD: each step adds the object that lowers the total dissimilarity most (the last on a tie).
  Eigen::VectorXd nearest = Eigen::VectorXd::Constant(n, far);
  for (std::size_t step = 0; step < k; ++step) {
    double best_gain = 0;
    Eigen::Index best = -1;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (is_medoid[static_cast<std::size_t>(i)]) continue;
      double gain = 0;
      for (Eigen::Index j = 0; j < n; ++j) gain += std::max(nearest(j) - d(i, j), 0.0);
      if (best_gain <= gain) {
        best_gain = gain;
        best = i;
      }
    }
    is_medoid[static_cast<std::size_t>(best)] = true;
    nearest = nearest.cwiseMin(d.col(best));
  }
  PamFit fit;
  fit.objective_build = nearest.sum() / static_cast<double>(n);

  // SWAP: the exchange (medoid i out, h in) with the most negative change in total dissimilarity.
  double objective = nearest.sum();
  for (;;) {
    const NearestMedoids m = nearest_medoids(d, is_medoid, far);
    double best_change = 1;
    Eigen::Index best_in = -1, best_out = -1;
    for (Eigen::Index h = 0; h < n; ++h) {
      if (is_medoid[static_cast<std::size_t>(h)]) continue;
      for (Eigen::Index i = 0; i < n; ++i) {
        if (!is_medoid[static_cast<std::size_t>(i)]) continue;
        double change = 0;
        for (Eigen::Index j = 0; j < n; ++j) {
          if (d(i, j) == m.first(j))
            change += std::min(m.second(j), d(h, j)) - m.first(j);
          else if (d(h, j) < m.first(j))
            change += d(h, j) - m.first(j);
        }
        if (best_change > change) {
          best_change = change;
          best_in = h;
          best_out = i;
        }
      }
    }
    // cluster::pam's tolerance: a swap must lower the objective by more than rounding.
    if (!(best_change < -16 * std::numeric_limits<double>::epsilon() * std::abs(objective))) break;
    is_medoid[static_cast<std::size_t>(best_in)] = true;
    is_medoid[static_cast<std::size_t>(best_out)] = false;
    objective += best_change;
    ++fit.swaps;
  }

  // Each object joins its nearest medoid (the first in row order on a tie); clusters are numbered
  // in order of first appearance, as pam's cstat.
  std::vector<std::size_t> medoid_rows;
  for (Eigen::Index i = 0; i < n; ++i)
    if (is_medoid[static_cast<std::size_t>(i)]) medoid_rows.push_back(static_cast<std::size_t>(i));
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> number_of_medoid(medoid_rows.size(), kNone);
  fit.clustering.resize(static_cast<std::size_t>(n));
  double total = 0;
  for (Eigen::Index j = 0; j < n; ++j) {
    std::size_t nearest_medoid = 0;
    for (std::size_t m = 1; m < medoid_rows.size(); ++m)
      if (d(static_cast<Eigen::Index>(medoid_rows[m]), j) <
          d(static_cast<Eigen::Index>(medoid_rows[nearest_medoid]), j))
        nearest_medoid = m;
    total += d(static_cast<Eigen::Index>(medoid_rows[nearest_medoid]), j);
    if (number_of_medoid[nearest_medoid] == kNone) {
      number_of_medoid[nearest_medoid] = fit.medoids.size();
      fit.medoids.push_back(medoid_rows[nearest_medoid]);
    }
    fit.clustering[static_cast<std::size_t>(j)] = number_of_medoid[nearest_medoid];
  }
  fit.objective_swap = total / static_cast<double>(n);
  return fit;
}

Eigen::MatrixXd euclidean_distances(const Eigen::MatrixXd& x) {
  const Eigen::Index n = x.rows();
  Eigen::MatrixXd d = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) d(i, j) = d(j, i) = (x.row(i) - x.row(j)).norm();
  return d;
}

}  // namespace casebook
