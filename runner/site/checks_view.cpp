#include "site/checks_view.hpp"

#include <string>

#include "site/figures_view.hpp"
#include "site/format.hpp"
#include "site/json_access.hpp"

namespace casebook::site {
namespace {

using nlohmann::json;

std::string status_of(const json& pass) {
  if (!pass.is_boolean()) return "skipped";
  return pass.get<bool>() ? "pass" : "fail";
}

// An analysis's label by id, for tables that name analyses.
std::string analysis_label(const json& results, const std::string& id, std::string_view lang) {
  for (const json& a : array_member(results, "analyses"))
    if (text_member(a, "id") == id) return analysis_label_text(a, lang);
  return id;
}

std::string percent(const json& rate) {
  if (!rate.is_number()) return kMissing;
  return format_number(rate.get<double>() * 100, 3) + "%";
}

}  // namespace

mstch::array identification_rows(const json& results, const UiStrings& strings, std::string_view lang) {
  mstch::array rows;
  for (const json& a : array_member(results, "analyses")) {
    const json& identification = member(a, "identification");
    if (!identification.is_object()) continue;
    const std::string id = text_member(a, "id");
    std::string path;
    for (const json& node : array_member(identification, "open_path")) {
      if (!path.empty()) path += " \u2014 ";
      path += format_value(node);
    }
    const std::string status = status_of(member(identification, "valid"));
    rows.push_back(mstch::map{
        {"id", id},
        {"label", analysis_label_text(a, lang)},
        {"criterion", text_member(identification, "criterion", kMissing)},
        {"graph", text_member(identification, "graph")},
        {"status", status},
        {"status_label", strings.get(lang, "identified_" + status)},
        {"reason", localized_text(member(identification, "reason"), lang)},
        {"open_path", path},
        {"svg", inline_svg(text_member(identification, "svg"), strings.get(lang, "graph_alt") + ": " + id)},
    });
  }
  return rows;
}

mstch::array refutation_rows(const json& results, const UiStrings& strings, std::string_view lang) {
  mstch::array rows;
  for (const json& r : array_member(results, "refutations")) {
    const std::string status = status_of(member(r, "pass"));
    const std::string analysis = text_member(r, "analysis");
    rows.push_back(mstch::map{
        {"name", text_member(r, "name", kMissing)},
        {"analysis", analysis_label(results, analysis, lang)},
        {"estimate", format_value(member(r, "estimate"))},
        {"status", status},
        {"status_label", strings.get(lang, "status_" + status)},
        {"rule", localized_text(member(r, "rule"), lang)},
        {"reading", localized_text(member(r, "reading"), lang)},
    });
  }
  return rows;
}

mstch::node monte_carlo_view(const json& results, std::string_view lang) {
  const json& mc = member(results, "monte_carlo");
  if (!mc.is_object()) return false;
  mstch::array analyses;
  for (const json& a : array_member(mc, "analyses")) {
    const std::string id = text_member(a, "id");
    analyses.push_back(mstch::map{
        {"id", id},
        {"label", analysis_label(results, id, lang)},
        {"mean_estimate", format_value(member(a, "mean_estimate"))},
        {"bias", format_value(member(a, "bias"))},
        {"rmse", format_value(member(a, "rmse"))},
        {"coverage", percent(member(a, "coverage"))},
        {"mean_se", format_value(member(a, "mean_se"))},
        {"sd_estimate", format_value(member(a, "sd_estimate"))},
    });
  }
  mstch::array claims;
  for (const json& c : array_member(mc, "claims")) {
    const std::string id = text_member(c, "id");
    std::string text;
    for (const json& claim : array_member(results, "claims"))
      if (text_member(claim, "id") == id) text = claim_text(claim, lang);
    claims.push_back(mstch::map{{"id", id}, {"text", text}, {"pass_rate", percent(member(c, "pass_rate"))}});
  }
  const bool has_claims = !claims.empty();
  return mstch::map{{"reps", format_value(member(mc, "reps"))},
                    {"seed", format_value(member(mc, "seed"))},
                    {"n", format_value(member(mc, "n"))},
                    {"analyses", std::move(analyses)},
                    {"claims", std::move(claims)},
                    {"has_claims", has_claims}};
}

}  // namespace casebook::site
