// simulate and estimate: data out of a case, estimators on a user's data.
#include <iostream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/results.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/report.hpp"
#include "data/csv.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {

int simulate_command(const Project& project, const SimulateCommand& command) {
  const Case c = load_case(project.case_dir(command.case_id));
  require_writable_target(command.out, command.force);
  const StructuralModel model(c.simulation);
  const Dataset full = model.simulate(command.seed.value_or(c.simulation.seed), command.n.value_or(c.simulation.n));
  const Dataset data = command.include_latent ? full : observed_columns(full, c.simulation);
  write_csv(data, std::filesystem::path(command.out));
  std::cerr << fmt::format("wrote {} rows × {} columns to {}\n", data.rows(), data.cols(), command.out);
  return 0;
}

int estimate_command(const EstimateCommand& command) {
  const EstimatorInfo& estimator = find_estimator(command.estimator);
  const Dataset data = read_csv(command.data_file);
  EstimatorArgs args;
  args.outcome = command.outcome;
  args.treatment = command.treatment;
  args.instruments = command.instruments;
  args.covariates = command.covariates;
  args.cluster = command.cluster;
  args.se_type = !command.se.empty() ? command.se : command.cluster.empty() ? "hc1" : "cr1";
  args.confidence_level = command.confidence_level;
  const Estimate e = estimator.run(data, args);
  if (command.json) {
    nlohmann::json doc{{"estimator", estimator.name}, {"data", command.data_file}};
    doc.update(estimate_json(e));
    std::cout << doc.dump(2) << '\n';
  } else {
    print_estimate(std::cout, estimator.name, e, args.confidence_level);
  }
  return 0;
}

}  // namespace casebook
