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
  std::optional<std::uint64_t> seed;               // default: the case's simulation seed
  std::optional<std::size_t> n;                    // default: the case's simulation n
  std::optional<std::filesystem::path> data_file;  // run on this CSV instead of simulating
  // With data_file: the case's column name → the file's, for files that name them otherwise.
  std::map<std::string, std::string> column_map;
  bool refutations = true;  // run the case's refutations
};

// The simulated data an analyst sees, and the truth of every estimand in that sample.
struct SimulatedSample {
  Dataset observed;
  std::map<std::string, double> truth;  // estimand id → value
  // cate estimand id → each unit's Y(1) − Y(0): kept from the estimators, used only to score their
  // per-row "cate" output (diagnostics pehe and cate_correlation, the plot cate-vs-truth) and
  // their "segment" effects (cases/segment_truth.hpp).
  std::map<std::string, std::vector<double>> row_truth;
};

// `threads` = 0 uses every core; Monte Carlo passes 1 inside its parallel replications.
SimulatedSample simulate_case(const Case& c, std::uint64_t seed, std::size_t n, unsigned threads = 0);

// An analysis with a `bootstrap` section also gets diagnostics bootstrap_se,
// bootstrap_percentile_low/high, bootstrap_normal_low/high, bootstrap_reps and bootstrap_failed
// (replicates seeded from the case's simulation seed; `threads` as above).
std::vector<AnalysisResult> run_analyses(const Case& c, const Dataset& data,
                                         const std::map<std::string, double>& truth, unsigned threads = 0,
                                         const std::map<std::string, std::vector<double>>& row_truth = {});
std::vector<ClaimResult> check_claims(const Case& c, const std::vector<AnalysisResult>& analyses,
                                      const std::vector<RefutationResult>* refutations = nullptr);

// Every refutation of the case on `data` (results in the case's order). Refutation i seeds its
// repetitions from derive_seed(seed, i); `threads` as above.
std::vector<RefutationResult> run_refutations(const Case& c, const Dataset& data,
                                              const std::vector<AnalysisResult>& analyses, std::uint64_t seed,
                                              unsigned threads = 0);

struct CaseRun {
  std::string data_source;  // "simulation" or the CSV path
  std::optional<std::uint64_t> seed;
  std::size_t n = 0;
  std::map<std::string, double> truth;
  std::map<std::string, std::vector<double>> row_truth;  // as in SimulatedSample
  Dataset data;                                          // what the analyses saw
  std::vector<AnalysisResult> analyses;
  std::vector<ClaimResult> claims;
  std::vector<RefutationResult> refutations;
  std::string command;  // the command that reruns exactly this
};

CaseRun run_case(const Case& c, const RunOptions& options);

struct ClaimTally {
  std::size_t passed = 0, failed = 0, skipped = 0;
};
ClaimTally tally(const std::vector<ClaimResult>& claims);

}  // namespace casebook
