#pragma once
// d-separation from its definition, for tests: enumerate every simple path of the skeleton and
// check each node on it (a collider is open when it or a descendant is conditioned on, any
// other node when it is not). Exponential, but independent of the Bayes-ball implementation.
#include <algorithm>
#include <functional>
#include <vector>

#include "graph/causal_graph.hpp"
#include "graph/d_separation.hpp"

namespace casebook::testing {

inline bool has_edge(const CausalGraph& g, std::size_t from, std::size_t to) {
  const auto& kids = g.children(from);
  return std::find(kids.begin(), kids.end(), to) != kids.end();
}

// Every simple path from x to y; `first_step_into_x` keeps only those starting with an arrow into x.
inline std::vector<std::vector<std::size_t>> simple_paths(const CausalGraph& g, std::size_t x, std::size_t y,
                                                          bool first_step_into_x = false) {
  std::vector<std::vector<std::size_t>> out;
  std::vector<std::size_t> path{x};
  std::vector<bool> used(g.size(), false);
  used[x] = true;
  std::function<void(std::size_t)> extend = [&](std::size_t v) {
    if (v == y) {
      out.push_back(path);
      return;
    }
    std::vector<std::size_t> neighbours = g.children(v);
    neighbours.insert(neighbours.end(), g.parents(v).begin(), g.parents(v).end());
    for (std::size_t w : neighbours) {
      if (used[w]) continue;
      if (first_step_into_x && v == x && !has_edge(g, w, x)) continue;
      used[w] = true;
      path.push_back(w);
      extend(w);
      path.pop_back();
      used[w] = false;
    }
  };
  extend(x);
  return out;
}

inline bool path_open(const CausalGraph& g, const std::vector<std::size_t>& path, const NodeSet& zs) {
  const NodeSet anz = ancestors(g, zs);
  auto in = [](const NodeSet& s, std::size_t v) { return std::find(s.begin(), s.end(), v) != s.end(); };
  for (std::size_t i = 1; i + 1 < path.size(); ++i) {
    const bool collider = has_edge(g, path[i - 1], path[i]) && has_edge(g, path[i + 1], path[i]);
    if (collider ? !in(anz, path[i]) : in(zs, path[i])) return false;
  }
  return true;
}

inline bool d_separated_by_paths(const CausalGraph& g, const NodeSet& xs, const NodeSet& ys,
                                 const NodeSet& zs) {
  for (std::size_t x : xs)
    for (std::size_t y : ys)
      for (const auto& p : simple_paths(g, x, y))
        if (path_open(g, p, zs)) return false;
  return true;
}

// The backdoor criterion from its definition: no member of W descends from T, and every path
// from T to Y that begins with an arrow into T is blocked by W.
inline bool backdoor_by_paths(const CausalGraph& g, std::size_t t, std::size_t y, const NodeSet& w) {
  const NodeSet below = descendants(g, {t});
  for (std::size_t v : w)
    if (std::find(below.begin(), below.end(), v) != below.end()) return false;
  for (const auto& p : simple_paths(g, t, y, true))
    if (path_open(g, p, w)) return false;
  return true;
}

}  // namespace casebook::testing
