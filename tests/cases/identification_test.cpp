// Every case's graphs and analyses: the Bayes-ball verdicts agree with the definitions (every
// path enumerated), and TripAdvisor's verdicts are the ones its page states.
#include <gtest/gtest.h>

#include <filesystem>

#include "../graph/path_enumeration.hpp"
#include "cases/case_graph.hpp"
#include "cases/case_run.hpp"
#include "cases/results.hpp"

namespace casebook {
namespace {

const std::filesystem::path kRoot = std::filesystem::path(CASEBOOK_FIXTURES) / "../..";

NodeSet named(const CausalGraph& g, const std::vector<std::string>& names) {
  NodeSet out;
  for (const auto& n : names) out.push_back(g.require(n));
  return out;
}

void check_against_definitions(const CausalGraph& g, const AnalysisSpec& a, const Identification& v,
                               const std::string& where) {
  const std::size_t t = g.require(a.treatment), y = g.require(a.args.outcome);
  const NodeSet w = named(g, v.adjustment_set.empty() ? a.args.covariates : v.adjustment_set);
  if (v.criterion == Criterion::backdoor) {
    EXPECT_EQ(v.valid, testing::backdoor_by_paths(g, t, y, w)) << where;
    if (v.minimal_adjustment_set) {
      const NodeSet minimal = named(g, *v.minimal_adjustment_set);
      EXPECT_TRUE(testing::backdoor_by_paths(g, t, y, minimal)) << where;
      for (std::size_t i = 0; i < minimal.size(); ++i) {
        NodeSet smaller = minimal;
        smaller.erase(smaller.begin() + static_cast<std::ptrdiff_t>(i));
        EXPECT_FALSE(testing::backdoor_by_paths(g, t, y, smaller)) << where << ": not minimal";
      }
    }
  }
  if (v.criterion == Criterion::instrument) {
    const CausalGraph cut = g.without_edges_out_of({t});
    EXPECT_EQ(v.conditions.at(3).holds,
              testing::d_separated_by_paths(cut, named(g, a.args.instruments), {y}, w))
        << where;
  }
  if (v.open_path && v.criterion == Criterion::backdoor && v.conditions.at(0).holds) {
    EXPECT_TRUE(testing::path_open(g.without_edges_out_of({t}), v.open_path->nodes, w)) << where;
  }
}

TEST(CaseIdentification, EveryCaseAgreesWithTheDefinitions) {
  std::size_t analyses = 0;
  for (const auto& dir : case_directories(kRoot / "cases")) {
    const Case c = load_case(dir);
    const CaseGraphs graphs = case_graphs(c);
    EXPECT_TRUE(graphs.truth.find_cycle().empty()) << c.id;
    for (const auto& a : c.analyses) {
      const AnalysisIdentification v = identify_analysis(graphs, a, c.simulation);
      check_against_definitions(graphs.truth, a, v.on_true, c.id + "/" + a.id + " (true graph)");
      if (graphs.assumed)
        check_against_definitions(*graphs.assumed, a, *v.on_assumed, c.id + "/" + a.id + " (assumed)");
      ++analyses;
    }
  }
  EXPECT_GT(analyses, 0u);
}

TEST(CaseIdentification, TripAdvisorNaiveIsNotIdentifiedAndIvIs) {
  const Case c = load_case(kRoot / "cases/tripadvisor-membership-iv");
  const CaseGraphs graphs = case_graphs(c);
  const auto naive = identify_analysis(graphs, c.analysis("naive"), c.simulation);
  EXPECT_FALSE(naive.on_true.valid);
  ASSERT_TRUE(naive.on_true.open_path);
  EXPECT_EQ(path_names(graphs.truth, *naive.on_true.open_path),
            (std::vector<std::string>{"became_member", "affinity", "days_visited_post"}));
  EXPECT_FALSE(naive.on_true.minimal_adjustment_set);  // affinity is latent: nothing observed closes it
  EXPECT_FALSE(identify_analysis(graphs, c.analysis("ols"), c.simulation).on_true.valid);
  const auto ols = identify_analysis(graphs, c.analysis("ols"), c.simulation);
  ASSERT_TRUE(ols.on_assumed);
  EXPECT_TRUE(ols.on_assumed->valid);  // the analyst's belief
  EXPECT_TRUE(identify_analysis(graphs, c.analysis("iv"), c.simulation).on_true.valid);
  EXPECT_TRUE(identify_analysis(graphs, c.analysis("wald"), c.simulation).on_true.valid);
}

// A regression discontinuity holds its running variable fixed: age closes the only backdoor of
// the sharp drinking-age design, and the naive comparison, which ignores age, stays open. A fuzzy
// design is not a backdoor adjustment: the badge's other criteria (response rate, stays) carry the
// hosts' quality past the rating, so the graph shows that path; the threshold as an instrument is
// what identifies it, which the case's global-polynomial 2SLS states on the graph.
TEST(CaseIdentification, RegressionDiscontinuityHoldsItsRunningVariableFixed) {
  const Case mlda = load_case(kRoot / "cases/mlda-mortality-rdd");
  const CaseGraphs mlda_graphs = case_graphs(mlda);
  const auto sharp = identify_analysis(mlda_graphs, mlda.analysis("rdd"), mlda.simulation);
  EXPECT_TRUE(sharp.on_true.valid);
  EXPECT_EQ(sharp.on_true.adjustment_set, (std::vector<std::string>{"age_from_21"}));
  EXPECT_FALSE(identify_analysis(mlda_graphs, mlda.analysis("naive"), mlda.simulation).on_true.valid);

  const Case airbnb = load_case(kRoot / "cases/airbnb-superhost-rdd");
  const CaseGraphs airbnb_graphs = case_graphs(airbnb);
  const auto fuzzy = identify_analysis(airbnb_graphs, airbnb.analysis("rdd"), airbnb.simulation);
  EXPECT_FALSE(fuzzy.on_true.valid);
  EXPECT_TRUE(identify_analysis(airbnb_graphs, airbnb.analysis("global-polynomial"), airbnb.simulation)
                  .on_true.valid);
}

TEST(CaseIdentification, ResultsDocumentCarriesGraphAndVerdicts) {
  const Case c = load_case(kRoot / "cases/tripadvisor-membership-iv");
  RunOptions options;
  options.n = 2000;
  const CaseRun run = run_case(c, options);
  const nlohmann::json doc = results_document(c, run);
  EXPECT_EQ(doc.at("graph").at("svg").get<std::string>().rfind("<svg", 0), 0u);
  EXPECT_NE(doc.at("graph").at("dot").get<std::string>().find("affinity"), std::string::npos);
  EXPECT_TRUE(doc.at("graph").contains("assumed"));
  for (const auto& a : doc.at("analyses")) {
    const auto& id = a.at("identification");
    EXPECT_EQ(id.at("graph"), "true");
    EXPECT_EQ(id.at("treatment"), nlohmann::json({"became_member"}));
    EXPECT_EQ(id.at("outcome"), nlohmann::json({"days_visited_post"}));
    EXPECT_EQ(id.at("instruments"), a.at("id") == "wald" || a.at("id") == "iv" || a.at("id") == "ivforest"
                                        ? nlohmann::json({"easier_signup"})
                                        : nlohmann::json::array());
    EXPECT_FALSE(id.at("reason").get<std::string>().empty());
    if (a.at("id") == "naive") {
      EXPECT_EQ(id.at("criterion"), "backdoor");
      EXPECT_FALSE(id.at("valid").get<bool>());
      EXPECT_EQ(id.at("open_path"), nlohmann::json({"became_member", "affinity", "days_visited_post"}));
      EXPECT_TRUE(id.at("minimal_adjustment_set").is_null());
    }
    if (a.at("id") == "iv") {
      EXPECT_EQ(id.at("criterion"), "instrument");
      EXPECT_TRUE(id.at("valid").get<bool>());
      EXPECT_EQ(id.at("assumed").at("graph"), "assumed");
    }
  }
  for (const auto& claim : run.claims) {
    if (claim.spec->kind == ClaimKind::identification) {
      EXPECT_EQ(claim.pass, std::optional<bool>(true)) << claim.spec->id;
    }
  }
}

TEST(CaseIdentification, ClaimFailsWhenTheVerdictDiffers) {
  const Case c = load_case(kRoot / "cases/tripadvisor-membership-iv");
  const auto results = run_analyses(c, simulate_case(c, 7, 500).observed, {});
  ClaimSpec claim;
  claim.id = "wrong";
  claim.kind = ClaimKind::identification;
  claim.analysis = "naive";
  claim.identified = true;
  const ClaimResult r = check_claim(claim, results);
  ASSERT_TRUE(r.pass);
  EXPECT_FALSE(*r.pass);
  EXPECT_NE(r.expected.find("became_member <- affinity -> days_visited_post"), std::string::npos)
      << r.expected;
}

}  // namespace
}  // namespace casebook
