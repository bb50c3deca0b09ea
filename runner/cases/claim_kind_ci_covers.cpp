// "The 95% CI covers the truth (or a stated number)."
#include <algorithm>

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
  if (!ref.value) return skipped(claim, r.expected, kNoTruth);
  r.observed = *ref.value;
  r.pass = e.ci_low <= *ref.value && *ref.value <= e.ci_high;
  return r;
}

}  // namespace

ClaimKindInfo ci_covers_claim_kind() {
  return {ClaimKind::ci_covers,           "ci_covers", {"analysis", "reference"}, parse, check,
          R"({"required": ["analysis"]})"};
}

}  // namespace casebook
