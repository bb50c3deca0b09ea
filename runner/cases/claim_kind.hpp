#pragma once
// A claim kind is one file, cases/claim_kind_<name>.cpp: which fields of case.json it reads and
// how, how it is checked against the results, and the JSON Schema fragment that says the same to
// an editor. claim_kinds.cpp lists them; templates/case.schema.json carries their fragments
// (tests/cases/claim_kinds_test.cpp keeps the two in agreement).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cases/case.hpp"
#include "cases/claims.hpp"

namespace casebook {

class JsonCursor;

// What a claim is checked against: its own analysis, all of them, and the refutations (null when
// refutations are not run, as inside Monte Carlo replications).
struct ClaimInputs {
  const AnalysisResult& analysis;
  const std::vector<AnalysisResult>& analyses;
  const std::vector<RefutationResult>* refutations;
};

struct ClaimKindInfo {
  ClaimKind kind;
  std::string_view name;
  // The fields it takes besides those of every claim (id, text, kind, published).
  std::vector<std::string_view> fields;
  // Reads those fields into spec, failing on the field at fault; sets spec.analysis.
  void (*parse)(const JsonCursor& claim, const Case& c, ClaimSpec& spec);
  ClaimResult (*check)(const ClaimSpec& claim, const ClaimInputs& inputs);
  // JSON Schema (draft-07) for a claim of this kind, beyond the shared property types.
  std::string_view schema;
};

const std::vector<ClaimKindInfo>& claim_kinds();
const ClaimKindInfo& claim_kind(ClaimKind kind);
const ClaimKindInfo* find_claim_kind(std::string_view name);

// The fields every claim takes.
inline constexpr std::string_view kCommonClaimFields[] = {"id", "text", "kind", "published"};

// The entry of case.schema.json's claim "allOf" for this kind: its fragment, and only its fields.
nlohmann::json claim_kind_schema(const ClaimKindInfo& kind);

// One file per kind; claim_kinds.cpp lists them.
ClaimKindInfo ci_covers_claim_kind();
ClaimKindInfo estimate_claim_kind();
ClaimKindInfo diagnostic_claim_kind();
ClaimKindInfo comparison_claim_kind();
ClaimKindInfo identification_claim_kind();
ClaimKindInfo refutation_claim_kind();
ClaimKindInfo anderson_rubin_covers_claim_kind();

// Parts the kinds share.
namespace claim_parts {

// "analysis": required, and one of the case's analyses.
std::string analysis_of(const JsonCursor& claim, const Case& c, std::string_view field = "analysis");
std::string optional_string(const JsonCursor& claim, std::string_view field, std::string fallback);
// "relation": required, one of `allowed`.
Relation relation_of(const JsonCursor& claim, std::initializer_list<Relation> allowed);
// "reference": a number, or "truth" (the default).
std::optional<double> reference_of(const JsonCursor& claim);
// "diagnostic": one the analysis declares.
std::string diagnostic_of(const JsonCursor& claim, const Case& c, const std::string& analysis);

std::string_view to_string(Relation relation);
bool holds(Relation relation, double observed, double reference);  // above or below

const AnalysisResult& result_of(const std::vector<AnalysisResult>& analyses, const std::string& id);

// The reference a claim compares with: the number it states, or the truth of the analysis's estimand.
struct Reference {
  std::optional<double> value;
  std::string label;
  std::string estimand;  // set when the reference is the truth
};
Reference reference_for(const ClaimSpec& claim, const AnalysisResult& analysis);
// Puts the reference into a statement as {reference}: the number, "2.05 (truth of late)", or "the truth".
void state_reference(ClaimStatement& statement, const Reference& reference);
// A statement's phrase for a relation: "<prefix>_above", "<prefix>_below"…
std::string relation_phrase(std::string_view prefix, Relation relation);

// Why a claim was not checked: `phrase` names its wording on the site (site/strings.json
// "skip_<phrase>"), `text` says it in English for the terminal.
struct SkipReason {
  const char* phrase;
  const char* text;
};
inline constexpr SkipReason kNoTruth{"no_truth",
                                     "no ground truth: the data did not come from the case's simulation"};
ClaimResult skipped(const ClaimSpec& claim, std::string expected, ClaimStatement statement, SkipReason why);

}  // namespace claim_parts
}  // namespace casebook
