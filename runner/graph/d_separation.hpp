#pragma once
// d-separation in a DAG, by the reachability ("Bayes-ball") algorithm of Koller & Friedman,
// Probabilistic Graphical Models (2009), Algorithm 3.1; and the open path that shows why two
// sets are not d-separated.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "graph/causal_graph.hpp"

namespace casebook {

using NodeSet = std::vector<std::size_t>;

// The nodes themselves and everything with a directed path into (ancestors) or out of
// (descendants) them, sorted.
NodeSet ancestors(const CausalGraph& g, const NodeSet& nodes);
NodeSet descendants(const CausalGraph& g, const NodeSet& nodes);

// A directed path from → … → to whose intermediate nodes avoid `avoid`, or empty.
std::vector<std::size_t> directed_path(const CausalGraph& g, std::size_t from, std::size_t to,
                                       const NodeSet& avoid = {});

// A path between two nodes, node by node, and the direction of each step: forward[i] is true
// when the edge between nodes[i] and nodes[i+1] points from i to i+1.
struct GraphPath {
  std::vector<std::size_t> nodes;
  std::vector<bool> forward;
};

// Is every path between xs and ys blocked by zs? The sets must be disjoint.
bool d_separated(const CausalGraph& g, const NodeSet& xs, const NodeSet& ys, const NodeSet& zs);
// An open (d-connecting) path from a node of xs to a node of ys given zs, if there is one.
std::optional<GraphPath> open_path(const CausalGraph& g, const NodeSet& xs, const NodeSet& ys,
                                   const NodeSet& zs);

// "became_member <- affinity -> days_visited_post".
std::string path_text(const CausalGraph& g, const GraphPath& path);
std::vector<std::string> path_names(const CausalGraph& g, const GraphPath& path);

}  // namespace casebook
