#pragma once
// Row passes over a tall matrix in fixed chunks, on several threads when the matrix is large.
// The chunks do not depend on the thread count and partial results are combined in chunk order,
// so sums are bit-identical for any number of threads.
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include <Eigen/Core>

namespace casebook {

// Below this many rows one thread is faster than starting others (and Monte Carlo replications,
// which run in parallel already, stay on their own thread).
constexpr Eigen::Index kParallelRowThreshold = 400'000;

inline unsigned row_pass_threads(Eigen::Index rows) {
  if (rows < kParallelRowThreshold) return 1;
  return std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
}

// Calls body(chunk, begin, length) for every chunk of `chunk_rows` rows of [0, rows).
template <class Body>
void for_each_row_chunk(Eigen::Index rows, Eigen::Index chunk_rows, Body&& body) {
  const Eigen::Index chunks = (rows + chunk_rows - 1) / chunk_rows;
  auto run = [&](Eigen::Index chunk) {
    const Eigen::Index begin = chunk * chunk_rows;
    body(chunk, begin, std::min(chunk_rows, rows - begin));
  };
  const auto threads = static_cast<Eigen::Index>(std::min<Eigen::Index>(row_pass_threads(rows), chunks));
  if (threads <= 1) {
    for (Eigen::Index chunk = 0; chunk < chunks; ++chunk) run(chunk);
    return;
  }
  std::atomic<Eigen::Index> next{0};
  std::vector<std::jthread> workers;
  for (Eigen::Index w = 0; w < threads; ++w)
    workers.emplace_back([&] {
      for (Eigen::Index chunk = next++; chunk < chunks; chunk = next++) run(chunk);
    });
}

}  // namespace casebook
