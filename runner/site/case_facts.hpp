#pragma once
// What the index and a case page say about a case, read once from its results document (the
// case's metadata, its headline analysis and claim tally) and its markdown.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "site/refuter_rates.hpp"
#include "site/site.hpp"

namespace casebook::site {

struct SourceLink {
  std::string title;
  std::string url;  // empty when the url is not a safe http(s)/mailto link
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
  std::string title_ko;                          // the English title when the case has none
  std::string organization_en, organization_ko;  // the English text when the case has no Korean
  std::string domain_en, domain_ko;
  std::string summary_en;
  std::string summary_ko;  // the English summary when the case has none; both empty without one
  std::vector<std::string> methods;
  std::vector<SourceLink> sources;
  std::vector<std::string> flowchart;  // the flowchart answers that lead to this case's method
  ClaimCount claims;
  bool has_results = false;

  // The analysis the index compares with the truth (results "primary_analysis").
  std::string primary_id;
  std::string primary_label, primary_label_ko;
  std::string primary_estimand;       // the estimand's id, e.g. "late"
  std::string primary_estimand_type;  // from results "meta"."estimands", e.g. "late"; else the id
  std::optional<double> primary_estimate, primary_low, primary_high, primary_truth;
  // The first paragraph of the Question section, as markdown (ko: case.ko.md's, else en's).
  std::string question_en;
  std::string question_ko;
  // The refutations' measured size and power, for the method pages.
  std::vector<RefuterRate> refuter_rates;

  const std::string& title(std::string_view lang) const { return lang == "ko" ? title_ko : title_en; }
  const std::string& summary(std::string_view lang) const { return lang == "ko" ? summary_ko : summary_en; }
  const std::string& organization(std::string_view lang) const {
    return lang == "ko" ? organization_ko : organization_en;
  }
  const std::string& domain(std::string_view lang) const { return lang == "ko" ? domain_ko : domain_en; }
};

// Throws MissingResultKey (site/json_access.hpp) when the results lack a key they must have.
CaseFacts case_facts(const CasePage& page);

}  // namespace casebook::site
