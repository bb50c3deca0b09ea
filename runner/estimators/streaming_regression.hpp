#pragma once
// `estimate ols|2sls|did --streaming`: the estimates of ordinary_least_squares,
// two_stage_least_squares and difference_in_differences (its 2×2 comparison) from a CSV file read
// block by block, never whole. The first pass sums
// [1 W]'[1 W] over the model's columns W (shifted by the first row, so the sums keep their
// precision when a column's mean is far from zero); the coefficients follow from those sums; the
// second pass forms the residuals and the sandwich's meat (HC0–HC3 with leverages, or CR1's
// per-cluster score sums). Memory is a few blocks plus, when they fit, the parsed columns kept
// for the second pass (otherwise the file is read again) — bounded by the columns, not the rows.
//
// The numbers agree with the in-memory estimators to rounding (a test holds them to 1e-10
// relative); the sums are taken in block order on the calling thread, so they are the same bits on
// any thread count. Every used column must be numeric (a text covariate or cluster id is refused
// with the line and column); 2sls reports its first-stage F statistics and partial R², but not the
// Wald ratio or complier profile, which need the rows in memory.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

#include "data/numeric_csv_stream.hpp"
#include "estimators/estimate.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

struct StreamingOptions {
  unsigned threads = 0;  // parsing threads; 0: one per core
  std::size_t block_bytes = kCsvBlockBytes;
  // The parsed columns are kept for the second pass while they fit in this many bytes; otherwise
  // the file is read a second time. None: a quarter of what the process may still allocate.
  std::optional<double> keep_bytes;
};

// Whether `estimator` (a registry name) has a streaming path: ols, 2sls and did.
bool streams(std::string_view estimator);

// Throws InputError for a bad argument or file, naming the file, line and column.
Estimate streaming_least_squares(const std::filesystem::path& csv, std::string_view estimator,
                                 const EstimatorArgs& args, const StreamingOptions& options = {});

}  // namespace casebook
