#pragma once
// The one thread pool: parallel_for runs body(i) for every i in [0, count). Each index is a task
// that writes only its own outputs, so results never depend on the thread count or on which
// thread ran which index. Indices start in increasing order; once a task throws, no further
// index starts and the exception of the lowest failing index is rethrown: every lower index has
// run, so it is the exception a single thread would have thrown.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace casebook {

// Threads for "0: one per core" stop here: the row passes and the simulation are memory-bound,
// and every bootstrap or Monte Carlo thread holds its own copy of the data. Ask for a number
// (--threads, option `threads`) to go higher.
constexpr unsigned kMaxAutomaticThreads = 8;

// This machine's cores (1 when unknown).
inline unsigned core_count() { return std::max(1u, std::thread::hardware_concurrency()); }

// The threads to run when asked for `threads`: that many, or for 0 one per core up to
// kMaxAutomaticThreads.
inline unsigned resolve_threads(unsigned threads) {
  return threads != 0 ? threads : std::min(core_count(), kMaxAutomaticThreads);
}

// As below, for tasks that need scratch state too costly to build per index (e.g. parsed
// expressions): each thread calls make_state() once, before its first index, and then
// body(state, i) for every index it runs.
template <class MakeState, class Body>
void parallel_for(std::size_t count, unsigned threads, MakeState&& make_state, Body&& body) {
  using State = std::invoke_result_t<MakeState&>;
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::size_t failed_index = count;
  std::exception_ptr failure;
  auto work = [&] {
    std::optional<State> state;
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        if (!state) state.emplace(make_state());
        body(*state, i);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (i < failed_index) {
          failed_index = i;
          failure = std::current_exception();
        }
        next = count;  // start no further index; the lower ones have all started
      }
    }
  };
  const std::size_t workers = std::min<std::size_t>(resolve_threads(threads), count);
  {
    std::vector<std::jthread> pool;
    if (workers > 1) pool.reserve(workers - 1);
    for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
  }  // the jthreads join here
  if (failure) std::rethrow_exception(failure);
}

// Runs body(i) for i in [0, count) on resolve_threads(threads) threads (never more than count).
template <class Body>
void parallel_for(std::size_t count, unsigned threads, Body&& body) {
  auto no_state = [] { return 0; };
  parallel_for(count, threads, no_state, [&](int, std::size_t i) { body(i); });
}

}  // namespace casebook
