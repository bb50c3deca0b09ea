// mc: a case's simulation, analyses and claims over many draws.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/monte_carlo.hpp"
#include "cases/monte_carlo_part.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/report.hpp"
#include "core/input_error.hpp"
#include "core/program_version.hpp"
#include "core/progress.hpp"

namespace casebook {
namespace {

// A bar redrawn in place on a terminal; in a log (stderr redirected) a line at every 10% and at
// least every 15 seconds, with the time left, so a long run is never silent.
std::function<void(std::size_t, std::size_t)> progress_reporter() {
  using Clock = std::chrono::steady_clock;
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  const Clock::time_point start = Clock::now();
  Clock::time_point last_line = start;
  return [terminal, start, last_line](std::size_t done, std::size_t total) mutable {
    if (terminal) {
      constexpr std::size_t kWidth = 30;
      const std::size_t filled = done * kWidth / total;
      std::cerr << fmt::format("\r[{}{}] {}/{} replications", std::string(filled, '#'),
                               std::string(kWidth - filled, ' '), done, total)
                << (done == total ? "\n" : "") << std::flush;
      return;
    }
    constexpr auto kQuietest = std::chrono::seconds(15);
    const Clock::time_point now = Clock::now();
    const bool tenth = done * 10 / total != (done - 1) * 10 / total;
    if (!tenth && done != total && now - last_line < kQuietest) return;
    last_line = now;
    const double elapsed = std::chrono::duration<double>(now - start).count();
    const double left = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    std::cerr << fmt::format("mc: {}/{} replications, {} elapsed{}\n", done, total, format_duration(elapsed),
                             done == total ? "" : fmt::format(", about {} left", format_duration(left)));
  };
}

std::string optional_number(const std::optional<double>& x) { return x ? format_number(*x) : "—"; }

// Each refutation's rejection rate: its false-alarm rate (size) or its detection rate (power).
void print_refutations(std::ostream& out, const MonteCarloSummary& s) {
  if (s.refutations.empty()) return;
  out << fmt::format("\n{:<34} {:<8} {:>7} {:>16} {:>7} {:>7} {:>6}\n", "refutation", "measures", "level",
                     "rejection ± MC SE", "failed", "passed", "N/A");
  for (const auto& r : s.refutations) {
    const std::string rate =
        r.rejection_rate ? fmt::format("{:.1f}% ± {:.1f}%", 100 * *r.rejection_rate, 100 * *r.monte_carlo_se)
                         : "—";
    std::string flag;
    if (r.size_above_level()) flag = "  size above its level";
    if (r.never_detects()) flag = "  never detects";
    out << fmt::format("{:<34} {:<8} {:>7} {:>16} {:>7} {:>7} {:>6}{}\n", r.id, r.measures,
                       r.level ? fmt::format("{:g}", *r.level) : "—", rate, r.failed, r.passed,
                       r.not_assessable, flag);
  }
  out << fmt::format(
      "\nsize: the false-alarm rate on a valid design; power: the detection rate on {}; N/A: not assessable "
      "(too many repetitions failed); MC SE = sqrt(p(1-p)/R) over the R assessed replications\n",
      s.valid_counterpart.empty() ? "an analysis a claim expects to fail"
                                  : fmt::format("this design, which breaks {}'s", s.valid_counterpart));
}

void print_summary(std::ostream& out, const MonteCarloSummary& s) {
  out << fmt::format("Monte Carlo of {}: {} replications, n = {}, seed {}\n\n", s.case_id, s.reps, s.n,
                     s.seed);
  out << fmt::format("{:<14} {:<10} {:>11} {:>11} {:>10} {:>10} {:>11} {:>10} {:>14} {:>15}\n", "analysis",
                     "estimand", "mean truth", "mean est.", "bias", "RMSE", "MC SD est.", "mean SE",
                     "coverage ± SE", "95% interval");
  for (const auto& a : s.analyses)
    out << fmt::format("{:<14} {:<10} {:>11} {:>11} {:>10} {:>10} {:>11} {:>10} {:>14} {:>15}\n", a.id,
                       a.estimand, format_number(a.mean_truth), format_number(a.mean_estimate),
                       format_number(a.bias), format_number(a.rmse), optional_number(a.sd_estimate),
                       format_number(a.mean_se),
                       fmt::format("{:.1f}% ± {:.1f}", 100 * a.coverage, 100 * a.coverage_se),
                       fmt::format("[{:.1f}, {:.1f}]", 100 * a.coverage_low, 100 * a.coverage_high));
  out << "\ncoverage: share of replications whose CI covers that replication's truth, with its Monte Carlo "
         "SE and 95% Wilson interval\n\n";
  if (s.claims.empty()) return;
  out << fmt::format("{:<28} {:>16} {:>7} {:>7} {:>8}\n", "claim", "pass rate ± SE", "passed", "failed",
                     "skipped");
  for (const auto& c : s.claims)
    out << fmt::format(
        "{:<28} {:>16} {:>7} {:>7} {:>8}\n", c.id,
        c.pass_rate ? fmt::format("{:.1f}% ± {:.1f}", 100 * *c.pass_rate, 100 * c.pass_rate_se.value_or(0))
                    : "—",
        c.passed, c.failed, c.skipped);
  print_refutations(out, s);
}

// The summary on stdout (table or JSON), in --json's file, and in casebook's own copy for the site.
void publish_summary(const Project& project, const MonteCarloSummary& summary, const std::string& json_file,
                     bool force) {
  const std::string json = monte_carlo_json(summary).dump(2) + "\n";
  const auto saved = saved_monte_carlo_path(project.root, summary.case_id);
  std::filesystem::create_directories(saved.parent_path());
  write_text_file(saved, json, /*force=*/true);
  if (json_file == "-") {
    std::cout << json;
  } else {
    print_summary(std::cout, summary);
    if (!json_file.empty()) write_text_file(json_file, json, force);
  }
  std::cerr << fmt::format("mc: summary saved to {}\n", saved.string());
}

MonteCarloOptions options_of(const MonteCarloCommand& command, std::size_t reps) {
  MonteCarloOptions options;
  options.reps = reps;
  options.seed = command.seed;
  options.n = command.n;
  options.threads = command.threads;
  options.refutations = command.refutations;
  options.progress = progress_reporter();
  return options;
}

// One shard's replications, kept whole in a part for `mc merge`.
int run_shard(const Project& project, const Case& c, const MonteCarloCommand& command, std::size_t reps) {
  const Shard shard = parse_shard(command.shard);
  if (command.out_file.empty())
    throw InputError("--shard writes a part: give --out FILE (then `casebook mc merge` the parts)");
  if (!command.json_file.empty())
    throw InputError(
        "--shard writes a part (--out), not a summary: `casebook mc merge` the parts for --json");
  require_writable_target(command.out_file, command.force);
  const MonteCarloOptions options = options_of(command, reps);
  const auto [first, count] = shard_range(shard, reps);
  const auto start = std::chrono::steady_clock::now();
  MonteCarloPart part;
  part.program = program_version();
  part.case_id = c.id;
  part.case_digest = case_file_digest(project.case_dir(c.id) / "case.json");
  part.seed = options.seed.value_or(c.simulation.seed);
  part.n = options.n.value_or(c.simulation.n);
  part.reps = reps;
  part.refutations = options.refutations;
  part.shard = shard;
  part.first = first;
  if (count > 0) part.replications = run_replications(c, options, first, count);
  write_text_file(command.out_file, monte_carlo_part_json(part).dump() + "\n", command.force);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << fmt::format("mc: shard {}/{}: replications {} to {} of {} in {:.1f} s, written to {}\n",
                           shard.index, shard.count, first + 1, first + count, reps, seconds,
                           command.out_file);
  return 0;
}

}  // namespace

int monte_carlo_command(const Project& project, const MonteCarloCommand& command) {
  if (command.case_id.empty()) throw InputError("mc: give a case id (or `mc merge PART...`)");
  const Case c = load_case(project.case_dir(command.case_id));
  const std::size_t reps = command.reps.value_or(c.monte_carlo_reps);
  if (reps == 0)
    throw InputError(command.reps ? "--reps must be at least 1"
                                  : fmt::format("case {} has no monte_carlo.reps: pass --reps R", c.id));
  if (!command.shard.empty()) return run_shard(project, c, command, reps);
  if (!command.out_file.empty())
    throw InputError("--out is for a shard's part (with --shard k/K); use --json");
  if (!command.json_file.empty() && command.json_file != "-")
    require_writable_target(command.json_file, command.force);  // fail before the work, not after

  const auto start = std::chrono::steady_clock::now();
  const MonteCarloSummary summary = run_monte_carlo(c, options_of(command, reps));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  publish_summary(project, summary, command.json_file, command.force);
  std::cerr << fmt::format("mc: {} replications in {:.1f} s\n", reps, seconds);
  return 0;
}

int monte_carlo_merge_command(const Project& project, const MonteCarloMergeCommand& command) {
  if (command.part_files.empty()) throw InputError("mc merge: give the parts' files");
  if (!command.json_file.empty() && command.json_file != "-")
    require_writable_target(command.json_file, command.force);
  std::vector<std::pair<std::string, MonteCarloPart>> parts;
  for (const auto& file : command.part_files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot read", file));
    const auto document = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) throw InputError(fmt::format("{}: not JSON", file));
    parts.emplace_back(file, parse_monte_carlo_part(document, file));
  }
  const std::vector<Replication> replications = merge_monte_carlo_parts(parts);
  const MonteCarloPart& run = parts.front().second;
  // The summary is computed here, so by this build's code: it must be the build that ran the parts.
  if (run.program != program_version())
    throw InputError(
        fmt::format("{}: written by {}, and this is {}: merge with the program that ran the shards",
                    parts.front().first, run.program, program_version()));
  const Case c = load_case(project.case_dir(run.case_id));
  if (case_file_digest(project.case_dir(c.id) / "case.json") != run.case_digest)
    throw InputError(fmt::format("{}: written for another version of {}'s case.json (digest {})",
                                 parts.front().first, c.id, run.case_digest));
  MonteCarloOptions options;
  options.reps = run.reps;
  options.seed = run.seed;
  options.n = run.n;
  options.refutations = run.refutations;
  publish_summary(project, summarise_monte_carlo(c, options, replications), command.json_file, command.force);
  std::cerr << fmt::format("mc merge: {} parts, {} replications\n", parts.size(), run.reps);
  return 0;
}

}  // namespace casebook
