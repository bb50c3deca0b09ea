#include "cli/case_pages.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/monte_carlo.hpp"
#include "cases/results.hpp"
#include "data/csv.hpp"
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

// The refuters' Monte Carlo summary committed beside a case (bench/refuter_size.sh writes it), if
// there is one that parses and has refutations.
std::optional<nlohmann::json> read_refuter_summary(const std::filesystem::path& dir, const std::string& id) {
  const std::string text = read_optional_text(dir / kRefuterSummaryFile);
  if (text.empty()) return std::nullopt;
  auto summary = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (summary.is_discarded() || !summary.is_object() || summary.value("case", "") != id ||
      !summary.contains("refutations")) {
    std::cerr << fmt::format("warning: {} is not a refuter summary of {}; rerun bench/refuter_size.sh\n",
                             (dir / kRefuterSummaryFile).string(), id);
    return std::nullopt;
  }
  return summary;
}

// "refuter_rates" for a case: the summary of the valid design (the case's own, or its valid
// counterpart's) as "size", and those of the cases that break it as "power".
nlohmann::json refuter_rates(const Case& c, const std::vector<Case>& cases,
                             const std::map<std::string, nlohmann::json>& summaries) {
  const std::string valid = c.valid_counterpart.empty() ? c.id : c.valid_counterpart;
  nlohmann::json rates{{"size", nullptr}, {"power", nlohmann::json::array()}};
  if (auto it = summaries.find(valid); it != summaries.end()) rates["size"] = it->second;
  for (const Case& other : cases)
    if (other.valid_counterpart == valid)
      if (auto it = summaries.find(other.id); it != summaries.end()) rates["power"].push_back(it->second);
  return rates;
}

// Rows of the simulated sample published with each case page (a few hundred kB).
constexpr std::size_t kSampleRows = 1000;

std::string sample_csv(const Dataset& data, std::size_t rows) {
  std::vector<std::size_t> first(std::min(rows, data.rows()));
  for (std::size_t i = 0; i < first.size(); ++i) first[i] = i;
  std::ostringstream out;
  write_csv(select_rows(data, first), out);
  return out.str();
}

}  // namespace

std::vector<CasePage> run_case_pages(const Project& project, const std::vector<std::filesystem::path>& dirs) {
  // Every case is loaded first: a case's page shows the refuter rates of its valid counterpart
  // and of the variants that break it.
  std::vector<Case> cases;
  std::map<std::string, nlohmann::json> refuter_summaries;
  for (const auto& dir : dirs) {
    cases.push_back(load_case(dir));
    if (auto summary = read_refuter_summary(dir, cases.back().id))
      refuter_summaries[cases.back().id] = std::move(*summary);
  }
  std::vector<CasePage> pages;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const Case& c = cases[i];
    std::cerr << fmt::format("[{}/{}] running {} …\n", i + 1, dirs.size(), c.id);
    const CaseRun run = run_case(c, {});
    nlohmann::json results = results_document(c, run);
    // The summary `casebook mc` saved for this case, if any (see "monte_carlo" in
    // templates/results.schema.json).
    if (auto monte_carlo = read_saved_monte_carlo(project.root, c.id, std::cerr))
      results["monte_carlo"] = std::move(*monte_carlo);
    if (!refuter_summaries.empty()) results["refuter_rates"] = refuter_rates(c, cases, refuter_summaries);
    CasePage page{c.id,
                  read_optional_text(dirs[i] / "case.md"),
                  read_optional_text(dirs[i] / "case.ko.md"),
                  std::move(results),
                  {}};
    // Published beside the page: the case's own files, and enough of the sample to look at (the
    // page gives the command that regenerates all of it).
    for (const char* name : {"case.json", "case.md", "case.ko.md"})
      if (std::string text = read_optional_text(dirs[i] / name); !text.empty())
        page.files.emplace_back(name, text);
    page.files.emplace_back("sample.csv", sample_csv(run.data, kSampleRows));
    page.files.emplace_back("results.json", page.results.dump(1) + "\n");  // every table row, every number
    pages.push_back(std::move(page));
  }
  return pages;
}

std::vector<EstimatorEntry> registry_estimators() {
  std::vector<EstimatorEntry> estimators;
  for (const auto& info : estimator_registry()) estimators.push_back({info.name, info.summary});
  return estimators;
}

}  // namespace casebook
