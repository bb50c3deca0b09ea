// "This analysis is closer to the truth than that one", "its estimate is above that one's", "its
// CI is narrower than that one's" (quantity se or ci_width: more precise), or, naming a
// diagnostic, "its PEHE is below that one's".
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
  spec.quantity = optional_string(claim, "quantity", "estimate");
  if (spec.quantity != "estimate" && spec.quantity != "se" && spec.quantity != "ci_width")
    claim.at("quantity")
        .fail(fmt::format("unknown quantity '{}' (known: estimate, se, ci_width)", spec.quantity));
  if (claim.has("diagnostic") && claim.has("quantity"))
    claim.at("quantity").fail("a comparison names a diagnostic or a quantity, not both");
  if (!claim.has("diagnostic")) {
    spec.relation = spec.quantity == "estimate"
                        ? relation_of(claim, {Relation::above, Relation::below, Relation::closer_to_truth})
                        : relation_of(claim, {Relation::above, Relation::below});
    return;
  }
  spec.relation = relation_of(claim, {Relation::above, Relation::below});
  spec.diagnostic = diagnostic_of(claim, c, spec.analysis);
  diagnostic_of(claim, c, spec.other);
}

double quantity_of(const Estimate& e, const std::string& quantity) {
  if (quantity == "se") return e.se;
  if (quantity == "ci_width") return e.ci_high - e.ci_low;
  return e.estimate;
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
  ClaimStatement statement{relation_phrase("comparison", claim.relation),
                           {{"theirs", std::nan("")}},
                           {{"quantity", claim.diagnostic}, {"other", claim.other}},
                           {}};
  // Truth-based diagnostics (pehe, cate_correlation) exist only when the data were simulated.
  if (!in.analysis.estimate.diagnostics.count(claim.diagnostic) && !in.analysis.truth)
    return skipped(claim, fmt::format("{} {} {}'s", claim.diagnostic, to_string(claim.relation), claim.other),
                   statement, kNoTruth);
  const double mine = diagnostic_of_result(in.analysis), theirs = diagnostic_of_result(other);
  ClaimResult r;
  r.spec = &claim;
  r.observed = mine;
  r.expected =
      fmt::format("{} {} {}'s {:.4g}", claim.diagnostic, to_string(claim.relation), claim.other, theirs);
  r.statement = std::move(statement);
  r.statement.numbers["theirs"] = theirs;
  r.pass = holds(claim.relation, mine, theirs);
  return r;
}

ClaimResult check(const ClaimSpec& claim, const ClaimInputs& in) {
  if (!claim.diagnostic.empty()) return compare_diagnostics(claim, in);
  const AnalysisResult& other = result_of(in.analyses, claim.other);
  const Estimate& e = in.analysis.estimate;
  ClaimResult r;
  r.spec = &claim;
  r.statement.names["other"] = claim.other;
  if (claim.relation == Relation::closer_to_truth) {
    r.expected = fmt::format("|{} - truth| smaller than |{} - truth|", claim.analysis, claim.other);
    r.statement.phrase = "comparison_closer_no_truth";
    if (!in.analysis.truth || !other.truth) return skipped(claim, r.expected, r.statement, kNoTruth);
    const double mine = std::abs(e.estimate - *in.analysis.truth);
    const double theirs = std::abs(other.estimate.estimate - *other.truth);
    r.observed = mine;
    r.expected = fmt::format("error smaller than {}'s {:.4g}", claim.other, theirs);
    r.statement.phrase = "comparison_closer";
    r.statement.numbers["theirs"] = theirs;
    r.pass = mine < theirs;
    return r;
  }
  const double mine = quantity_of(e, claim.quantity), theirs = quantity_of(other.estimate, claim.quantity);
  r.observed = mine;
  r.expected =
      fmt::format("{} {} {}'s {:.4g}", claim.quantity, to_string(claim.relation), claim.other, theirs);
  r.statement.phrase = relation_phrase("comparison", claim.relation);
  r.statement.phrases["quantity"] = "quantity_" + claim.quantity;
  r.statement.numbers["theirs"] = theirs;
  r.pass = holds(claim.relation, mine, theirs);
  return r;
}

}  // namespace

ClaimKindInfo comparison_claim_kind() {
  return {ClaimKind::comparison,
          "comparison",
          {"analysis", "other", "relation", "quantity", "diagnostic"},
          parse,
          check,
          R"({
            "required": ["analysis", "other", "relation"],
            "properties": {"relation": {"enum": ["above", "below", "closer_to_truth"]},
                           "quantity": {"enum": ["estimate", "se", "ci_width"]}},
            "if": {"anyOf": [{"required": ["diagnostic"]}, {"required": ["quantity"], "properties": {"quantity": {"enum": ["se", "ci_width"]}}}]},
            "then": {"properties": {"relation": {"enum": ["above", "below"]}}},
            "not": {"required": ["diagnostic", "quantity"]}
          })"};
}

}  // namespace casebook
