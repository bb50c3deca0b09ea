// pdf: case pages printed as handouts, one A4 PDF per case and language. The cases run with their
// own seeds and render into a private copy of the site (its pages, stylesheet and KaTeX), which
// Chromium prints; only the PDFs leave it. The PDF is the case page, so site and handout never
// disagree, and there is one way to print.
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cli/case_pages.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "core/input_error.hpp"
#include "core/replace_file.hpp"
#include "core/temporary_folder.hpp"
#include "site/page_paths.hpp"
#include "site/pdf_printer.hpp"

namespace casebook {
namespace fs = std::filesystem;
namespace {

std::vector<const site::Language*> chosen_languages(const std::string& lang) {
  if (lang.empty()) return {&site::kEnglish, &site::kKorean};
  for (const site::Language& language : site::kLanguages)
    if (language.code == lang) return {&language};
  throw InputError("--lang " + lang, "expected en or ko");
}

// "<case>.<lang>.pdf" in the output folder.
fs::path pdf_target(const PdfCommand& command, const std::string& id, const site::Language& language) {
  return fs::path(command.out_dir) / fs::path(site::case_pdf(id, language)).filename();
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "was not printed");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

int pdf_command(const Project& project, const PdfCommand& command) {
  // Everything that can be refused is refused before the cases run.
  const std::vector<const site::Language*> languages = chosen_languages(command.lang);
  if (!fs::is_directory(command.out_dir)) throw InputError(command.out_dir, "--out folder does not exist");
  std::vector<fs::path> dirs;
  std::set<std::string> seen;
  for (const std::string& id : command.case_ids) {
    if (!seen.insert(id).second) throw InputError("case " + id, "named twice");
    dirs.push_back(project.case_dir(id));
    for (const site::Language* language : languages)
      require_writable_target(pdf_target(command, id, *language), command.force);
  }
  SiteOptions options;
  options.chromium = site::find_chromium();
  for (const site::Language* language : languages) options.pdf_languages.emplace_back(language->code);

  const std::vector<CasePage> pages = run_case_pages(project, dirs);
  options.theme_dir = project.theme();
  options.flowchart_file = project.templates() / "flowchart.json";
  options.estimators = registry_estimators();
  const TemporaryFolder work;
  std::cerr << fmt::format("printing {} PDFs with {} …\n", pages.size() * languages.size(),
                           options.chromium.string());
  const fs::path site_dir = render_site(pages, options, work.path() / "site").parent_path();

  for (const CasePage& page : pages) {
    for (const site::Language* language : languages) {
      const std::string bytes =
          read_bytes(site_dir / site::page_file(*language, site::case_pdf(page.id, *language)));
      const fs::path target = pdf_target(command, page.id, *language);
      replace_file(target, [&](std::ostream& out) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      });
      std::cout << target.string() << "\n";
    }
  }
  return 0;
}

}  // namespace casebook
