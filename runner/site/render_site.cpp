// render_site: every page in every language, the theme's assets and KaTeX, written through a
// SiteOutput so the output folder is replaced only by a complete site.
#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "site/case_facts.hpp"
#include "site/case_view.hpp"
#include "site/flowchart_diagram.hpp"
#include "site/guide_views.hpp"
#include "site/index_view.hpp"
#include "site/json_access.hpp"
#include "site/page_paths.hpp"
#include "site/pdf_printer.hpp"
#include "site/site.hpp"
#include "site/site_context.hpp"
#include "site/site_output.hpp"
#include "site/theme.hpp"

namespace casebook {
namespace fs = std::filesystem;
namespace {

// Ids become file names, so they follow the case-id rule (^[a-z0-9][a-z0-9-]*$): no '/', no "..".
void require_valid_ids(const std::vector<CasePage>& cases) {
  std::set<std::string> seen;
  for (const CasePage& page : cases) {
    const bool valid =
        !page.id.empty() && page.id.front() != '-' && std::all_of(page.id.begin(), page.id.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
    if (!valid) {
      throw InputError("case id \"" + page.id + "\"",
                       "expected lowercase letters, digits and '-' (^[a-z0-9][a-z0-9-]*$)");
    }
    if (!seen.insert(page.id).second) throw InputError("case id \"" + page.id + "\"", "appears twice");
  }
}

// KaTeX as Debian installs it: katex.min.js, katex.min.css and fonts/ (which the CSS loads
// from a path relative to itself, so the three keep their layout under assets/katex/).
void copy_katex(const site::SiteOutput& output, const fs::path& katex_dir) {
  for (const char* file : {"katex.min.js", "katex.min.css"}) {
    if (!fs::is_regular_file(katex_dir / file)) {
      throw InputError((katex_dir / file).string(), "missing; install libjs-katex or set the KaTeX folder");
    }
    output.copy_file(katex_dir / file, fs::path("assets/katex") / file);
  }
  output.copy_folder(katex_dir / "fonts", "assets/katex/fonts");
}

// Whatever `read` makes of a case's results; a key they lack is an InputError naming the case and
// the key, so a runner and a site out of step never publish pages of dashes.
template <class Read>
auto reading_results(const CasePage& page, Read read) {
  try {
    return read();
  } catch (const site::MissingResultKey& missing) {
    throw InputError(fmt::format("results of case {}", page.id),
                     fmt::format("missing required key {} (see templates/results.schema.json)",
                                 site::missing_key_path(page.results, missing)));
  }
}

const site::Language& pdf_language(const std::string& code) {
  for (const site::Language& language : site::kLanguages)
    if (language.code == code) return language;
  throw InputError("PDF language \"" + code + "\"", "expected en or ko");
}

// Every case page in each PDF language, printed from the staged site (its assets beside it) and
// written next to the page. Chromium runs a few pages at a time: each print mostly waits.
void print_case_pdfs(const site::SiteOutput& output, const std::vector<const CasePage*>& cases,
                     const SiteOptions& options) {
  struct Job {
    const site::Language* language;
    const CasePage* page;
  };
  std::vector<Job> jobs;
  for (const std::string& code : options.pdf_languages)
    for (const CasePage* page : cases) jobs.push_back({&pdf_language(code), page});
  std::vector<std::string> pdfs(jobs.size());
  parallel_for(jobs.size(), std::min(core_count(), 4u), [&](std::size_t i) {
    const fs::path html =
        output.staged(site::page_file(*jobs[i].language, site::case_page(jobs[i].page->id)));
    pdfs[i] = site::print_to_pdf(options.chromium, html);
  });
  for (std::size_t i = 0; i < jobs.size(); ++i)
    output.write_file(site::page_file(*jobs[i].language, site::case_pdf(jobs[i].page->id, *jobs[i].language)),
                      pdfs[i]);
}

}  // namespace

fs::path render_site(const std::vector<CasePage>& cases, const SiteOptions& options,
                     const fs::path& out_dir) {
  require_valid_ids(cases);
  for (const std::string& code : options.pdf_languages) pdf_language(code);  // before any work
  const site::Theme theme = site::Theme::load(options.theme_dir);
  site::SiteOutput output(out_dir);  // refuses a folder that is not a previous site, before any work

  // Pages list cases by id whatever order they came in, so the same cases give the same site.
  std::vector<const CasePage*> sorted;
  for (const CasePage& page : cases) sorted.push_back(&page);
  std::sort(sorted.begin(), sorted.end(), [](const CasePage* a, const CasePage* b) { return a->id < b->id; });
  std::vector<site::CaseFacts> facts;
  for (const CasePage* page : sorted)
    facts.push_back(reading_results(*page, [&] { return site::case_facts(*page); }));

  const fs::path flowchart_file = options.flowchart_file.empty()
                                      ? options.theme_dir / ".." / "templates" / "flowchart.json"
                                      : options.flowchart_file;
  std::optional<site::Flowchart> flowchart;
  if (!options.flowchart_file.empty() || fs::exists(flowchart_file))
    flowchart = site::Flowchart::load(flowchart_file);
  const site::MethodCatalog methods = site::MethodCatalog::load(options.theme_dir / "methods");
  const site::SiteContext ctx{
      theme.strings(),       flowchart, methods, facts, options.estimators, options.pdf_languages,
      options.repository_url};

  for (const site::Language& language : site::kLanguages) {
    const auto write = [&](const std::string& page, const std::string& template_name,
                           const mstch::node& view) {
      output.write_file(site::page_file(language, page), theme.render(template_name, view));
    };
    write(site::index_page(), "index", site::index_view(ctx, language));
    for (const CasePage* page : sorted)
      write(site::case_page(page->id), "case",
            reading_results(*page, [&] { return site::case_view(*page, ctx, language); }));
    const std::string diagram = flowchart ? site::flowchart_svg(*flowchart, language.code) : std::string();
    write(site::flowchart_page(), "flowchart", site::flowchart_view(ctx, language, diagram));
    write(site::methods_page(), "methods", site::methods_index_view(ctx, language));
    for (const site::MethodInfo& method : methods.methods())
      write(site::method_page(method.id), "method", site::method_view(method, ctx, language));
  }

  for (const CasePage* page : sorted)
    for (const auto& [name, contents] : page->files)
      output.write_file(site::case_file(page->id, name), contents);
  for (const fs::path& asset : theme.asset_files())
    output.copy_file(asset, fs::path("assets") / asset.filename());
  copy_katex(output, options.katex_dir);
  print_case_pdfs(output, sorted, options);
  return output.commit() / site::index_page();
}

}  // namespace casebook
