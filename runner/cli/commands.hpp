#pragma once
// The `casebook` subcommands. Each returns the process exit code: 0 all good, 1 a claim or
// check failed; bad input is an InputError, which main() turns into one line and exit 2.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/project.hpp"

namespace casebook {

int list_cases(const Project& project);
int lint_cases(const Project& project, const std::vector<std::string>& ids);
int new_case(const Project& project, const std::string& id);

struct RunCommand {
  std::string case_id;
  std::optional<std::uint64_t> seed;
  std::optional<std::size_t> n;
  std::string data_file;
  std::string json_file;  // "-" for stdout
  bool force = false;
};
int run_case_command(const Project& project, const RunCommand& command);
int verify_cases(const Project& project, const std::vector<std::string>& ids);

struct SimulateCommand {
  std::string case_id;
  std::string out;
  std::optional<std::uint64_t> seed;
  std::optional<std::size_t> n;
  bool include_latent = false;
  bool force = false;
};
int simulate_command(const Project& project, const SimulateCommand& command);

struct EstimateCommand {
  std::string estimator;
  std::string data_file;
  std::string outcome, treatment, cluster, se;
  std::vector<std::string> instruments, covariates;
  double confidence_level = 0.95;
  bool json = false;
};
int estimate_command(const EstimateCommand& command);

int render_site_command(const Project& project, const std::string& out_dir);

}  // namespace casebook
