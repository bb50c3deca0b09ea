#include "cli/case_pages.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/monte_carlo.hpp"
#include "cases/results.hpp"
#include "estimators/estimator.hpp"

namespace casebook {
namespace {

std::string read_optional_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::vector<CasePage> run_case_pages(const Project& project, const std::vector<std::filesystem::path>& dirs) {
  std::vector<CasePage> pages;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const Case c = load_case(dirs[i]);
    std::cerr << fmt::format("[{}/{}] running {} …\n", i + 1, dirs.size(), c.id);
    const CaseRun run = run_case(c, {});
    nlohmann::json results = results_document(c, run);
    // The summary `casebook mc` saved for this case, if any (see "monte_carlo" in
    // templates/results.schema.json).
    if (auto monte_carlo = read_saved_monte_carlo(project.root, c.id, std::cerr))
      results["monte_carlo"] = std::move(*monte_carlo);
    pages.push_back({c.id, read_optional_text(dirs[i] / "case.md"),
                     read_optional_text(dirs[i] / "case.ko.md"), std::move(results)});
  }
  return pages;
}

std::vector<EstimatorEntry> registry_estimators() {
  std::vector<EstimatorEntry> estimators;
  for (const auto& info : estimator_registry()) estimators.push_back({info.name, info.summary});
  return estimators;
}

}  // namespace casebook
