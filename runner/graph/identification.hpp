#pragma once
// Is an analysis's causal effect identified on a graph? Three graphical criteria, each stated
// exactly (G_{\underline{S}} is G without the edges out of the nodes S; "⟂ | W" is d-separation
// given W):
//
// backdoor (Pearl, Causality, 2nd ed. 2009, Def. 3.3.1) for treatment T, outcome Y and an
//   adjustment set W: (i) no node of W is a descendant of T; (ii) T ⟂ Y | W in G_{\underline{T}}
//   (W blocks every path from T to Y that begins with an arrow into T). A randomized
//   difference in means is the backdoor criterion with the empty set.
// instrument for instruments Z, T, Y and covariates W (a graphical form of the conditional
//   instrument, cf. Pearl 2009 Def. 7.4.1 and Brito & Pearl 2002): (i) W holds no descendant
//   of T; (ii) relevance: some Z has a directed path Z → … → T avoiding W; (iii) exclusion:
//   no Z has a directed path to Y that avoids T; (iv) independence: Z ⟂ Y | W in
//   G_{\underline{T}} (no open path between an instrument and the outcome other than through
//   the effect of T).
// frontdoor (Pearl 2009 Def. 3.3.3) for mediators M: (i) M intercepts every directed path
//   from T to Y; (ii) T ⟂ M in G_{\underline{T}} (no open backdoor path from T to M);
//   (iii) M ⟂ Y | T in G_{\underline{M}} (T blocks every backdoor path from M to Y).
//   Without declared mediators M is every observed node on a directed path from T to Y.
#include <optional>
#include <string>
#include <vector>

#include "graph/causal_graph.hpp"
#include "graph/d_separation.hpp"

namespace casebook {

enum class Criterion { backdoor, instrument, frontdoor };
std::string to_string(Criterion criterion);
// Throws InputError for a name other than backdoor, instrument, frontdoor.
Criterion criterion_from_string(const std::string& name, const std::string& where);

struct IdentificationQuery {
  Criterion criterion = Criterion::backdoor;
  std::string treatment, outcome;
  std::vector<std::string> instruments, covariates, mediators;
};

// One condition of a criterion, e.g. {"exclusion", true, "no directed path from z to y avoids t"}.
struct Condition {
  std::string name;
  bool holds = false;
  std::string detail;
};

struct Identification {
  Criterion criterion = Criterion::backdoor;
  bool valid = false;
  std::string reason;                       // one or two plain sentences
  std::vector<Condition> conditions;        // every condition checked, in order
  std::optional<GraphPath> open_path;       // the path that breaks it, when there is one
  std::string open_path_text;               // the same as "a <- u -> y", or empty
  std::vector<std::string> adjustment_set;  // the set conditioned on (covariates)
  std::vector<std::string> mediators;       // frontdoor: the mediators used
  // backdoor: a minimal valid adjustment set among the observed variables, when one exists
  // (empty set = nothing needed); nullopt when none exists.
  std::optional<std::vector<std::string>> minimal_adjustment_set;
};

// Throws InputError when a named variable is not in the graph.
Identification identify(const CausalGraph& g, const IdentificationQuery& query);

// The backdoor criterion alone (conditions i and ii), for tests and for the minimal set search.
bool satisfies_backdoor(const CausalGraph& g, std::size_t treatment, std::size_t outcome,
                        const NodeSet& adjustment);
// A minimal (no node can be dropped) backdoor set among observed non-descendants of T, or
// nullopt when none exists: by Tian, Paz & Pearl (1998), a separating set within the allowed
// nodes exists iff the allowed ancestors of {T, Y} in G_{\underline{T}} are one; it is then
// pruned node by node.
std::optional<NodeSet> minimal_backdoor_set(const CausalGraph& g, std::size_t treatment, std::size_t outcome);

}  // namespace casebook
