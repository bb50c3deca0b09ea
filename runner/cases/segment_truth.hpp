#pragma once
// Segment effects judged against a simulation's unit-level truth: an estimator that writes the row
// outputs "segment" (1-based segment per row) and "segment_target" (1 for the rows a segment's
// effect is about) and reports segment{s}_effect, _ci_low and _ci_high gets, when its estimand has
// per-row truth (a cate estimand), each segment's true effect — the mean unit effect over its
// target rows — and two scores a claim can check with the diagnostic kind.
#include <span>

#include "estimators/estimate.hpp"

namespace casebook {

// Adds segment{s}_truth for every segment with a target row; segment_truth_coverage, the share of
// the segments with an effect whose interval covers their truth; and largest_segment_found, 1 when
// the segment with the largest estimated effect has the largest true effect (at least two segments
// with an effect), else 0. Does nothing without the row outputs or when their length differs.
void add_segment_truth(Estimate& estimate, std::span<const double> row_truth);

}  // namespace casebook
