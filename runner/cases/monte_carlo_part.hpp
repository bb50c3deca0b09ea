#pragma once
// A Monte Carlo run split into shards, and the merge of their parts. `casebook mc <case>
// --shard k/K --out part.json` runs its share of the replications and keeps every replication's
// draws; `casebook mc merge` puts the shares back in replication order and summarises them with
// the same code as one unsharded run, so the summary is the same, byte for byte. Replication r
// keeps seed derive_seed(seed, r), so a shard's draws do not depend on K.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cases/monte_carlo.hpp"
#include "core/shard.hpp"

namespace casebook {

struct MonteCarloPart {
  std::string program;  // program_version() of the build that wrote it
  std::string case_id;
  std::string case_digest;  // of the case's case.json (case_file_digest)
  std::uint64_t seed = 0;
  std::size_t n = 0, reps = 0;  // reps: the whole run's R
  bool refutations = false;
  Shard shard;
  std::size_t first = 0;  // index of replications[0] in the whole run
  std::vector<Replication> replications;
};

// A hash of the case's definition (FNV-1a 64 over case.json's bytes, as 16 hex digits), so parts
// of a case edited between shards are refused.
std::string case_file_digest(const std::filesystem::path& case_json);

// The part as JSON. Every double is written so it reads back to the same bits (shortest
// round-trip digits; "nan", "inf" and "-inf" as strings; a missing truth or skipped claim as null).
nlohmann::json monte_carlo_part_json(const MonteCarloPart& part);
// Reads a part back; an InputError naming `file` and the field for anything else.
MonteCarloPart parse_monte_carlo_part(const nlohmann::json& document, const std::string& file);

// The parts' replications in replication order, after checking that the parts come from one run
// (the same case and case.json, seed, n, reps, refutations and program) and that together they
// hold every replication exactly once; an InputError naming the first part that does not fit
// (its file) or the first replication no part holds. `parts` pairs each part with its file name.
std::vector<Replication> merge_monte_carlo_parts(
    const std::vector<std::pair<std::string, MonteCarloPart>>& parts);

}  // namespace casebook
