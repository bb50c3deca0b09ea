// run and verify: simulate, estimate and check claims.
#include <iostream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/results.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/report.hpp"
#include "core/input_error.hpp"
#include "core/shard.hpp"

namespace casebook {

int run_case_command(const Project& project, const RunCommand& command) {
  const Case c = load_case(project.case_dir(command.case_id));
  RunOptions options;
  options.seed = command.seed;
  options.n = command.n;
  if (!command.data_file.empty()) options.data_file = command.data_file;
  if (!command.column_map.empty() && command.data_file.empty())
    throw InputError("--map renames the columns of --data: give --data FILE too");
  for (const std::string& pair : command.column_map) {
    const auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == pair.size())
      throw InputError(fmt::format("--map '{}' is not case_column=your_column", pair));
    if (!options.column_map.emplace(pair.substr(0, equals), pair.substr(equals + 1)).second)
      throw InputError(fmt::format("--map: the case's column '{}' is mapped twice", pair.substr(0, equals)));
  }
  if (!command.json_file.empty() && command.json_file != "-")
    require_writable_target(command.json_file, command.force);  // fail before the work, not after

  const CaseRun run = run_case(c, options);
  const std::string json = results_document(c, run).dump(2) + "\n";
  if (command.json_file == "-") {
    std::cout << json;
  } else {
    print_run(std::cout, c, run);
    if (!command.json_file.empty()) write_text_file(command.json_file, json, command.force);
  }
  return tally(run.claims).failed > 0 ? 1 : 0;
}

int verify_cases(const Project& project, const std::vector<std::string>& ids, const std::string& shard,
                 const std::filesystem::path& json_dir, bool force) {
  std::vector<std::filesystem::path> all;
  if (ids.empty()) all = case_directories(project.cases());
  for (const auto& id : ids) all.push_back(project.case_dir(id));
  // Every K-th case rather than a block: a block of slow cases (forests) would set the wall time.
  std::vector<std::filesystem::path> dirs;
  const Shard part = shard.empty() ? Shard{} : parse_shard(shard);
  for (std::size_t i = part.index; i < all.size(); i += part.count) dirs.push_back(all[i]);
  if (!shard.empty())
    std::cerr << fmt::format("verify: shard {}/{}: {} of {} cases\n", part.index, part.count, dirs.size(),
                             all.size());
  std::vector<Case> cases;
  for (const auto& dir : dirs) cases.push_back(load_case(dir));
  if (!json_dir.empty()) {  // fail before the work, not after
    std::error_code error;
    std::filesystem::create_directories(json_dir, error);
    if (error || !std::filesystem::is_directory(json_dir))
      throw InputError(fmt::format("--json-dir {}: cannot make this folder ({})", json_dir.string(),
                                   error ? error.message() : "a file has that name"));
    for (const Case& c : cases) require_writable_target(json_dir / (c.id + ".json"), force);
  }
  std::size_t failed_cases = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    std::cerr << fmt::format("[{}/{}] {} …\n", i + 1, dirs.size(), c.id);
    const CaseRun run = run_case(c, {});
    if (!json_dir.empty())
      write_text_file(json_dir / (c.id + ".json"), results_document(c, run).dump(2) + "\n", force);
    const ClaimTally t = tally(run.claims);
    std::cout << fmt::format("{:<5} {:<34} {}/{} claims pass\n", t.failed ? "FAIL" : "ok", c.id, t.passed,
                             run.claims.size());
    for (const auto& claim : run.claims)
      if (claim.pass && !*claim.pass)
        std::cout << fmt::format("      failed {}: observed {}, expected {}\n", claim.spec->id,
                                 claim.observed ? format_number(*claim.observed) : "—", claim.expected);
    failed_cases += t.failed > 0;
  }
  std::cout << fmt::format("{} of {} cases verified\n", dirs.size() - failed_cases, dirs.size());
  return failed_cases > 0 ? 1 : 0;
}

}  // namespace casebook
