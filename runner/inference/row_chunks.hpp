#pragma once
// Row passes over a tall matrix in fixed chunks, on several threads when the matrix is large.
// The chunks do not depend on the thread count and partial results are combined in chunk order,
// so sums are bit-identical for any number of threads.
#include <algorithm>
#include <cstddef>

#include <Eigen/Core>

#include "core/parallel_for.hpp"

namespace casebook {

// Below this many rows one thread is faster than starting others (and Monte Carlo replications,
// which run in parallel already, stay on their own thread).
constexpr Eigen::Index kParallelRowThreshold = 400'000;

// Calls body(chunk, begin, length) for every chunk of `chunk_rows` rows of [0, rows).
template <class Body>
void for_each_row_chunk(Eigen::Index rows, Eigen::Index chunk_rows, Body&& body) {
  const Eigen::Index chunks = (rows + chunk_rows - 1) / chunk_rows;
  const unsigned threads = rows < kParallelRowThreshold ? 1 : 0;  // 0: one per core, up to the cap
  parallel_for(static_cast<std::size_t>(chunks), threads, [&](std::size_t i) {
    const auto chunk = static_cast<Eigen::Index>(i);
    const Eigen::Index begin = chunk * chunk_rows;
    body(chunk, begin, std::min(chunk_rows, rows - begin));
  });
}

}  // namespace casebook
