#include "cases/claims.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

const AnalysisResult& result_of(const std::vector<AnalysisResult>& analyses, const std::string& id) {
  for (const auto& a : analyses)
    if (a.spec->id == id) return a;
  throw InputError(fmt::format("claim refers to analysis '{}', which was not run", id));
}

double quantity_of(const Estimate& e, const std::string& quantity) {
  if (quantity == "ci_low") return e.ci_low;
  if (quantity == "ci_high") return e.ci_high;
  return e.estimate;
}

// The reference a claim compares with: a number it states, or the truth of the analysis's estimand.
struct Reference {
  std::optional<double> value;
  std::string label;
};

Reference reference_of(const ClaimSpec& claim, const AnalysisResult& analysis) {
  if (claim.reference) return {claim.reference, fmt::format("{:.4g}", *claim.reference)};
  if (!analysis.truth) return {std::nullopt, "the truth"};
  return {analysis.truth, fmt::format("{:.4g} (truth of {})", *analysis.truth, analysis.spec->estimand)};
}

ClaimResult skipped(const ClaimSpec& claim, std::string expected, std::string why) {
  ClaimResult r;
  r.spec = &claim;
  r.expected = std::move(expected);
  r.skip_reason = std::move(why);
  return r;
}

constexpr const char* kNoTruth = "no ground truth: the data did not come from the case's simulation";

}  // namespace

ClaimResult check_claim(const ClaimSpec& claim, const std::vector<AnalysisResult>& analyses,
                        const std::vector<RefutationResult>* refutations) {
  const AnalysisResult& analysis = result_of(analyses, claim.analysis);
  const Estimate& e = analysis.estimate;
  ClaimResult r;
  r.spec = &claim;

  switch (claim.kind) {
    case ClaimKind::ci_covers: {
      const Reference ref = reference_of(claim, analysis);
      r.expected = fmt::format("CI [{:.4g}, {:.4g}] covers {}", e.ci_low, e.ci_high, ref.label);
      if (!ref.value) return skipped(claim, r.expected, kNoTruth);
      r.observed = *ref.value;
      r.pass = e.ci_low <= *ref.value && *ref.value <= e.ci_high;
      return r;
    }
    case ClaimKind::estimate: {
      const Reference ref = reference_of(claim, analysis);
      const double x = quantity_of(e, claim.quantity);
      r.observed = x;
      const std::string what = claim.quantity == "estimate" ? "estimate" : claim.quantity;
      if (claim.relation == Relation::within) {
        const double tol = ref.value
                               ? claim.tolerance + claim.relative_tolerance.value_or(0) * std::abs(*ref.value)
                               : claim.tolerance;
        r.expected = fmt::format("{} within {:.4g} of {}", what, tol, ref.label);
        if (!ref.value) return skipped(claim, r.expected, kNoTruth);
        r.pass = std::abs(x - *ref.value) <= tol;
      } else {
        const bool above = claim.relation == Relation::above;
        r.expected = fmt::format("{} {} {}", what, above ? "above" : "below", ref.label);
        if (!ref.value) return skipped(claim, r.expected, kNoTruth);
        r.pass = above ? x > *ref.value : x < *ref.value;
      }
      return r;
    }
    case ClaimKind::diagnostic: {
      auto it = e.diagnostics.find(claim.diagnostic);
      // Truth-based diagnostics (pehe, cate_correlation) exist only when the data were simulated.
      if (it == e.diagnostics.end() && !analysis.truth)
        return skipped(claim,
                       fmt::format("{} {} {:.4g}", claim.diagnostic,
                                   claim.relation == Relation::above ? "above" : "below", *claim.reference),
                       kNoTruth);
      if (it == e.diagnostics.end()) {
        std::vector<std::string> known;
        for (const auto& [name, _] : e.diagnostics) known.push_back(name);
        throw InputError(fmt::format("claims '{}': analysis '{}' reports no diagnostic '{}' (it reports: {})",
                                     claim.id, claim.analysis, claim.diagnostic,
                                     known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
      }
      const bool above = claim.relation == Relation::above;
      r.observed = it->second;
      r.expected = fmt::format("{} {} {:.4g}", claim.diagnostic, above ? "above" : "below", *claim.reference);
      r.pass = above ? it->second > *claim.reference : it->second < *claim.reference;
      return r;
    }
    case ClaimKind::identification: {
      r.expected =
          fmt::format("{} on the {} graph", claim.identified ? "identified" : "not identified", claim.graph);
      if (!analysis.identification)
        throw InputError(fmt::format("claims '{}': analysis '{}' has no identification verdict", claim.id,
                                     claim.analysis));
      const auto& verdict = claim.graph == "assumed" ? analysis.identification->on_assumed
                                                     : std::optional(analysis.identification->on_true);
      if (!verdict)
        throw InputError(fmt::format("claims '{}': the case declares no assumed_graph", claim.id));
      r.pass = verdict->valid == claim.identified;
      r.expected += fmt::format(" ({} criterion); found {}{}", to_string(verdict->criterion),
                                verdict->valid ? "identified" : "not identified",
                                verdict->open_path_text.empty() ? "" : ": " + verdict->open_path_text);
      return r;
    }
    case ClaimKind::refutation: {
      r.expected = fmt::format("refutation {} {}", claim.refutation, claim.expect_pass ? "passes" : "fails");
      if (!refutations)
        return skipped(claim, r.expected, "refutations are not run here (only in casebook run)");
      for (const auto& refutation : *refutations)
        if (refutation.id == claim.refutation) {
          r.observed = refutation.estimate;
          r.pass = refutation.pass == claim.expect_pass;
          r.expected += fmt::format("; it {}: {}", refutation.pass ? "passed" : "failed", refutation.rule);
          return r;
        }
      return skipped(claim, r.expected, "the refutation was not run");
    }
    case ClaimKind::comparison: {
      const AnalysisResult& other = result_of(analyses, claim.other);
      if (!claim.diagnostic.empty()) {  // compare a diagnostic of the two analyses (e.g. pehe)
        auto diagnostic_of = [&](const AnalysisResult& a) {
          auto it = a.estimate.diagnostics.find(claim.diagnostic);
          if (it == a.estimate.diagnostics.end())
            throw InputError(fmt::format("claims '{}': analysis '{}' reports no diagnostic '{}'", claim.id,
                                         a.spec->id, claim.diagnostic));
          return it->second;
        };
        const bool above = claim.relation == Relation::above;
        r.expected = fmt::format("{} {} {}'s", claim.diagnostic, above ? "above" : "below", claim.other);
        // Truth-based diagnostics (pehe, cate_correlation) exist only when the data were simulated.
        if (!e.diagnostics.count(claim.diagnostic) && !analysis.truth)
          return skipped(claim, r.expected, kNoTruth);
        const double mine = diagnostic_of(analysis), theirs = diagnostic_of(other);
        r.observed = mine;
        r.expected = fmt::format("{} {} {}'s {:.4g}", claim.diagnostic, above ? "above" : "below",
                                 claim.other, theirs);
        r.pass = above ? mine > theirs : mine < theirs;
        return r;
      }
      if (claim.relation == Relation::closer_to_truth) {
        r.expected = fmt::format("|{} - truth| smaller than |{} - truth|", claim.analysis, claim.other);
        if (!analysis.truth || !other.truth) return skipped(claim, r.expected, kNoTruth);
        const double mine = std::abs(e.estimate - *analysis.truth);
        const double theirs = std::abs(other.estimate.estimate - *other.truth);
        r.observed = mine;
        r.expected = fmt::format("error smaller than {}'s {:.4g}", claim.other, theirs);
        r.pass = mine < theirs;
      } else {
        const bool above = claim.relation == Relation::above;
        r.observed = e.estimate;
        r.expected = fmt::format("{} {}'s estimate {:.4g}", above ? "above" : "below", claim.other,
                                 other.estimate.estimate);
        r.pass = above ? e.estimate > other.estimate.estimate : e.estimate < other.estimate.estimate;
      }
      return r;
    }
  }
  return r;
}

}  // namespace casebook
