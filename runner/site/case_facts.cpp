#include "site/case_facts.hpp"

#include <cmath>

#include "site/case_sections.hpp"
#include "site/format.hpp"
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

std::optional<double> finite_number(const nlohmann::json& value) {
  if (!value.is_number()) return std::nullopt;
  const double v = value.get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

}  // namespace

std::string primary_analysis_id(const nlohmann::json& meta, const nlohmann::json& results) {
  const std::string chosen = text_member(meta, "primary_analysis");
  if (!chosen.empty()) return chosen;
  const nlohmann::json& claims = member(meta, "claims");
  if (claims.is_array()) {
    for (const auto& claim : claims) {
      if (text_member(claim, "kind") == "ci_covers" && !text_member(claim, "analysis").empty())
        return text_member(claim, "analysis");
    }
  }
  const nlohmann::json& analyses = member(results, "analyses");
  if (!analyses.is_array() || analyses.empty()) return "";
  for (const auto& a : analyses)
    if (member(a, "truth").is_number()) return text_member(a, "id");
  return text_member(analyses.front(), "id");
}

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

  facts.organization_en = localized_text(member(page.meta, "organization"), "en");
  facts.organization_ko = localized_text(member(page.meta, "organization"), "ko");
  facts.domain_en = localized_text(member(page.meta, "domain"), "en");
  facts.domain_ko = localized_text(member(page.meta, "domain"), "ko");
  facts.summary_en = localized_text(member(page.meta, "summary"), "en");
  facts.summary_ko = localized_text(member(page.meta, "summary"), "ko");
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
  const nlohmann::json& flowchart = member(page.meta, "flowchart");
  if (flowchart.is_array()) {
    for (const auto& answer : flowchart) {
      if (answer.is_string()) facts.flowchart.push_back(answer.get<std::string>());
    }
  }
  facts.has_results = page.results.is_object();
  facts.claims = count_claims(page.results);

  facts.primary_id = primary_analysis_id(page.meta, page.results);
  const nlohmann::json& analyses = member(page.results, "analyses");
  if (analyses.is_array()) {
    for (const auto& a : analyses) {
      if (text_member(a, "id") != facts.primary_id) continue;
      facts.primary_label = analysis_label_text(a, "en");
      facts.primary_label_ko = analysis_label_text(a, "ko");
      facts.primary_estimand = text_member(a, "estimand");
      facts.primary_estimate = finite_number(member(a, "estimate"));
      facts.primary_low = finite_number(member(a, "ci_low"));
      facts.primary_high = finite_number(member(a, "ci_high"));
      facts.primary_truth = finite_number(member(a, "truth"));
    }
  }
  facts.primary_estimand_type = facts.primary_estimand;
  const nlohmann::json& estimands = member(page.meta, "estimands");
  if (estimands.is_array()) {
    for (const auto& e : estimands) {
      if (text_member(e, "id") == facts.primary_estimand)
        facts.primary_estimand_type = text_member(e, "type", facts.primary_estimand);
    }
  }
  const nlohmann::json& seed = member(member(page.results, "data"), "seed");
  if (seed.is_number_integer()) facts.seed = format_value(seed);
  const SectionHeading& question = summary_sections()[1];
  facts.question_en = first_paragraph(page.markdown_en, question);
  facts.question_ko =
      page.markdown_ko.empty() ? facts.question_en : first_paragraph(page.markdown_ko, question);
  if (facts.question_ko.empty()) facts.question_ko = facts.question_en;
  return facts;
}

}  // namespace casebook::site
