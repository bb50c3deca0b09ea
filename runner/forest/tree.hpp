#pragma once
// One tree of a forest: grown on binned covariates with histogram split search, honest leaves.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <pcg_random.hpp>

#include "forest/binned_matrix.hpp"
#include "forest/split_rule.hpp"

namespace casebook {

struct TreeOptions {
  std::size_t mtry = 0;           // candidate covariates per node; 0: all
  std::size_t min_node_size = 5;  // a node with at most this many split rows is a leaf (grf's min.node.size)
  double alpha = 0.05;  // each child holds at least max(1, alpha × node size) rows (grf's imbalance)
  bool prune_empty_leaves =
      true;  // grf's honesty.prune.leaves: drop splits that left a child without fill rows
};

struct TreeNode {
  std::int32_t left = -1;  // index of the left child (right = left + 1); -1 for a leaf
  std::uint16_t feature = 0;
  std::uint8_t bin = 0;    // go left when code <= bin
  std::uint32_t leaf = 0;  // leaf index (leaves only)
};

struct Tree {
  std::vector<TreeNode> nodes;            // nodes[0] is the root
  std::vector<double> leaf_means;         // leaves × k: mean statistics of the leaf's fill rows
  std::vector<std::uint32_t> leaf_sizes;  // fill rows per leaf; 0: an empty leaf (unreachable once pruned)

  // The leaf a point (one binned row) falls into.
  std::uint32_t leaf_of(std::span<const std::uint8_t> row) const {
    std::size_t node = 0;
    while (nodes[node].left >= 0)
      node =
          static_cast<std::size_t>(nodes[node].left) + (row[nodes[node].feature] > nodes[node].bin ? 1 : 0);
    return nodes[node].leaf;
  }
};

// Grows a tree: `split_rows` choose the splits (a node of m rows is split when m > min_node_size,
// each child keeps at least max(1, ⌈alpha·m⌉) rows and the split reduces the responses' sum of
// squares), and `fill_rows` fill the leaves with their statistics (honesty); pass the same rows
// twice for an adaptive tree. Candidate covariates per node: `mtry` drawn without replacement.
// Ties between splits go to the first covariate drawn and the lowest bin, so a tree is a pure
// function of its inputs and `rng`.
Tree grow_tree(const BinnedMatrix& x, const SplitRule& rule, const TreeOptions& options,
               std::span<const std::uint32_t> split_rows, std::span<const std::uint32_t> fill_rows,
               pcg32& rng);

}  // namespace casebook
