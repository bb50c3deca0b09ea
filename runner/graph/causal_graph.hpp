#pragma once
// The causal graph (a DAG) of a case: one node per variable, an edge from every variable an
// expression reads to the variable it defines. Either the true graph, read off the structural
// causal model, or the graph an analyst believes (`assumed_graph` in case.json), which may
// leave out a confounder or draw an edge the wrong way.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "simulate/structural_model.hpp"

namespace casebook {

struct GraphNode {
  std::string name;
  Role role = Role::covariate;
  bool observed = true;
};

class CausalGraph {
 public:
  // Adds a node (no effect if one of that name exists) and returns its index.
  std::size_t add_node(GraphNode node);
  // Adds the edge from → to between existing nodes (a repeated edge is kept once).
  void add_edge(std::size_t from, std::size_t to);

  std::size_t size() const { return nodes_.size(); }
  const GraphNode& node(std::size_t i) const { return nodes_.at(i); }
  const std::vector<GraphNode>& nodes() const { return nodes_; }
  const std::vector<std::size_t>& parents(std::size_t i) const { return parents_.at(i); }
  const std::vector<std::size_t>& children(std::size_t i) const { return children_.at(i); }
  std::optional<std::size_t> index_of(std::string_view name) const;
  // Throws InputError ("the graph has no variable 'x'") when there is none.
  std::size_t require(std::string_view name) const;
  std::vector<std::pair<std::size_t, std::size_t>> edges() const;  // (from, to), sorted

  // A directed cycle as node names, first repeated at the end ("a", "b", "a"); empty if acyclic.
  std::vector<std::string> find_cycle() const;

  // The same graph without the edges out of the given nodes (G with those nodes "underlined").
  CausalGraph without_edges_out_of(const std::vector<std::size_t>& nodes) const;

  // A panel's edges from the previous period (x read through lag(x, …)): drawn on the
  // one-period template, but not part of the DAG the criteria check.
  void add_lagged_edge(std::size_t from, std::size_t to) { lagged_edges_.emplace_back(from, to); }
  const std::vector<std::pair<std::size_t, std::size_t>>& lagged_edges() const { return lagged_edges_; }

 private:
  std::vector<GraphNode> nodes_;
  std::vector<std::vector<std::size_t>> parents_, children_;
  std::vector<std::pair<std::size_t, std::size_t>> lagged_edges_;
};

// "a -> b -> c -> a", for messages.
std::string cycle_text(const std::vector<std::string>& cycle);

// The true graph of a simulation: parents are the variables each expression reads; in a panel,
// the one-period template, with `unit` and `period` as nodes when expressions read them (throws
// InputError, naming the variable, when an expression cannot be compiled or reads a later one).
CausalGraph graph_of_simulation(const SimulationSpec& simulation);
CausalGraph graph_of_model(const StructuralModel& model);

// The graph an analyst believes, as declared in case.json:
//   "assumed_graph": {"edges": [["a", "b"], …], "latent": ["u"], "description": "…"}
// Its nodes are the simulation's observed variables, every variable an edge names, and the
// declared latent ones (which may be hypothetical: absent from the simulation).
struct AssumedGraphSpec {
  std::vector<std::pair<std::string, std::string>> edges;
  std::vector<std::string> latent;
  std::string description;
  std::string where;  // e.g. "cases/x/case.json: assumed_graph", for messages
};

// Throws InputError naming `spec.where` for an edge between unknown variables, a latent
// declaration of an observed variable, or a cycle ("… the graph has a cycle: a -> b -> a").
CausalGraph graph_of_assumption(const AssumedGraphSpec& spec, const SimulationSpec& simulation);

}  // namespace casebook
