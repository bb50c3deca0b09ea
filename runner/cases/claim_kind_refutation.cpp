// "Refutation X of the analysis passes (or fails, for a refuter the design is meant to fail)."
#include <algorithm>

#include <fmt/format.h>

#include "cases/claim_kind.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

using namespace claim_parts;

void parse(const JsonCursor& claim, const Case& c, ClaimSpec& spec) {
  spec.refutation = claim.at("refutation").string();
  auto found = std::find_if(c.refutations.begin(), c.refutations.end(),
                            [&](auto& r) { return r.id == spec.refutation; });
  if (found == c.refutations.end()) {
    std::vector<std::string> known;
    for (const auto& r : c.refutations) known.push_back(r.id);
    claim.at("refutation")
        .fail(fmt::format("no refutation with id '{}' (known: {})", spec.refutation, fmt::join(known, ", ")));
  }
  const std::string expect = optional_string(claim, "expect", "pass");
  if (expect != "pass" && expect != "fail")
    claim.at("expect").fail(fmt::format("expect is \"pass\" or \"fail\", got '{}'", expect));
  spec.expect_pass = expect == "pass";
  // The analysis comes with the refutation; a claim may repeat it.
  if (claim.has("analysis") && claim.at("analysis").string() != found->analysis)
    claim.at("analysis")
        .fail(fmt::format("refutation '{}' runs on analysis '{}'", found->id, found->analysis));
  spec.analysis = found->analysis;
}

// Refutations repeat an estimator many times, so Monte Carlo leaves them out unless asked.
constexpr SkipReason kRefutationsNotRun{
    "refutations_not_run",
    "refutations were not run here: `casebook run` runs them, and `casebook mc --refutations` repeats "
    "them in every replication"};
constexpr SkipReason kRefutationNotRun{"refutation_not_run", "the refutation was not run"};

ClaimResult check(const ClaimSpec& claim, const ClaimInputs& in) {
  ClaimResult r;
  r.spec = &claim;
  r.expected = fmt::format("refutation {} {}", claim.refutation, claim.expect_pass ? "passes" : "fails");
  r.statement = {"refutation",
                 {},
                 {{"refutation", claim.refutation}},
                 {{"expectation", claim.expect_pass ? "refutation_passes" : "refutation_fails"}}};
  if (!in.refutations) return skipped(claim, r.expected, r.statement, kRefutationsNotRun);
  for (const auto& refutation : *in.refutations)
    if (refutation.id == claim.refutation) {
      r.observed = refutation.estimate;
      r.statement.phrase = "refutation_checked";
      if (!refutation.assessable) {  // neither verdict was reached, so the claim does not hold
        r.pass = false;
        r.expected +=
            fmt::format("; it is not assessable, so it neither passed nor failed: {}", refutation.rule);
        r.statement.phrases["verdict"] = "refutation_not_assessable";
        return r;
      }
      r.pass = refutation.pass == claim.expect_pass;
      r.expected += fmt::format("; it {}: {}", refutation.pass ? "passed" : "failed", refutation.rule);
      r.statement.phrases["verdict"] = refutation.pass ? "refutation_passed" : "refutation_failed";
      return r;
    }
  return skipped(claim, r.expected, r.statement, kRefutationNotRun);
}

}  // namespace

ClaimKindInfo refutation_claim_kind() {
  return {ClaimKind::refutation,
          "refutation",
          {"refutation", "expect", "analysis"},
          parse,
          check,
          R"({"required": ["refutation"]})"};
}

}  // namespace casebook
