#pragma once
// Checking a case's claims against the results of its analyses.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cases/case.hpp"
#include "cases/case_graph.hpp"
#include "estimators/estimator.hpp"
#include "refute/refutation.hpp"

namespace casebook {

struct AnalysisResult {
  const AnalysisSpec* spec = nullptr;
  Estimate estimate;
  std::optional<double> truth;  // empty when the data did not come from the simulation
  std::optional<AnalysisIdentification> identification = {};  // its verdicts on the case's graphs
};

// What a claim expects, as the site words it in each language: `phrase` names the wording
// (site/strings.json "expect_<phrase>"), whose {placeholders} are filled from the numbers, the
// names (analysis ids, diagnostics: shown as written) and the phrases (worded the same way, over
// the same values). `expected` says the same in English for the terminal.
struct ClaimStatement {
  std::string phrase;
  std::map<std::string, double> numbers;
  std::map<std::string, std::string> names;
  std::map<std::string, std::string> phrases;
};

struct ClaimResult {
  const ClaimSpec* spec = nullptr;
  std::optional<bool> pass;  // empty when skipped
  std::optional<double> observed;
  // A claim about the analysis's CI: the interval, shown with the estimate it surrounds, and how
  // far the value checked lies from its nearer bound in SEs (positive inside, negative outside),
  // so a near miss does not read as covered when both round to the same four digits.
  std::optional<std::pair<double, double>> observed_ci;
  std::optional<double> margin_se;
  std::string expected;  // in words: "above 2.05 (truth of late)"
  ClaimStatement statement;
  std::string skip_reason;       // why it was not checked, e.g. no ground truth for a CSV
  std::string_view skip_phrase;  // the same as the site words it (site/strings.json "skip_<phrase>"); static
};

// Throws InputError when a claim names a diagnostic its analysis does not report. A refutation
// claim is skipped when `refutations` is null (e.g. inside Monte Carlo replications).
ClaimResult check_claim(const ClaimSpec& claim, const std::vector<AnalysisResult>& analyses,
                        const std::vector<RefutationResult>* refutations = nullptr);

}  // namespace casebook
