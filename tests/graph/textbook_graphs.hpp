#pragma once
// Small graphs from the textbooks, built by hand.
#include <initializer_list>
#include <string>
#include <utility>

#include "graph/causal_graph.hpp"

namespace casebook::testing {

inline CausalGraph make_graph(std::initializer_list<std::pair<const char*, const char*>> edges,
                              std::initializer_list<const char*> latent = {}) {
  CausalGraph g;
  for (const char* name : latent) g.add_node({name, Role::latent, false});
  for (const auto& [from, to] : edges) {
    const std::size_t a = g.add_node({from, Role::covariate, true});
    const std::size_t b = g.add_node({to, Role::covariate, true});
    g.add_edge(a, b);
  }
  return g;
}

// The M-graph: T <- A -> M <- B -> Y and T -> Y. M is a collider: adjusting for it opens a path.
inline CausalGraph m_graph() {
  return make_graph({{"A", "T"}, {"A", "M"}, {"B", "M"}, {"B", "Y"}, {"T", "Y"}});
}

// An instrument confounded with the outcome: U -> Z, U -> Y, Z -> T -> Y, V -> T, V -> Y.
inline CausalGraph confounded_instrument() {
  return make_graph({{"U", "Z"}, {"U", "Y"}, {"Z", "T"}, {"T", "Y"}, {"V", "T"}, {"V", "Y"}}, {"U", "V"});
}

// The front-door graph: U -> T, U -> Y, T -> M -> Y, with U hidden.
inline CausalGraph front_door() {
  return make_graph({{"U", "T"}, {"U", "Y"}, {"T", "M"}, {"M", "Y"}}, {"U"});
}

}  // namespace casebook::testing
