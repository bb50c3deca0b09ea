#pragma once
// Monte Carlo of a case: simulate, estimate and check the claims R times with derived seeds, and
// summarise how each analysis behaves over the draws (bias, RMSE, CI coverage) and how often
// each claim holds. Replication r uses seed derive_seed(seed, r) (core/derived_seed.hpp) and
// runs on one thread, so the summary is identical for any number of threads.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cases/case.hpp"
#include "refute/refutation.hpp"

namespace casebook {

struct MonteCarloOptions {
  std::size_t reps = 0;               // 0: an InputError
  std::optional<std::uint64_t> seed;  // default: the case's simulation seed
  std::optional<std::size_t> n;       // default: the case's simulation n
  unsigned threads = 0;               // 0: one per core
  // Refutations repeat an estimator many times in every replication, so by default they are
  // left out and claims about them are counted as skipped. With them, every refutation's verdict
  // is tallied (its rejection rate: size on a valid design, power on one that breaks it).
  bool refutations = false;
  // Called after each finished replication (from the worker that finished it, one call at a
  // time) with the number done so far and the total.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct AnalysisSummary {
  std::string id, label, estimator, estimand;
  std::size_t reps = 0;
  double mean_truth = 0;  // mean over replications of that replication's truth
  double mean_estimate = 0;
  double bias = 0;                    // mean_estimate - mean_truth
  double rmse = 0;                    // sqrt(mean((estimate_r - truth_r)²))
  std::optional<double> sd_estimate;  // Monte Carlo SD of the estimates (divisor R-1); none for R = 1
  double mean_se = 0;                 // mean reported SE, to compare with sd_estimate
  double coverage = 0;                // share of replications whose CI covers that replication's truth
  // Its Monte Carlo error: sqrt(coverage (1 − coverage) / reps), and the 95% Wilson interval,
  // so a reader can tell 84% from 95% in 50 replications apart from noise.
  double coverage_se = 0;
  double coverage_low = 0, coverage_high = 0;
  double confidence_level = 0.95;
};

struct ClaimSummary {
  std::string id, text;
  std::size_t passed = 0, failed = 0, skipped = 0;
  std::optional<double> pass_rate;     // passed / (passed + failed); none when never checked
  std::optional<double> pass_rate_se;  // sqrt(p (1 − p) / (passed + failed))
  std::string skip_phrase;             // why it was skipped, when it was (site/strings.json "skip_<phrase>")
};

// How often a refutation failed over the replications. On a case whose design is valid and a
// refutation no claim expects to fail, the rejection rate is the refuter's false-alarm rate
// (size); on a case that breaks a valid counterpart's design, or one a claim expects to fail, it
// is its detection rate (power).
struct RefutationSummary {
  std::string id, refuter, analysis;
  std::optional<double> level;  // the refuter's stated level; none for a tolerance rule
  bool expected_to_fail = false;
  std::size_t passed = 0, failed = 0, not_assessable = 0;
  std::optional<double> rejection_rate;  // failed / (passed + failed); none when never assessable
  std::optional<double> monte_carlo_se;  // sqrt(p (1 − p) / (passed + failed))
  // "size" or "power", as above.
  std::string measures;
  // Size above the level: the rejection rate exceeds level + 2 sqrt(level (1 − level) / R) (the
  // MC SE at the level, so a single false alarm in few replications is not called a defect).
  bool size_above_level() const;
  // Power that is not there: on a broken design the refuter never rejected.
  bool never_detects() const;
};

// What one replication leaves behind: per analysis its estimate and interval and the truth, per
// claim whether it held (none: skipped), per refutation its verdict and stated level. Kept per
// replication and reduced in replication order, so floating-point sums do not depend on which
// thread (or which shard) ran it.
struct AnalysisDraw {
  double estimate = 0, se = 0, ci_low = 0, ci_high = 0;
  std::optional<double> truth;
};
struct Replication {
  std::vector<AnalysisDraw> analyses;
  std::vector<std::optional<bool>> claims;
  std::vector<std::string> claim_skips;  // why each skipped claim was skipped (a phrase of site/strings.json)
  std::vector<Verdict> refutations;
  std::vector<std::optional<double>> refutation_levels;  // as each refutation stated it
};

struct MonteCarloSummary {
  std::string case_id;
  std::size_t reps = 0;
  std::uint64_t seed = 0;
  std::size_t n = 0;
  std::vector<AnalysisSummary> analyses;
  std::vector<ClaimSummary> claims;
  std::vector<RefutationSummary> refutations;  // only with options.refutations
  std::string valid_counterpart;               // the case's (see Case::valid_counterpart)
  std::string command;  // reruns exactly this (without --threads, which changes nothing)
};

// Throws InputError for reps = 0, and for a replication that fails (naming it and its seed).
MonteCarloSummary run_monte_carlo(const Case& c, const MonteCarloOptions& options);

// The two halves of run_monte_carlo, for a run split into shards (cases/monte_carlo_part.hpp):
// replications [first, first + count) of the run `options` describes (options.reps is the whole
// run's R; replication r keeps seed derive_seed(seed, r) whatever the split), and the summary of
// all R replications in replication order.
std::vector<Replication> run_replications(const Case& c, const MonteCarloOptions& options, std::size_t first,
                                          std::size_t count);
MonteCarloSummary summarise_monte_carlo(const Case& c, const MonteCarloOptions& options,
                                        const std::vector<Replication>& replications);

// The summary as JSON; its shape is "monte_carlo" in templates/results.schema.json.
nlohmann::json monte_carlo_json(const MonteCarloSummary& summary);

// The file beside a case's case.json holding its refuters' Monte Carlo summary (the JSON of
// `casebook mc <case> --refutations`), committed so the site shows size and power.
inline constexpr const char* kRefuterSummaryFile = "refuter-mc.json";

// Where `casebook mc` keeps its copy of a case's summary: <project root>/build/mc/<case>.json.
std::filesystem::path saved_monte_carlo_path(const std::filesystem::path& project_root,
                                             const std::string& case_id);
// That copy, if there is one. A file that does not parse or belongs to another case is skipped
// with a line on `warnings` (it is casebook's own output, so rerunning mc fixes it).
std::optional<nlohmann::json> read_saved_monte_carlo(const std::filesystem::path& project_root,
                                                     const std::string& case_id, std::ostream& warnings);

}  // namespace casebook
