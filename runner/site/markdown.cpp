// markdown_to_html: cmark-gfm with the GitHub extensions, safe mode, and math kept intact.
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "site/math.hpp"
#include "site/site.hpp"

namespace casebook {
namespace {

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct CharDeleter {
  void operator()(char* s) const { std::free(s); }  // cmark allocates its output with malloc
};

// Without CMARK_OPT_UNSAFE (never set here) cmark replaces raw HTML with a comment and empties
// javascript:, vbscript:, file: and data: link targets. VALIDATE_UTF8 replaces broken bytes.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

std::string render_gfm(const std::string& markdown) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });

  const std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(kOptions));
  for (const char* name : {"table", "autolink", "strikethrough"}) {
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), extension);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  const std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
  const std::unique_ptr<char, CharDeleter> html(
      cmark_render_html(document.get(), kOptions, cmark_parser_get_syntax_extensions(parser.get())));
  return html ? std::string(html.get()) : std::string();
}

// Each table in a scrolling wrapper, as the site's own tables are: a table wider than a phone
// scrolls on its own instead of widening the page. Raw HTML is never passed through, so every
// "<table>" here is one cmark made.
std::string wrap_tables(std::string html) {
  for (const auto& [tag, wrapped] :
       {std::pair<std::string_view, std::string_view>{"<table>", "<div class=\"table-wrap\"><table>"},
        {"</table>", "</table></div>"}}) {
    for (auto at = html.find(tag); at != std::string::npos; at = html.find(tag, at + wrapped.size()))
      html.replace(at, tag.size(), wrapped);
  }
  return html;
}

}  // namespace

std::string markdown_to_html(std::string_view markdown) {
  const site::MathCut cut = site::cut_math(markdown);
  return site::restore_math(wrap_tables(render_gfm(cut.text)), cut);
}

}  // namespace casebook
