// Segment effects scored against a simulation's per-row truth (cases/segment_truth.hpp).
#include <gtest/gtest.h>

#include "cases/segment_truth.hpp"

namespace casebook {
namespace {

// Three segments of two rows; the second row of each is treated (the segments' target rows).
Estimate three_segments() {
  Estimate e;
  e.row_outputs["segment"] = {1, 1, 2, 2, 3, 3};
  e.row_outputs["segment_target"] = {0, 1, 0, 1, 0, 1};
  e.diagnostics = {{"segment1_effect", 0.2}, {"segment1_ci_low", 0.1}, {"segment1_ci_high", 0.3},
                   {"segment2_effect", 0.5}, {"segment2_ci_low", 0.4}, {"segment2_ci_high", 0.6},
                   {"segment3_effect", 0.1}, {"segment3_ci_low", 0.0}, {"segment3_ci_high", 0.2}};
  return e;
}

TEST(SegmentTruth, TruthIsTheMeanOverTheTargetRowsAndScoresCoverageAndTheLargest) {
  Estimate e = three_segments();
  add_segment_truth(e, std::vector<double>{9, 0.25, 9, 0.55, 9, 0.3});
  EXPECT_DOUBLE_EQ(e.diagnostics.at("segment1_truth"), 0.25);
  EXPECT_DOUBLE_EQ(e.diagnostics.at("segment2_truth"), 0.55);
  EXPECT_DOUBLE_EQ(e.diagnostics.at("segment3_truth"), 0.3);
  EXPECT_DOUBLE_EQ(e.diagnostics.at("segment_truth_coverage"), 2.0 / 3);  // segment 3 misses
  EXPECT_EQ(e.diagnostics.at("largest_segment_found"), 1);
}

TEST(SegmentTruth, TheWrongSegmentRankedFirstIsCaught) {
  Estimate e = three_segments();
  add_segment_truth(e, std::vector<double>{0, 0.7, 0, 0.55, 0, 0.1});
  EXPECT_EQ(e.diagnostics.at("largest_segment_found"), 0);
  EXPECT_DOUBLE_EQ(e.diagnostics.at("segment_truth_coverage"), 2.0 / 3);  // segment 1 misses
}

TEST(SegmentTruth, SegmentsWithoutAnEffectAreLeftOutAndMismatchedRowsAreIgnored) {
  Estimate e = three_segments();
  for (const char* name : {"segment2_effect", "segment2_ci_low", "segment2_ci_high"})
    e.diagnostics.erase(name);
  add_segment_truth(e, std::vector<double>{0, 0.25, 0, 0.55, 0, 0.15});
  EXPECT_TRUE(e.diagnostics.contains("segment2_truth"));  // its truth is still known
  EXPECT_DOUBLE_EQ(e.diagnostics.at("segment_truth_coverage"), 1.0);
  EXPECT_EQ(e.diagnostics.at("largest_segment_found"), 1);  // segment 1 among the estimable ones

  Estimate other = three_segments();
  add_segment_truth(other, std::vector<double>{0, 1});  // a subset's rows: nothing to score
  EXPECT_FALSE(other.diagnostics.contains("segment1_truth"));
}

}  // namespace
}  // namespace casebook
