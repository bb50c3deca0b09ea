#include "graph/causal_graph.hpp"

#include <algorithm>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

std::size_t CausalGraph::add_node(GraphNode node) {
  if (auto existing = index_of(node.name)) return *existing;
  nodes_.push_back(std::move(node));
  parents_.emplace_back();
  children_.emplace_back();
  return nodes_.size() - 1;
}

void CausalGraph::add_edge(std::size_t from, std::size_t to) {
  auto& kids = children_.at(from);
  if (std::find(kids.begin(), kids.end(), to) != kids.end()) return;
  kids.push_back(to);
  parents_.at(to).push_back(from);
}

std::optional<std::size_t> CausalGraph::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) return i;
  return std::nullopt;
}

std::size_t CausalGraph::require(std::string_view name) const {
  if (auto i = index_of(name)) return *i;
  throw InputError(fmt::format("the causal graph has no variable '{}'", name));
}

std::vector<std::pair<std::size_t, std::size_t>> CausalGraph::edges() const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    for (std::size_t j : children_[i]) out.emplace_back(i, j);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> CausalGraph::find_cycle() const {
  // Depth-first search; a back edge to a node still on the stack closes a cycle.
  enum class Mark { unseen, on_stack, done };
  std::vector<Mark> mark(nodes_.size(), Mark::unseen);
  std::vector<std::size_t> stack;
  std::vector<std::string> cycle;
  auto visit = [&](auto&& self, std::size_t v) -> bool {
    mark[v] = Mark::on_stack;
    stack.push_back(v);
    std::vector<std::size_t> kids = children_[v];
    std::sort(kids.begin(), kids.end());
    for (std::size_t w : kids) {
      if (mark[w] == Mark::on_stack) {
        auto from = std::find(stack.begin(), stack.end(), w);
        for (auto it = from; it != stack.end(); ++it) cycle.push_back(nodes_[*it].name);
        cycle.push_back(nodes_[w].name);
        return true;
      }
      if (mark[w] == Mark::unseen && self(self, w)) return true;
    }
    stack.pop_back();
    mark[v] = Mark::done;
    return false;
  };
  for (std::size_t v = 0; v < nodes_.size(); ++v)
    if (mark[v] == Mark::unseen && visit(visit, v)) break;
  return cycle;
}

CausalGraph CausalGraph::without_edges_out_of(const std::vector<std::size_t>& cut) const {
  CausalGraph g;
  for (const auto& n : nodes_) g.add_node(n);
  for (const auto& [from, to] : edges())
    if (std::find(cut.begin(), cut.end(), from) == cut.end()) g.add_edge(from, to);
  return g;
}

std::string cycle_text(const std::vector<std::string>& cycle) {
  return fmt::format("{}", fmt::join(cycle, " -> "));
}

CausalGraph graph_of_model(const StructuralModel& model) {
  CausalGraph g;
  const auto& variables = model.spec().variables;
  for (const auto& v : variables) g.add_node({v.name, v.role, v.observed});
  // A panel's index columns are not variables of the spec, but expressions may read them.
  auto node_of = [&](const std::string& name) {
    if (auto i = g.index_of(name)) return *i;
    return g.add_node({name, name == kPeriodColumn ? Role::time : Role::cluster, true});
  };
  // parents() leaves out a panel's `unit` and `period`; an expression that names them depends on them.
  static const std::regex reads_unit("\\bunit\\b"), reads_period("\\bperiod\\b");
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (model.is_panel()) {
      if (std::regex_search(variables[i].expr, reads_unit)) g.add_edge(node_of(kUnitColumn), i);
      if (std::regex_search(variables[i].expr, reads_period)) g.add_edge(node_of(kPeriodColumn), i);
    }
    for (const auto& parent : model.parents(i)) g.add_edge(node_of(parent), i);
    if (model.is_panel())
      for (const auto& parent : model.lagged_parents(i)) g.add_lagged_edge(node_of(parent), i);
  }
  return g;
}

CausalGraph graph_of_simulation(const SimulationSpec& simulation) {
  return graph_of_model(StructuralModel(simulation));
}

CausalGraph graph_of_assumption(const AssumedGraphSpec& spec, const SimulationSpec& simulation) {
  auto simulated = [&](const std::string& name) -> const VariableSpec* {
    for (const auto& v : simulation.variables)
      if (v.name == name) return &v;
    return nullptr;
  };
  const std::set<std::string> declared_latent(spec.latent.begin(), spec.latent.end());
  for (const auto& name : spec.latent) {
    const VariableSpec* v = simulated(name);
    if (v && v->observed)
      throw InputError(
          spec.where + ".latent",
          fmt::format("'{}' is an observed variable of the simulation, so it cannot be latent", name));
  }
  CausalGraph g;
  auto node_for = [&](const std::string& name) -> GraphNode {
    if (const VariableSpec* v = simulated(name)) return {v->name, v->role, v->observed};
    return {name, Role::latent, false};
  };
  for (const auto& v : simulation.variables)
    if (v.observed) g.add_node(node_for(v.name));
  for (std::size_t e = 0; e < spec.edges.size(); ++e) {
    for (const auto* name : {&spec.edges[e].first, &spec.edges[e].second})
      if (!simulated(*name) && !declared_latent.count(*name))
        throw InputError(
            fmt::format("{}.edges[{}]", spec.where, e),
            fmt::format("'{}' is not a variable of the simulation (declare a hypothetical unobserved "
                        "variable in assumed_graph.latent)",
                        *name));
    const std::size_t from = g.add_node(node_for(spec.edges[e].first));
    const std::size_t to = g.add_node(node_for(spec.edges[e].second));
    g.add_edge(from, to);
  }
  for (const auto& name : spec.latent) g.add_node(node_for(name));
  if (auto cycle = g.find_cycle(); !cycle.empty())
    throw InputError(spec.where + ".edges", fmt::format("the graph has a cycle: {}", cycle_text(cycle)));
  return g;
}

}  // namespace casebook
