// The case page renderer: case.md and case.ko.md (the input split at its first NUL byte) through
// the markdown, math and link rewriting into the case page's views in both languages and the
// index's, with the repository's theme, methods and flowchart; the English page is rendered
// through its template. Anything wrong must be an InputError.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "site/case_facts.hpp"
#include "site/case_view.hpp"
#include "site/flowchart.hpp"
#include "site/index_view.hpp"
#include "site/method_catalog.hpp"
#include "site/page_paths.hpp"
#include "site/site_context.hpp"
#include "site/theme.hpp"
#include "structured_mutations.hpp"

namespace {

namespace site = casebook::site;

struct Project {
  site::Theme theme = site::Theme::load(CASEBOOK_SOURCE_DIR "/site");
  site::MethodCatalog methods = site::MethodCatalog::load(CASEBOOK_SOURCE_DIR "/site/methods");
  std::optional<site::Flowchart> flowchart =
      site::Flowchart::load(CASEBOOK_SOURCE_DIR "/templates/flowchart.json");
  std::vector<casebook::EstimatorEntry> estimators;
  std::vector<std::string> pdf_languages;
  std::string repository_url;
};

const Project& project() {
  static const Project loaded;
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t split = text.find('\0');
  casebook::CasePage page;
  page.id = "fuzz-case";
  page.markdown_en = std::string(text.substr(0, split));
  if (split != std::string_view::npos) page.markdown_ko = std::string(text.substr(split + 1));
  const Project& p = project();
  try {
    const std::vector<site::CaseFacts> facts{site::case_facts(page)};
    const site::SiteContext ctx{p.theme.strings(), p.flowchart,     p.methods,       facts,
                                p.estimators,      p.pdf_languages, p.repository_url};
    // Both languages' views; the template is rendered for one (mstch parses it on every call, which
    // would make it most of each run's time).
    p.theme.render("case", site::case_view(page, ctx, site::kEnglish));
    site::case_view(page, ctx, site::kKorean);
    site::index_view(ctx, site::kKorean);
  } catch (const casebook::InputError&) {
  }
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned seed) {
  return casebook::fuzz::mutate(data, size, max_size, seed, {"[", "](../x/case.md)"});
}
