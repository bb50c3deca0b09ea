// "A diagnostic the analysis reports (first-stage F, PEHE, balance …) is above / below a threshold."
#include <fmt/format.h>

#include "cases/claim_kind.hpp"
#include "core/input_error.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

using namespace claim_parts;

void parse(const JsonCursor& claim, const Case& c, ClaimSpec& spec) {
  spec.analysis = analysis_of(claim, c);
  spec.diagnostic = diagnostic_of(claim, c, spec.analysis);
  spec.reference = claim.at("threshold").number();
  spec.relation = relation_of(claim, {Relation::above, Relation::below});
}

ClaimResult check(const ClaimSpec& claim, const ClaimInputs& in) {
  const auto& diagnostics = in.analysis.estimate.diagnostics;
  const std::string expected =
      fmt::format("{} {} {:.4g}", claim.diagnostic, to_string(claim.relation), *claim.reference);
  ClaimStatement statement{relation_phrase("diagnostic", claim.relation),
                           {{"threshold", *claim.reference}},
                           {{"diagnostic", claim.diagnostic}},
                           {}};
  auto it = diagnostics.find(claim.diagnostic);
  if (it == diagnostics.end()) {
    // Truth-based diagnostics (pehe, cate_correlation) exist only when the data were simulated.
    if (!in.analysis.truth) return skipped(claim, expected, statement, kNoTruth);
    std::vector<std::string> known;
    for (const auto& [name, _] : diagnostics) known.push_back(name);
    throw InputError(fmt::format("claims '{}': analysis '{}' reports no diagnostic '{}' (it reports: {})",
                                 claim.id, claim.analysis, claim.diagnostic,
                                 known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
  }
  ClaimResult r;
  r.spec = &claim;
  r.observed = it->second;
  r.expected = expected;
  r.statement = std::move(statement);
  r.pass = holds(claim.relation, it->second, *claim.reference);
  return r;
}

}  // namespace

ClaimKindInfo diagnostic_claim_kind() {
  return {ClaimKind::diagnostic,
          "diagnostic",
          {"analysis", "diagnostic", "threshold", "relation"},
          parse,
          check,
          R"({
            "required": ["analysis", "diagnostic", "threshold", "relation"],
            "properties": {"relation": {"enum": ["above", "below"]}}
          })"};
}

}  // namespace casebook
