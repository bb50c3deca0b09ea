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
  std::vector<double> bin_sums;
  std::vector<std::uint32_t> bin_counts;
  std::vector<std::pair<std::uint8_t, double>> sorted;
  std::vector<std::size_t> features;

  void swap_rows(std::size_t a, std::size_t b) {
    std::swap(ids[a], ids[b]);
    std::swap(responses[a], responses[b]);
    std::swap_ranges(codes.begin() + static_cast<std::ptrdiff_t>(a * p),
                     codes.begin() + static_cast<std::ptrdiff_t>((a + 1) * p),
                     codes.begin() + static_cast<std::ptrdiff_t>(b * p));
  }
};

void consider(Split& best, double score, std::size_t feature, std::uint8_t bin) {
  if (!best.found || score > best.score) best = {score, feature, bin, true};
}

Split best_split(Workspace& w, std::size_t begin, std::size_t end, std::size_t candidates,
                 std::size_t min_child, double total) {
  const std::size_t size = end - begin;
  const double n = static_cast<double>(size);
  Split best;
  auto scan = [&](std::size_t feature, std::size_t left_count, double left_sum, std::uint8_t bin) {
    if (left_count < min_child || size - left_count < min_child) return;
    const double right_sum = total - left_sum;
    const double left_n = static_cast<double>(left_count);
    consider(best, left_sum * left_sum / left_n + right_sum * right_sum / (n - left_n), feature, bin);
  };
  if (size < kSortBelow) {
    for (std::size_t k = 0; k < candidates; ++k) {
      const std::size_t f = w.features[k];
      w.sorted.clear();
      for (std::size_t r = begin; r < end; ++r) w.sorted.emplace_back(w.codes[r * w.p + f], w.responses[r]);
      // Insertion sort: stable like std::stable_sort (so splits are unchanged) but without the
      // heap buffer std::stable_sort takes on every call, which dominated small nodes.
      for (std::size_t i = 1; i < w.sorted.size(); ++i) {
        const auto item = w.sorted[i];
        std::size_t j = i;
        for (; j > 0 && w.sorted[j - 1].first > item.first; --j) w.sorted[j] = w.sorted[j - 1];
        w.sorted[j] = item;
      }
      double left_sum = 0;
      for (std::size_t i = 0; i + 1 < w.sorted.size(); ++i) {
        left_sum += w.sorted[i].second;
        if (w.sorted[i].first != w.sorted[i + 1].first) scan(f, i + 1, left_sum, w.sorted[i].first);
      }
    }
    return best;
  }
  constexpr std::size_t kBins = BinnedMatrix::kMaxBins;
  std::fill(w.bin_sums.begin(), w.bin_sums.begin() + static_cast<std::ptrdiff_t>(candidates * kBins), 0.0);
  std::fill(w.bin_counts.begin(), w.bin_counts.begin() + static_cast<std::ptrdiff_t>(candidates * kBins), 0u);
  for (std::size_t r = begin; r < end; ++r) {
    const std::uint8_t* row = w.codes.data() + r * w.p;
    const double y = w.responses[r];
    for (std::size_t k = 0; k < candidates; ++k) {
      const std::size_t cell = k * kBins + row[w.features[k]];
      w.bin_sums[cell] += y;
      ++w.bin_counts[cell];
    }
  }
  for (std::size_t k = 0; k < candidates; ++k) {
    std::size_t left_count = 0;
    double left_sum = 0;
    for (std::size_t b = 0; b + 1 < kBins && left_count < size; ++b) {
      const std::uint32_t c = w.bin_counts[k * kBins + b];
      if (c == 0) continue;
      left_count += c;
      left_sum += w.bin_sums[k * kBins + b];
      scan(w.features[k], left_count, left_sum, static_cast<std::uint8_t>(b));
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
  const std::size_t candidates = options.mtry == 0 ? w.p : std::min(options.mtry, w.p);
  w.bin_sums.resize(candidates * BinnedMatrix::kMaxBins);
  w.bin_counts.resize(candidates * BinnedMatrix::kMaxBins);
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
      rule.node_responses(std::span(w.ids).subspan(at.begin, size), std::span(w.responses).subspan(at.begin, size));
    double total = 0, squares = 0;
    for (std::size_t r = at.begin; r < at.end; ++r) {
      total += w.responses[r];
      squares += w.responses[r] * w.responses[r];
    }
    // mtry covariates without replacement: a partial Fisher–Yates shuffle.
    std::iota(w.features.begin(), w.features.end(), std::size_t{0});
    for (std::size_t k = 0; k < candidates; ++k) {
      const std::size_t pick = k + rng(static_cast<std::uint32_t>(w.p - k));
      std::swap(w.features[k], w.features[pick]);
    }
    const auto min_child =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(options.alpha * static_cast<double>(size))));
    const Split split = best_split(w, at.begin, at.end, candidates, min_child, total);
    const double parent_score = total * total / static_cast<double>(size);
    // A split must reduce the sum of squares by more than rounding noise.
    if (!split.found || split.score - parent_score <= 1e-12 * std::max(squares, 1e-300)) {
      make_leaf();
      continue;
    }
    std::size_t lo = at.begin, hi = at.end;
    while (lo < hi) {
      if (w.codes[lo * w.p + split.feature] <= split.bin) ++lo;
      else w.swap_rows(lo, --hi);
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
      for (std::size_t s = 0; s < k; ++s) tree.leaf_means[leaf * k + s] /= static_cast<double>(tree.leaf_sizes[leaf]);
  return tree;
}

}  // namespace casebook
