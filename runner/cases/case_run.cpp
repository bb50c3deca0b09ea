#include "cases/case_run.hpp"

#include <fmt/format.h>

#include "data/csv.hpp"
#include "simulate/estimand.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {

SimulatedSample simulate_case(const Case& c, std::uint64_t seed, std::size_t n) {
  const StructuralModel model(c.simulation);
  const Dataset full = model.simulate(seed, n);
  SimulatedSample sample;
  for (const auto& estimand : c.estimands) sample.truth[estimand.id] = estimand_truth(model, full, estimand, seed);
  sample.observed = observed_columns(full, c.simulation);
  sample.observed.set_source(fmt::format("simulation of case {} (seed {}, n {})", c.id, seed, n));
  return sample;
}

std::vector<AnalysisResult> run_analyses(const Case& c, const Dataset& data,
                                         const std::map<std::string, double>& truth) {
  std::vector<AnalysisResult> results;
  results.reserve(c.analyses.size());
  for (const auto& analysis : c.analyses) {
    AnalysisResult r;
    r.spec = &analysis;
    r.estimate = find_estimator(analysis.estimator).run(data, analysis.args);
    if (auto it = truth.find(analysis.estimand); it != truth.end()) r.truth = it->second;
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<ClaimResult> check_claims(const Case& c, const std::vector<AnalysisResult>& analyses) {
  std::vector<ClaimResult> results;
  results.reserve(c.claims.size());
  for (const auto& claim : c.claims) results.push_back(check_claim(claim, analyses));
  return results;
}

CaseRun run_case(const Case& c, const RunOptions& options) {
  CaseRun run;
  if (options.data_file) {
    run.data_source = options.data_file->string();
    run.data = read_csv(*options.data_file);
    run.command = fmt::format("casebook run {} --data {}", c.id, run.data_source);
  } else {
    run.seed = options.seed.value_or(c.simulation.seed);
    const std::size_t n = options.n.value_or(c.simulation.n);
    SimulatedSample sample = simulate_case(c, *run.seed, n);
    run.data = std::move(sample.observed);
    run.truth = std::move(sample.truth);
    run.data_source = "simulation";
    run.command = fmt::format("casebook run {} --seed {} --n {}", c.id, *run.seed, n);
  }
  run.n = run.data.rows();
  run.analyses = run_analyses(c, run.data, run.truth);
  run.claims = check_claims(c, run.analyses);
  return run;
}

ClaimTally tally(const std::vector<ClaimResult>& claims) {
  ClaimTally t;
  for (const auto& claim : claims) {
    if (!claim.pass) ++t.skipped;
    else if (*claim.pass) ++t.passed;
    else ++t.failed;
  }
  return t;
}

}  // namespace casebook
