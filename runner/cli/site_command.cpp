// site: run every case with its own seed and render the static site.
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/monte_carlo.hpp"
#include "cases/results.hpp"
#include "cli/commands.hpp"
#include "estimators/estimator.hpp"
#include "site/site.hpp"

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

int render_site_command(const Project& project, const std::string& out_dir) {
  const auto dirs = case_directories(project.cases());
  std::vector<CasePage> pages;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const Case c = load_case(dirs[i]);
    std::cerr << fmt::format("[{}/{}] running {} …\n", i + 1, dirs.size(), c.id);
    const CaseRun run = run_case(c, {});
    nlohmann::json results = results_document(c, run);
    // The summary `casebook mc` saved for this case, if any (see "monte_carlo" in cases/results.hpp).
    if (auto monte_carlo = read_saved_monte_carlo(project.root, c.id, std::cerr))
      results["monte_carlo"] = std::move(*monte_carlo);
    pages.push_back({c.id, *c.raw, read_optional_text(dirs[i] / "case.md"),
                     read_optional_text(dirs[i] / "case.ko.md"), std::move(results)});
  }
  SiteOptions options;
  options.theme_dir = project.theme();
  options.flowchart_file = project.templates() / "flowchart.json";
  for (const auto& info : estimator_registry()) options.estimators.push_back({info.name, info.summary});
  const auto index = render_site(pages, options, out_dir);
  std::cout << fmt::format("site written to {}\nopen {}\n", std::filesystem::absolute(out_dir).string(),
                           std::filesystem::absolute(index).string());
  return 0;
}

}  // namespace casebook
