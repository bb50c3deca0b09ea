// site: run every case with its own seed and render the static site.
#include <iostream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cli/case_pages.hpp"
#include "cli/commands.hpp"
#include "site/pdf_printer.hpp"

namespace casebook {

int render_site_command(const Project& project, const std::string& out_dir, bool pdf,
                        const std::string& repository_url) {
  SiteOptions options;
  options.repository_url = repository_url;
  while (!options.repository_url.empty() && options.repository_url.back() == '/')
    options.repository_url.pop_back();
  // Chromium is looked for before the cases run, so a missing one costs no time.
  if (pdf) {
    options.chromium = site::find_chromium();
    options.pdf_languages = {"en", "ko"};
  }
  const std::vector<CasePage> pages = run_case_pages(project, case_directories(project.cases()));
  options.theme_dir = project.theme();
  options.flowchart_file = project.templates() / "flowchart.json";
  options.estimators = registry_estimators();
  if (pdf)
    std::cerr << fmt::format("printing {} PDFs with {} …\n", 2 * pages.size(), options.chromium.string());
  const auto index = render_site(pages, options, out_dir);
  std::cout << fmt::format("site written to {}\nopen {}\n", std::filesystem::absolute(out_dir).string(),
                           std::filesystem::absolute(index).string());
  return 0;
}

}  // namespace casebook
