#include "site/page_paths.hpp"

#include <algorithm>

namespace casebook::site {

const Language& other_language(const Language& language) {
  return language.code == kEnglish.code ? kKorean : kEnglish;
}

std::string index_page() { return "index.html"; }

std::string case_page(std::string_view case_id) { return "cases/" + std::string(case_id) + ".html"; }

std::string flowchart_page() { return "flowchart.html"; }

std::string methods_page() { return "methods/index.html"; }

std::string method_page(std::string_view method_id) { return "methods/" + std::string(method_id) + ".html"; }

std::string case_file(std::string_view case_id, std::string_view name) {
  return "cases/" + std::string(case_id) + "/" + std::string(name);
}

std::string case_pdf(std::string_view case_id, const Language& language) {
  return "cases/" + std::string(case_id) + "." + std::string(language.code) + ".pdf";
}

std::string page_file(const Language& language, std::string_view page) {
  return std::string(language.folder) + std::string(page);
}

std::string root_from(std::string_view file) {
  std::string root;
  for (auto depth = std::count(file.begin(), file.end(), '/'); depth > 0; --depth) root += "../";
  return root;
}

}  // namespace casebook::site
