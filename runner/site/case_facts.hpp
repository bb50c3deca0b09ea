#pragma once
// What the index and a case page say about a case, read once from case.json and the results
// document with the fallbacks in one place.
#include <string>
#include <string_view>
#include <vector>

#include "site/site.hpp"

namespace casebook::site {

struct SourceLink {
  std::string title;
  std::string url;  // empty when case.json's url is not a safe http(s)/mailto link
};

struct ClaimCount {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  int total = 0;
};

struct CaseFacts {
  std::string id;
  std::string title_en;
  std::string title_ko;  // the English title when case.json has none
  std::string organization;
  std::string domain;
  std::string summary;
  std::vector<std::string> methods;
  std::vector<SourceLink> sources;
  ClaimCount claims;
  bool has_results = false;

  const std::string& title(std::string_view lang) const { return lang == "ko" ? title_ko : title_en; }
};

CaseFacts case_facts(const CasePage& page);

}  // namespace casebook::site
