#include "broken_cases.hpp"

#include <fstream>
#include <sstream>

#include "core/json_cursor.hpp"

namespace casebook::testing {

nlohmann::json template_case(const std::string& id) {
  std::ifstream in(std::string(CASEBOOK_FIXTURES) + "/../../templates/case.json");
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  s.replace(s.find("{{id}}"), 6, id);
  return nlohmann::json::parse(s);
}

const std::vector<BrokenCase>& broken_cases() {
  using J = nlohmann::json;
  static const std::vector<BrokenCase> cases{
      {"missing id", [](J& j) { j.erase("id"); }, "missing required field 'id'", true},
      {"id with path", [](J& j) { j["id"] = "../etc"; }, "id: '../etc' is not a valid case id", true},
      {"title not an object", [](J& j) { j["title"] = "x"; }, "title: expected an object", true},
      {"unknown top-level field", [](J& j) { j["analysis"] = J::array(); }, "unknown field 'analysis'", true},
      {"summary without English",
       [](J& j) {
         j["summary"] = {{"ko", "요약"}};
       },
       "summary: missing required field 'en'", true},
      {"claim text in an unknown language",
       [](J& j) {
         j["claims"][0]["text"] = {{"en", "t"}, {"fr", "t"}};
       },
       "claims[0].text: unknown field 'fr'", true},
      {"claim text a number", [](J& j) { j["claims"][0]["text"] = 3; }, "claims[0].text: expected an object",
       true},
      {"analysis label without English",
       [](J& j) {
         j["analyses"][0]["label"] = {{"ko", "분석"}};
       },
       "analyses[0].label: missing required field 'en'", true},
      {"n zero", [](J& j) { j["simulation"]["n"] = 0; }, "simulation.n: n must be at least 2", true},
      {"n as text", [](J& j) { j["simulation"]["n"] = "100"; },
       "simulation.n: expected a non-negative whole number", true},
      {"no variables", [](J& j) { j["simulation"]["variables"] = J::array(); }, "simulation.variables", true},
      {"unknown role", [](J& j) { j["simulation"]["variables"][1]["role"] = "treatmnt"; },
       "variables[1].role", true},
      {"bad variable name", [](J& j) { j["simulation"]["variables"][0]["name"] = "2x"; }, "variables[0].name",
       true},
      {"expr not a string", [](J& j) { j["simulation"]["variables"][0]["expr"] = 1; },
       "variables[0].expr: expected a string", true},
      {"unknown estimand type", [](J& j) { j["estimands"][0]["type"] = "atx"; }, "estimands[0].type", true},
      {"monte carlo reps of 10^12",
       [](J& j) {
         j["monte_carlo"] = {{"reps", 1000000000000}};
       },
       "monte_carlo.reps: reps must be at most 10000000", true},
      {"bootstrap reps of 10^9",
       [](J& j) {
         j["analyses"][0]["bootstrap"] = {{"reps", 1000000000}};
       },
       "analyses[0].bootstrap.reps: reps must be at most 10000000", true},
      {"refutation reps of 10^9",
       [](J& j) {
         j["refutations"] = {{{"refuter", "data-subsets"}, {"analysis", "diff"}, {"reps", 1000000000}}};
       },
       "refutations[0].reps: reps must be at most 10000000", true},
      {"variable name of 100,000 characters",
       [](J& j) { j["simulation"]["variables"][0]["name"] = std::string(100000, 'x'); },
       "is not a valid variable name", true},
      {"variable name of 65 characters",
       [](J& j) { j["simulation"]["variables"][0]["name"] = std::string(65, 'x'); }, "at most 64 characters",
       true},
      {"late without instrument", [](J& j) { j["estimands"][0]["type"] = "late"; },
       "estimands[0]: missing required field 'instrument'", true},
      {"ci_covers of a LATE by an analysis without an instrument",
       [](J& j) {
         j["estimands"][0]["type"] = "late";
         j["estimands"][0]["instrument"] = "x";
       },
       "claims[0].analysis: analysis 'diff' (difference-in-means) cannot identify the LATE 'ate'", false},
      {"rd without running variable", [](J& j) { j["estimands"][0]["type"] = "rd"; },
       "estimands[0]: missing required field 'running'", true},
      {"cutoff on an ate", [](J& j) { j["estimands"][0]["cutoff"] = 0; },
       "estimands[0].cutoff: only an rd estimand takes a running variable and a cutoff", true},
      {"qte without quantile", [](J& j) { j["estimands"][0]["type"] = "qte"; },
       "estimands[0]: missing required field 'quantile'", true},
      {"qte at quantile 1",
       [](J& j) {
         j["estimands"][0]["type"] = "qte";
         j["estimands"][0]["quantile"] = 1;
       },
       "estimands[0].quantile: 1 is not in (0, 1)", true},
      {"quantile on an ate", [](J& j) { j["estimands"][0]["quantile"] = 0.5; },
       "estimands[0].quantile: only a qte estimand takes a quantile", true},
      {"acme without mediator", [](J& j) { j["estimands"][0]["type"] = "acme"; },
       "estimands[0]: missing required field 'mediator'", true},
      {"mediator on an ate", [](J& j) { j["estimands"][0]["mediator"] = "x"; },
       "estimands[0].mediator: only an acme estimand takes a mediator", true},
      {"acme through the outcome",
       [](J& j) {
         j["estimands"][0]["type"] = "acme";
         j["estimands"][0]["mediator"] = "y";
       },
       "estimands[0].mediator: 'y' is the outcome; the mediator lies between them", false},
      {"AR claim on an analysis without an AR set",
       [](J& j) {
         j["claims"][0] = {
             {"id", "ar"}, {"text", "t"}, {"kind", "anderson_rubin_covers"}, {"analysis", "diff"}};
       },
       "claims[0].analysis: analysis 'diff' reports no Anderson–Rubin set", false},
      {"analysis without estimator", [](J& j) { j["analyses"][0].erase("estimator"); },
       "analyses[0]: missing required field 'estimator'", true},
      {"unknown se type", [](J& j) { j["analyses"][1]["se"] = "hc9"; }, "analyses[1].se", true},
      {"confidence level above 1", [](J& j) { j["analyses"][0]["confidence_level"] = 1.5; },
       "analyses[0].confidence_level", true},
      {"unknown claim kind", [](J& j) { j["claims"][0]["kind"] = "covers"; }, "claims[0].kind", true},
      {"within without tolerance",
       [](J& j) {
         j["claims"][0] = {
             {"id", "w"}, {"text", "t"}, {"kind", "estimate"}, {"analysis", "diff"}, {"relation", "within"}};
       },
       "claims[0]: a 'within' claim needs a tolerance", true},
      {"negative tolerance",
       [](J& j) {
         j["claims"][0] = {{"id", "w"},          {"text", "t"},          {"kind", "estimate"},
                           {"analysis", "diff"}, {"relation", "within"}, {"tolerance", -1}};
       },
       "claims[0]: tolerances must be >= 0", true},
      {"diagnostic relation within",
       [](J& j) {
         j["claims"][0] = {{"id", "d"},           {"text", "t"},        {"kind", "diagnostic"},
                           {"analysis", "ols"},   {"diagnostic", "r2"}, {"threshold", 0.1},
                           {"relation", "within"}};
       },
       "claims[0].relation", true},
      {"comparison without other",
       [](J& j) {
         j["claims"][0] = {
             {"id", "c"}, {"text", "t"}, {"kind", "comparison"}, {"analysis", "ols"}, {"relation", "above"}};
       },
       "claims[0]: missing required field 'other'", true},
      {"covers with relation", [](J& j) { j["claims"][0]["relation"] = "above"; }, "claims[0].relation",
       true},
      {"tolerance on an above claim",
       [](J& j) {
         j["claims"][0] = {{"id", "w"},          {"text", "t"},         {"kind", "estimate"},
                           {"analysis", "diff"}, {"relation", "above"}, {"tolerance", 1}};
       },
       "claims[0].tolerance: only a 'within' claim takes a tolerance", true},
      {"a comparison of se closer to the truth",
       [](J& j) {
         j["claims"][0] = {
             {"id", "c"},       {"text", "t"},      {"kind", "comparison"},         {"analysis", "ols"},
             {"other", "diff"}, {"quantity", "se"}, {"relation", "closer_to_truth"}};
       },
       "claims[0].relation: a comparison claim's relation is one of above, below", true},
      {"a comparison of an unknown quantity",
       [](J& j) {
         j["claims"][0] = {{"id", "c"},       {"text", "t"},     {"kind", "comparison"}, {"analysis", "ols"},
                           {"other", "diff"}, {"quantity", "p"}, {"relation", "above"}};
       },
       "claims[0].quantity: unknown quantity 'p' (known: estimate, se, ci_width)", true},
      {"a field of another claim kind", [](J& j) { j["claims"][0]["valid"] = true; },
       "claims[0].valid: a ci_covers claim takes no field 'valid' (it takes: id, text, kind, published, "
       "analysis, "
       "reference)",
       true},
      {"latent and observed",
       [](J& j) {
         j["simulation"]["variables"][0]["role"] = "latent";
         j["simulation"]["variables"][0]["observed"] = true;
       },
       "variables[0].observed", true},
      {"zero bootstrap reps",
       [](J& j) {
         j["analyses"][0]["bootstrap"] = {{"reps", 0}};
       },
       "analyses[0].bootstrap.reps", true},
      {"bootstrap without reps",
       [](J& j) {
         j["analyses"][0]["bootstrap"] = {{"cluster", "x"}};
       },
       "analyses[0].bootstrap: missing required field 'reps'", true},
      {"unknown bootstrap field",
       [](J& j) {
         j["analyses"][0]["bootstrap"] = {{"reps", 100}, {"seeds", 1}};
       },
       "analyses[0].bootstrap: unknown field 'seeds'", true},
      {"n and units",
       [](J& j) {
         j["simulation"]["units"] = 10;
         j["simulation"]["periods"] = 4;
       },
       "simulation.n: give either n", true},
      {"units without periods",
       [](J& j) {
         j["simulation"].erase("n");
         j["simulation"]["units"] = 10;
       },
       "simulation: missing required field 'periods'", true},
      {"one period",
       [](J& j) {
         j["simulation"].erase("n");
         j["simulation"]["units"] = 10;
         j["simulation"]["periods"] = 1;
       },
       "simulation.periods: periods must be at least 2", true},
      {"unknown variable level",
       [](J& j) {
         j["simulation"].erase("n");
         j["simulation"]["units"] = 10;
         j["simulation"]["periods"] = 3;
         j["simulation"]["variables"][0]["level"] = "period";
       },
       "variables[0].level: unknown level 'period'", true},
      {"level in a cross-section", [](J& j) { j["simulation"]["variables"][0]["level"] = "unit"; },
       "variables[0].level: level (unit or unit-period) applies to panels only", false},
      {"zero monte carlo reps",
       [](J& j) {
         j["monte_carlo"] = {{"reps", 0}};
       },
       "monte_carlo.reps", true},
      // References between fields: only the loader sees these.
      {"unknown estimator", [](J& j) { j["analyses"][0]["estimator"] = "olz"; },
       "analyses[0].estimator: unknown estimator 'olz'", false},
      {"unknown covariate", [](J& j) { j["analyses"][1]["covariates"] = {"nope"}; },
       "analyses[1].covariates[0]: 'nope' is not a variable", false},
      {"latent covariate", [](J& j) { j["simulation"]["variables"][0]["role"] = "latent"; },
       "analyses[1].covariates[0]: 'x' is latent", false},
      {"claim on unknown analysis", [](J& j) { j["claims"][0]["analysis"] = "nope"; },
       "claims[0].analysis: no analysis with id 'nope'", false},
      {"duplicate analysis id", [](J& j) { j["analyses"][1]["id"] = "diff"; },
       "analyses[1].id: duplicate id 'diff'", false},
      {"id differs from folder", [](J& j) { j["id"] = "another-case"; }, "differs from the folder name",
       false},
      {"estimand on unknown variable", [](J& j) { j["estimands"][0]["outcome"] = "revenue"; },
       "estimands[0].outcome: 'revenue' is not a variable", false},
      {"unknown estimand", [](J& j) { j["analyses"][0]["estimand"] = "att"; },
       "analyses[0].estimand: no estimand with id 'att'", false},
      {"primary analysis unknown", [](J& j) { j["primary_analysis"] = "nope"; },
       "primary_analysis: no analysis with id 'nope' (known: diff, ols)", false},
      {"primary analysis not a string", [](J& j) { j["primary_analysis"] = 1; },
       "primary_analysis: expected a string", true},
      // Causal graphs and identification.
      {"unknown identification criterion", [](J& j) { j["analyses"][0]["identification"] = "front-door"; },
       "analyses[0].identification: unknown identification criterion 'front-door'", true},
      {"mediators without the front door", [](J& j) { j["analyses"][0]["mediators"] = {"x"}; },
       "analyses[0].mediators: mediators are only used", true},
      {"identification claim without valid",
       [](J& j) {
         j["claims"][0] = {{"id", "i"}, {"text", "t"}, {"kind", "identification"}, {"analysis", "diff"}};
       },
       "claims[0]: missing required field 'valid'", true},
      {"assumed graph edge not a pair",
       [](J& j) {
         j["assumed_graph"] = {{"edges", J::array({J::array({"x"})})}};
       },
       "assumed_graph.edges[0]: an edge is a pair", true},
      {"assumed graph with a cycle",
       [](J& j) {
         j["assumed_graph"] = {
             {"edges", J::array({J::array({"x", "t"}), J::array({"t", "y"}), J::array({"y", "x"})})}};
       },
       "assumed_graph.edges: the graph has a cycle: x -> t -> y -> x", false},
      {"assumed graph on an unknown variable",
       [](J& j) {
         j["assumed_graph"] = {{"edges", J::array({J::array({"q", "y"})})}};
       },
       "assumed_graph.edges[0]: 'q' is not a variable of the simulation", false},
      {"identification claim on an undeclared assumed graph",
       [](J& j) {
         j["claims"][0] = {{"id", "i"},          {"text", "t"},   {"kind", "identification"},
                           {"analysis", "diff"}, {"valid", true}, {"graph", "assumed"}};
       },
       "claims[0].graph: the case declares no assumed_graph", false},
      // Refutations (runner/refute).
      {"unknown refuter",
       [](J& j) {
         j["refutations"] = J::array({{{"refuter", "placebo"}, {"analysis", "diff"}}});
       },
       "refutations[0].refuter: unknown refuter 'placebo'", true},
      {"refutation with one rep",
       [](J& j) {
         j["refutations"] = J::array({{{"refuter", "placebo-treatment"}, {"analysis", "diff"}, {"reps", 1}}});
       },
       "refutations[0].reps: reps must be at least 2", true},
      {"refutation of an unknown analysis",
       [](J& j) {
         j["refutations"] = J::array({{{"refuter", "placebo-treatment"}, {"analysis", "nope"}}});
       },
       "refutations[0].analysis: no analysis with id 'nope'", false},
      {"unknown refuter option",
       [](J& j) {
         j["refutations"] = J::array(
             {{{"refuter", "placebo-treatment"}, {"analysis", "diff"}, {"options", {{"fraction", 0.5}}}}});
       },
       "refutations[0].options.fraction: refuter placebo-treatment: option 'fraction' is not known (known: "
       "cluster)",
       false},
      {"refuter option of the wrong type",
       [](J& j) {
         j["refutations"] = J::array(
             {{{"refuter", "data-subsets"}, {"analysis", "diff"}, {"options", {{"fraction", "most"}}}}});
       },
       "refutations[0].options.fraction: refuter data-subsets: option 'fraction' must be a number strictly "
       "between 0 and 1, got 'most'",
       false},
      {"claim on a diagnostic the estimator does not report",
       [](J& j) {
         j["claims"][0] = {{"id", "d"},
                           {"text", "t"},
                           {"kind", "diagnostic"},
                           {"analysis", "diff"},
                           {"diagnostic", "grup_F"},
                           {"relation", "above"},
                           {"threshold", 1}};
       },
       "claims[0].diagnostic: analysis 'diff' (", false},
      {"analysis option the estimator does not declare",
       [](J& j) {
         j["analyses"][0]["options"] = {{"grup", "x"}};
       },
       "analyses[0].options.grup: ", false},
      {"refutation claim without a refutation",
       [](J& j) {
         j["claims"][0] = {{"id", "r"}, {"text", "t"}, {"kind", "refutation"}};
       },
       "claims[0]: missing required field 'refutation'", true},
      {"refutation claim on an unknown refutation",
       [](J& j) {
         j["claims"][0] = {{"id", "r"}, {"text", "t"}, {"kind", "refutation"}, {"refutation", "nope"}};
       },
       "claims[0].refutation: no refutation with id 'nope'", false},
      {"refutation claim with a bad expect",
       [](J& j) {
         j["claims"][0] = {{"id", "r"},
                           {"text", "t"},
                           {"kind", "refutation"},
                           {"refutation", "placebo-treatment-diff"},
                           {"expect", "maybe"}};
       },
       "claims[0].expect: expect is \"pass\" or \"fail\"", true},
  };
  return cases;
}

}  // namespace casebook::testing
