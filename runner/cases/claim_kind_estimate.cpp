// "The estimate (or a CI bound) is above / below / within a tolerance of the truth or a number."
#include <cmath>

#include <fmt/format.h>

#include "cases/claim_kind.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

using namespace claim_parts;

void parse(const JsonCursor& claim, const Case& c, ClaimSpec& spec) {
  spec.analysis = analysis_of(claim, c);
  spec.reference = reference_of(claim);
  if (claim.has("relation") && claim.at("relation").value() == "closer_to_truth")
    claim.at("relation").fail("closer_to_truth compares two analyses: use kind comparison");
  spec.relation = relation_of(claim, {Relation::above, Relation::below, Relation::within});
  spec.quantity = optional_string(claim, "quantity", "estimate");
  if (spec.quantity != "estimate" && spec.quantity != "ci_low" && spec.quantity != "ci_high")
    claim.at("quantity")
        .fail(fmt::format("unknown quantity '{}' (known: estimate, ci_low, ci_high)", spec.quantity));
  if (spec.relation != Relation::within) {
    for (const char* field : {"tolerance", "relative_tolerance"})
      if (claim.has(field)) claim.at(field).fail("only a 'within' claim takes a tolerance");
    return;
  }
  if (auto t = claim.find("tolerance")) spec.tolerance = t->number();
  if (auto t = claim.find("relative_tolerance")) spec.relative_tolerance = t->number();
  if (!claim.has("tolerance") && !claim.has("relative_tolerance"))
    claim.fail("a 'within' claim needs a tolerance or a relative_tolerance");
  if (spec.tolerance < 0 || spec.relative_tolerance.value_or(0) < 0) claim.fail("tolerances must be >= 0");
}

double quantity_of(const Estimate& e, const std::string& quantity) {
  if (quantity == "ci_low") return e.ci_low;
  if (quantity == "ci_high") return e.ci_high;
  return e.estimate;
}

ClaimResult check(const ClaimSpec& claim, const ClaimInputs& in) {
  const Reference ref = reference_for(claim, in.analysis);
  ClaimResult r;
  r.spec = &claim;
  const double x = quantity_of(in.analysis.estimate, claim.quantity);
  r.observed = x;
  r.statement.phrase = relation_phrase("estimate", claim.relation);
  r.statement.phrases["quantity"] = "quantity_" + claim.quantity;
  state_reference(r.statement, ref);
  if (claim.relation == Relation::within) {
    const double tol =
        claim.tolerance + (ref.value ? claim.relative_tolerance.value_or(0) * std::abs(*ref.value) : 0);
    r.expected = fmt::format("{} within {:.4g} of {}", claim.quantity, tol, ref.label);
    r.statement.numbers["tolerance"] = tol;
    if (!ref.value) return skipped(claim, r.expected, r.statement, kNoTruth);
    r.pass = std::abs(x - *ref.value) <= tol;
  } else {
    r.expected = fmt::format("{} {} {}", claim.quantity, to_string(claim.relation), ref.label);
    if (!ref.value) return skipped(claim, r.expected, r.statement, kNoTruth);
    r.pass = holds(claim.relation, x, *ref.value);
  }
  return r;
}

}  // namespace

ClaimKindInfo estimate_claim_kind() {
  return {ClaimKind::estimate,
          "estimate",
          {"analysis", "quantity", "relation", "reference", "tolerance", "relative_tolerance"},
          parse,
          check,
          R"({
            "required": ["analysis", "relation"],
            "properties": {"relation": {"enum": ["above", "below", "within"]},
                           "quantity": {"enum": ["estimate", "ci_low", "ci_high"]}},
            "if": {"properties": {"relation": {"const": "within"}}},
            "then": {"anyOf": [{"required": ["tolerance"]}, {"required": ["relative_tolerance"]}]},
            "else": {"not": {"anyOf": [{"required": ["tolerance"]}, {"required": ["relative_tolerance"]}]}}
          })"};
}

}  // namespace casebook
