// "The analysis is (or is not) identified on the true graph, or on the graph the analyst assumed."
#include <fmt/format.h>

#include "cases/claim_kind.hpp"
#include "core/input_error.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

using namespace claim_parts;

void parse(const JsonCursor& claim, const Case& c, ClaimSpec& spec) {
  spec.analysis = analysis_of(claim, c);
  spec.identified = claim.at("valid").boolean();
  spec.graph = optional_string(claim, "graph", "true");
  if (spec.graph != "true" && spec.graph != "assumed")
    claim.at("graph").fail(fmt::format("unknown graph '{}' (known: true, assumed)", spec.graph));
  if (spec.graph == "assumed" && !c.assumed_graph)
    claim.at("graph").fail("the case declares no assumed_graph");
}

ClaimResult check(const ClaimSpec& claim, const ClaimInputs& in) {
  ClaimResult r;
  r.spec = &claim;
  r.expected =
      fmt::format("{} on the {} graph", claim.identified ? "identified" : "not identified", claim.graph);
  const auto& identification = in.analysis.identification;
  if (!identification)
    throw InputError(
        fmt::format("claims '{}': analysis '{}' has no identification verdict", claim.id, claim.analysis));
  const auto& verdict =
      claim.graph == "assumed" ? identification->on_assumed : std::optional(identification->on_true);
  if (!verdict) throw InputError(fmt::format("claims '{}': the case declares no assumed_graph", claim.id));
  r.pass = verdict->valid == claim.identified;
  r.expected += fmt::format(" ({} criterion); found {}{}", to_string(verdict->criterion),
                            verdict->valid ? "identified" : "not identified",
                            verdict->open_path_text.empty() ? "" : ": " + verdict->open_path_text);
  r.statement = {
      "identification",
      {},
      {{"criterion", std::string(to_string(verdict->criterion))}, {"path", verdict->open_path_text}},
      {{"claimed", claim.identified ? "identified" : "not_identified"},
       {"graph", "graph_" + claim.graph},
       {"found", verdict->valid ? "identified" : "not_identified"},
       {"open_path", verdict->open_path_text.empty() ? "no_open_path" : "open_path"}}};
  return r;
}

}  // namespace

ClaimKindInfo identification_claim_kind() {
  return {ClaimKind::identification,
          "identification",
          {"analysis", "valid", "graph"},
          parse,
          check,
          R"({"required": ["analysis", "valid"]})"};
}

}  // namespace casebook
