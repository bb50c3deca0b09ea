#pragma once
// One run of a case: simulate (or read) the data, compute the truth of every estimand, run
// every analysis and check every claim.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "cases/claims.hpp"
#include "data/dataset.hpp"

namespace casebook {

struct RunOptions {
  std::optional<std::uint64_t> seed;              // default: the case's simulation seed
  std::optional<std::size_t> n;                   // default: the case's simulation n
  std::optional<std::filesystem::path> data_file; // run on this CSV instead of simulating
};

// The simulated data an analyst sees, and the truth of every estimand in that sample.
struct SimulatedSample {
  Dataset observed;
  std::map<std::string, double> truth;  // estimand id → value
};

SimulatedSample simulate_case(const Case& c, std::uint64_t seed, std::size_t n);

std::vector<AnalysisResult> run_analyses(const Case& c, const Dataset& data,
                                         const std::map<std::string, double>& truth);
std::vector<ClaimResult> check_claims(const Case& c, const std::vector<AnalysisResult>& analyses);

struct CaseRun {
  std::string data_source;        // "simulation" or the CSV path
  std::optional<std::uint64_t> seed;
  std::size_t n = 0;
  std::map<std::string, double> truth;
  Dataset data;                   // what the analyses saw
  std::vector<AnalysisResult> analyses;
  std::vector<ClaimResult> claims;
  std::string command;            // the command that reruns exactly this
};

CaseRun run_case(const Case& c, const RunOptions& options);

struct ClaimTally {
  std::size_t passed = 0, failed = 0, skipped = 0;
};
ClaimTally tally(const std::vector<ClaimResult>& claims);

}  // namespace casebook
