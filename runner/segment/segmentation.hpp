#pragma once
// Segmentation of a data set's units by their covariates, for any estimator or case: k-means or
// PAM on standardised covariates, at the row level or at a cluster level (each cluster's
// covariates averaged, the clusters segmented, every row given its cluster's segment), with k
// chosen by the largest average silhouette over 2..kmax unless it is given, and each segment's
// profile (covariate means). Categorical covariates enter as 0/1 dummies (first level dropped).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"

namespace casebook {

enum class SegmentMethod { kmeans, pam };

struct SegmentationSpec {
  std::string owner;  // who asks, for messages ("segment-effects")
  SegmentMethod method = SegmentMethod::kmeans;
  std::vector<std::string> covariates;
  std::string level;  // a cluster column; empty: segment the rows themselves
  std::size_t k = 0;  // 0: choose by average silhouette over 2..kmax
  std::size_t kmax = 8;
  std::size_t starts = 10;  // k-means++ starts
  std::uint64_t seed = 42;  // of the k-means++ draws
};

struct SilhouetteAtK {
  std::size_t k = 0;
  double average = 0;
};

struct Segmentation {
  std::size_t k = 0;
  std::vector<std::size_t> row_segment;        // one per data row, 0-based
  std::size_t units = 0;                       // rows, or clusters of the level column
  std::vector<std::size_t> units_per_segment;  // k
  std::vector<SilhouetteAtK> silhouettes;      // every k tried (only the given k when k is given)
  std::vector<std::string> profile_columns;    // covariate names (dummies as design_matrix names them)
  Eigen::MatrixXd profile;                     // k × columns: covariate means over the segment's units
};

// The largest number of units whose pairwise distances PAM and the silhouette hold in memory.
inline constexpr std::size_t kMaxDistanceUnits = 4000;

// Throws InputError naming the option: k larger than the units (or clusters), fewer than 3 units
// to choose k among, a missing or non-numeric covariate, more than kMaxDistanceUnits units for PAM
// or for a silhouette.
Segmentation segment_units(const Dataset& data, const SegmentationSpec& spec);

// Each column centred on its mean and divided by its sd (R's scale()); a constant column becomes 0.
Eigen::MatrixXd standardise_columns(const Eigen::MatrixXd& x);

}  // namespace casebook
