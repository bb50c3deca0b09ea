// parallel_for: every index runs exactly once on any thread count, the exception reported is the
// lowest failing index's (as on one thread), and per-thread state is built once per thread.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/parallel_for.hpp"

namespace casebook {
namespace {

TEST(ParallelFor, RunsEveryIndexOnceOnAnyThreadCount) {
  for (unsigned threads : {0u, 1u, 2u, 3u, 8u, 64u}) {
    std::vector<int> runs(1000, 0);
    parallel_for(runs.size(), threads, [&](std::size_t i) { ++runs[i]; });
    EXPECT_EQ(runs, std::vector<int>(1000, 1)) << threads << " threads";
  }
  parallel_for(0, 4, [](std::size_t) { FAIL() << "no index to run"; });
}

TEST(ParallelFor, RethrowsTheLowestFailingIndexAndStartsNoMore) {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    std::atomic<std::size_t> started{0};
    try {
      parallel_for(100'000, threads, [&](std::size_t i) {
        ++started;
        if (i % 1000 == 37) throw std::runtime_error("index " + std::to_string(i));
      });
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "index 37") << threads << " threads";
    }
    EXPECT_LT(started, 100'000u) << "work went on after a failure";
  }
}

TEST(ParallelFor, BuildsStateOncePerThreadThatRuns) {
  for (unsigned threads : {1u, 3u}) {
    std::atomic<int> built{0};
    std::vector<int> seen(500, -1);
    parallel_for(
        seen.size(), threads, [&] { return built++; }, [&](int& state, std::size_t i) { seen[i] = state; });
    EXPECT_GE(built, 1);
    EXPECT_LE(built, static_cast<int>(threads));
    for (int s : seen) EXPECT_TRUE(s >= 0 && s < built);
  }
}

TEST(ParallelFor, ZeroThreadsMeansOnePerCoreUpToTheCap) {
  EXPECT_EQ(resolve_threads(0), std::min(core_count(), kMaxAutomaticThreads));
  EXPECT_GE(resolve_threads(0), 1u);
  EXPECT_EQ(resolve_threads(5), 5u);
  EXPECT_EQ(resolve_threads(100), 100u);  // an explicit count is taken as given
}

}  // namespace
}  // namespace casebook
