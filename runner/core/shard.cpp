#include "core/shard.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

constexpr std::size_t kMaxShards = 100'000;

}  // namespace

Shard parse_shard(const std::string& text) {
  const auto bad = [&] {
    return InputError(fmt::format(
        "--shard '{}': expected k/K with 0 <= k < K <= {} (shards count from 0, as Slurm's array index)",
        text, kMaxShards));
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw bad();
  const auto whole = [&](const std::string& digits) {
    if (digits.empty() || digits.size() > 6 ||
        !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      throw bad();
    return static_cast<std::size_t>(std::stoul(digits));
  };
  const Shard shard{whole(text.substr(0, slash)), whole(text.substr(slash + 1))};
  if (shard.count == 0 || shard.count > kMaxShards || shard.index >= shard.count) throw bad();
  return shard;
}

std::pair<std::size_t, std::size_t> shard_range(const Shard& shard, std::size_t reps) {
  // The first R mod K shards take one more: no product that could overflow.
  const std::size_t base = reps / shard.count, longer = reps % shard.count;
  const std::size_t first = shard.index * base + std::min(shard.index, longer);
  return {first, base + (shard.index < longer ? 1 : 0)};
}

}  // namespace casebook
