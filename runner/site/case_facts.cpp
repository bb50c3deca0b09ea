#include "site/case_facts.hpp"

#include "site/html_text.hpp"
#include "site/json_access.hpp"

namespace casebook::site {
namespace {

int count_member(const nlohmann::json& summary, std::string_view key) {
  const nlohmann::json& value = member(summary, key);
  return value.is_number_integer() ? value.get<int>() : 0;
}

// The summary block when present; otherwise counted from the claims themselves.
ClaimCount count_claims(const nlohmann::json& results) {
  ClaimCount count;
  const nlohmann::json& summary = member(results, "summary");
  if (summary.is_object()) {
    count.passed = count_member(summary, "claims_passed");
    count.failed = count_member(summary, "claims_failed");
    count.skipped = count_member(summary, "claims_skipped");
    count.total = count_member(summary, "claims_total");
    return count;
  }
  const nlohmann::json& claims = member(results, "claims");
  if (!claims.is_array()) return count;
  for (const auto& claim : claims) {
    const nlohmann::json& pass = member(claim, "pass");
    if (pass.is_boolean())
      ++(pass.get<bool>() ? count.passed : count.failed);
    else
      ++count.skipped;
    ++count.total;
  }
  return count;
}

}  // namespace

CaseFacts case_facts(const CasePage& page) {
  CaseFacts facts;
  facts.id = page.id;
  // The title: case.json's {en, ko}, else the results document's, else the id.
  for (const nlohmann::json* source : {&page.meta, &page.results}) {
    const nlohmann::json& title = member(*source, "title");
    if (facts.title_en.empty())
      facts.title_en = title.is_string() ? title.get<std::string>() : text_member(title, "en");
    if (facts.title_ko.empty()) facts.title_ko = text_member(title, "ko");
  }
  if (facts.title_en.empty()) facts.title_en = page.id;
  if (facts.title_ko.empty()) facts.title_ko = facts.title_en;

  facts.organization = text_member(page.meta, "organization");
  facts.domain = text_member(page.meta, "domain");
  facts.summary = text_member(page.meta, "summary");
  const nlohmann::json& methods = member(page.meta, "methods");
  if (methods.is_array()) {
    for (const auto& method : methods) {
      if (method.is_string()) facts.methods.push_back(method.get<std::string>());
    }
  }
  const nlohmann::json& sources = member(page.meta, "sources");
  if (sources.is_array()) {
    for (const auto& source : sources) {
      const std::string url = text_member(source, "url");
      facts.sources.push_back({text_member(source, "title", url), is_safe_external_url(url) ? url : ""});
    }
  }
  facts.has_results = page.results.is_object();
  facts.claims = count_claims(page.results);
  return facts;
}

}  // namespace casebook::site
