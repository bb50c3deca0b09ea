// "The Anderson–Rubin set covers the truth (or a stated number)", whatever the set's shape: with a
// weak instrument it may be two rays or the whole line, where a check of its two ends would pass
// or fail wrongly. The shape is read from the analysis's diagnostics (refute/sensitivity.hpp):
// anderson_rubin_bounded, and anderson_rubin_low/high for an interval or the rays' inner ends.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cases/analysis_diagnostics.hpp"
#include "cases/claim_kind.hpp"
#include "core/input_error.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

using namespace claim_parts;

void parse(const JsonCursor& claim, const Case& c, ClaimSpec& spec) {
  spec.analysis = analysis_of(claim, c);
  spec.reference = reference_of(claim);
  if (auto problem = undeclared_diagnostic_problem(c.analysis(spec.analysis), "anderson_rubin_bounded"))
    claim.at("analysis")
        .fail(fmt::format("analysis '{}' reports no Anderson–Rubin set ({}); only an "
                          "instrumental-variable analysis with one instrument does",
                          spec.analysis, *problem));
}

// The set as the diagnostics give it, and whether it holds `value`; `phrase` names its shape for
// the site (an interval, two rays, empty, the whole line) and low/high its ends.
struct ReportedSet {
  std::string text;
  bool covers = false;
  std::string phrase;
  std::optional<double> low, high;
};

ReportedSet reported_set(const std::map<std::string, double>& diagnostics, double value) {
  const auto bounded = diagnostics.find("anderson_rubin_bounded");
  const auto low = diagnostics.find("anderson_rubin_low"), high = diagnostics.find("anderson_rubin_high");
  const bool has_ends = low != diagnostics.end() && high != diagnostics.end();
  if (bounded->second == 1 && has_ends)
    return {fmt::format("[{:.4g}, {:.4g}]", low->second, high->second),
            low->second <= value && value <= high->second, "set_interval", low->second, high->second};
  if (bounded->second == 1) return {"empty", false, "set_empty", {}, {}};
  if (has_ends)
    return {fmt::format("(-inf, {:.4g}] and [{:.4g}, +inf)", low->second, high->second),
            value <= low->second || value >= high->second, "set_two_rays", low->second, high->second};
  return {"the whole line", true, "set_whole_line", {}, {}};
}

ClaimResult check(const ClaimSpec& claim, const ClaimInputs& in) {
  const auto& diagnostics = in.analysis.estimate.diagnostics;
  const Reference ref = reference_for(claim, in.analysis);
  if (diagnostics.find("anderson_rubin_bounded") == diagnostics.end())
    throw InputError(
        fmt::format("claims '{}': analysis '{}' reports no Anderson–Rubin set (it needs exactly "
                    "one instrument)",
                    claim.id, claim.analysis));
  ClaimResult r;
  r.spec = &claim;
  r.statement.phrase = "anderson_rubin_covers";
  state_reference(r.statement, ref);
  if (!ref.value)
    return skipped(claim, fmt::format("Anderson–Rubin set covers {}", ref.label), r.statement, kNoTruth);
  const ReportedSet set = reported_set(diagnostics, *ref.value);
  r.expected = fmt::format("Anderson–Rubin set {} covers {}", set.text, ref.label);
  r.statement.phrase = "anderson_rubin_set_covers";
  r.statement.phrases["set"] = set.phrase;
  if (set.low) r.statement.numbers["set_low"] = *set.low;
  if (set.high) r.statement.numbers["set_high"] = *set.high;
  r.observed = *ref.value;
  r.pass = set.covers;
  return r;
}

}  // namespace

ClaimKindInfo anderson_rubin_covers_claim_kind() {
  return {ClaimKind::anderson_rubin_covers, "anderson_rubin_covers", {"analysis", "reference"}, parse, check,
          R"({"required": ["analysis"]})"};
}

}  // namespace casebook
