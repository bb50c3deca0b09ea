// d-separation: the textbook patterns, the open path it reports, and agreement with networkx's
// d_separated on random DAGs (tests/fixtures/make_d_separation_fixture.py) and with the
// definition (every simple path checked) on the same graphs.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "graph/d_separation.hpp"
#include "path_enumeration.hpp"
#include "textbook_graphs.hpp"

namespace casebook {
namespace {

using testing::make_graph;

NodeSet ids(const CausalGraph& g, std::initializer_list<const char*> names) {
  NodeSet out;
  for (const char* n : names) out.push_back(g.require(n));
  return out;
}

TEST(DSeparation, ChainForkAndCollider) {
  const CausalGraph chain = make_graph({{"a", "b"}, {"b", "c"}});
  EXPECT_FALSE(d_separated(chain, ids(chain, {"a"}), ids(chain, {"c"}), {}));
  EXPECT_TRUE(d_separated(chain, ids(chain, {"a"}), ids(chain, {"c"}), ids(chain, {"b"})));

  const CausalGraph fork = make_graph({{"b", "a"}, {"b", "c"}});
  EXPECT_FALSE(d_separated(fork, ids(fork, {"a"}), ids(fork, {"c"}), {}));
  EXPECT_TRUE(d_separated(fork, ids(fork, {"a"}), ids(fork, {"c"}), ids(fork, {"b"})));

  const CausalGraph collider = make_graph({{"a", "b"}, {"c", "b"}, {"b", "d"}});
  EXPECT_TRUE(d_separated(collider, ids(collider, {"a"}), ids(collider, {"c"}), {}));
  EXPECT_FALSE(d_separated(collider, ids(collider, {"a"}), ids(collider, {"c"}), ids(collider, {"b"})));
  // Conditioning on a descendant of the collider opens it too.
  EXPECT_FALSE(d_separated(collider, ids(collider, {"a"}), ids(collider, {"c"}), ids(collider, {"d"})));
}

TEST(DSeparation, MGraphColliderOpensWhenConditionedOn) {
  const CausalGraph g = testing::m_graph();
  const CausalGraph cut = g.without_edges_out_of(ids(g, {"T"}));
  EXPECT_TRUE(d_separated(cut, ids(g, {"T"}), ids(g, {"Y"}), {}));
  const auto open = open_path(cut, ids(g, {"T"}), ids(g, {"Y"}), ids(g, {"M"}));
  ASSERT_TRUE(open);
  EXPECT_EQ(path_names(g, *open), (std::vector<std::string>{"T", "A", "M", "B", "Y"}));
  EXPECT_EQ(path_text(g, *open), "T <- A -> M <- B -> Y");
  EXPECT_TRUE(d_separated(cut, ids(g, {"T"}), ids(g, {"Y"}), ids(g, {"M", "A"})));
  EXPECT_TRUE(d_separated(cut, ids(g, {"T"}), ids(g, {"Y"}), ids(g, {"M", "B"})));
}

TEST(DSeparation, OpenPathIsSimpleAndOpenByDefinition) {
  const CausalGraph g =
      make_graph({{"x", "c"}, {"y", "c"}, {"c", "d"}, {"d", "e"}, {"u", "x"}, {"u", "w"}, {"w", "y"}});
  const NodeSet z = ids(g, {"e", "w"});
  const auto open = open_path(g, ids(g, {"x"}), ids(g, {"y"}), z);
  ASSERT_TRUE(open);
  EXPECT_EQ(path_text(g, *open), "x -> c <- y");
  EXPECT_TRUE(testing::path_open(g, open->nodes, z));
}

TEST(DSeparation, DirectedPathsAncestorsDescendants) {
  const CausalGraph g = make_graph({{"a", "b"}, {"b", "c"}, {"a", "d"}, {"d", "c"}});
  EXPECT_EQ(directed_path(g, g.require("a"), g.require("c")).size(), 3u);
  EXPECT_TRUE(directed_path(g, g.require("c"), g.require("a")).empty());
  EXPECT_EQ(directed_path(g, g.require("a"), g.require("c"), ids(g, {"b"})), ids(g, {"a", "d", "c"}));
  EXPECT_TRUE(directed_path(g, g.require("a"), g.require("c"), ids(g, {"b", "d"})).empty());
  EXPECT_EQ(ancestors(g, ids(g, {"c"})).size(), 4u);
  EXPECT_EQ(descendants(g, ids(g, {"b"})), ids(g, {"b", "c"}));
}

CausalGraph numbered_graph(const nlohmann::json& item) {
  CausalGraph g;
  for (int i = 0; i < item.at("nodes").get<int>(); ++i)
    g.add_node({"v" + std::to_string(i), Role::covariate, true});
  for (const auto& e : item.at("edges")) g.add_edge(e.at(0).get<std::size_t>(), e.at(1).get<std::size_t>());
  return g;
}

TEST(DSeparation, AgreesWithNetworkxAndTheDefinitionOnRandomDags) {
  std::ifstream in(std::string(CASEBOOK_FIXTURES) + "/d_separation_random_dags.json");
  ASSERT_TRUE(in) << "missing fixture d_separation_random_dags.json";
  const auto fixture = nlohmann::json::parse(in);
  std::size_t checked = 0, separated = 0;
  for (const auto& item : fixture.at("graphs")) {
    const CausalGraph g = numbered_graph(item);
    ASSERT_TRUE(g.find_cycle().empty());
    for (const auto& q : item.at("queries")) {
      const auto xs = q.at("x").get<NodeSet>(), ys = q.at("y").get<NodeSet>(), zs = q.at("z").get<NodeSet>();
      const bool expected = q.at("separated").get<bool>();
      EXPECT_EQ(d_separated(g, xs, ys, zs), expected) << q.dump();
      EXPECT_EQ(testing::d_separated_by_paths(g, xs, ys, zs), expected) << q.dump();
      if (auto path = open_path(g, xs, ys, zs)) {
        EXPECT_TRUE(testing::path_open(g, path->nodes, zs)) << q.dump() << " " << path_text(g, *path);
        NodeSet sorted = path->nodes;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "repeats a node";
      }
      ++checked;
      separated += expected;
    }
  }
  EXPECT_EQ(checked, 1500u);
  EXPECT_GT(separated, 300u);  // the fixture exercises both answers
  EXPECT_LT(separated, 1200u);
}

}  // namespace
}  // namespace casebook
