#include "graph/identification.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

NodeSet nodes_named(const CausalGraph& g, const std::vector<std::string>& names) {
  NodeSet out;
  for (const auto& name : names) out.push_back(g.require(name));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> names_of(const CausalGraph& g, const NodeSet& nodes) {
  std::vector<std::string> out;
  for (std::size_t v : nodes) out.push_back(g.node(v).name);
  return out;
}

std::string set_text(const std::vector<std::string>& names) {
  return names.empty() ? "the empty set" : fmt::format("{{{}}}", fmt::join(names, ", "));
}

bool contains(const NodeSet& set, std::size_t v) { return std::find(set.begin(), set.end(), v) != set.end(); }

GraphPath directed(const CausalGraph&, const std::vector<std::size_t>& nodes) {
  return {nodes, std::vector<bool>(nodes.empty() ? 0 : nodes.size() - 1, true)};
}

// Adjustment-set members that descend from the treatment, with the path that shows it.
std::optional<GraphPath> post_treatment_member(const CausalGraph& g, std::size_t treatment,
                                               const NodeSet& set) {
  for (std::size_t w : set)
    if (auto path = directed_path(g, treatment, w); !path.empty()) return directed(g, path);
  return std::nullopt;
}

// Latent nodes on a path explain why no observed set can close it.
std::vector<std::string> latent_on(const CausalGraph& g, const GraphPath& path) {
  std::vector<std::string> out;
  for (std::size_t v : path.nodes)
    if (!g.node(v).observed) out.push_back(g.node(v).name);
  return out;
}

Identification check_backdoor(const CausalGraph& g, std::size_t t, std::size_t y, const NodeSet& w) {
  Identification id;
  id.criterion = Criterion::backdoor;
  id.adjustment_set = names_of(g, w);
  const std::string& T = g.node(t).name;
  const std::string& Y = g.node(y).name;
  if (auto minimal = minimal_backdoor_set(g, t, y)) id.minimal_adjustment_set = names_of(g, *minimal);

  const auto post = post_treatment_member(g, t, w);
  id.conditions.push_back(
      {"no_descendant_of_treatment", !post,
       post ? fmt::format("'{}' is affected by the treatment: {}", g.node(post->nodes.back()).name,
                          path_text(g, *post))
            : fmt::format("no variable in {} is affected by {}", set_text(id.adjustment_set), T)});
  const auto open = open_path(g.without_edges_out_of({t}), {t}, {y}, w);
  id.conditions.push_back(
      {"blocks_backdoor_paths", !open,
       open ? fmt::format("open backdoor path: {}", path_text(g, *open))
            : fmt::format("{} blocks every backdoor path from {} to {}", set_text(id.adjustment_set), T, Y)});
  id.valid = !post && !open;

  std::string remedy;
  if (id.minimal_adjustment_set)
    remedy =
        fmt::format(" Adjusting for {} would identify the effect.", set_text(*id.minimal_adjustment_set));
  else
    remedy = " No set of observed variables satisfies the backdoor criterion.";
  if (open) {
    id.open_path = open;
    const auto hidden = latent_on(g, *open);
    id.reason =
        fmt::format("A backdoor path from {} to {} is open given {}: {}{}.", T, Y,
                    set_text(id.adjustment_set), path_text(g, *open),
                    hidden.empty() ? ""
                                   : fmt::format(" ({} {} latent, so no analysis can condition on {})",
                                                 fmt::join(hidden, ", "), hidden.size() == 1 ? "is" : "are",
                                                 hidden.size() == 1 ? "it" : "them"));
    id.reason += remedy;
  } else if (post) {
    id.open_path = post;
    id.reason = fmt::format(
        "The adjustment set holds a variable the treatment affects ({}); adjusting for it "
        "breaks the backdoor criterion.{}",
        path_text(g, *post), remedy);
  } else if (w.empty()) {
    id.reason = fmt::format(
        "No backdoor path runs from {} to {}: nothing causes both, as in a randomized "
        "experiment, so the empty set satisfies the backdoor criterion.",
        T, Y);
  } else {
    id.reason =
        fmt::format("{} blocks every backdoor path from {} to {} and holds nothing the treatment affects.",
                    set_text(id.adjustment_set), T, Y);
  }
  return id;
}

Identification check_instrument(const CausalGraph& g, const NodeSet& zs, std::size_t t, std::size_t y,
                                const NodeSet& w) {
  Identification id;
  id.criterion = Criterion::instrument;
  id.adjustment_set = names_of(g, w);
  const std::string& T = g.node(t).name;
  const std::string& Y = g.node(y).name;
  const std::string Z = fmt::format("{}", fmt::join(names_of(g, zs), ", "));
  if (zs.empty()) {
    id.reason = "The analysis names no instrument.";
    id.conditions.push_back({"relevance", false, "no instrument"});
    return id;
  }

  const auto post = post_treatment_member(g, t, w);
  id.conditions.push_back({"no_descendant_of_treatment", !post,
                           post ? fmt::format("'{}' is affected by the treatment: {}",
                                              g.node(post->nodes.back()).name, path_text(g, *post))
                                : fmt::format("no covariate is affected by {}", T)});

  std::optional<GraphPath> relevance_path;
  for (std::size_t z : zs)
    if (auto p = directed_path(g, z, t, w); !p.empty() && !relevance_path) relevance_path = directed(g, p);
  id.conditions.push_back({"relevance", relevance_path.has_value(),
                           relevance_path ? fmt::format("directed path {}", path_text(g, *relevance_path))
                                          : fmt::format("no directed path from {} to {}", Z, T)});

  std::optional<GraphPath> bypass;
  for (std::size_t z : zs)
    if (auto p = directed_path(g, z, y, {t}); !p.empty() && !bypass) bypass = directed(g, p);
  id.conditions.push_back(
      {"exclusion", !bypass,
       bypass ? fmt::format("{} reaches {} without {}: {}", g.node(bypass->nodes.front()).name, Y, T,
                            path_text(g, *bypass))
              : fmt::format("every directed path from {} to {} passes through {}", Z, Y, T)});

  const auto open = open_path(g.without_edges_out_of({t}), zs, {y}, w);
  id.conditions.push_back(
      {"independence", !open,
       open ? fmt::format("open path {}", path_text(g, *open))
            : fmt::format("{} and {} are d-separated given {} once the edges out of {} are removed", Z, Y,
                          set_text(id.adjustment_set), T)});

  id.valid = !post && relevance_path && !bypass && !open;
  if (id.valid) {
    id.reason = fmt::format(
        "{} is a valid instrument for {} on {}: it moves {} ({}), reaches {} only through {}, "
        "and shares no open path with {} given {}.",
        Z, T, Y, T, path_text(g, *relevance_path), Y, T, Y, set_text(id.adjustment_set));
  } else if (post) {
    id.open_path = post;
    id.reason = fmt::format("A covariate is affected by the treatment ({}).", path_text(g, *post));
  } else if (!relevance_path) {
    id.reason = fmt::format("Relevance fails: no directed path from {} to {}.", Z, T);
  } else if (bypass) {
    id.open_path = bypass;
    id.reason = fmt::format("Exclusion fails: {} affects {} other than through {}: {}.",
                            g.node(bypass->nodes.front()).name, Y, T, path_text(g, *bypass));
  } else {
    id.open_path = open;
    id.reason =
        fmt::format("Independence fails: the instrument and the outcome share an open path given {}: {}.",
                    set_text(id.adjustment_set), path_text(g, *open));
  }
  return id;
}

Identification check_frontdoor(const CausalGraph& g, std::size_t t, std::size_t y, NodeSet m) {
  Identification id;
  id.criterion = Criterion::frontdoor;
  const std::string& T = g.node(t).name;
  const std::string& Y = g.node(y).name;
  if (m.empty()) {  // every observed node on a directed path from T to Y
    const NodeSet from_t = descendants(g, {t});
    const NodeSet to_y = ancestors(g, {y});
    for (std::size_t v : from_t)
      if (v != t && v != y && g.node(v).observed && contains(to_y, v)) m.push_back(v);
  }
  id.mediators = names_of(g, m);
  if (m.empty()) {
    id.conditions.push_back({"intercepts_directed_paths", false, "no mediator"});
    id.reason =
        fmt::format("No observed variable lies on a directed path from {} to {}: no front door.", T, Y);
    return id;
  }
  const std::string M = set_text(id.mediators);

  const auto bypass_nodes = directed_path(g, t, y, m);
  const std::optional<GraphPath> bypass =
      bypass_nodes.empty() ? std::nullopt : std::optional<GraphPath>(directed(g, bypass_nodes));
  id.conditions.push_back({"intercepts_directed_paths", !bypass,
                           bypass ? fmt::format("directed path avoiding {}: {}", M, path_text(g, *bypass))
                                  : fmt::format("{} intercepts every directed path from {} to {}", M, T, Y)});
  const auto treatment_side = open_path(g.without_edges_out_of({t}), {t}, m, {});
  id.conditions.push_back({"no_backdoor_to_mediators", !treatment_side,
                           treatment_side
                               ? fmt::format("open backdoor path {}", path_text(g, *treatment_side))
                               : fmt::format("no open backdoor path from {} to {}", T, M)});
  const auto mediator_side = open_path(g.without_edges_out_of(m), m, {y}, {t});
  id.conditions.push_back(
      {"treatment_blocks_mediator_backdoor", !mediator_side,
       mediator_side ? fmt::format("open backdoor path given {}: {}", T, path_text(g, *mediator_side))
                     : fmt::format("{} blocks every backdoor path from {} to {}", T, M, Y)});
  id.valid = !bypass && !treatment_side && !mediator_side;
  if (id.valid) {
    id.reason = fmt::format(
        "{} satisfies the front-door criterion: it carries all of {}'s effect on {}, {} has no "
        "open backdoor path to it, and {} blocks its backdoor paths to {}.",
        M, T, Y, T, T, Y);
  } else if (bypass) {
    id.open_path = bypass;
    id.reason = fmt::format("{} misses a directed path from {} to {}: {}.", M, T, Y, path_text(g, *bypass));
  } else if (treatment_side) {
    id.open_path = treatment_side;
    id.reason = fmt::format("A backdoor path from {} to the mediators is open: {}.", T,
                            path_text(g, *treatment_side));
  } else {
    id.open_path = mediator_side;
    id.reason = fmt::format("A backdoor path from the mediators to {} stays open given {}: {}.", Y, T,
                            path_text(g, *mediator_side));
  }
  return id;
}

}  // namespace

std::string to_string(Criterion criterion) {
  switch (criterion) {
    case Criterion::backdoor:
      return "backdoor";
    case Criterion::instrument:
      return "instrument";
    case Criterion::frontdoor:
      return "frontdoor";
  }
  return "backdoor";
}

Criterion criterion_from_string(const std::string& name, const std::string& where) {
  if (name == "backdoor") return Criterion::backdoor;
  if (name == "instrument") return Criterion::instrument;
  if (name == "frontdoor") return Criterion::frontdoor;
  throw InputError(
      where,
      fmt::format("unknown identification criterion '{}' (known: backdoor, instrument, frontdoor)", name));
}

bool satisfies_backdoor(const CausalGraph& g, std::size_t treatment, std::size_t outcome,
                        const NodeSet& adjustment) {
  return !post_treatment_member(g, treatment, adjustment) &&
         d_separated(g.without_edges_out_of({treatment}), {treatment}, {outcome}, adjustment);
}

std::optional<NodeSet> minimal_backdoor_set(const CausalGraph& g, std::size_t treatment,
                                            std::size_t outcome) {
  const NodeSet forbidden = descendants(g, {treatment});
  const CausalGraph cut = g.without_edges_out_of({treatment});
  NodeSet candidate;
  for (std::size_t v : ancestors(cut, {treatment, outcome}))
    if (v != outcome && g.node(v).observed && !contains(forbidden, v)) candidate.push_back(v);
  if (!satisfies_backdoor(g, treatment, outcome, candidate)) return std::nullopt;
  // Try dropping the last-defined nodes first; any order gives a set no node can leave.
  for (std::size_t i = candidate.size(); i-- > 0;) {
    NodeSet smaller = candidate;
    smaller.erase(smaller.begin() + static_cast<std::ptrdiff_t>(i));
    if (satisfies_backdoor(g, treatment, outcome, smaller)) candidate = std::move(smaller);
  }
  return candidate;
}

Identification identify(const CausalGraph& g, const IdentificationQuery& query) {
  const std::size_t t = g.require(query.treatment);
  const std::size_t y = g.require(query.outcome);
  const NodeSet w = nodes_named(g, query.covariates);
  Identification id;
  switch (query.criterion) {
    case Criterion::backdoor:
      id = check_backdoor(g, t, y, w);
      break;
    case Criterion::instrument:
      id = check_instrument(g, nodes_named(g, query.instruments), t, y, w);
      break;
    case Criterion::frontdoor:
      id = check_frontdoor(g, t, y, nodes_named(g, query.mediators));
      break;
  }
  if (id.open_path) id.open_path_text = path_text(g, *id.open_path);
  return id;
}

}  // namespace casebook
