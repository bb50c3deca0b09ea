#pragma once
// A per-row CATE against the simulation's unit-level truth, as a picture: rows binned by their
// true effect, the mean estimate in each bin with the spread of the estimates, beside the 45°
// line a perfect estimate would follow (grf's and EconML's users draw the same calibration plot).
#include <cstddef>
#include <span>

#include "estimators/estimate.hpp"

namespace casebook {

// Rows sorted by their true effect into `bins` bins of (nearly) equal size; each bin's point is its
// mean true effect (x) and mean estimate (y) with the estimates' 10th and 90th percentiles as the
// band; a second series is the 45° line. Empty series when fewer rows than bins or the lengths differ.
Plot cate_against_truth_plot(std::span<const double> cate, std::span<const double> truth,
                             std::size_t bins = 20);

}  // namespace casebook
