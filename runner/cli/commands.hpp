#pragma once
// The `casebook` subcommands. Each returns the process exit code: 0 all good, 1 a claim or
// check failed; bad input is an InputError, which main() turns into one line and exit 2.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/project.hpp"

namespace casebook {

int list_cases(const Project& project);
int lint_cases(const Project& project, const std::vector<std::string>& ids);
int new_case(const Project& project, const std::string& id);

struct RunCommand {
  std::string case_id;
  std::optional<std::uint64_t> seed;
  std::optional<std::size_t> n;
  std::string data_file;
  std::vector<std::string> column_map;  // --map case_column=your_column, with --data
  std::string json_file;                // "-" for stdout
  bool force = false;
};
int run_case_command(const Project& project, const RunCommand& command);
// shard "k/K" (empty: all): only the cases whose index in the list (i from 0) has i % K == k.
// With a json_dir, each case's results document goes to json_dir/<id>.json (the folder is created;
// an existing file is replaced only with force).
int verify_cases(const Project& project, const std::vector<std::string>& ids, const std::string& shard = "",
                 const std::filesystem::path& json_dir = {}, bool force = false);

struct SimulateCommand {
  std::string case_id;
  std::string out;
  std::optional<std::uint64_t> seed;
  std::optional<std::size_t> n;
  bool include_latent = false;
  bool force = false;
};
int simulate_command(const Project& project, const SimulateCommand& command);

struct EstimateCommand {
  std::string estimator;
  std::string data_file;
  std::string outcome, treatment, cluster, se;
  std::vector<std::string> instruments, covariates;
  double confidence_level = 0.95;
  bool json = false;
  std::optional<std::size_t> bootstrap_reps;  // unset: no bootstrap
  std::uint64_t seed = 1;                     // of the bootstrap
  unsigned threads = 0;                       // 0: one per core
  // Learners (estimators whose EstimatorInfo::options list them): --seed and --threads go to the
  // learner when given; --trees, --base-learner likewise. --predictions writes row_outputs as CSV.
  bool seed_given = false, threads_given = false;
  std::optional<std::size_t> trees;
  std::string base_learner;
  std::string predictions_file;
  bool force = false;
  std::vector<std::string> benchmarks;  // --benchmark: covariates that bound a hidden confounder (ols)
  // Estimator options (EstimatorArgs::options): --group, --post (did), --unit, --time (panels),
  // and any key=value from --option; each key must be one the estimator lists.
  std::string group, post, unit, time;
  std::vector<std::string> options;  // "key=value"
  // ols and 2sls on a file read block by block, never whole (estimators/streaming_regression.hpp);
  // --threads then sets the parsing threads.
  bool streaming = false;
};
int estimate_command(const EstimateCommand& command);
// The estimators with their summaries and the options they read, for `casebook estimate --help`.
std::string estimator_help();

struct MonteCarloCommand {
  std::string case_id;
  std::optional<std::size_t> reps;  // default: the case's monte_carlo.reps
  std::optional<std::uint64_t> seed;
  std::optional<std::size_t> n;
  unsigned threads = 0;
  std::string json_file;  // "-" for stdout
  bool force = false;
  bool refutations = false;
  std::string shard;     // "k/K": run only that share of the replications, and write a part
  std::string out_file;  // the part (with shard)
};
int monte_carlo_command(const Project& project, const MonteCarloCommand& command);

// mc merge: parts of one sharded run, summarised as the unsharded run would be.
struct MonteCarloMergeCommand {
  std::vector<std::string> part_files;
  std::string json_file;  // "-" for stdout
  bool force = false;
};
int monte_carlo_merge_command(const Project& project, const MonteCarloMergeCommand& command);

// `pdf`: the PDFs too, beside the case pages (cases/<id>.<lang>.pdf), linked from them.
int render_site_command(const Project& project, const std::string& out_dir, bool pdf,
                        const std::string& repository_url = {});

// pdf: each case page printed to <out_dir>/<case>.<lang>.pdf; `lang` "en", "ko" or empty for both.
struct PdfCommand {
  std::vector<std::string> case_ids;
  std::string lang;
  std::string out_dir = ".";
  bool force = false;
};
int pdf_command(const Project& project, const PdfCommand& command);

// The flowchart's questions on stdin/stdout; `lang` is "en" or "ko".
int choose_command(const Project& project, const std::string& lang);

// graph and identify (graph_commands.cpp): a case's causal graph and its analyses' verdicts.
struct GraphCommand {
  std::string case_id;
  std::string analysis;  // highlight this analysis's treatment, outcome, adjustment set, open path
  bool assumed = false;  // the case's assumed_graph instead of the true one
  std::string svg_file, dot_file;
  bool force = false;
};
int graph_command(const Project& project, const GraphCommand& command);
int identify_command(const Project& project, const std::string& case_id);

}  // namespace casebook
