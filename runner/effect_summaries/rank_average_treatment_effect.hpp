#pragma once
// grf's rank_average_treatment_effect / rank_average_treatment_effect.fit (grf-labs/grf,
// r-package/grf/R/rank_average_treatment.R; Yadlowsky et al. 2021, arXiv:2111.07966) for one priority
// rule, from doubly robust scores Γ_i and priorities S_i (higher = treat first), each row weighted
// equally (grf's default).
//
// Sort the rows by S decreasing; rows with tied S all get their group's mean Γ (so the curve does not
// depend on how ties are ordered). With S_k the sum of the first k sorted scores and ATE = S_n / n:
//   TOC(k/n) = S_k / k − ATE,  AUTOC = (1/n) Σ_k TOC(k/n),  QINI = (1/n) Σ_k (k/n) TOC(k/n).
// On a grid q (grf's default 0.1, 0.2, …, 1; the last point must be 1) the TOC uses the first ⌊qn⌋ rows
// and a fraction qn − ⌊qn⌋ of the next: TOC(q) = (S_⌊qn⌋ + (qn − ⌊qn⌋) Γ_(⌊qn⌋+1)) / (qn) − ATE
// (the first row alone when qn < 1).
// Standard errors: grf's half-sample bootstrap. Each replicate draws ⌊G/2⌋ of the G clusters (rows
// without clusters) without replacement, recomputes RATE and the TOC grid on their rows, and the SE is the
// standard deviation of the replicates (divisor R − 1). Replicate r draws from a PCG generator keyed by
// derive_seed(seed, r) only, so the result is identical on any thread count.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace casebook {

enum class RateTarget { autoc, qini };

// "AUTOC" or "QINI" (any case). Throws InputError naming the accepted values.
RateTarget parse_rate_target(std::string_view text);
std::string_view to_string(RateTarget target);

// grf's default grid: 0.1, 0.2, …, 1.
std::vector<double> default_toc_grid();

struct RateOptions {
  RateTarget target = RateTarget::autoc;
  std::vector<double> q = default_toc_grid();  // strictly increasing, in (0, 1], last = 1
  std::size_t bootstrap_reps = 200;            // grf's R; at least 2
  std::uint64_t seed = 1;
  unsigned threads = 0;                   // 0: one per core
  std::span<const double> clusters = {};  // one id per row; empty: rows are the bootstrap units
};

struct TocPoint {
  double q = 0;
  double estimate = 0;
  double se = 0;
};

struct RankAverageTreatmentEffect {
  RateTarget target = RateTarget::autoc;
  double estimate = 0;
  double se = 0;
  std::vector<TocPoint> toc;
  std::size_t rows = 0;
  std::size_t clusters = 0;  // G (n without clusters)
  std::size_t bootstrap_reps = 0;
  std::uint64_t seed = 0;
};

// The point estimates only, on the given rows (rows may be any subset, in any order): element 0 is the
// RATE, then the TOC at each q. Exposed for tests; checks nothing.
std::vector<double> rate_statistics(std::span<const double> scores, std::span<const double> priorities,
                                    std::span<const std::size_t> rows, std::span<const double> q,
                                    RateTarget target);

// Throws InputError when the lengths differ, a score or priority is missing, the grid is not strictly
// increasing in (0, 1] ending at 1, bootstrap_reps < 2, or there are fewer than 4 clusters (rows), since
// a half sample must hold at least 2.
RankAverageTreatmentEffect rank_average_treatment_effect(std::span<const double> scores,
                                                         std::span<const double> priorities,
                                                         const RateOptions& options = {});

}  // namespace casebook
