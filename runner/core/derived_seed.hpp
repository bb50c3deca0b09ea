#pragma once
// Seeds derived from (seed, task index), so parallel work (simulation, bootstrap, Monte Carlo)
// gives the same numbers on any thread count: every task owns a generator that depends only on
// its own index, never on shared state or on which thread ran it.
#include <cstdint>

namespace casebook {

// splitmix64's finaliser: a bijection that spreads neighbouring inputs over all 64 bits.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The key of task `index` under `seed` (the first step of the simulator's per-unit chain).
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) {
  return splitmix64(splitmix64(seed) ^ index);
}

// Seeds a PCG generator (pcg32/pcg64) from a key: the stream (increment) comes from the same key,
// so neighbouring keys differ in both state and stream.
template <class PcgGenerator>
void seed_from_key(PcgGenerator& generator, std::uint64_t key) {
  generator.seed(key, splitmix64(key ^ 0x6a09e667f3bcc909ULL));
}

}  // namespace casebook
