#include "cases/case_run.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/input_error.hpp"

#include "cases/case_graph.hpp"
#include "cases/cate_truth_plot.hpp"
#include "cases/segment_truth.hpp"
#include "core/derived_seed.hpp"
#include "core/memory_check.hpp"
#include "data/csv.hpp"
#include "estimators/estimator_bootstrap.hpp"
#include "estimators/uplift_metrics.hpp"
#include "refute/sensitivity.hpp"
#include "simulate/estimand.hpp"
#include "simulate/simulation_size.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {
namespace {

void add_bootstrap_diagnostics(Estimate& estimate, const EstimatorInfo& estimator, const Dataset& data,
                               const AnalysisSpec& analysis, std::uint64_t seed, unsigned threads) {
  BootstrapOptions options;
  options.reps = analysis.bootstrap->reps;
  options.cluster = analysis.bootstrap->cluster;
  options.seed = seed;
  options.threads = threads;
  options.confidence_level = analysis.args.confidence_level;
  const BootstrapResult b = bootstrap(estimator.run, data, analysis.args, options);
  estimate.diagnostics["bootstrap_se"] = b.se;
  estimate.diagnostics["bootstrap_percentile_low"] = b.percentile_low;
  estimate.diagnostics["bootstrap_percentile_high"] = b.percentile_high;
  estimate.diagnostics["bootstrap_normal_low"] = b.normal_low;
  estimate.diagnostics["bootstrap_normal_high"] = b.normal_high;
  estimate.diagnostics["bootstrap_reps"] = static_cast<double>(b.reps);
  estimate.diagnostics["bootstrap_failed"] = static_cast<double>(b.failed);
}

// The rows `analysis` runs on: `data` itself, or (with `rows`) a copy in `subset` holding the rows
// where that column is 1.
const Dataset& analysis_sample(const Dataset& data, const AnalysisSpec& analysis,
                               std::optional<Dataset>& subset) {
  if (analysis.rows.empty()) return data;
  const std::vector<double>& flag = data.column(analysis.rows).values;
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < flag.size(); ++i) {
    if (flag[i] != 0 && flag[i] != 1)
      throw InputError(fmt::format("analysis '{}': rows: column '{}' must be 0 or 1, but row {} is {}",
                                   analysis.id, analysis.rows, i + 1, flag[i]));
    if (flag[i] == 1) keep.push_back(i);
  }
  if (keep.empty())
    throw InputError(
        fmt::format("analysis '{}': rows: column '{}' is 1 on no row, so nothing is left to analyse",
                    analysis.id, analysis.rows));
  subset = select_rows(data, keep);
  return *subset;
}

// The per-row truth of the rows an analysis runs on: all of them, or those where its `rows` column is 1.
std::vector<double> sample_row_truth(const std::vector<double>& truth, const Dataset& data,
                                     const AnalysisSpec& analysis) {
  if (analysis.rows.empty()) return truth;
  const std::vector<double>& flag = data.column(analysis.rows).values;
  std::vector<double> out;
  for (std::size_t i = 0; i < flag.size() && i < truth.size(); ++i)
    if (flag[i] == 1) out.push_back(truth[i]);
  return out;
}

}  // namespace

SimulatedSample simulate_case(const Case& c, std::uint64_t seed, std::size_t n, unsigned threads) {
  const StructuralModel model(c.simulation);
  // The simulated table, the two intervened copies an estimand's truth compares and the observed
  // columns: four tables, at the least.
  require_memory(
      4 * simulation_bytes(c.simulation, n), memory_budget(), fmt::format("case '{}' with n = {}", c.id, n),
      fmt::format("four tables of {} variables", c.simulation.variables.size()), "give a smaller --n");
  const Dataset full = model.simulate(seed, n, {}, threads);
  SimulatedSample sample;
  for (const auto& estimand : c.estimands) {
    if (estimand.type == "cate") {  // per-unit truth, and its mean as the scalar truth
      std::vector<double> effects = estimand_row_truth(model, full, estimand, seed, threads);
      double sum = 0;
      for (const double effect : effects) sum += effect;
      sample.truth[estimand.id] = sum / static_cast<double>(effects.size());
      sample.row_truth[estimand.id] = std::move(effects);
      continue;
    }
    sample.truth[estimand.id] = estimand_truth(model, full, estimand, seed, threads);
  }
  sample.observed = observed_columns(full, c.simulation);
  sample.observed.set_source(fmt::format("simulation of case {} (seed {}, n {})", c.id, seed, n));
  return sample;
}

std::vector<AnalysisResult> run_analyses(const Case& c, const Dataset& data,
                                         const std::map<std::string, double>& truth, unsigned threads,
                                         const std::map<std::string, std::vector<double>>& row_truth) {
  std::vector<AnalysisResult> results;
  results.reserve(c.analyses.size());
  const CaseGraphs graphs = case_graphs(c);  // identification depends on the case, not on the data
  for (const auto& analysis : c.analyses) {
    AnalysisResult r;
    r.spec = &analysis;
    r.identification = identify_analysis(graphs, analysis, c.simulation);
    const EstimatorInfo& estimator = find_estimator(analysis.estimator);
    std::optional<Dataset> subset;
    const Dataset& sample = analysis_sample(data, analysis, subset);
    r.estimate = estimator.run(sample, analysis.args);
    // Sensitivity to unobserved confounding (robustness value, E-value, Anderson–Rubin set).
    for (const auto& [name, value] : sensitivity_diagnostics(estimator, sample, analysis.args, r.estimate))
      r.estimate.diagnostics[name] = value;
    if (analysis.bootstrap)
      add_bootstrap_diagnostics(r.estimate, estimator, sample, analysis, c.simulation.seed, threads);
    if (auto it = truth.find(analysis.estimand); it != truth.end()) r.truth = it->second;
    // A CATE learner's per-row output scored against the units' true effects.
    if (auto it = row_truth.find(analysis.estimand); it != row_truth.end()) {
      const std::vector<double> effects = sample_row_truth(it->second, data, analysis);
      auto cate = r.estimate.row_outputs.find("cate");
      if (cate != r.estimate.row_outputs.end() && cate->second.size() == effects.size()) {
        r.estimate.diagnostics["pehe"] = pehe(cate->second, effects);
        r.estimate.diagnostics["cate_correlation"] = pearson_correlation(cate->second, effects);
        r.estimate.plots.push_back(cate_against_truth_plot(cate->second, effects));
      }
      add_segment_truth(r.estimate, effects);  // segment effects against their true effects
    }
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<ClaimResult> check_claims(const Case& c, const std::vector<AnalysisResult>& analyses,
                                      const std::vector<RefutationResult>* refutations) {
  std::vector<ClaimResult> results;
  results.reserve(c.claims.size());
  for (const auto& claim : c.claims) results.push_back(check_claim(claim, analyses, refutations));
  return results;
}

std::vector<RefutationResult> run_refutations(const Case& c, const Dataset& data,
                                              const std::vector<AnalysisResult>& analyses, std::uint64_t seed,
                                              unsigned threads) {
  std::vector<RefutationResult> results;
  results.reserve(c.refutations.size());
  for (std::size_t i = 0; i < c.refutations.size(); ++i) {
    const RefutationSpec& spec = c.refutations[i];
    const AnalysisResult* analysis = nullptr;
    for (const auto& a : analyses)
      if (a.spec->id == spec.analysis) analysis = &a;
    if (!analysis)
      throw InputError(
          fmt::format("refutation '{}' refers to analysis '{}', which was not run", spec.id, spec.analysis));
    std::optional<Dataset> subset;
    RefuterInput input;
    input.data = &analysis_sample(data, *analysis->spec, subset);
    input.estimator = &find_estimator(analysis->spec->estimator);
    input.args = analysis->spec->args;
    input.original = analysis->estimate;
    input.analysis = spec.analysis;
    input.reps = spec.reps;
    input.seed = derive_seed(seed, i);
    input.threads = threads;
    input.options = spec.options;
    try {
      RefutationResult r = run_refuter(find_refuter(spec.refuter), input);
      r.id = spec.id;
      results.push_back(std::move(r));
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}: refutation '{}': {}", c.id, spec.id, e.what()));
    }
  }
  return results;
}

namespace {

// The names the case's analyses see: the simulation's observed variables (and a panel's unit and
// period).
std::vector<std::string> case_columns(const Case& c) {
  std::vector<std::string> names;
  if (c.simulation.periods > 0) names = {kUnitColumn, kPeriodColumn};
  for (const auto& variable : c.simulation.variables)
    if (variable.observed) names.push_back(variable.name);
  return names;
}

// The user's file with its columns renamed to the case's (--map case_column=your_column); every
// name checked on both sides, so a typo is one line naming the choices.
Dataset map_columns(Dataset data, const Case& c, const std::map<std::string, std::string>& column_map) {
  if (column_map.empty()) return data;
  const std::vector<std::string> known = case_columns(c);
  std::map<std::string, std::string> renamed;  // the file's name → the case's
  for (const auto& [case_column, file_column] : column_map) {
    if (std::find(known.begin(), known.end(), case_column) == known.end())
      throw InputError(fmt::format("--map {}={}: case {} has no column '{}' (its columns: {})", case_column,
                                   file_column, c.id, case_column, fmt::join(known, ", ")));
    if (!data.has(file_column))
      throw InputError(fmt::format("--map {}={}: {} has no column '{}' (columns: {})", case_column,
                                   file_column, data.source(), file_column, fmt::join(data.names(), ", ")));
    if (!renamed.emplace(file_column, case_column).second)
      throw InputError(fmt::format("--map: the file's column '{}' is mapped twice", file_column));
  }
  Dataset out(data.source());
  for (Column column : data.columns()) {
    if (const auto it = renamed.find(column.name); it != renamed.end()) {
      column.name = it->second;
    } else if (column_map.contains(column.name)) {
      throw InputError(
          fmt::format("--map: {} has a column '{}' already and another is mapped to it; rename one",
                      data.source(), column.name));
    }
    out.add_column(std::move(column));
  }
  return out;
}

std::string map_arguments(const std::map<std::string, std::string>& column_map) {
  std::string text;
  for (const auto& [case_column, file_column] : column_map)
    text += fmt::format(" --map {}={}", case_column, file_column);
  return text;
}

}  // namespace

CaseRun run_case(const Case& c, const RunOptions& options) {
  CaseRun run;
  if (options.data_file) {
    run.data_source = options.data_file->string();
    run.data = map_columns(read_csv(*options.data_file), c, options.column_map);
    run.command =
        fmt::format("casebook run {} --data {}{}", c.id, run.data_source, map_arguments(options.column_map));
  } else {
    run.seed = options.seed.value_or(c.simulation.seed);
    const std::size_t n = options.n.value_or(c.simulation.n);
    SimulatedSample sample = simulate_case(c, *run.seed, n);
    run.data = std::move(sample.observed);
    run.truth = std::move(sample.truth);
    run.row_truth = std::move(sample.row_truth);
    run.data_source = "simulation";
    run.command = fmt::format("casebook run {} --seed {} --n {}", c.id, *run.seed, n);
  }
  run.n = run.data.rows();
  try {
    run.analyses = run_analyses(c, run.data, run.truth, 0, run.row_truth);
  } catch (const InputError& e) {
    // On a user's file, a missing column is most often one named otherwise: say which and how.
    std::vector<std::string> missing;
    if (options.data_file)
      for (const auto& name : case_columns(c))
        if (!run.data.has(name)) missing.push_back(name);
    if (missing.empty()) throw;
    throw InputError(
        fmt::format("{}; the file lacks the case's column{} {}: name yours with --map {}=YOUR_COLUMN",
                    e.what(), missing.size() == 1 ? "" : "s", fmt::join(missing, ", "), missing.front()));
  }
  if (options.refutations) {
    run.refutations = run_refutations(c, run.data, run.analyses, run.seed.value_or(c.simulation.seed));
    run.claims = check_claims(c, run.analyses, &run.refutations);
  } else {
    run.claims = check_claims(c, run.analyses);
  }
  return run;
}

ClaimTally tally(const std::vector<ClaimResult>& claims) {
  ClaimTally t;
  for (const auto& claim : claims) {
    if (!claim.pass)
      ++t.skipped;
    else if (*claim.pass)
      ++t.passed;
    else
      ++t.failed;
  }
  return t;
}

}  // namespace casebook
