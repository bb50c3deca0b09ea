#pragma once
// What the causal and the instrumental forest share once their split rule is built: the effect
// at every training row, out of bag and with little-bag variances, and what to tell the reader
// about the rows where either is missing.
#include <cstddef>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "forest/forest.hpp"

namespace casebook {

// Grows the forest of `rule` batch by batch (predict_while_growing) and writes into `fit` its
// out-of-bag cate, cate_variance (when options.ci_group_size > 1), fallback_points and
// variance_missing.
template <class Fit>
void grow_out_of_bag_effect(const BinnedMatrix& x, const SplitRule& rule, const ForestOptions& options,
                            Fit& fit) {
  std::vector<std::uint32_t> rows(x.rows());
  std::iota(rows.begin(), rows.end(), std::uint32_t{0});
  const ForestQuery out_of_bag{&x, true, options.ci_group_size > 1};
  QueryPredictions p =
      predict_while_growing(x, rows, rule, options, std::span(&out_of_bag, 1), &fit.fallback_points).front();
  fit.cate = std::move(p.estimates);
  fit.cate_variance = std::move(p.variances);
  fit.variance_missing = p.variance_missing;
}

// The notes on rows without an out-of-bag tree or without a little-bag variance.
inline void add_out_of_bag_notes(std::vector<std::string>& notes, std::size_t fallback_points,
                                 std::size_t variance_missing) {
  if (fallback_points > 0)
    notes.push_back(
        fmt::format("{} rows had no out-of-bag tree; their CATE is the overall effect", fallback_points));
  if (variance_missing > 0)
    notes.push_back(fmt::format(
        "{} rows had fewer than two little bags out of bag; their cate_variance is NA", variance_missing));
}

}  // namespace casebook
