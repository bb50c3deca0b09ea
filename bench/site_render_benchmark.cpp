// Issue 7: rendering the whole site (every case of the repository, both languages, the
// flowchart with its Graphviz diagram, the method pages, KaTeX copied) from results already
// computed. Target: under 2 s. The cases are run once before timing; only render_site is timed.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <benchmark/benchmark.h>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/results.hpp"
#include "estimators/estimator.hpp"
#include "site/site.hpp"

namespace {
namespace fs = std::filesystem;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void RenderAllCases(benchmark::State& state) {
  const fs::path repo = CASEBOOK_SOURCE_DIR;
  std::vector<casebook::CasePage> pages;
  for (const fs::path& dir : casebook::case_directories(repo / "cases")) {
    const casebook::Case c = casebook::load_case(dir);
    const casebook::CaseRun run = casebook::run_case(c, {});
    pages.push_back({c.id, c.raw, read_text(dir / "case.md"), read_text(dir / "case.ko.md"),
                     casebook::results_document(c, run)});
  }
  casebook::SiteOptions options;
  options.theme_dir = repo / "site";
  options.flowchart_file = repo / "templates" / "flowchart.json";
  for (const auto& info : casebook::estimator_registry())
    options.estimators.push_back({info.name, info.summary});
  const fs::path out = fs::temp_directory_path() / "casebook-site-benchmark";
  for (auto _ : state) casebook::render_site(pages, options, out);
  state.counters["cases"] = static_cast<double>(pages.size());
  fs::remove_all(out);
}
BENCHMARK(RenderAllCases)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
