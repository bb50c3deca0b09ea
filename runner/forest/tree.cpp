#include "forest/tree.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace casebook {
namespace {

// Below this node size, sorting each candidate's few codes beats clearing and scanning a
// 256-bin histogram.
constexpr std::size_t kSortBelow = 64;

struct Split {
  double score = 0;  // S_L²/n_L + S_R²/n_R
  std::size_t feature = 0;
  std::uint8_t bin = 0;
  bool found = false;
};

// The node's rows live contiguously in these arrays and are partitioned in place at each split,
// so a node's histogram pass reads memory sequentially (codes are copied row-major per tree).
struct Workspace {
  std::size_t p = 0;
  std::vector<std::uint32_t> ids;
  std::vector<std::uint8_t> codes;  // rows × p
  std::vector<double> responses;
  std::vector<double> balance;  // the rule's balance value z per row (stabilised splits only)
  // Histogram cells (candidate × bin), each cell's sums side by side so an update touches one cache line.
  struct Cell {
    double sum = 0;
    std::uint32_t count = 0;
    std::uint32_t small = 0;  // stabilised: rows with z below the node's mean
  };
  struct BalanceCell {
    double z = 0, zz = 0;  // stabilised: Σz and Σz²
  };
  std::vector<Cell> cells;
  std::vector<BalanceCell> balance_cells;
  std::vector<std::size_t> features;

  void swap_rows(std::size_t a, std::size_t b) {
    std::swap(ids[a], ids[b]);
    std::swap(responses[a], responses[b]);
    if (!balance.empty()) std::swap(balance[a], balance[b]);
    std::swap_ranges(codes.begin() + static_cast<std::ptrdiff_t>(a * p),
                     codes.begin() + static_cast<std::ptrdiff_t>((a + 1) * p),
                     codes.begin() + static_cast<std::ptrdiff_t>(b * p));
  }
};

// Sums of one side of a candidate split.
struct Side {
  std::size_t count = 0;
  double sum = 0;
  std::size_t small = 0;  // stabilised only
  double z = 0, zz = 0;   // stabilised only

  void add(double response, double balance_z, bool below) {
    ++count;
    sum += response;
    small += below ? 1 : 0;
    z += balance_z;
    zz += balance_z * balance_z;
  }
  double spread() const { return zz - z * z / static_cast<double>(count); }
};

// Which children a split may make: at least max(1, ⌈alpha·m⌉) rows each, or when stabilised,
// grf's rule (split_rule.hpp: min_node_size rows on each side of the parent's mean z, and a
// spread of z of at least alpha times the parent's).
struct ChildLimits {
  bool balanced = false;
  std::size_t min_rows = 1;
  std::size_t min_each_side = 0;
  double min_spread = 0;

  bool allow(const Side& left, const Side& node) const {
    const std::size_t right_count = node.count - left.count;
    if (!balanced) return left.count >= min_rows && right_count >= min_rows;
    const std::size_t right_small = node.small - left.small;
    if (left.small < min_each_side || left.count - left.small < min_each_side) return false;
    if (right_small < min_each_side || right_count - right_small < min_each_side) return false;
    if (left.count == 0 || right_count == 0) return false;
    Side right{right_count, node.sum - left.sum, right_small, node.z - left.z, node.zz - left.zz};
    return left.spread() >= min_spread && right.spread() >= min_spread;
  }
};

// Sorts a node's keys (code << 6 | position, already in position order): insertion sort for a
// handful, else a stable two-pass radix sort on the code's nibbles (linear, where insertion sort's
// shifts grow with the square of the node size).
void sort_small_keys(std::uint16_t* keys, std::size_t size) {
  if (size <= 16) {
    for (std::size_t i = 1; i < size; ++i) {
      const std::uint16_t item = keys[i];
      std::size_t j = i;
      for (; j > 0 && keys[j - 1] > item; --j) keys[j] = keys[j - 1];
      keys[j] = item;
    }
    return;
  }
  std::uint16_t buffer[kSortBelow];
  auto pass = [size](const std::uint16_t* from, std::uint16_t* to, int shift) {
    std::uint8_t starts[17] = {};
    for (std::size_t i = 0; i < size; ++i) ++starts[((from[i] >> shift) & 15u) + 1];
    for (std::size_t b = 1; b <= 16; ++b) starts[b] = static_cast<std::uint8_t>(starts[b] + starts[b - 1]);
    for (std::size_t i = 0; i < size; ++i) to[starts[(from[i] >> shift) & 15u]++] = from[i];
  };
  pass(keys, buffer, 6);
  pass(buffer, keys, 10);
}

// grf's honesty.prune.leaves: a split one of whose children received no fill row is removed, the
// node taking the place of its non-empty child, so every point reaches a leaf with statistics.
// Returns true when no fill row reached the subtree (the caller then prunes this node in turn).
bool prune_empty(Tree& tree, std::size_t node) {
  const TreeNode here = tree.nodes[node];
  if (here.left < 0) return tree.leaf_sizes[here.leaf] == 0;
  const auto left = static_cast<std::size_t>(here.left);
  const bool left_empty = prune_empty(tree, left), right_empty = prune_empty(tree, left + 1);
  if (left_empty && right_empty) return true;
  if (left_empty)
    tree.nodes[node] = tree.nodes[left + 1];
  else if (right_empty)
    tree.nodes[node] = tree.nodes[left];
  return false;
}

void consider(Split& best, double score, std::size_t feature, std::uint8_t bin) {
  if (!best.found || score > best.score) best = {score, feature, bin, true};
}

Split best_split(Workspace& w, std::size_t begin, std::size_t end, std::size_t candidates,
                 const ChildLimits& limits, const Side& node, double z_mean) {
  const std::size_t size = end - begin;
  const double n = static_cast<double>(size);
  const bool balanced = limits.balanced;
  Split best;
  auto scan = [&](std::size_t feature, const Side& left, std::uint8_t bin) {
    if (!limits.allow(left, node)) return;
    const double right_sum = node.sum - left.sum;
    const double left_n = static_cast<double>(left.count);
    consider(best, left.sum * left.sum / left_n + right_sum * right_sum / (n - left_n), feature, bin);
  };
  if (size < kSortBelow) {
    // Sort 16-bit keys (code << 6 | position in the node): moving 2 bytes instead of a row's values,
    // and ties in the code keep the node's order, as a stable sort would, so splits are unchanged.
    static_assert(kSortBelow <= 64, "positions must fit in the key's 6 low bits");
    std::uint16_t keys[kSortBelow];
    for (std::size_t k = 0; k < candidates; ++k) {
      const std::size_t f = w.features[k];
      for (std::size_t r = begin; r < end; ++r)
        keys[r - begin] = static_cast<std::uint16_t>(w.codes[r * w.p + f] << 6 | (r - begin));
      sort_small_keys(keys, size);
      Side left;
      for (std::size_t i = 0; i + 1 < size; ++i) {
        const std::size_t r = begin + (keys[i] & 63u);
        const double z = balanced ? w.balance[r] : 0.0;
        left.add(w.responses[r], z, z < z_mean);
        const auto code = static_cast<std::uint8_t>(keys[i] >> 6);
        if (code != keys[i + 1] >> 6) scan(f, left, code);
      }
    }
    return best;
  }
  constexpr std::size_t kBins = BinnedMatrix::kMaxBins;
  const auto cells = static_cast<std::ptrdiff_t>(candidates * kBins);
  std::fill(w.cells.begin(), w.cells.begin() + cells, Workspace::Cell{});
  if (balanced) {
    std::fill(w.balance_cells.begin(), w.balance_cells.begin() + cells, Workspace::BalanceCell{});
    for (std::size_t r = begin; r < end; ++r) {
      const std::uint8_t* row = w.codes.data() + r * w.p;
      const double y = w.responses[r], z = w.balance[r];
      const std::uint32_t below = z < z_mean ? 1u : 0u;
      for (std::size_t k = 0; k < candidates; ++k) {
        const std::size_t at = k * kBins + row[w.features[k]];
        Workspace::Cell& cell = w.cells[at];
        cell.sum += y;
        ++cell.count;
        cell.small += below;
        w.balance_cells[at].z += z;
        w.balance_cells[at].zz += z * z;
      }
    }
  } else {
    for (std::size_t r = begin; r < end; ++r) {
      const std::uint8_t* row = w.codes.data() + r * w.p;
      const double y = w.responses[r];
      for (std::size_t k = 0; k < candidates; ++k) {
        Workspace::Cell& cell = w.cells[k * kBins + row[w.features[k]]];
        cell.sum += y;
        ++cell.count;
      }
    }
  }
  for (std::size_t k = 0; k < candidates; ++k) {
    Side left;
    for (std::size_t b = 0; b + 1 < kBins && left.count < size; ++b) {
      const Workspace::Cell& cell = w.cells[k * kBins + b];
      if (cell.count == 0) continue;
      left.count += cell.count;
      left.sum += cell.sum;
      if (balanced) {
        left.small += cell.small;
        left.z += w.balance_cells[k * kBins + b].z;
        left.zz += w.balance_cells[k * kBins + b].zz;
      }
      scan(w.features[k], left, static_cast<std::uint8_t>(b));
    }
  }
  return best;
}

}  // namespace

Tree grow_tree(const BinnedMatrix& x, const SplitRule& rule, const TreeOptions& options,
               std::span<const std::uint32_t> split_rows, std::span<const std::uint32_t> fill_rows,
               pcg32& rng) {
  Workspace w;
  w.p = x.cols();
  const std::size_t m = split_rows.size();
  w.ids.assign(split_rows.begin(), split_rows.end());
  w.codes.resize(m * w.p);
  w.responses.resize(m);
  for (std::size_t r = 0; r < m; ++r) {
    const auto row = x.row(w.ids[r]);
    std::copy(row.begin(), row.end(), w.codes.begin() + static_cast<std::ptrdiff_t>(r * w.p));
    if (!rule.relabels_per_node()) w.responses[r] = rule.response(w.ids[r]);
  }
  const bool balanced = rule.balances_splits();
  if (balanced) {
    w.balance.resize(m);
    for (std::size_t r = 0; r < m; ++r) w.balance[r] = rule.balance_value(w.ids[r]);
  }
  const std::size_t candidates = options.mtry == 0 ? w.p : std::min(options.mtry, w.p);
  w.cells.resize(candidates * BinnedMatrix::kMaxBins);
  if (balanced) w.balance_cells.resize(candidates * BinnedMatrix::kMaxBins);
  w.features.resize(w.p);

  Tree tree;
  std::uint32_t leaves = 0;
  struct Pending {
    std::size_t node, begin, end;
  };
  std::vector<Pending> stack{{0, 0, m}};
  tree.nodes.emplace_back();
  while (!stack.empty()) {
    const Pending at = stack.back();
    stack.pop_back();
    const std::size_t size = at.end - at.begin;
    auto make_leaf = [&] { tree.nodes[at.node].leaf = leaves++; };
    if (size <= options.min_node_size || size < 2) {
      make_leaf();
      continue;
    }
    if (rule.relabels_per_node())
      rule.node_responses(std::span(w.ids).subspan(at.begin, size),
                          std::span(w.responses).subspan(at.begin, size));
    Side node;
    double squares = 0, z_mean = 0;
    if (balanced) {
      for (std::size_t r = at.begin; r < at.end; ++r) z_mean += w.balance[r];
      z_mean /= static_cast<double>(size);
    }
    for (std::size_t r = at.begin; r < at.end; ++r) {
      node.add(w.responses[r], balanced ? w.balance[r] : 0.0, balanced && w.balance[r] < z_mean);
      squares += w.responses[r] * w.responses[r];
    }
    const double total = node.sum;
    // mtry covariates without replacement: a partial Fisher–Yates shuffle.
    std::iota(w.features.begin(), w.features.end(), std::size_t{0});
    for (std::size_t k = 0; k < candidates; ++k) {
      const std::size_t pick = k + rng(static_cast<std::uint32_t>(w.p - k));
      std::swap(w.features[k], w.features[pick]);
    }
    ChildLimits limits;
    limits.balanced = balanced;
    limits.min_rows = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::ceil(options.alpha * static_cast<double>(size))));
    limits.min_each_side = options.min_node_size;
    limits.min_spread = balanced ? options.alpha * node.spread() : 0.0;
    const Split split = best_split(w, at.begin, at.end, candidates, limits, node, z_mean);
    const double parent_score = total * total / static_cast<double>(size);
    // A split must reduce the sum of squares by more than rounding noise.
    if (!split.found || split.score - parent_score <= 1e-12 * std::max(squares, 1e-300)) {
      make_leaf();
      continue;
    }
    std::size_t lo = at.begin, hi = at.end;
    while (lo < hi) {
      if (w.codes[lo * w.p + split.feature] <= split.bin)
        ++lo;
      else
        w.swap_rows(lo, --hi);
    }
    const auto left = static_cast<std::int32_t>(tree.nodes.size());
    tree.nodes[at.node].left = left;
    tree.nodes[at.node].feature = static_cast<std::uint16_t>(split.feature);
    tree.nodes[at.node].bin = split.bin;
    tree.nodes.emplace_back();
    tree.nodes.emplace_back();
    stack.push_back({static_cast<std::size_t>(left) + 1, lo, at.end});
    stack.push_back({static_cast<std::size_t>(left), at.begin, lo});
  }

  const std::size_t k = rule.leaf_statistics();
  tree.leaf_means.assign(leaves * k, 0.0);
  tree.leaf_sizes.assign(leaves, 0);
  std::vector<double> statistics(k);
  for (const std::uint32_t row : fill_rows) {
    const std::uint32_t leaf = tree.leaf_of(x.row(row));
    rule.sample_statistics(row, statistics);
    for (std::size_t s = 0; s < k; ++s) tree.leaf_means[leaf * k + s] += statistics[s];
    ++tree.leaf_sizes[leaf];
  }
  for (std::size_t leaf = 0; leaf < leaves; ++leaf)
    if (tree.leaf_sizes[leaf] > 0)
      for (std::size_t s = 0; s < k; ++s)
        tree.leaf_means[leaf * k + s] /= static_cast<double>(tree.leaf_sizes[leaf]);
  if (options.prune_empty_leaves) prune_empty(tree, 0);
  return tree;
}

}  // namespace casebook
