#pragma once
// Where each page lives and how pages link to each other. Every link is relative, so the
// site works from file:// and from any folder it is copied to.
#include <array>
#include <string>
#include <string_view>

namespace casebook::site {

struct Language {
  std::string_view code;    // the html lang attribute and the key in strings.json
  std::string_view folder;  // "" for English at the root, "ko/" for Korean
};

inline constexpr Language kEnglish{"en", ""};
inline constexpr Language kKorean{"ko", "ko/"};
inline constexpr std::array<Language, 2> kLanguages{kEnglish, kKorean};

// The language a page's switch link leads to.
const Language& other_language(const Language& language);

// A page's place in the site, the same in every language: "index.html", "cases/<id>.html".
std::string index_page();
std::string case_page(std::string_view case_id);
std::string flowchart_page();                         // "flowchart.html"
std::string methods_page();                           // "methods/index.html"
std::string method_page(std::string_view method_id);  // "methods/<id>.html"
// A case page printed to PDF, beside the page: "cases/<id>.<lang>.pdf".
std::string case_pdf(std::string_view case_id, const Language& language);

// A file published with a case, the same for every language: "cases/<id>/<name>".
std::string case_file(std::string_view case_id, std::string_view name);
// The file of `page` in `language`, relative to the site root: "ko/cases/x.html".
std::string page_file(const Language& language, std::string_view page);

// The way from a file back to the site root: "" for "index.html", "../../" for "ko/cases/x.html".
std::string root_from(std::string_view file);

}  // namespace casebook::site
