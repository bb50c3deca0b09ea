#pragma once
// Checking a case's claims against the results of its analyses.
#include <optional>
#include <string>
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

struct ClaimResult {
  const ClaimSpec* spec = nullptr;
  std::optional<bool> pass;  // empty when skipped
  std::optional<double> observed;
  std::string expected;     // in words: "above 2.05 (truth of late)"
  std::string skip_reason;  // why it was not checked, e.g. no ground truth for a CSV
};

// Throws InputError when a claim names a diagnostic its analysis does not report. A refutation
// claim is skipped when `refutations` is null (e.g. inside Monte Carlo replications).
ClaimResult check_claim(const ClaimSpec& claim, const std::vector<AnalysisResult>& analyses,
                        const std::vector<RefutationResult>* refutations = nullptr);

}  // namespace casebook
