#include "cases/analysis_diagnostics.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "refute/sensitivity.hpp"

namespace casebook {

std::vector<DiagnosticSpec> declared_diagnostics(const AnalysisSpec& analysis) {
  const EstimatorInfo& estimator = find_estimator(analysis.estimator);
  std::vector<DiagnosticSpec> out = estimator.diagnostics;
  for (const SensitivityAnalysis s : estimator.sensitivity)
    for (auto& d : sensitivity_diagnostic_specs(s)) out.push_back(std::move(d));
  if (analysis.bootstrap) {
    out.push_back({"bootstrap_se", "SD of the bootstrap replicates' estimates"});
    out.push_back({"bootstrap_percentile_low", "lower percentile bootstrap bound"});
    out.push_back({"bootstrap_percentile_high", "upper percentile bootstrap bound"});
    out.push_back({"bootstrap_normal_low", "lower normal bootstrap bound"});
    out.push_back({"bootstrap_normal_high", "upper normal bootstrap bound"});
    out.push_back({"bootstrap_reps", "replicates asked for"});
    out.push_back({"bootstrap_failed", "replicates the estimator rejected"});
  }
  const auto& rows = estimator.row_outputs;
  if (std::find(rows.begin(), rows.end(), "cate") != rows.end()) {
    out.push_back({"pehe", "root mean squared error of the per-row CATE against the true effects"});
    out.push_back({"cate_correlation", "correlation of the per-row CATE with the true effects"});
  }
  if (std::find(rows.begin(), rows.end(), "segment") != rows.end()) {
    out.push_back(
        {"segment{number}_truth", "true effect in a segment: mean unit effect over its target rows"});
    out.push_back(
        {"segment_truth_coverage", "share of the segments with an effect whose interval covers its truth"});
    out.push_back({"largest_segment_found",
                   "1 when the segment with the largest estimated effect has the largest true effect"});
  }
  return out;
}

std::optional<std::string> undeclared_diagnostic_problem(const AnalysisSpec& analysis,
                                                         const std::string& name) {
  const std::vector<DiagnosticSpec> declared = declared_diagnostics(analysis);
  for (const auto& d : declared)
    if (diagnostic_name_matches(d.name, name)) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& d : declared) names.push_back(d.name);
  return fmt::format("analysis '{}' ({}) reports no diagnostic '{}' (it reports: {})", analysis.id,
                     analysis.estimator, name, fmt::join(names, ", "));
}

}  // namespace casebook
