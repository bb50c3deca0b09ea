#pragma once
// The diagnostics an analysis can report, from the declarations alone: its estimator's, those of
// the sensitivity analyses the estimator declares, the bootstrap's when the analysis asks for one,
// the scores of a per-row CATE against the truth (pehe, cate_correlation) and those of segment
// effects (segment{number}_truth, segment_truth_coverage, largest_segment_found). The loader checks a
// claim's diagnostic against them before anything runs.
#include <optional>
#include <string>
#include <vector>

#include "cases/case.hpp"

namespace casebook {

std::vector<DiagnosticSpec> declared_diagnostics(const AnalysisSpec& analysis);

// Why `name` is not a diagnostic the analysis can report (listing those it can), or nullopt.
std::optional<std::string> undeclared_diagnostic_problem(const AnalysisSpec& analysis,
                                                         const std::string& name);

}  // namespace casebook
