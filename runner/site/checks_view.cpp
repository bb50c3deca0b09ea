#include "site/checks_view.hpp"

#include <string>

#include <fmt/format.h>

#include "site/figures_view.hpp"
#include "site/format.hpp"
#include "site/json_access.hpp"
#include "site/refuter_rates.hpp"

namespace casebook::site {
namespace {

using nlohmann::json;

std::string status_of(const json& pass) {
  if (!pass.is_boolean()) return "skipped";
  return pass.get<bool>() ? "pass" : "fail";
}

// An analysis's label by id, for tables that name analyses.
std::string analysis_label(const json& results, const std::string& id, std::string_view lang) {
  for (const json& a : required_array(results, "analyses"))
    if (required_text(a, "id") == id) return analysis_label_text(a, lang);
  return id;
}

// A refutation a claim expects to fail did what the design says when it failed: that is not
// shown as an alarm, and passing is (its claim fails).
std::string refutation_status(const json& refutation) {
  if (!required(refutation, "assessable").get<bool>()) return "not_assessable";
  const std::string status = status_of(required(refutation, "pass"));
  if (!required(refutation, "expected_to_fail").get<bool>()) return status;
  return status == "fail" ? "expected_fail" : "unexpected_pass";
}

// A Monte Carlo rate with its Monte Carlo error: "95.0% ± 1.5%".
std::string rate_with_se(const json& rate, const json& se) {
  if (!rate.is_number()) return kMissing;
  if (!se.is_number()) return fmt::format("{:.1f}%", 100 * rate.get<double>());
  return fmt::format("{:.1f}% ± {:.1f}%", 100 * rate.get<double>(), 100 * se.get<double>());
}

// "[91.2%, 97.3%]" from [low, high] shares.
std::string percent_interval(const json& interval) {
  if (!interval.is_array() || interval.size() != 2 || !interval[0].is_number() || !interval[1].is_number())
    return kMissing;
  return fmt::format("[{:.1f}%, {:.1f}%]", 100 * interval[0].get<double>(), 100 * interval[1].get<double>());
}

// Names, joined ("" when `names` is not an array).
std::string joined(const json& names, std::string_view separator) {
  std::string out;
  if (!names.is_array()) return out;
  for (const json& name : names) {
    if (!out.empty()) out += separator;
    out += format_value(name);
  }
  return out;
}

}  // namespace

mstch::array identification_rows(const json& results, const UiStrings& strings, std::string_view lang) {
  mstch::array rows;
  for (const json& a : required_array(results, "analyses")) {
    const json& identification = required(a, "identification");
    const std::string id = required_text(a, "id");
    const std::string status = status_of(required(identification, "valid"));
    rows.push_back(mstch::map{
        {"id", id},
        {"label", analysis_label_text(a, lang)},
        {"criterion", required_text(identification, "criterion")},
        {"graph", required_text(identification, "graph")},
        {"status", status},
        {"status_label", strings.get(lang, "identified_" + status)},
        {"reason", localized_text(required(identification, "reason"), lang)},
        {"open_path", joined(required(identification, "open_path"), " \u2014 ")},
        // The names the graph's selector highlights (site/graph.js), space-separated.
        {"treatment", joined(required(identification, "treatment"), " ")},
        {"outcome", joined(required(identification, "outcome"), " ")},
        {"instruments", joined(required(identification, "instruments"), " ")},
        {"adjusted", joined(required(identification, "adjustment_set"), " ")},
        {"mediators", joined(optional(identification, "mediators"), " ")},  // front door only
        {"path", joined(required(identification, "open_path"), " ")},
        {"conditioned_on", joined(required(identification, "adjustment_set"), ", ")},
    });
  }
  return rows;
}

mstch::array refutation_rows(const json& results, const UiStrings& strings, std::string_view lang) {
  mstch::array rows;
  const std::vector<RefuterRate> rates = refuter_rates(results);
  for (const json& r : required_array(results, "refutations")) {
    const std::string status = refutation_status(r);
    const std::string analysis = required_text(r, "analysis");
    const std::string id = required_text(r, "id");
    std::string size, power;
    for (const RefuterRate& rate : rates) {
      if (rate.refutation_id != id) continue;
      size = rate.size;
      power = rate.power;
    }
    rows.push_back(mstch::map{
        {"size", size.empty() ? std::string(kMissing) : size},
        {"power", power.empty() ? std::string(kMissing) : power},
        {"name", required_text(r, "name")},
        {"analysis", analysis_label(results, analysis, lang)},
        {"estimate", format_value(required(r, "estimate"))},
        {"status", status},
        {"status_label", strings.get(lang, "status_" + status)},
        {"rule", localized_text(required(r, "rule"), lang)},
        {"reading", localized_text(required(r, "reading"), lang)},
    });
  }
  return rows;
}

mstch::node monte_carlo_view(const json& results, const UiStrings& strings, std::string_view lang) {
  const json& mc = optional(results, "monte_carlo");
  if (mc.is_null()) return false;
  mstch::array analyses;
  for (const json& a : required_array(mc, "analyses")) {
    const std::string id = required_text(a, "id");
    analyses.push_back(mstch::map{
        {"id", id},
        {"label", analysis_label(results, id, lang)},
        {"mean_estimate", format_value(required(a, "mean_estimate"))},
        {"bias", format_value(required(a, "bias"))},
        {"rmse", format_value(required(a, "rmse"))},
        {"coverage", rate_with_se(required(a, "coverage"), required(a, "coverage_se"))},
        {"coverage_interval", percent_interval(required(a, "coverage_interval"))},
        {"mean_se", format_value(required(a, "mean_se"))},
        {"sd_estimate", format_value(required(a, "sd_estimate"))},
    });
  }
  mstch::array claims;
  for (const json& c : required_array(mc, "claims")) {
    const std::string id = required_text(c, "id");
    std::string text;
    for (const json& claim : required_array(results, "claims"))
      if (required_text(claim, "id") == id) text = claim_text(claim, lang);
    // A claim never checked says why (refutations left out of the replications, say).
    const std::string skip_phrase = optional_text(c, "skip_phrase");
    const json& rate = required(c, "pass_rate");
    claims.push_back(mstch::map{
        {"id", id},
        {"text", text},
        {"pass_rate", rate_with_se(rate, required(c, "pass_rate_se"))},
        {"skip_reason", rate.is_number() || skip_phrase.empty() ? std::string()
                                                                : strings.get(lang, "skip_" + skip_phrase)}});
  }
  const bool has_claims = !claims.empty();
  return mstch::map{{"reps", format_value(required(mc, "reps"))},
                    {"seed", format_value(required(mc, "seed"))},
                    {"n", format_value(required(mc, "n"))},
                    {"analyses", std::move(analyses)},
                    {"claims", std::move(claims)},
                    {"has_claims", has_claims}};
}

}  // namespace casebook::site
