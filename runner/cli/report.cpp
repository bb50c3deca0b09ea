#include "cli/report.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

namespace casebook {

std::string format_number(double x) {
  if (std::isnan(x)) return "NA";
  if (x == std::trunc(x) && std::abs(x) < 1e15) return fmt::format("{:.0f}", x == 0 ? 0.0 : x);
  return fmt::format("{:.4g}", x);
}

std::string format_p_value(double p) {
  constexpr double kMachinePrecision = 2.220446049250313e-16;  // R's .Machine$double.eps
  return p < kMachinePrecision ? "< 2e-16" : format_number(p);
}

namespace {

// Diagnostics named as p-values: "…_p" (first_stage_F_p, blp_age_p) or "…p_value".
bool is_p_value(const std::string& name) {
  return name.ends_with("_p") || name.ends_with("p_value") || name == "p";
}

// The coefficient table as R's summary() prints it, with the interval beside.
void print_terms(std::ostream& out, const Estimate& e, double level) {
  std::size_t width = 4;
  for (const Term& t : e.terms) width = std::max(width, t.term.size());
  out << fmt::format("  {:<{}} {:>10} {:>10} {:>9} {:>10} {:>22}\n", "term", width, "estimate", "std.error",
                     "statistic", "p.value", fmt::format("{:g}% CI", level));
  for (const Term& t : e.terms)
    out << fmt::format("  {:<{}} {:>10} {:>10} {:>9} {:>10} {:>22}\n", t.term, width,
                       format_number(t.estimate), format_number(t.std_error), format_number(t.statistic),
                       format_p_value(t.p_value),
                       fmt::format("[{}, {}]", format_number(t.conf_low), format_number(t.conf_high)));
}

}  // namespace

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
                         !r.assessable ? "N/A "
                         : r.pass      ? "pass"
                                       : "FAIL",
                         r.name, r.analysis, format_number(r.estimate), format_number(r.original_estimate),
                         r.rule, r.reading_en);
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
                     format_number(e.ci_high), format_p_value(e.p_value), e.n);
  out << fmt::format("  standard errors: {}\n", e.se_type);
  if (!e.terms.empty()) print_terms(out, e, level);
  for (const auto& [name, value] : e.diagnostics)
    out << fmt::format("  {:<22} {}\n", name,
                       is_p_value(name) ? format_p_value(value) : format_number(value));
  for (const auto& note : e.notes) out << fmt::format("  note: {}\n", note);
}

}  // namespace casebook
