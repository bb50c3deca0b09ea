// Row chunks: fixed boundaries whatever the thread count, every row covered once, a ragged last
// chunk, and a parallel pass that sums to the same bits as a serial one.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "inference/row_chunks.hpp"

namespace casebook {
namespace {

TEST(RowChunks, LargePassCoversEveryRowOnceInFixedChunks) {
  const Eigen::Index rows = kParallelRowThreshold + 1234;  // several threads, a ragged last chunk
  const Eigen::Index chunk_rows = 4096;
  const Eigen::Index chunks = (rows + chunk_rows - 1) / chunk_rows;
  std::vector<int> covered(static_cast<std::size_t>(rows), 0);
  std::vector<double> partial(static_cast<std::size_t>(chunks), 0.0);
  for_each_row_chunk(rows, chunk_rows, [&](Eigen::Index chunk, Eigen::Index begin, Eigen::Index length) {
    EXPECT_EQ(begin, chunk * chunk_rows);
    EXPECT_EQ(length, std::min(chunk_rows, rows - begin));
    for (Eigen::Index i = begin; i < begin + length; ++i) {
      ++covered[static_cast<std::size_t>(i)];
      partial[static_cast<std::size_t>(chunk)] += std::sin(static_cast<double>(i));
    }
  });
  EXPECT_EQ(covered, std::vector<int>(static_cast<std::size_t>(rows), 1));
  // Partials combined in chunk order: the same bits as the serial loop over the same chunks.
  double parallel = 0, serial = 0;
  for (double p : partial) parallel += p;
  for (Eigen::Index c = 0; c < chunks; ++c) {
    double s = 0;
    for (Eigen::Index i = c * chunk_rows; i < std::min(rows, (c + 1) * chunk_rows); ++i)
      s += std::sin(static_cast<double>(i));
    serial += s;
  }
  EXPECT_EQ(parallel, serial);
}

}  // namespace
}  // namespace casebook
