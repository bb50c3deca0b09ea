#include "cli/report.hpp"

#include <cmath>
#include <ostream>

#include <fmt/format.h>

namespace casebook {

std::string format_number(double x) {
  if (std::isnan(x)) return "NA";
  return fmt::format("{:.4g}", x);
}

void print_run(std::ostream& out, const Case& c, const CaseRun& run) {
  out << fmt::format("{} — {}\n", c.id, c.title_en);
  out << fmt::format("data: {}{}, n = {}\n", run.data_source,
                     run.seed ? fmt::format(" (seed {})", *run.seed) : "", run.n);
  for (const auto& [id, value] : run.truth) out << fmt::format("truth of {}: {}\n", id, format_number(value));
  out << '\n'
      << fmt::format("{:<14} {:<20} {:>10} {:>9} {:>22} {:>9}\n", "analysis", "estimator", "estimate", "se",
                     "95% CI", "truth");
  for (const auto& a : run.analyses) {
    const Estimate& e = a.estimate;
    out << fmt::format("{:<14} {:<20} {:>10} {:>9} {:>22} {:>9}\n", a.spec->id, a.spec->estimator,
                       format_number(e.estimate), format_number(e.se),
                       fmt::format("[{}, {}]", format_number(e.ci_low), format_number(e.ci_high)),
                       a.truth ? format_number(*a.truth) : "—");
    for (const auto& note : e.notes) out << fmt::format("    note: {}\n", note);
    if (a.identification) {
      out << fmt::format("    {}\n", verdict_headline(a.identification->on_true, "true"));
      if (a.identification->on_assumed)
        out << fmt::format("    {}\n", verdict_headline(*a.identification->on_assumed, "assumed"));
    }
  }
  if (!run.refutations.empty()) {
    out << "\nrefutations:\n";
    for (const auto& r : run.refutations)
      out << fmt::format("  [{}] {} on {}: new estimate {} (was {})\n       {}\n       {}\n",
                         r.pass ? "pass" : "FAIL", r.name, r.analysis, format_number(r.estimate),
                         format_number(r.original_estimate), r.rule, r.reading_en);
  }
  out << '\n';
  for (const auto& claim : run.claims) {
    const char* badge = !claim.pass ? "SKIP" : *claim.pass ? "PASS" : "FAIL";
    out << fmt::format("[{}] {}: {}\n", badge, claim.spec->id, claim.spec->text);
    out << fmt::format("       observed {}, expected {}\n",
                       claim.observed ? format_number(*claim.observed) : "—", claim.expected);
    if (!claim.pass) out << fmt::format("       skipped: {}\n", claim.skip_reason);
  }
  const ClaimTally t = tally(run.claims);
  out << fmt::format("\n{} of {} claims pass{}{}\n", t.passed, run.claims.size(),
                     t.failed ? fmt::format(", {} fail", t.failed) : "",
                     t.skipped ? fmt::format(", {} skipped", t.skipped) : "");
}

void print_estimate(std::ostream& out, const std::string& estimator, const Estimate& e,
                    double confidence_level) {
  const double level = 100 * confidence_level;
  out << fmt::format("{}: estimate {}  se {}  {:g}% CI [{}, {}]  p {}  n {}\n", estimator,
                     format_number(e.estimate), format_number(e.se), level, format_number(e.ci_low),
                     format_number(e.ci_high), format_number(e.p_value), e.n);
  for (const auto& [name, value] : e.diagnostics)
    out << fmt::format("  {:<22} {}\n", name, format_number(value));
  for (const auto& note : e.notes) out << fmt::format("  note: {}\n", note);
}

}  // namespace casebook
