#pragma once
// What the index and a case page say about a case, read once from case.json and the results
// document with the fallbacks in one place.
#include <optional>
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
  std::string title_ko;                          // the English title when case.json has none
  std::string organization_en, organization_ko;  // the English text when case.json has no Korean
  std::string domain_en, domain_ko;
  std::string summary_en;
  std::string summary_ko;  // the English summary when case.json has none
  std::vector<std::string> methods;
  std::vector<SourceLink> sources;
  std::vector<std::string> flowchart;  // the flowchart answers that lead to this case's method
  ClaimCount claims;
  bool has_results = false;

  // The analysis the index compares with the truth (see primary_analysis_id).
  std::string primary_id;
  std::string primary_label, primary_label_ko;
  std::string primary_estimand;       // the estimand's id, e.g. "late"
  std::string primary_estimand_type;  // from case.json "estimands", e.g. "late"; else the id
  std::optional<double> primary_estimate, primary_low, primary_high, primary_truth;
  std::string seed;  // the seed of the last verified run, as text (seeds may exceed a double)
  // The first paragraph of the Question section, as markdown (ko: case.ko.md's, else en's).
  std::string question_en;
  std::string question_ko;

  const std::string& title(std::string_view lang) const { return lang == "ko" ? title_ko : title_en; }
  const std::string& summary(std::string_view lang) const { return lang == "ko" ? summary_ko : summary_en; }
  const std::string& organization(std::string_view lang) const {
    return lang == "ko" ? organization_ko : organization_en;
  }
  const std::string& domain(std::string_view lang) const { return lang == "ko" ? domain_ko : domain_en; }
};

CaseFacts case_facts(const CasePage& page);

// The analysis a case's headline rests on: case.json "primary_analysis" when set; else the
// first analysis a ci_covers claim checks; else the first with a truth; else the first.
std::string primary_analysis_id(const nlohmann::json& meta, const nlohmann::json& results);

}  // namespace casebook::site
