#pragma once
// The static site: reads cases' markdown and results (what `casebook run --json` writes, including
// the case's metadata) and renders HTML. It never runs an analysis itself.
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace casebook {

struct CasePage {
  std::string id;
  std::string markdown_en;  // case.md
  std::string markdown_ko;  // case.ko.md, empty when the case has none
  // The results document (templates/results.schema.json); null for a case not run yet, which
  // shows its text only.
  nlohmann::json results;
  // Files published beside the page for a reader to download (case.json, case.md, a sample of the
  // simulated data): name → contents, written to cases/<id>/<name>.
  std::vector<std::pair<std::string, std::string>> files;
};

// An estimator the runner implements, for the method pages.
struct EstimatorEntry {
  std::string name;
  std::string description;
};

struct SiteOptions {
  std::filesystem::path theme_dir;  // the repository's site/ folder (mustache templates, CSS)
  std::filesystem::path katex_dir = "/usr/share/javascript/katex";
  // templates/flowchart.json; empty: theme_dir/../templates/flowchart.json. Without the file
  // the site has no flowchart page content (a notice instead).
  std::filesystem::path flowchart_file;
  // The registry's estimators; method pages mark the ones they name but the runner lacks.
  std::vector<EstimatorEntry> estimators;
  // Also print each case page in these languages ("en", "ko") to PDF beside it,
  // cases/<id>.<lang>.pdf, linked from the page; empty: no PDFs. Needs `chromium`
  // (site/pdf_printer.hpp).
  std::vector<std::string> pdf_languages;
  std::filesystem::path chromium;
  // Where the repository's files can be read online, e.g. https://github.com/org/casebook/blob/main;
  // case pages then link each case's case.json and case.md there too. Empty: no such links.
  std::string repository_url;
};

// Renders everything into a temporary folder beside out_dir and swaps it into place only when
// complete, so a failed render never leaves a half-written site. Returns the index page path.
// Throws InputError naming the case and the key when a case's results lack a required key.
std::filesystem::path render_site(const std::vector<CasePage>& cases, const SiteOptions& options,
                                  const std::filesystem::path& out_dir);

// GitHub-flavoured markdown (tables, autolinks, strikethrough) to HTML; raw HTML is not passed
// through, and $…$ / $$…$$ math is left intact for KaTeX.
std::string markdown_to_html(std::string_view markdown);

}  // namespace casebook
