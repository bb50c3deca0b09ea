#include "effect_summaries/rank_average_treatment_effect.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <string>

#include <fmt/format.h>
#include <boost/random/uniform_int_distribution.hpp>
#include <pcg_random.hpp>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "inference/cluster_index.hpp"

namespace casebook {

RateTarget parse_rate_target(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "autoc") return RateTarget::autoc;
  if (lower == "qini") return RateTarget::qini;
  throw InputError(fmt::format("RATE target '{}' is not one of: AUTOC, QINI", text));
}

std::string_view to_string(RateTarget target) { return target == RateTarget::qini ? "QINI" : "AUTOC"; }

std::vector<double> default_toc_grid() {
  std::vector<double> q(10);
  for (std::size_t i = 0; i < q.size(); ++i) q[i] = static_cast<double>(i + 1) / 10.0;
  return q;
}

std::vector<double> rate_statistics(std::span<const double> scores, std::span<const double> priorities,
                                    std::span<const std::size_t> rows, std::span<const double> q,
                                    RateTarget target) {
  std::vector<std::size_t> order(rows.begin(), rows.end());
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return priorities[a] > priorities[b]; });
  const std::size_t m = order.size();
  // Scores in priority order, each tied group replaced by its mean.
  std::vector<double> sorted(m);
  for (std::size_t start = 0; start < m;) {
    std::size_t end = start;
    double sum = 0;
    while (end < m && priorities[order[end]] == priorities[order[start]]) sum += scores[order[end++]];
    std::fill(sorted.begin() + static_cast<std::ptrdiff_t>(start),
              sorted.begin() + static_cast<std::ptrdiff_t>(end), sum / static_cast<double>(end - start));
    start = end;
  }
  std::vector<double> prefix(m + 1, 0.0);  // prefix[k] = sum of the first k sorted scores
  for (std::size_t k = 0; k < m; ++k) prefix[k + 1] = prefix[k] + sorted[k];
  const auto count = static_cast<double>(m);
  const double ate = prefix[m] / count;

  double rate = 0;
  for (std::size_t k = 1; k <= m; ++k) {
    const double toc = prefix[k] / static_cast<double>(k) - ate;
    rate += target == RateTarget::autoc ? toc : static_cast<double>(k) / count * toc;
  }
  std::vector<double> out{rate / count};
  for (const double fraction : q) {
    const double covered = fraction * count;
    // Whole rows within the top share (grf's 1e-15 guards against a product like 0.3 · 10 rounding below 3).
    const auto whole = std::min(m, static_cast<std::size_t>(std::floor(covered + 1e-15)));
    if (whole == 0) {
      out.push_back(sorted[0] - ate);
      continue;
    }
    const double remainder = covered - static_cast<double>(whole);
    const double next = sorted[std::min(whole, m - 1)];
    out.push_back((prefix[whole] + remainder * next) / (static_cast<double>(whole) + remainder) - ate);
  }
  return out;
}

RankAverageTreatmentEffect rank_average_treatment_effect(std::span<const double> scores,
                                                         std::span<const double> priorities,
                                                         const RateOptions& options) {
  const std::size_t n = scores.size();
  if (priorities.size() != n)
    throw InputError(
        fmt::format("rank average treatment effect: {} priorities for {} scores", priorities.size(), n));
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(scores[i]))
      throw InputError(fmt::format("rank average treatment effect: the score of row {} is missing", i + 1));
    if (std::isnan(priorities[i]))
      throw InputError(
          fmt::format("rank average treatment effect: the priority of row {} is missing", i + 1));
  }
  const std::vector<double>& q = options.q;
  if (q.empty() || q.back() != 1.0 || !(q.front() > 0) ||
      std::adjacent_find(q.begin(), q.end(), std::greater_equal<>()) != q.end())
    throw InputError(
        "rank average treatment effect: the TOC grid q must be strictly increasing in (0, 1] and end at 1");
  if (options.bootstrap_reps < 2)
    throw InputError(
        fmt::format("rank average treatment effect: needs at least 2 bootstrap replicates (got {})",
                    options.bootstrap_reps));
  const ClusterCodes clusters = make_cluster_codes(options.clusters, n, "rank average treatment effect");
  const std::size_t half = clusters.count / 2;
  if (half < 2)
    throw InputError(
        fmt::format("rank average treatment effect: the half-sample bootstrap needs at least 4 {} "
                    "(got {})",
                    options.clusters.empty() ? "rows" : "clusters", clusters.count));

  std::vector<std::size_t> all_rows(n);
  std::iota(all_rows.begin(), all_rows.end(), std::size_t{0});
  const std::vector<double> point = rate_statistics(scores, priorities, all_rows, q, options.target);

  const auto members = rows_of_clusters(clusters);
  std::vector<std::vector<double>> replicates(options.bootstrap_reps);
  parallel_for(options.bootstrap_reps, options.threads, [&](std::size_t r) {
    pcg64 generator;
    seed_from_key(generator, derive_seed(options.seed, r));
    // The first `half` entries of a partial Fisher–Yates shuffle: a draw without replacement.
    std::vector<std::size_t> picked(clusters.count);
    std::iota(picked.begin(), picked.end(), std::size_t{0});
    std::vector<std::size_t> rows;
    for (std::size_t j = 0; j < half; ++j) {
      boost::random::uniform_int_distribution<std::size_t> draw(j, clusters.count - 1);
      std::swap(picked[j], picked[draw(generator)]);
      rows.insert(rows.end(), members[picked[j]].begin(), members[picked[j]].end());
    }
    replicates[r] = rate_statistics(scores, priorities, rows, q, options.target);
  });

  // SD over replicates of each statistic, divisor R − 1 (R's sd).
  const auto reps = static_cast<double>(options.bootstrap_reps);
  std::vector<double> se(point.size());
  for (std::size_t s = 0; s < point.size(); ++s) {
    double mean = 0;
    for (const auto& rep : replicates) mean += rep[s];
    mean /= reps;
    double squares = 0;
    for (const auto& rep : replicates) squares += (rep[s] - mean) * (rep[s] - mean);
    se[s] = std::sqrt(squares / (reps - 1));
  }

  RankAverageTreatmentEffect out;
  out.target = options.target;
  out.estimate = point[0];
  out.se = se[0];
  out.rows = n;
  out.clusters = clusters.count;
  out.bootstrap_reps = options.bootstrap_reps;
  out.seed = options.seed;
  for (std::size_t j = 0; j < q.size(); ++j) out.toc.push_back({q[j], point[j + 1], se[j + 1]});
  return out;
}

}  // namespace casebook
