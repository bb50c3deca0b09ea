// "The 95% CI covers the truth (or a stated number)."
#include <fmt/format.h>

#include "cases/claim_kind.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

using namespace claim_parts;

void parse(const JsonCursor& claim, const Case& c, ClaimSpec& spec) {
  spec.analysis = analysis_of(claim, c);
  spec.reference = reference_of(claim);
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
