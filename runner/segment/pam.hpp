#pragma once
// Partitioning around medoids (Kaufman & Rousseeuw 1990) as R's cluster::pam on a dissimilarity
// matrix: the greedy BUILD, then SWAP — the best medoid/non-medoid exchange while it lowers the
// total dissimilarity — with the same tie-breaking as pam's C code, so that the medoids, the
// clustering and the objective agree with cluster::pam(d, k, diss = TRUE).
#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace casebook {

struct PamFit {
  std::vector<std::size_t> medoids;     // row indices, 0-based, in cluster order
  std::vector<std::size_t> clustering;  // one per row, 0-based; numbered in order of first appearance
  double objective_build = 0;           // mean dissimilarity to the nearest medoid after BUILD
  double objective_swap = 0;            // the same after SWAP (pam's objective["swap"])
  std::size_t swaps = 0;
};

// `d`: a symmetric n × n dissimilarity matrix with a zero diagonal. Requires 1 ≤ k ≤ n.
PamFit pam(const Eigen::MatrixXd& d, std::size_t k);

// Euclidean distances between the rows of x (R's dist(x)).
Eigen::MatrixXd euclidean_distances(const Eigen::MatrixXd& x);

}  // namespace casebook
