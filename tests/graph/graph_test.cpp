// Building graphs: from a simulation's expressions, from a declared assumed graph (and its
// cycles), and drawing them with Graphviz.
#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "graph/causal_graph.hpp"
#include "graph/graph_drawing.hpp"
#include "graph/identification.hpp"
#include "textbook_graphs.hpp"

namespace casebook {
namespace {

SimulationSpec confounded_simulation() {
  SimulationSpec s;
  s.where = "case.json: simulation";
  s.variables = {{"u", "normal(0, 1)", Role::latent, false, {}},
                 {"x", "normal(0, 1) + u", Role::covariate, true, {}},
                 {"t", "bernoulli(logistic(x + u))", Role::treatment, true, {}},
                 {"y", "t + 2 * u + normal(0, 1)", Role::outcome, true, {}}};
  return s;
}

TEST(GraphOfSimulation, ParentsAreTheVariablesAnExpressionReads) {
  const CausalGraph g = graph_of_simulation(confounded_simulation());
  ASSERT_EQ(g.size(), 4u);
  std::vector<std::pair<std::string, std::string>> edges;
  for (const auto& [a, b] : g.edges()) edges.emplace_back(g.node(a).name, g.node(b).name);
  EXPECT_EQ(edges, (std::vector<std::pair<std::string, std::string>>{
                       {"u", "x"}, {"u", "t"}, {"u", "y"}, {"x", "t"}, {"t", "y"}}));
  EXPECT_FALSE(g.node(0).observed);
  EXPECT_EQ(g.node(2).role, Role::treatment);
  EXPECT_TRUE(g.find_cycle().empty());
}

TEST(GraphOfSimulation, ALaterVariableIsNamedInTheError) {
  SimulationSpec s = confounded_simulation();
  s.variables[1].expr = "normal(0, 1) + y";
  try {
    graph_of_simulation(s);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'y' is defined later"), std::string::npos) << e.what();
  }
}

AssumedGraphSpec assumption(std::vector<std::pair<std::string, std::string>> edges,
                            std::vector<std::string> latent = {}) {
  return {std::move(edges), std::move(latent), "", "case.json: assumed_graph"};
}

TEST(GraphOfAssumption, NodesAreObservedVariablesAndDeclaredLatents) {
  const CausalGraph g = graph_of_assumption(
      assumption({{"x", "t"}, {"t", "y"}, {"x", "y"}, {"w", "y"}}, {"w"}), confounded_simulation());
  EXPECT_FALSE(g.index_of("u"));  // the analyst does not know about u
  ASSERT_TRUE(g.index_of("w"));
  EXPECT_FALSE(g.node(*g.index_of("w")).observed);
  // On the analyst's graph, adjusting for x looks sufficient; on the true graph it is not.
  EXPECT_TRUE(identify(g, {Criterion::backdoor, "t", "y", {}, {"x"}, {}}).valid);
  EXPECT_FALSE(
      identify(graph_of_simulation(confounded_simulation()), {Criterion::backdoor, "t", "y", {}, {"x"}, {}})
          .valid);
}

TEST(GraphOfAssumption, ACycleIsNamed) {
  try {
    graph_of_assumption(assumption({{"x", "t"}, {"t", "y"}, {"y", "x"}}), confounded_simulation());
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "case.json: assumed_graph.edges: the graph has a cycle: x -> t -> y -> x");
  }
  EXPECT_THROW(graph_of_assumption(assumption({{"t", "t"}}), confounded_simulation()), InputError);
}

TEST(GraphOfAssumption, UnknownVariablesAndObservedLatents) {
  try {
    graph_of_assumption(assumption({{"x", "t"}, {"q", "y"}}), confounded_simulation());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("assumed_graph.edges[1]: 'q' is not a variable"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(graph_of_assumption(assumption({}, {"x"}), confounded_simulation()), InputError);
}

TEST(Drawing, SvgIsInlineableAndMarksRoles) {
  const CausalGraph g = testing::m_graph();
  GraphHighlight h;
  h.id = "m-graph";
  h.treatment = {"T"};
  h.outcome = {"Y"};
  h.adjusted = {"M"};
  h.open_path = identify(g, {Criterion::backdoor, "T", "Y", {}, {"M"}, {}}).open_path;
  const std::string dot = graph_dot(g, h);
  EXPECT_NE(dot.find("class=\"adjusted open_path\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("class=\"treatment open_path\""), std::string::npos);
  EXPECT_NE(dot.find("class=\"outcome open_path\""), std::string::npos);
  const std::string svg = render_svg(dot);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(svg.find("<?xml"), std::string::npos);
  EXPECT_EQ(svg.find("<!DOCTYPE"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("id=\"m_graph_node_0\" class=\"node open_path\""), std::string::npos);
  EXPECT_NE(svg.find("stroke=\"#d62728\" stroke-width=\"2.2\""), std::string::npos);  // the open path's edges
  for (const char* name : {">T<", ">A<", ">M<", ">B<", ">Y<"})
    EXPECT_NE(svg.find(name), std::string::npos) << name;
}

TEST(Drawing, LatentNodesAreDashed) {
  const std::string svg = render_svg(graph_dot(testing::front_door()));
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);
}

TEST(Drawing, QuotesInNamesAreEscaped) {
  CausalGraph g;
  g.add_edge(g.add_node({"a \"quoted\" name", Role::latent, false}), g.add_node({"y", Role::outcome, true}));
  EXPECT_NO_THROW(render_svg(graph_dot(g)));
}

TEST(Drawing, CanonicalDesignGraphs) {
  const auto designs = canonical_design_graphs();
  for (const char* name : {"confounding", "instrumental-variables", "difference-in-differences",
                           "regression-discontinuity", "mediation", "front-door"}) {
    ASSERT_TRUE(designs.count(name)) << name;
    EXPECT_EQ(designs.at(name).svg.rfind("<svg", 0), 0u) << name;
    EXPECT_FALSE(designs.at(name).title.empty());
  }
}

}  // namespace
}  // namespace casebook
