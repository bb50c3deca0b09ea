#pragma once
// A share of independent work (Monte Carlo replications, cases to verify) for one task of a job
// array, an indexed job or a CI matrix.
#include <cstddef>
#include <string>
#include <utility>

namespace casebook {

// Shard `index` of `count`, counted from 0 as Slurm's SLURM_ARRAY_TASK_ID and Kubernetes'
// JOB_COMPLETION_INDEX are.
struct Shard {
  std::size_t index = 0, count = 1;
};
// "k/K" with 0 <= k < K <= 100,000; an InputError naming --shard otherwise.
Shard parse_shard(const std::string& text);
// The replications [first, first + count) of `reps` that a shard runs: consecutive blocks of
// floor(R / K), the first R mod K of them one longer (a shard is empty when K > R and k >= R).
std::pair<std::size_t, std::size_t> shard_range(const Shard& shard, std::size_t reps);

}  // namespace casebook
