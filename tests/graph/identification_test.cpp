// The backdoor, instrument and front-door criteria on the textbook graphs, checked against the
// definitions (every path enumerated) where a definition can be enumerated.
#include <gtest/gtest.h>

#include "graph/identification.hpp"
#include "path_enumeration.hpp"
#include "textbook_graphs.hpp"

namespace casebook {
namespace {

using testing::make_graph;

Identification backdoor(const CausalGraph& g, std::vector<std::string> covariates) {
  return identify(g, {Criterion::backdoor, "T", "Y", {}, std::move(covariates), {}});
}

TEST(Backdoor, MGraphEmptySetValidColliderInvalid) {
  const CausalGraph g = testing::m_graph();
  const auto none = backdoor(g, {});
  EXPECT_TRUE(none.valid) << none.reason;
  EXPECT_FALSE(none.open_path);

  const auto collider = backdoor(g, {"M"});
  EXPECT_FALSE(collider.valid);
  ASSERT_TRUE(collider.open_path);
  EXPECT_EQ(path_text(g, *collider.open_path), "T <- A -> M <- B -> Y");
  EXPECT_NE(collider.reason.find("T <- A -> M <- B -> Y"), std::string::npos) << collider.reason;

  EXPECT_TRUE(backdoor(g, {"M", "A"}).valid);
  EXPECT_TRUE(backdoor(g, {"M", "B"}).valid);
  ASSERT_TRUE(collider.minimal_adjustment_set);
  EXPECT_TRUE(collider.minimal_adjustment_set->empty());  // nothing needs adjusting
}

TEST(Backdoor, ConfounderAndPostTreatmentVariable) {
  const CausalGraph g = make_graph({{"X", "T"}, {"X", "Y"}, {"T", "Y"}, {"T", "P"}, {"P", "Y"}});
  const auto naive = backdoor(g, {});
  EXPECT_FALSE(naive.valid);
  ASSERT_TRUE(naive.open_path);
  EXPECT_EQ(path_names(g, *naive.open_path), (std::vector<std::string>{"T", "X", "Y"}));
  ASSERT_TRUE(naive.minimal_adjustment_set);
  EXPECT_EQ(*naive.minimal_adjustment_set, std::vector<std::string>{"X"});
  EXPECT_TRUE(backdoor(g, {"X"}).valid);
  const auto mediator = backdoor(g, {"X", "P"});
  EXPECT_FALSE(mediator.valid);  // P is affected by T
  EXPECT_FALSE(mediator.conditions.at(0).holds);
  EXPECT_NE(mediator.reason.find("T -> P"), std::string::npos) << mediator.reason;
}

TEST(Backdoor, LatentConfounderLeavesNoObservedSet) {
  const CausalGraph g = testing::front_door();
  const auto naive = backdoor(g, {});
  EXPECT_FALSE(naive.valid);
  EXPECT_FALSE(naive.minimal_adjustment_set);
  EXPECT_NE(naive.reason.find("U is latent"), std::string::npos) << naive.reason;
  EXPECT_NE(naive.reason.find("No set of observed variables"), std::string::npos) << naive.reason;
}

TEST(Backdoor, MinimalSetIsValidAndMinimalByDefinition) {
  // Two backdoor paths through a chain of confounders; several sets work.
  const CausalGraph g = make_graph({{"A", "B"},
                                    {"B", "T"},
                                    {"A", "C"},
                                    {"C", "Y"},
                                    {"T", "Y"},
                                    {"D", "T"},
                                    {"D", "E"},
                                    {"E", "Y"},
                                    {"F", "T"},
                                    {"F", "G"}});
  const std::size_t t = g.require("T"), y = g.require("Y");
  const auto minimal = minimal_backdoor_set(g, t, y);
  ASSERT_TRUE(minimal);
  EXPECT_TRUE(testing::backdoor_by_paths(g, t, y, *minimal));
  for (std::size_t i = 0; i < minimal->size(); ++i) {
    NodeSet smaller = *minimal;
    smaller.erase(smaller.begin() + static_cast<std::ptrdiff_t>(i));
    EXPECT_FALSE(testing::backdoor_by_paths(g, t, y, smaller)) << "not minimal";
  }
  EXPECT_EQ(minimal->size(), 2u);
}

TEST(Backdoor, AgreesWithTheDefinitionOnEverySubsetOfASmallGraph) {
  const CausalGraph g = make_graph({{"A", "T"},
                                    {"A", "M"},
                                    {"B", "M"},
                                    {"B", "Y"},
                                    {"T", "Y"},
                                    {"C", "T"},
                                    {"C", "Y"},
                                    {"T", "D"},
                                    {"M", "E"}});
  const std::size_t t = g.require("T"), y = g.require("Y");
  NodeSet others;
  for (std::size_t v = 0; v < g.size(); ++v)
    if (v != t && v != y) others.push_back(v);
  std::size_t valid = 0;
  for (unsigned mask = 0; mask < (1u << others.size()); ++mask) {
    NodeSet w;
    for (std::size_t i = 0; i < others.size(); ++i)
      if (mask & (1u << i)) w.push_back(others[i]);
    const bool expected = testing::backdoor_by_paths(g, t, y, w);
    EXPECT_EQ(satisfies_backdoor(g, t, y, w), expected) << mask;
    valid += expected;
  }
  EXPECT_GT(valid, 0u);
}

Identification instrument(const CausalGraph& g, std::vector<std::string> covariates = {}) {
  return identify(g, {Criterion::instrument, "T", "Y", {"Z"}, std::move(covariates), {}});
}

TEST(Instrument, ValidWhenRandomized) {
  const CausalGraph g = make_graph({{"Z", "T"}, {"U", "T"}, {"U", "Y"}, {"T", "Y"}}, {"U"});
  const auto id = instrument(g);
  EXPECT_TRUE(id.valid) << id.reason;
  EXPECT_EQ(id.conditions.size(), 4u);
  for (const auto& c : id.conditions) EXPECT_TRUE(c.holds) << c.name << ": " << c.detail;
}

TEST(Instrument, ConfoundedInstrumentFailsIndependence) {
  const CausalGraph g = testing::confounded_instrument();
  const auto id = instrument(g);
  EXPECT_FALSE(id.valid);
  ASSERT_TRUE(id.open_path);
  EXPECT_EQ(path_text(g, *id.open_path), "Z <- U -> Y");
  EXPECT_NE(id.reason.find("Independence fails"), std::string::npos) << id.reason;
  EXPECT_TRUE(id.conditions.at(1).holds);   // relevance
  EXPECT_TRUE(id.conditions.at(2).holds);   // exclusion
  EXPECT_FALSE(id.conditions.at(3).holds);  // independence
}

TEST(Instrument, ObservedConfounderOfTheInstrumentCanBeConditionedOn) {
  const CausalGraph g =
      make_graph({{"W", "Z"}, {"W", "Y"}, {"Z", "T"}, {"T", "Y"}, {"U", "T"}, {"U", "Y"}}, {"U"});
  EXPECT_FALSE(instrument(g).valid);
  EXPECT_TRUE(instrument(g, {"W"}).valid);
}

TEST(Instrument, ExclusionAndRelevanceFailures) {
  const CausalGraph direct = make_graph({{"Z", "T"}, {"Z", "Y"}, {"T", "Y"}});
  const auto id = instrument(direct);
  EXPECT_FALSE(id.valid);
  EXPECT_FALSE(id.conditions.at(2).holds);
  ASSERT_TRUE(id.open_path);
  EXPECT_EQ(path_text(direct, *id.open_path), "Z -> Y");

  const CausalGraph irrelevant = make_graph({{"Z", "W"}, {"T", "Y"}});
  const auto weak = instrument(irrelevant);
  EXPECT_FALSE(weak.valid);
  EXPECT_FALSE(weak.conditions.at(1).holds);
  EXPECT_NE(weak.reason.find("Relevance fails"), std::string::npos);
}

Identification frontdoor(const CausalGraph& g, std::vector<std::string> mediators = {}) {
  return identify(g, {Criterion::frontdoor, "T", "Y", {}, {}, std::move(mediators)});
}

TEST(FrontDoor, TheFrontDoorGraph) {
  const CausalGraph g = testing::front_door();
  const auto id = frontdoor(g);
  EXPECT_TRUE(id.valid) << id.reason;
  EXPECT_EQ(id.mediators, std::vector<std::string>{"M"});
  EXPECT_TRUE(frontdoor(g, {"M"}).valid);
}

TEST(FrontDoor, FailsWhenTheConfounderReachesTheMediatorOrTheEffectBypassesIt) {
  const CausalGraph confounded =
      make_graph({{"U", "T"}, {"U", "Y"}, {"T", "M"}, {"M", "Y"}, {"U", "M"}}, {"U"});
  const auto a = frontdoor(confounded);
  EXPECT_FALSE(a.valid);
  EXPECT_FALSE(a.conditions.at(1).holds);

  const CausalGraph bypass = make_graph({{"U", "T"}, {"U", "Y"}, {"T", "M"}, {"M", "Y"}, {"T", "Y"}}, {"U"});
  const auto b = frontdoor(bypass, {"M"});
  EXPECT_FALSE(b.valid);
  EXPECT_FALSE(b.conditions.at(0).holds);
  ASSERT_TRUE(b.open_path);
  EXPECT_EQ(path_text(bypass, *b.open_path), "T -> Y");

  const CausalGraph mediator_confounded =
      make_graph({{"U", "T"}, {"U", "Y"}, {"T", "M"}, {"M", "Y"}, {"V", "M"}, {"V", "Y"}}, {"U", "V"});
  const auto c = frontdoor(mediator_confounded);
  EXPECT_FALSE(c.valid);
  EXPECT_FALSE(c.conditions.at(2).holds);
}

TEST(Criterion, Parsed) {
  EXPECT_EQ(criterion_from_string("frontdoor", "x"), Criterion::frontdoor);
  EXPECT_THROW(criterion_from_string("front-door", "x"), std::exception);
}

}  // namespace
}  // namespace casebook
