#include "site/case_facts.hpp"

#include <cmath>

#include "site/case_sections.hpp"
#include "site/format.hpp"
#include "site/html_text.hpp"
#include "site/json_access.hpp"

namespace casebook::site {
namespace {

ClaimCount count_claims(const nlohmann::json& summary) {
  auto count = [&](std::string_view key) {
    const nlohmann::json& value = required(summary, key);
    return value.is_number_integer() ? value.get<int>() : 0;
  };
  return {count("claims_passed"), count("claims_failed"), count("claims_skipped"), count("claims_total")};
}

std::optional<double> finite_number(const nlohmann::json& value) {
  if (!value.is_number()) return std::nullopt;
  const double v = value.get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::vector<std::string> strings(const nlohmann::json& array) {
  std::vector<std::string> out;
  for (const auto& item : array)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

}  // namespace

CaseFacts case_facts(const CasePage& page) {
  CaseFacts facts;
  facts.id = page.id;
  const SectionHeading& question = summary_sections()[1];
  facts.question_en = first_paragraph(page.markdown_en, question);
  facts.question_ko =
      page.markdown_ko.empty() ? facts.question_en : first_paragraph(page.markdown_ko, question);
  if (facts.question_ko.empty()) facts.question_ko = facts.question_en;
  facts.has_results = page.results.is_object();
  if (!facts.has_results) {  // a page without results shows its id and text only
    facts.title_en = facts.title_ko = page.id;
    return facts;
  }

  const nlohmann::json& results = page.results;
  const nlohmann::json& title = required(results, "title");
  facts.title_en = localized_text(title, "en");
  facts.title_ko = localized_text(title, "ko");
  const nlohmann::json& meta = required(results, "meta");
  facts.organization_en = localized_text(required(meta, "organization"), "en");
  facts.organization_ko = localized_text(required(meta, "organization"), "ko");
  facts.domain_en = localized_text(required(meta, "domain"), "en");
  facts.domain_ko = localized_text(required(meta, "domain"), "ko");
  if (const nlohmann::json& summary = optional(meta, "summary"); !summary.is_null()) {
    facts.summary_en = localized_text(summary, "en");
    facts.summary_ko = localized_text(summary, "ko");
  }
  facts.methods = strings(required_array(meta, "methods"));
  for (const auto& source : required_array(meta, "sources")) {
    const std::string url = required_text(source, "url");
    facts.sources.push_back({required_text(source, "title"), is_safe_external_url(url) ? url : ""});
  }
  facts.flowchart = strings(required_array(meta, "flowchart"));
  facts.claims = count_claims(required(results, "summary"));

  facts.primary_id = required_text(results, "primary_analysis");
  for (const auto& a : required_array(results, "analyses")) {
    if (required_text(a, "id") != facts.primary_id) continue;
    facts.primary_label = analysis_label_text(a, "en");
    facts.primary_label_ko = analysis_label_text(a, "ko");
    facts.primary_estimand = required_text(a, "estimand");
    facts.primary_estimate = finite_number(required(a, "estimate"));
    facts.primary_low = finite_number(required(a, "ci_low"));
    facts.primary_high = finite_number(required(a, "ci_high"));
    facts.primary_truth = finite_number(required(a, "truth"));
  }
  facts.primary_estimand_type = facts.primary_estimand;
  for (const auto& e : required_array(meta, "estimands"))
    if (required_text(e, "id") == facts.primary_estimand)
      facts.primary_estimand_type = required_text(e, "type");
  facts.refuter_rates = refuter_rates(results);
  return facts;
}

}  // namespace casebook::site
