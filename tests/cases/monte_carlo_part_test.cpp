// A Monte Carlo run split into shards: the parts survive JSON bit for bit, and merging them gives
// the unsharded summary byte for byte for any split; parts of another run, gaps and overlaps are
// refused naming the part.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "broken_cases.hpp"
#include "cases/monte_carlo.hpp"
#include "cases/monte_carlo_part.hpp"
#include "core/input_error.hpp"

namespace casebook {
namespace {

using Parts = std::vector<std::pair<std::string, MonteCarloPart>>;

Case template_case() { return parse_case(testing::template_case("mc-test"), "case.json", "mc-test"); }

MonteCarloOptions small(std::size_t reps, bool refutations = false) {
  MonteCarloOptions options;
  options.reps = reps;
  options.n = 400;
  options.seed = 99;
  options.threads = 2;
  options.refutations = refutations;
  return options;
}

// Shard k of K run and written as a part, then read back from its JSON text.
MonteCarloPart shard_part(const Case& c, const MonteCarloOptions& options, Shard shard) {
  MonteCarloPart part;
  part.program = "casebook test";
  part.case_id = c.id;
  part.case_digest = "0123456789abcdef";
  part.seed = *options.seed;
  part.n = *options.n;
  part.reps = options.reps;
  part.refutations = options.refutations;
  part.shard = shard;
  const auto [first, count] = shard_range(shard, options.reps);
  part.first = first;
  if (count > 0) part.replications = run_replications(c, options, first, count);
  const std::string text = monte_carlo_part_json(part).dump();
  return parse_monte_carlo_part(nlohmann::json::parse(text), "part.json");
}

Parts shard_parts(const Case& c, const MonteCarloOptions& options, std::size_t count) {
  Parts parts;
  // Last shard first: the merge puts them in order itself.
  for (std::size_t k = count; k-- > 0;)
    parts.emplace_back("part-" + std::to_string(k) + ".json", shard_part(c, options, {k, count}));
  return parts;
}

std::string merged_summary(const Case& c, const MonteCarloOptions& options, const Parts& parts) {
  MonteCarloOptions plain = options;
  plain.threads = 1;
  return monte_carlo_json(summarise_monte_carlo(c, plain, merge_monte_carlo_parts(parts))).dump(2);
}

void expect_error(const std::function<void()>& call, const std::string& fragment) {
  try {
    call();
    ADD_FAILURE() << "no error; expected one containing: " << fragment;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Shard, RangesTileTheRunInBlocksThatDifferByAtMostOne) {
  for (std::size_t reps : {1u, 7u, 23u, 1000u})
    for (std::size_t count : {1u, 2u, 3u, 5u, 30u}) {
      std::size_t next = 0, smallest = reps, largest = 0;
      for (std::size_t k = 0; k < count; ++k) {
        const auto [first, size] = shard_range({k, count}, reps);
        EXPECT_EQ(first, next) << reps << " in " << count;
        next = first + size;
        smallest = std::min(smallest, size);
        largest = std::max(largest, size);
      }
      EXPECT_EQ(next, reps) << reps << " in " << count;
      EXPECT_LE(largest - smallest, 1u) << reps << " in " << count;
    }
}

TEST(Shard, ParsesKOfKFromZero) {
  const Shard shard = parse_shard("2/5");
  EXPECT_EQ(shard.index, 2u);
  EXPECT_EQ(shard.count, 5u);
  for (const char* bad : {"5/5", "1", "a/b", "-1/2", "0/0", "1/2/3", "/2", "0/1000000", " 0/2"})
    expect_error([&] { parse_shard(bad); }, std::string("--shard '") + bad + "'");
}

TEST(MonteCarloPart, MergedShardsGiveTheUnshardedSummaryByteForByte) {
  const Case c = template_case();
  const MonteCarloOptions options = small(23);
  const std::string whole = monte_carlo_json(run_monte_carlo(c, options)).dump(2);
  // Uneven splits, and more shards than some have replications.
  for (std::size_t count : {1u, 2u, 3u, 5u, 30u})
    EXPECT_EQ(merged_summary(c, options, shard_parts(c, options, count)), whole) << count << " shards";
}

TEST(MonteCarloPart, MergedShardsWithRefutationsGiveTheUnshardedSummary) {
  const Case c = template_case();
  const MonteCarloOptions options = small(4, /*refutations=*/true);
  const MonteCarloSummary whole = run_monte_carlo(c, options);
  ASSERT_FALSE(whole.refutations.empty());
  EXPECT_EQ(merged_summary(c, options, shard_parts(c, options, 3)), monte_carlo_json(whole).dump(2));
}

TEST(MonteCarloPart, EveryDoubleReadsBackToTheSameBits) {
  MonteCarloPart part;
  part.program = "casebook test";
  part.case_id = "x";
  part.case_digest = "0";
  part.reps = 1;
  const double values[] = {std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(),
                           -0.0,
                           0.1 + 0.2,
                           std::numeric_limits<double>::denorm_min()};
  Replication r;
  for (double v : values) r.analyses.push_back({v, 1 / 3.0, -v, 5e-324, std::nullopt});
  r.analyses.push_back({1, 2, 3, 4, 0.30000000000000004});
  r.claims = {true, false, std::nullopt, std::nullopt};
  r.claim_skips = {"", "", "needs_refutations", ""};
  r.refutations = {Verdict::pass, Verdict::fail, Verdict::not_assessable};
  r.refutation_levels = {0.01, std::nullopt, 0.05};
  part.replications = {r};
  const MonteCarloPart back =
      parse_monte_carlo_part(nlohmann::json::parse(monte_carlo_part_json(part).dump()), "p.json");
  ASSERT_EQ(back.replications.size(), 1u);
  const Replication& b = back.replications[0];
  ASSERT_EQ(b.analyses.size(), r.analyses.size());
  const auto same_bits = [](double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; };
  for (std::size_t i = 0; i < r.analyses.size(); ++i) {
    const AnalysisDraw &x = r.analyses[i], &y = b.analyses[i];
    EXPECT_TRUE(std::isnan(x.estimate) ? std::isnan(y.estimate) : same_bits(x.estimate, y.estimate)) << i;
    EXPECT_TRUE(same_bits(x.se, y.se)) << i;
    EXPECT_TRUE(std::isnan(x.ci_low) ? std::isnan(y.ci_low) : same_bits(x.ci_low, y.ci_low)) << i;
    EXPECT_TRUE(same_bits(x.ci_high, y.ci_high)) << i;
    EXPECT_EQ(x.truth.has_value(), y.truth.has_value()) << i;
    if (x.truth) {
      EXPECT_TRUE(same_bits(*x.truth, *y.truth)) << i;
    }
  }
  EXPECT_EQ(b.claims, r.claims);
  EXPECT_EQ(b.claim_skips, r.claim_skips);
  EXPECT_EQ(b.refutations, r.refutations);
  EXPECT_EQ(b.refutation_levels, r.refutation_levels);
}

TEST(MonteCarloPart, MergeRefusesPartsOfAnotherRunGapsAndOverlaps) {
  const Case c = template_case();
  const MonteCarloOptions options = small(5);
  const Parts parts = shard_parts(c, options, 3);  // part-2, part-1, part-0

  Parts other_seed = parts;
  other_seed[1].second.seed = 100;
  expect_error([&] { merge_monte_carlo_parts(other_seed); }, "part-1.json: another run's part: case mc-test");
  Parts other_program = parts;
  other_program[2].second.program = "casebook 0.0";
  expect_error([&] { merge_monte_carlo_parts(other_program); }, "part-0.json: another run's part");
  Parts other_case = parts;
  other_case[1].second.case_digest = "fedcba9876543210";
  expect_error([&] { merge_monte_carlo_parts(other_case); }, "part-1.json: another run's part");

  const Parts gap = {parts[0], parts[2]};  // no part-1
  expect_error([&] { merge_monte_carlo_parts(gap); }, "no part holds replication 3 of 5");
  const Parts short_of_end = {parts[1], parts[2]};
  expect_error([&] { merge_monte_carlo_parts(short_of_end); }, "no part holds replication 5 of 5");
  const Parts twice = {parts[0], parts[1], parts[1], parts[2]};
  expect_error([&] { merge_monte_carlo_parts(twice); }, "is in another part too");
  expect_error([&] { merge_monte_carlo_parts({}); }, "no parts");

  // A part with a replication missing an analysis cannot be summarised against the case.
  Parts truncated = parts;
  truncated[0].second.replications[0].analyses.pop_back();
  MonteCarloOptions plain = options;
  expect_error([&] { summarise_monte_carlo(c, plain, merge_monte_carlo_parts(truncated)); },
               "replication 5 holds");
}

TEST(MonteCarloPart, ABadPartFileIsNamedWithItsField) {
  const Case c = template_case();
  const nlohmann::json good = monte_carlo_part_json(shard_part(c, small(2), {0, 1}));
  expect_error([&] { parse_monte_carlo_part(nlohmann::json::object(), "x.json"); },
               "x.json: monte_carlo_part: missing");
  auto bad = good;
  bad["monte_carlo_part"] = 2;
  expect_error([&] { parse_monte_carlo_part(bad, "x.json"); }, "x.json: monte_carlo_part: format 2");
  bad = good;
  bad.erase("seed");
  expect_error([&] { parse_monte_carlo_part(bad, "x.json"); }, "x.json: seed: missing");
  bad = good;
  bad["n"] = -4;
  expect_error([&] { parse_monte_carlo_part(bad, "x.json"); }, "x.json: n: expected a whole number");
  bad = good;
  bad["replications"][1]["analyses"][0][2] = "many";
  expect_error([&] { parse_monte_carlo_part(bad, "x.json"); },
               "x.json: replications[1].analyses[]: expected a number");
  bad = good;
  bad["replications"][0]["claims"][0] = 3;
  expect_error([&] { parse_monte_carlo_part(bad, "x.json"); }, "replications[0].claims[]");
  bad = good;
  bad["first"] = 1;  // two replications from the second do not fit in a run of two
  expect_error([&] { parse_monte_carlo_part(bad, "x.json"); },
               "x.json: replications: 2 replications from replication 2");
  bad = good;
  bad["shard"] = "1/1";
  expect_error([&] { parse_monte_carlo_part(bad, "x.json"); }, "x.json: shard:");
}

}  // namespace
}  // namespace casebook
