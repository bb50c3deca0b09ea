#include "site/refuter_rates.hpp"

#include <cmath>

#include <fmt/format.h>

#include "site/json_access.hpp"

namespace casebook::site {
namespace {

using nlohmann::json;

// "12.5% ± 2.3% (200 runs)", or "" when the rate was never assessed.
std::string rate_text(const json& row, const json& summary) {
  const json& rate = required(row, "rejection_rate");
  const json& se = required(row, "monte_carlo_se");
  if (!rate.is_number() || !se.is_number()) return "";
  return fmt::format("{:.1f}% ± {:.1f}% ({} runs)", 100 * rate.get<double>(), 100 * se.get<double>(),
                     required(summary, "reps").dump());
}

const json* row_for(const json& summary, const std::string& refutation_id) {
  for (const json& row : required_array(summary, "refutations"))
    if (required_text(row, "id") == refutation_id) return &row;
  return nullptr;
}

std::string estimator_of(const json& results, const std::string& analysis) {
  for (const json& a : required_array(results, "analyses"))
    if (required_text(a, "id") == analysis) return required_text(a, "estimator");
  return "";
}

}  // namespace

std::vector<RefuterRate> refuter_rates(const json& results) {
  std::vector<RefuterRate> out;
  const json& rates = optional(results, "refuter_rates");
  if (!rates.is_object()) return out;
  const json& size = optional(rates, "size");
  for (const json& refutation : required_array(results, "refutations")) {
    RefuterRate r;
    r.refutation_id = required_text(refutation, "id");
    r.refuter = required_text(refutation, "name");
    r.analysis = required_text(refutation, "analysis");
    r.estimator = estimator_of(results, r.analysis);
    const json& level = required(refutation, "level");
    r.level = level.is_number() ? fmt::format("{:g}", level.get<double>()) : "tolerance";
    // The valid design's summary gives the size, and the power of refutations a claim expects to
    // fail on an analysis that is itself broken; the breaking cases' summaries give the power.
    std::vector<const json*> summaries;
    if (size.is_object()) summaries.push_back(&size);
    for (const json& power : required_array(rates, "power")) summaries.push_back(&power);
    for (const json* summary : summaries) {
      const json* row = row_for(*summary, r.refutation_id);
      if (!row) continue;
      const std::string text = rate_text(*row, *summary);
      if (text.empty()) continue;
      if (required_text(*row, "measures") == "size") {
        r.size = text;
      } else {
        if (!r.power.empty()) r.power += "; ";
        r.power += fmt::format("{} on {}", text, required_text(*summary, "case"));
      }
    }
    if (!r.size.empty() || !r.power.empty()) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace casebook::site
