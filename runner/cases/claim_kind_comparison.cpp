// "This analysis is closer to the truth than that one", "its estimate is above that one's", or,
// naming a diagnostic, "its PEHE is below that one's".
#include <cmath>

#include <fmt/format.h>

#include "cases/claim_kind.hpp"
#include "core/input_error.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

using namespace claim_parts;

void parse(const JsonCursor& claim, const Case& c, ClaimSpec& spec) {
  spec.analysis = analysis_of(claim, c);
  spec.other = analysis_of(claim, c, "other");
  if (!claim.has("diagnostic")) {
    spec.relation = relation_of(claim, {Relation::above, Relation::below, Relation::closer_to_truth});
    return;
  }
  spec.relation = relation_of(claim, {Relation::above, Relation::below});
  spec.diagnostic = diagnostic_of(claim, c, spec.analysis);
  diagnostic_of(claim, c, spec.other);
}

ClaimResult compare_diagnostics(const ClaimSpec& claim, const ClaimInputs& in) {
  const AnalysisResult& other = result_of(in.analyses, claim.other);
  auto diagnostic_of_result = [&](const AnalysisResult& a) {
    auto it = a.estimate.diagnostics.find(claim.diagnostic);
    if (it == a.estimate.diagnostics.end())
      throw InputError(fmt::format("claims '{}': analysis '{}' reports no diagnostic '{}'", claim.id,
                                   a.spec->id, claim.diagnostic));
    return it->second;
  };
  // Truth-based diagnostics (pehe, cate_correlation) exist only when the data were simulated.
  if (!in.analysis.estimate.diagnostics.count(claim.diagnostic) && !in.analysis.truth)
    return skipped(claim, fmt::format("{} {} {}'s", claim.diagnostic, to_string(claim.relation), claim.other),
                   kNoTruth);
  const double mine = diagnostic_of_result(in.analysis), theirs = diagnostic_of_result(other);
  ClaimResult r;
  r.spec = &claim;
  r.observed = mine;
  r.expected =
      fmt::format("{} {} {}'s {:.4g}", claim.diagnostic, to_string(claim.relation), claim.other, theirs);
  r.pass = holds(claim.relation, mine, theirs);
  return r;
}

ClaimResult check(const ClaimSpec& claim, const ClaimInputs& in) {
  if (!claim.diagnostic.empty()) return compare_diagnostics(claim, in);
  const AnalysisResult& other = result_of(in.analyses, claim.other);
  const Estimate& e = in.analysis.estimate;
  ClaimResult r;
  r.spec = &claim;
  if (claim.relation == Relation::closer_to_truth) {
    r.expected = fmt::format("|{} - truth| smaller than |{} - truth|", claim.analysis, claim.other);
    if (!in.analysis.truth || !other.truth) return skipped(claim, r.expected, kNoTruth);
    const double mine = std::abs(e.estimate - *in.analysis.truth);
    const double theirs = std::abs(other.estimate.estimate - *other.truth);
    r.observed = mine;
    r.expected = fmt::format("error smaller than {}'s {:.4g}", claim.other, theirs);
    r.pass = mine < theirs;
    return r;
  }
  r.observed = e.estimate;
  r.expected =
      fmt::format("{} {}'s estimate {:.4g}", to_string(claim.relation), claim.other, other.estimate.estimate);
  r.pass = holds(claim.relation, e.estimate, other.estimate.estimate);
  return r;
}

}  // namespace

ClaimKindInfo comparison_claim_kind() {
  return {ClaimKind::comparison,
          "comparison",
          {"analysis", "other", "relation", "diagnostic"},
          parse,
          check,
          R"({
            "required": ["analysis", "other", "relation"],
            "properties": {"relation": {"enum": ["above", "below", "closer_to_truth"]}},
            "if": {"required": ["diagnostic"]},
            "then": {"properties": {"relation": {"enum": ["above", "below"]}}}
          })"};
}

}  // namespace casebook
