#pragma once
// The overlap picture every propensity-score analysis shows: the distribution of the estimated
// score in each arm (cobalt's bal.plot of the distance), as step histograms on a common grid, so
// a reader sees where one arm has no counterpart in the other.
#include <span>

#include "estimators/estimate.hpp"

namespace casebook {

// Densities over 20 equal bins spanning the scores' range; series "treated" and "control".
// treatment 0/1 and propensity one per row, the same length.
Plot propensity_overlap_plot(std::span<const double> treatment, std::span<const double> propensity);

}  // namespace casebook
