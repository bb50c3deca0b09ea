// "The 95% CI covers the truth (or a stated number)."
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "cases/case_graph.hpp"
#include "cases/claim_kind.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

using namespace claim_parts;

void parse(const JsonCursor& claim, const Case& c, ClaimSpec& spec) {
  spec.analysis = analysis_of(claim, c);
  spec.reference = reference_of(claim);
  // Only an instrument identifies a LATE: another analysis's interval could cover it only by luck.
  const AnalysisSpec& analysis = c.analysis(spec.analysis);
  const auto estimand = std::find_if(c.estimands.begin(), c.estimands.end(),
                                     [&](const EstimandSpec& e) { return e.id == analysis.estimand; });
  if (!spec.reference && estimand != c.estimands.end() && estimand->type == "late" &&
      criterion_of(analysis) != Criterion::instrument)
    claim.at("analysis")
        .fail(fmt::format(
            "analysis '{}' ({}) cannot identify the LATE '{}': only an instrument does; compare it "
            "with an \"estimate\" claim instead",
            analysis.id, analysis.estimator, estimand->id));
}

ClaimResult check(const ClaimSpec& claim, const ClaimInputs& in) {
  const Estimate& e = in.analysis.estimate;
  const Reference ref = reference_for(claim, in.analysis);
  ClaimResult r;
  r.spec = &claim;
  r.expected = fmt::format("CI [{:.4g}, {:.4g}] covers {}", e.ci_low, e.ci_high, ref.label);
  r.statement.phrase = "ci_covers";
  state_reference(r.statement, ref);
  // What was estimated is the observation; the truth is what it is checked against.
  r.observed = e.estimate;
  r.observed_ci = {e.ci_low, e.ci_high};
  if (!ref.value) return skipped(claim, r.expected, r.statement, kNoTruth);
  const double value = *ref.value;
  r.pass = e.ci_low <= value && value <= e.ci_high;
  // The distance to the nearer bound in SEs says by how much: a truth 0.004 SE outside an
  // interval and one 1.5 SE inside it both round to "covers" at four significant digits.
  if (std::isfinite(e.se) && e.se > 0) {
    r.margin_se = std::min(value - e.ci_low, e.ci_high - value) / e.se;
    r.expected += fmt::format(", {:.2g} SE {} the interval", std::abs(*r.margin_se),
                              *r.margin_se >= 0 ? "inside" : "outside");
  }
  return r;
}

}  // namespace

ClaimKindInfo ci_covers_claim_kind() {
  return {ClaimKind::ci_covers,           "ci_covers", {"analysis", "reference"}, parse, check,
          R"({"required": ["analysis"]})"};
}

}  // namespace casebook
