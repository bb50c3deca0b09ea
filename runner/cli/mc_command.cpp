// mc: a case's simulation, analyses and claims over many draws.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/monte_carlo.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/report.hpp"
#include "core/input_error.hpp"
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
  out << fmt::format("{:<14} {:<10} {:>11} {:>11} {:>10} {:>10} {:>11} {:>10} {:>9}\n", "analysis",
                     "estimand", "mean truth", "mean est.", "bias", "RMSE", "MC SD est.", "mean SE",
                     "coverage");
  for (const auto& a : s.analyses)
    out << fmt::format("{:<14} {:<10} {:>11} {:>11} {:>10} {:>10} {:>11} {:>10} {:>8.1f}%\n", a.id,
                       a.estimand, format_number(a.mean_truth), format_number(a.mean_estimate),
                       format_number(a.bias), format_number(a.rmse), optional_number(a.sd_estimate),
                       format_number(a.mean_se), 100 * a.coverage);
  out << "\ncoverage: share of replications whose CI covers that replication's truth\n\n";
  if (s.claims.empty()) return;
  out << fmt::format("{:<28} {:>9} {:>7} {:>7} {:>8}\n", "claim", "pass rate", "passed", "failed", "skipped");
  for (const auto& c : s.claims)
    out << fmt::format("{:<28} {:>9} {:>7} {:>7} {:>8}\n", c.id,
                       c.pass_rate ? fmt::format("{:.1f}%", 100 * *c.pass_rate) : "—", c.passed, c.failed,
                       c.skipped);
  print_refutations(out, s);
}

}  // namespace

int monte_carlo_command(const Project& project, const MonteCarloCommand& command) {
  const Case c = load_case(project.case_dir(command.case_id));
  const std::size_t reps = command.reps.value_or(c.monte_carlo_reps);
  if (reps == 0)
    throw InputError(command.reps ? "--reps must be at least 1"
                                  : fmt::format("case {} has no monte_carlo.reps: pass --reps R", c.id));
  if (!command.json_file.empty() && command.json_file != "-")
    require_writable_target(command.json_file, command.force);  // fail before the work, not after

  MonteCarloOptions options;
  options.reps = reps;
  options.seed = command.seed;
  options.n = command.n;
  options.threads = command.threads;
  options.refutations = command.refutations;
  options.progress = progress_reporter();
  const auto start = std::chrono::steady_clock::now();
  const MonteCarloSummary summary = run_monte_carlo(c, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const std::string json = monte_carlo_json(summary).dump(2) + "\n";
  // casebook's own copy, which `casebook site` shows on the case's page.
  const auto saved = saved_monte_carlo_path(project.root, c.id);
  std::filesystem::create_directories(saved.parent_path());
  write_text_file(saved, json, /*force=*/true);

  if (command.json_file == "-") {
    std::cout << json;
  } else {
    print_summary(std::cout, summary);
    if (!command.json_file.empty()) write_text_file(command.json_file, json, command.force);
  }
  std::cerr << fmt::format("mc: {} replications in {:.1f} s; summary saved to {}\n", reps, seconds,
                           saved.string());
  return 0;
}

}  // namespace casebook
