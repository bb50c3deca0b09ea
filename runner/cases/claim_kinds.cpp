#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cases/analysis_diagnostics.hpp"
#include "cases/claim_kind.hpp"
#include "core/input_error.hpp"
#include "core/json_cursor.hpp"

namespace casebook {

const std::vector<ClaimKindInfo>& claim_kinds() {
  static const std::vector<ClaimKindInfo> kinds = {
      ci_covers_claim_kind(),
      estimate_claim_kind(),
      diagnostic_claim_kind(),
      comparison_claim_kind(),
      identification_claim_kind(),
      refutation_claim_kind(),
      anderson_rubin_covers_claim_kind(),
  };
  return kinds;
}

const ClaimKindInfo& claim_kind(ClaimKind kind) {
  for (const auto& k : claim_kinds())
    if (k.kind == kind) return k;
  throw std::logic_error("claim kind missing from claim_kinds()");
}

const ClaimKindInfo* find_claim_kind(std::string_view name) {
  for (const auto& k : claim_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

nlohmann::json claim_kind_schema(const ClaimKindInfo& kind) {
  nlohmann::json then = nlohmann::json::parse(kind.schema);
  nlohmann::json names = nlohmann::json::array();
  for (auto f : kCommonClaimFields) names.push_back(f);
  for (auto f : kind.fields) names.push_back(f);
  then["propertyNames"] = {{"enum", names}};
  return {{"if", {{"properties", {{"kind", {{"const", kind.name}}}}}}}, {"then", then}};
}

namespace claim_parts {

std::string analysis_of(const JsonCursor& claim, const Case& c, std::string_view field) {
  const JsonCursor at = claim.at(field);
  std::string id = at.string();
  if (std::none_of(c.analyses.begin(), c.analyses.end(), [&](auto& a) { return a.id == id; }))
    at.fail(fmt::format("no analysis with id '{}'", id));
  return id;
}

std::string optional_string(const JsonCursor& claim, std::string_view field, std::string fallback) {
  auto value = claim.find(field);
  return value ? value->string() : fallback;
}

std::string_view to_string(Relation relation) {
  switch (relation) {
    case Relation::above:
      return "above";
    case Relation::below:
      return "below";
    case Relation::within:
      return "within";
    case Relation::closer_to_truth:
      return "closer_to_truth";
  }
  return "";
}

Relation relation_of(const JsonCursor& claim, std::initializer_list<Relation> allowed) {
  const JsonCursor at = claim.at("relation");
  const std::string name = at.string();
  std::vector<std::string_view> names;
  for (Relation r : allowed) {
    if (to_string(r) == name) return r;
    names.push_back(to_string(r));
  }
  at.fail(fmt::format("a {} claim's relation is one of {}, got '{}'", claim.at("kind").string(),
                      fmt::join(names, ", "), name));
}

std::optional<double> reference_of(const JsonCursor& claim) {
  auto reference = claim.find("reference");
  if (!reference) return std::nullopt;
  if (reference->value().is_string()) {
    if (reference->string() != "truth") reference->fail("reference must be a number or \"truth\"");
    return std::nullopt;
  }
  return reference->number();
}

std::string diagnostic_of(const JsonCursor& claim, const Case& c, const std::string& analysis) {
  const JsonCursor at = claim.at("diagnostic");
  std::string name = at.string();
  if (auto problem = undeclared_diagnostic_problem(c.analysis(analysis), name)) at.fail(*problem);
  return name;
}

bool holds(Relation relation, double observed, double reference) {
  return relation == Relation::above ? observed > reference : observed < reference;
}

const AnalysisResult& result_of(const std::vector<AnalysisResult>& analyses, const std::string& id) {
  for (const auto& a : analyses)
    if (a.spec->id == id) return a;
  throw InputError(fmt::format("claim refers to analysis '{}', which was not run", id));
}

Reference reference_for(const ClaimSpec& claim, const AnalysisResult& analysis) {
  if (claim.reference) return {claim.reference, fmt::format("{:.4g}", *claim.reference), ""};
  if (!analysis.truth) return {std::nullopt, "the truth", analysis.spec->estimand};
  return {analysis.truth, fmt::format("{:.4g} (truth of {})", *analysis.truth, analysis.spec->estimand),
          analysis.spec->estimand};
}

void state_reference(ClaimStatement& statement, const Reference& reference) {
  if (!reference.value) {
    statement.phrases["reference"] = "the_truth";
  } else if (reference.estimand.empty()) {
    statement.numbers["reference"] = *reference.value;
  } else {
    statement.phrases["reference"] = "truth_of";
    statement.numbers["truth"] = *reference.value;
    statement.names["estimand"] = reference.estimand;
  }
}

std::string relation_phrase(std::string_view prefix, Relation relation) {
  return fmt::format("{}_{}", prefix, to_string(relation));
}

ClaimResult skipped(const ClaimSpec& claim, std::string expected, ClaimStatement statement, SkipReason why) {
  ClaimResult r;
  r.spec = &claim;
  r.expected = std::move(expected);
  r.statement = std::move(statement);
  r.skip_reason = why.text;
  r.skip_phrase = why.phrase;
  return r;
}

}  // namespace claim_parts
}  // namespace casebook
