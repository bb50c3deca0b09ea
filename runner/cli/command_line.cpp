// The command line: every subcommand, its options and help, and the mapping of errors to exit codes.
#include "cli/command_line.hpp"

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <system_error>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "core/one_line.hpp"
#include "core/options.hpp"
#include "core/parallel_for.hpp"
#include "core/program_version.hpp"
#include "core/progress.hpp"
#include "site/pdf_printer.hpp"

namespace {

constexpr const char* kDescription = R"(casebook — executable causal-inference cases from industry practice.

Each case in cases/<id>/ is a page (case.md) and a machine half (case.json): a simulated
data-generating process that mimics the real case, the analyses to run and the claims to
check against the known truth.

Typical use:
  casebook list                                   what cases there are
  casebook run tripadvisor-membership-iv          simulate, estimate, check the claims
  casebook verify                                 every case's claims, exit 1 if any fails
  casebook estimate 2sls --data my.csv --outcome y --treatment member --instruments z
  casebook site --out build/site                  the static site

Exit codes: 0 all good · 1 a claim or check failed · 2 bad input (the message names the
file, field, column or row).)";

// More threads than cores is allowed (results do not depend on the count) but only slows the run.
void warn_about_threads(unsigned threads) {
  const unsigned cores = casebook::core_count();
  if (threads > cores)
    std::cerr << fmt::format(
        "casebook: warning: --threads {} is more than this machine's {} cores; the results are "
        "the same, only slower\n",
        threads, cores);
}

}  // namespace

namespace {

// CLI11 reads "-1" into an unsigned option as 2^64 - 1 and clamps 2^64 to the largest value:
// counts and seeds are checked as written, digits only and within 0 … 2^64 - 1.
const CLI::Validator kWholeNumber(
    [](std::string& text) -> std::string {
      std::uint64_t value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return fmt::format("'{}' is not a whole number from 0 to 18446744073709551615", text);
      return "";
    },
    "WHOLE");

// Repetitions: at most kMaxCount, refused up front rather than exhausting memory (0 reaches the
// command, which says what the least is).
CLI::Validator repetitions() { return kWholeNumber & CLI::Range(std::size_t{0}, casebook::kMaxCount); }

}  // namespace

namespace casebook {

int run_command_line(int argc, const char* const* argv) {
  CLI::App app(kDescription, "casebook");
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show the help of every subcommand");
  app.set_version_flag("--version", casebook::program_version());
  std::string root;
  app.add_option("--root", root,
                 "Folder holding cases/ and templates/ (default: found from the working directory)");

  auto* list = app.add_subcommand("list", "List the cases: id, organization, methods, title");

  std::vector<std::string> lint_ids;
  auto* lint = app.add_subcommand(
      "lint", "Check cases' JSON, expressions and page headings (all cases if none named)");
  lint->add_option("case", lint_ids, "Case ids");

  RunCommand run;
  auto* run_cmd =
      app.add_subcommand("run", "Simulate a case (or read --data), run its analyses and check its claims");
  run_cmd->add_option("case", run.case_id, "Case id, e.g. tripadvisor-membership-iv")->required();
  run_cmd->add_option("--seed", run.seed, "Random seed (default: the case's)")->check(kWholeNumber);
  run_cmd->add_option("--n", run.n, "Sample size (default: the case's)")
      ->check(kWholeNumber & CLI::Range(std::size_t{2}, std::size_t{100'000'000}));
  run_cmd->add_option("--data", run.data_file,
                      "Run the analyses on this CSV instead of simulating (truth-based claims are skipped)");
  run_cmd->add_option("--map", run.column_map,
                      "With --data: the case's column and yours, as case_column=your_column (repeatable), "
                      "e.g. --map days_visited_post=visits_after");
  run_cmd->add_option("--json", run.json_file, "Write the results document to FILE ('-' for stdout)");
  run_cmd->add_flag("--force", run.force, "Replace an existing --json file");

  std::vector<std::string> verify_ids;
  auto* verify = app.add_subcommand(
      "verify", "Run cases with their own seeds and check every claim (all cases if none named)");
  verify->add_option("case", verify_ids, "Case ids");
  std::string verify_shard;
  verify->add_option("--shard", verify_shard,
                     "k/K: only the cases whose position i (from 0) in the list has i % K == k, for one task "
                     "of a job array or CI matrix");
  std::string verify_json_dir;
  verify->add_option("--json-dir", verify_json_dir,
                     "Also write each case's results document to DIR/<case>.json (as run --json writes it)");
  bool verify_force = false;
  verify->add_flag("--force", verify_force, "Replace existing files in --json-dir");

  SimulateCommand simulate;
  auto* simulate_cmd =
      app.add_subcommand("simulate", "Write a case's simulated data (observed variables) to CSV");
  simulate_cmd->add_option("case", simulate.case_id, "Case id")->required();
  simulate_cmd->add_option("--out", simulate.out, "CSV file to write")->required();
  simulate_cmd->add_option("--seed", simulate.seed, "Random seed (default: the case's)")->check(kWholeNumber);
  simulate_cmd->add_option("--n", simulate.n, "Sample size (default: the case's)")
      ->check(kWholeNumber & CLI::Range(std::size_t{2}, std::size_t{100'000'000}));
  simulate_cmd->add_flag("--include-latent", simulate.include_latent,
                         "Also write latent variables (the analyst never sees them)");
  simulate_cmd->add_flag("--force", simulate.force, "Replace an existing file");

  EstimateCommand estimate;
  auto* estimate_cmd = app.add_subcommand("estimate", "Run one estimator on your own CSV");
  estimate_cmd
      ->add_option("estimator", estimate.estimator,
                   "difference-in-means, ols, 2sls, … (`casebook estimate --help` lists them)")
      ->required();
  estimate_cmd->add_option("--data", estimate.data_file, "CSV file with a header row")->required();
  // Neither required here: the estimator says whether it needs them (estimate_command checks).
  estimate_cmd->add_option("--outcome", estimate.outcome, "Outcome column (every estimator but rd-density)");
  estimate_cmd->add_option("--treatment", estimate.treatment,
                           "Treatment column (every estimator but regression-forest)");
  estimate_cmd->add_option("--instruments", estimate.instruments, "Instrument columns (2sls)")
      ->delimiter(',');
  estimate_cmd
      ->add_option("--covariates", estimate.covariates, "Covariate columns; text columns enter as dummies")
      ->delimiter(',');
  estimate_cmd->add_option(
      "--cluster", estimate.cluster,
      "Cluster column: cluster-robust (CR1) standard errors; forests subsample whole clusters");
  estimate_cmd->add_option("--se", estimate.se,
                           "Standard errors: iid, hc0, hc1 (Stata's robust, default), hc2, hc3");
  estimate_cmd->add_option("--level", estimate.confidence_level, "Confidence level (default 0.95)");
  estimate_cmd->add_flag("--json", estimate.json, "Print one JSON object instead of a table");
  estimate_cmd
      ->add_option("--bootstrap", estimate.bootstrap_reps,
                   "Also bootstrap the estimate with R replicates (pairs; whole clusters with --cluster)")
      ->check(repetitions());
  auto* estimate_seed =
      estimate_cmd
          ->add_option("--seed", estimate.seed,
                       "Seed of the bootstrap (default 1), or of a learner's forests (default 42)")
          ->check(kWholeNumber);
  auto* estimate_threads = estimate_cmd
                               ->add_option("--threads", estimate.threads,
                                            fmt::format("Bootstrap, learner or --streaming threads (default: "
                                                        "one per core, at most {}); results do not "
                                                        "depend on it",
                                                        casebook::kMaxAutomaticThreads))
                               ->check(kWholeNumber & CLI::Range(0u, 1024u));
  estimate_cmd->add_option("--trees", estimate.trees, "Trees per forest of a meta-learner (default 500)")
      ->check(kWholeNumber & CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  estimate_cmd->add_option("--base-learner", estimate.base_learner,
                           "Base learner of a meta-learner: forest (default) or linear");
  estimate_cmd->add_option(
      "--predictions", estimate.predictions_file,
      "Write per-row predictions to FILE as CSV: `cate` for meta-learners, plus `cate_variance` for "
      "causal-forest; `prediction`, `variance` for regression-forest");
  estimate_cmd
      ->add_option("--benchmark", estimate.benchmarks,
                   "ols: covariates to compare a hidden confounder with (\"as strong as X\"), reported under "
                   "sensitivity")
      ->delimiter(',');
  estimate_cmd->add_flag("--force", estimate.force, "Replace an existing --predictions file");
  estimate_cmd->add_flag(
      "--streaming", estimate.streaming,
      "ols, 2sls, did: read the CSV block by block instead of whole, for files larger than memory (numeric "
      "columns only; the same estimates, from sums over the rows in two passes; --threads parse)");
  estimate_cmd->add_option("--group", estimate.group,
                           "did: the 0/1 column saying a unit is in the treated group (option group)");
  estimate_cmd->add_option("--post", estimate.post,
                           "did: the 0/1 column saying a row is after the change (option post)");
  estimate_cmd->add_option(
      "--unit", estimate.unit,
      "Panels (twfe, event-study, sun-abraham, synthdid): the unit column (option unit, default 'unit')");
  estimate_cmd->add_option(
      "--time", estimate.time,
      "Panels (whole-number periods) and its: the time column (option time, default 'period')");
  estimate_cmd->add_option("--option", estimate.options,
                           "An estimator option as key=value, repeatable, e.g. --option reference=-2 (the "
                           "list below says which each estimator reads)");
  estimate_cmd->footer(estimator_help());

  MonteCarloCommand mc;
  auto* mc_cmd = app.add_subcommand(
      "mc", "Monte Carlo: rerun a case's simulation, analyses and claims R times (bias, RMSE, coverage)");
  mc_cmd->add_option("case", mc.case_id, "Case id");
  mc_cmd->add_option("--reps", mc.reps, "Replications (default: the case's monte_carlo.reps)")
      ->check(repetitions());
  mc_cmd
      ->add_option("--threads", mc.threads,
                   fmt::format("Threads (default: one per core, at most {}); results do not depend on it",
                               casebook::kMaxAutomaticThreads))
      ->check(kWholeNumber & CLI::Range(0u, 1024u));
  mc_cmd->add_option("--n", mc.n, "Sample size of each replication (default: the case's)")
      ->check(kWholeNumber & CLI::Range(std::size_t{2}, std::size_t{100'000'000}));
  mc_cmd
      ->add_option("--seed", mc.seed,
                   "Base seed; replication r uses a seed derived from (seed, r) (default: the case's)")
      ->check(kWholeNumber);
  mc_cmd->add_option("--json", mc.json_file, "Write the summary to FILE ('-' for stdout)");
  mc_cmd->add_flag("--force", mc.force, "Replace an existing --json file");
  mc_cmd->add_flag(
      "--refutations", mc.refutations,
      "Also run the refutations in every replication (slow), so claims about them get a pass rate");
  mc_cmd->add_option(
      "--shard", mc.shard,
      "k/K: run only shard k (from 0) of K (consecutive blocks of R/K replications, the first R mod K one "
      "longer), and "
      "write them to --out for `mc merge` (one task of a Slurm array, a Kubernetes indexed job "
      "or a CI matrix); replication r keeps its seed whatever K is");
  mc_cmd->add_option("--out", mc.out_file, "The shard's part file (with --shard)");
  mc_cmd->footer(
      "Sharded: `casebook mc CASE --reps R --shard k/K --out part-k.json` for k = 0 … K-1 (anywhere, in any "
      "order), then `casebook mc merge part-*.json --json mc.json`: the same summary, byte for byte, as one "
      "unsharded run. Recipes for Slurm, Kubernetes and GitHub Actions: ops/.");
  MonteCarloMergeCommand mc_merge;
  auto* mc_merge_cmd = mc_cmd->add_subcommand(
      "merge", "Summarise the parts of a sharded run (mc --shard) as the unsharded run would be");
  mc_merge_cmd->add_option("parts", mc_merge.part_files, "The parts' files, in any order")->required();
  mc_merge_cmd->add_option("--json", mc_merge.json_file, "Write the summary to FILE ('-' for stdout)");
  mc_merge_cmd->add_flag("--force", mc_merge.force, "Replace an existing --json file");

  std::string site_out = "build/site";
  auto* site = app.add_subcommand("site", "Run every case and render the static site");
  site->add_option("--out", site_out, "Output folder (default build/site); replaced only when complete");
  std::string site_repository;
  site->add_option("--repository", site_repository,
                   "Link each case's case.json and case.md online too, under this address (e.g. "
                   "https://github.com/ORG/casebook/blob/main); they are always published beside the pages");
  bool site_pdf = false;
  site->add_flag("--pdf", site_pdf,
                 "Also print every case page to PDF beside it (cases/<id>.<lang>.pdf), linked from the page; "
                 "needs Chromium");

  PdfCommand pdf;
  auto* pdf_cmd = app.add_subcommand(
      "pdf", "Print case pages as A4 handouts through headless Chromium: <out>/<case>.<lang>.pdf");
  pdf_cmd->add_option("case", pdf.case_ids, "Case ids")->required();
  pdf_cmd->add_option("--lang", pdf.lang, "en or ko (default: both)");
  pdf_cmd->add_option("--out", pdf.out_dir, "Folder to write the PDFs into (default: the working directory)");
  pdf_cmd->add_flag("--force", pdf.force, "Replace existing PDFs");
  pdf_cmd->footer(fmt::format(
      "Chromium: ${} if set, else `chromium` on PATH (Debian: apt-get install chromium fonts-noto-cjk).\n"
      "The PDF's dates are $SOURCE_DATE_EPOCH (default 0, 1970-01-01), so the same inputs give the same "
      "bytes.",
      site::kChromiumVariable));

  std::string new_id;
  auto* new_cmd = app.add_subcommand("new", "Start a new case from the templates: cases/<id>/");
  new_cmd->add_option("id", new_id, "Case id: lowercase letters, digits and '-'")->required();

  GraphCommand graph;
  auto* graph_cmd = app.add_subcommand("graph", "A case's causal graph as Graphviz DOT (stdout) or SVG");
  graph_cmd->add_option("case", graph.case_id, "Case id")->required();
  graph_cmd->add_option("--analysis", graph.analysis,
                        "Highlight this analysis: treatment, outcome, adjustment set, open path");
  graph_cmd->add_flag("--assumed", graph.assumed,
                      "The case's assumed_graph (the analyst's belief) instead of the true graph");
  graph_cmd->add_option("--svg", graph.svg_file, "Write the drawing as SVG to FILE");
  graph_cmd->add_option("--dot", graph.dot_file, "Write the Graphviz DOT source to FILE");
  graph_cmd->add_flag("--force", graph.force, "Replace existing files");

  std::string identify_id;
  auto* identify_cmd = app.add_subcommand(
      "identify",
      "Check each analysis of a case against its causal graph (backdoor, instrument, front door)");
  identify_cmd->add_option("case", identify_id, "Case id")->required();

  std::string choose_lang = "en";
  auto* choose =
      app.add_subcommand("choose", "Which method fits? The flowchart's questions, answered on stdin");
  choose->add_option("--lang", choose_lang, "en (default) or ko");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    // A bad command line is bad input like any other: one line, exit 2.
    std::cerr << "casebook: error: " << one_line(e.what()) << " (see --help)\n";
    return 2;
  }

  try {
    if (*estimate_cmd) {
      estimate.seed_given = estimate_seed->count() > 0;
      estimate.threads_given = estimate_threads->count() > 0;
      warn_about_threads(estimate.threads);
      report_progress("estimate " + estimate.estimator);
      return estimate_command(estimate);
    }
    const Project project = find_project(root);
    if (*list) return list_cases(project);
    if (*lint) return lint_cases(project, lint_ids);
    if (*run_cmd) {
      report_progress("run " + run.case_id);
      return run_case_command(project, run);
    }
    if (*verify) return verify_cases(project, verify_ids, verify_shard, verify_json_dir, verify_force);
    if (*mc_merge_cmd) return monte_carlo_merge_command(project, mc_merge);
    if (*mc_cmd) {
      warn_about_threads(mc.threads);
      // mc reports its replications itself; a long loop inside one (a bootstrap of 10^7
      // replicates) is reported too, so a first replication of hours is not silent.
      report_progress("mc " + mc.case_id + ", within a replication");
      return monte_carlo_command(project, mc);
    }
    if (*simulate_cmd) return simulate_command(project, simulate);
    if (*site) return render_site_command(project, site_out, site_pdf, site_repository);
    if (*pdf_cmd) return pdf_command(project, pdf);
    if (*new_cmd) return new_case(project, new_id);
    if (*choose) return choose_command(project, choose_lang);
    if (*graph_cmd) return graph_command(project, graph);
    if (*identify_cmd) return identify_command(project, identify_id);
  } catch (const InputError& e) {
    std::cerr << "casebook: error: " << one_line(e.what()) << '\n';
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "casebook: error: " << one_line(e.what()) << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "casebook: internal error: " << one_line(e.what()) << " (please report it)\n";
    return 3;
  }
  return 0;
}

}  // namespace casebook
