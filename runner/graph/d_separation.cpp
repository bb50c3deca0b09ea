#include "graph/d_separation.hpp"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

namespace casebook {
namespace {

NodeSet closure(const CausalGraph& g, const NodeSet& start, bool upwards) {
  std::vector<bool> seen(g.size(), false);
  std::vector<std::size_t> stack(start.begin(), start.end());
  for (std::size_t v : start) seen.at(v) = true;
  while (!stack.empty()) {
    const std::size_t v = stack.back();
    stack.pop_back();
    for (std::size_t w : upwards ? g.parents(v) : g.children(v))
      if (!seen[w]) {
        seen[w] = true;
        stack.push_back(w);
      }
  }
  NodeSet out;
  for (std::size_t v = 0; v < g.size(); ++v)
    if (seen[v]) out.push_back(v);
  return out;
}

std::vector<bool> membership(std::size_t size, const NodeSet& nodes) {
  std::vector<bool> in(size, false);
  for (std::size_t v : nodes) in.at(v) = true;
  return in;
}

bool edge_between(const CausalGraph& g, std::size_t from, std::size_t to) {
  const auto& kids = g.children(from);
  return std::find(kids.begin(), kids.end(), to) != kids.end();
}

// Is this path open given zs (in_z) and the ancestors of zs (in_anz)?
bool path_is_open(const GraphPath& p, const std::vector<bool>& in_z, const std::vector<bool>& in_anz) {
  for (std::size_t i = 1; i + 1 < p.nodes.size(); ++i) {
    const bool collider = p.forward[i - 1] && !p.forward[i];
    const std::size_t m = p.nodes[i];
    if (collider ? !in_anz[m] : in_z[m]) return false;
  }
  return true;
}

// Bayes-ball visits a node going up (arrived from a child) or down (arrived from a parent).
struct State {
  std::size_t node;
  bool up;
};

}  // namespace

NodeSet ancestors(const CausalGraph& g, const NodeSet& nodes) { return closure(g, nodes, true); }
NodeSet descendants(const CausalGraph& g, const NodeSet& nodes) { return closure(g, nodes, false); }

std::vector<std::size_t> directed_path(const CausalGraph& g, std::size_t from, std::size_t to,
                                       const NodeSet& avoid) {
  const auto blocked = membership(g.size(), avoid);
  std::vector<std::size_t> previous(g.size(), g.size());
  std::deque<std::size_t> queue{from};
  previous[from] = from;
  while (!queue.empty()) {
    const std::size_t v = queue.front();
    queue.pop_front();
    if (v == to) break;
    for (std::size_t w : g.children(v)) {
      if (previous[w] != g.size() || (blocked[w] && w != to)) continue;
      previous[w] = v;
      queue.push_back(w);
    }
  }
  if (from == to || previous[to] == g.size()) return {};
  std::vector<std::size_t> path{to};
  while (path.back() != from) path.push_back(previous[path.back()]);
  std::reverse(path.begin(), path.end());
  return path;
}

std::optional<GraphPath> open_path(const CausalGraph& g, const NodeSet& xs, const NodeSet& ys,
                                   const NodeSet& zs) {
  const auto in_z = membership(g.size(), zs);
  const auto in_y = membership(g.size(), ys);
  const auto in_anz = membership(g.size(), ancestors(g, zs));
  // Breadth-first over states (node, up/down), remembering how each was reached.
  auto key = [](const State& s) { return 2 * s.node + (s.up ? 1 : 0); };
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> came_from(2 * g.size(), kNone);
  std::deque<State> queue;
  for (std::size_t x : xs) {
    const State s{x, true};
    came_from[key(s)] = key(s);
    queue.push_back(s);
  }
  std::optional<State> reached;
  while (!queue.empty() && !reached) {
    const State s = queue.front();
    queue.pop_front();
    auto push = [&](State next) {
      if (came_from[key(next)] != kNone) return;
      came_from[key(next)] = key(s);
      if (in_y[next.node] && !in_z[next.node] && !reached) reached = next;
      queue.push_back(next);
    };
    const std::size_t v = s.node;
    if (s.up && !in_z[v]) {
      for (std::size_t p : g.parents(v)) push({p, true});
      for (std::size_t c : g.children(v)) push({c, false});
    } else if (!s.up) {
      if (!in_z[v])
        for (std::size_t c : g.children(v)) push({c, false});
      if (in_anz[v])
        for (std::size_t p : g.parents(v)) push({p, true});
    }
  }
  if (!reached) return std::nullopt;

  std::vector<std::size_t> nodes;
  for (std::size_t k = key(*reached);; k = came_from[k]) {
    nodes.push_back(k / 2);
    if (came_from[k] == k) break;
  }
  std::reverse(nodes.begin(), nodes.end());
  auto with_directions = [&](std::vector<std::size_t> ns) {
    GraphPath p{std::move(ns), {}};
    for (std::size_t i = 0; i + 1 < p.nodes.size(); ++i)
      p.forward.push_back(edge_between(g, p.nodes[i], p.nodes[i + 1]));
    return p;
  };
  GraphPath path = with_directions(nodes);
  // The shortest walk may pass a node twice; cut the loop out when what is left is still open.
  for (bool shortened = true; shortened;) {
    shortened = false;
    for (std::size_t i = 0; i < path.nodes.size() && !shortened; ++i)
      for (std::size_t j = path.nodes.size() - 1; j > i && !shortened; --j)
        if (path.nodes[i] == path.nodes[j]) {
          std::vector<std::size_t> cut(path.nodes.begin(),
                                       path.nodes.begin() + static_cast<std::ptrdiff_t>(i));
          cut.insert(cut.end(), path.nodes.begin() + static_cast<std::ptrdiff_t>(j), path.nodes.end());
          GraphPath candidate = with_directions(cut);
          if (path_is_open(candidate, in_z, in_anz)) {
            path = std::move(candidate);
            shortened = true;
          }
        }
  }
  return path;
}

bool d_separated(const CausalGraph& g, const NodeSet& xs, const NodeSet& ys, const NodeSet& zs) {
  return !open_path(g, xs, ys, zs).has_value();
}

std::vector<std::string> path_names(const CausalGraph& g, const GraphPath& path) {
  std::vector<std::string> names;
  for (std::size_t v : path.nodes) names.push_back(g.node(v).name);
  return names;
}

std::string path_text(const CausalGraph& g, const GraphPath& path) {
  std::string text = path.nodes.empty() ? "" : g.node(path.nodes.front()).name;
  for (std::size_t i = 0; i + 1 < path.nodes.size(); ++i)
    text += fmt::format(" {} {}", path.forward[i] ? "->" : "<-", g.node(path.nodes[i + 1]).name);
  return text;
}

}  // namespace casebook
