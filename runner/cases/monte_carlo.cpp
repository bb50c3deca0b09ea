#include "cases/monte_carlo.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <ostream>

#include <fmt/format.h>

#include "cases/case_run.hpp"
#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "core/memory_check.hpp"
#include "core/parallel_for.hpp"
#include "inference/binomial_proportion.hpp"
#include "refute/refutation.hpp"
#include "simulate/simulation_size.hpp"

namespace casebook {
namespace {

// The bytes one kept Replication takes: its five vectors, their elements and the allocator's
// bookkeeping (about 16 bytes a block).
double replication_bytes(const Case& c, bool with_refutations) {
  constexpr double kBlock = 16;
  const double refutations = with_refutations ? static_cast<double>(c.refutations.size()) : 0;
  return sizeof(Replication) + 5 * kBlock + static_cast<double>(c.analyses.size()) * sizeof(AnalysisDraw) +
         static_cast<double>(c.claims.size()) * (sizeof(std::optional<bool>) + sizeof(std::string)) +
         refutations * (sizeof(Verdict) + sizeof(std::optional<double>));
}

Replication run_replication(const Case& c, std::uint64_t seed, std::size_t n, bool with_refutations) {
  const SimulatedSample sample = simulate_case(c, seed, n, /*threads=*/1);
  const std::vector<AnalysisResult> analyses =
      run_analyses(c, sample.observed, sample.truth, /*threads=*/1, sample.row_truth);
  // Refutations are costly (each repeats an estimator many times), so they run only when asked
  // for; otherwise claims about them are skipped.
  std::vector<RefutationResult> refutations;
  if (with_refutations) refutations = run_refutations(c, sample.observed, analyses, seed, /*threads=*/1);
  const std::vector<ClaimResult> claims =
      check_claims(c, analyses, with_refutations ? &refutations : nullptr);
  Replication out;
  for (const auto& a : analyses)
    out.analyses.push_back(
        {a.estimate.estimate, a.estimate.se, a.estimate.ci_low, a.estimate.ci_high, a.truth});
  for (const auto& claim : claims) {
    out.claims.push_back(claim.pass);
    out.claim_skips.emplace_back(claim.skip_phrase);
  }
  for (const auto& r : refutations) {
    out.refutations.push_back(verdict_of(r));
    out.refutation_levels.push_back(r.level);
  }
  return out;
}

AnalysisSummary summarise_analysis(const AnalysisSpec& spec, const std::vector<Replication>& replications,
                                   std::size_t index) {
  AnalysisSummary s;
  s.id = spec.id;
  s.label = spec.label;
  s.estimator = spec.estimator;
  s.estimand = spec.estimand;
  s.confidence_level = spec.args.confidence_level;
  s.reps = replications.size();
  const auto count = static_cast<double>(replications.size());
  double truth_sum = 0, estimate_sum = 0, se_sum = 0, squared_error_sum = 0;
  std::size_t covered = 0;
  for (const auto& r : replications) {
    const AnalysisDraw& d = r.analyses[index];
    const double truth = d.truth.value_or(std::nan(""));
    truth_sum += truth;
    estimate_sum += d.estimate;
    se_sum += d.se;
    squared_error_sum += (d.estimate - truth) * (d.estimate - truth);
    if (d.ci_low <= truth && truth <= d.ci_high) ++covered;
  }
  s.mean_truth = truth_sum / count;
  s.mean_estimate = estimate_sum / count;
  s.bias = s.mean_estimate - s.mean_truth;
  s.rmse = std::sqrt(squared_error_sum / count);
  s.mean_se = se_sum / count;
  const BinomialProportion coverage = binomial_proportion(covered, replications.size());
  s.coverage = coverage.rate;
  s.coverage_se = coverage.se;
  s.coverage_low = coverage.wilson_low;
  s.coverage_high = coverage.wilson_high;
  if (replications.size() > 1) {
    double squares = 0;
    for (const auto& r : replications) {
      const double deviation = r.analyses[index].estimate - s.mean_estimate;
      squares += deviation * deviation;
    }
    s.sd_estimate = std::sqrt(squares / (count - 1));
  }
  return s;
}

ClaimSummary summarise_claim(const ClaimSpec& spec, const std::vector<Replication>& replications,
                             std::size_t index) {
  ClaimSummary s;
  s.id = spec.id;
  s.text = spec.text;
  for (const auto& r : replications) {
    const auto& pass = r.claims[index];
    if (!pass) {
      ++s.skipped;
      s.skip_phrase = r.claim_skips[index];
    } else if (*pass)
      ++s.passed;
    else
      ++s.failed;
  }
  if (s.passed + s.failed > 0) {
    const BinomialProportion rate = binomial_proportion(s.passed, s.passed + s.failed);
    s.pass_rate = rate.rate;
    s.pass_rate_se = rate.se;
  }
  return s;
}

bool expected_to_fail(const Case& c, const std::string& refutation) {
  return std::any_of(c.claims.begin(), c.claims.end(), [&](const ClaimSpec& claim) {
    return claim.kind == ClaimKind::refutation && claim.refutation == refutation && !claim.expect_pass;
  });
}

RefutationSummary summarise_refutation(const Case& c, const RefutationSpec& spec,
                                       const std::vector<Replication>& replications, std::size_t index) {
  RefutationSummary s;
  s.id = spec.id;
  s.refuter = spec.refuter;
  s.analysis = spec.analysis;
  s.expected_to_fail = expected_to_fail(c, spec.id);
  s.measures = !c.valid_counterpart.empty() || s.expected_to_fail ? "power" : "size";
  for (const auto& r : replications) {
    if (!s.level) s.level = r.refutation_levels[index];  // none when not assessable or a tolerance rule
    switch (r.refutations[index]) {
      case Verdict::pass:
        ++s.passed;
        break;
      case Verdict::fail:
        ++s.failed;
        break;
      case Verdict::not_assessable:
        ++s.not_assessable;
        break;
    }
  }
  if (const std::size_t assessed = s.passed + s.failed; assessed > 0) {
    const double p = static_cast<double>(s.failed) / static_cast<double>(assessed);
    s.rejection_rate = p;
    s.monte_carlo_se = std::sqrt(p * (1 - p) / static_cast<double>(assessed));
  }
  return s;
}

nlohmann::json number_or_null(const std::optional<double>& x) {
  return x && std::isfinite(*x) ? nlohmann::json(*x) : nlohmann::json();
}

}  // namespace

bool RefutationSummary::size_above_level() const {
  if (measures != "size" || !level || !rejection_rate) return false;
  const double assessed = static_cast<double>(passed + failed);
  return *rejection_rate > *level + 2 * std::sqrt(*level * (1 - *level) / assessed);
}

bool RefutationSummary::never_detects() const {
  return measures == "power" && rejection_rate && *rejection_rate == 0;
}

namespace {

MonteCarloSummary summary_header(const Case& c, const MonteCarloOptions& options) {
  if (options.reps == 0) throw InputError(fmt::format("case {}: Monte Carlo reps must be at least 1", c.id));
  MonteCarloSummary summary;
  summary.case_id = c.id;
  summary.reps = options.reps;
  summary.seed = options.seed.value_or(c.simulation.seed);
  summary.n = options.n.value_or(c.simulation.n);
  summary.valid_counterpart = c.valid_counterpart;
  summary.command = fmt::format("casebook mc {} --reps {} --seed {} --n {}{}", c.id, summary.reps,
                                summary.seed, summary.n, options.refutations ? " --refutations" : "");
  return summary;
}

}  // namespace

std::vector<Replication> run_replications(const Case& c, const MonteCarloOptions& options, std::size_t first,
                                          std::size_t count) {
  const MonteCarloSummary header = summary_header(c, options);
  if (first > options.reps || count > options.reps - first)
    throw InputError(fmt::format("case {}: replications {} to {} lie outside the run's {}", c.id, first + 1,
                                 first + count, options.reps));
  // Every replication's draws are kept for the summary, and each worker holds one replication's
  // tables (simulate_case's four) at a time: refused up front rather than hours in.
  const std::size_t workers =
      std::min<std::size_t>(resolve_threads(options.threads), std::max<std::size_t>(count, 1));
  require_memory(
      static_cast<double>(count) * replication_bytes(c, options.refutations) +
          static_cast<double>(workers) * 4 * simulation_bytes(c.simulation, header.n),
      memory_budget(), fmt::format("case {}: {} Monte Carlo replications at n = {}", c.id, count, header.n),
      fmt::format("every replication's draws, and four tables of {} variables on each of {} threads",
                  c.simulation.variables.size(), workers),
      "give fewer --reps, a smaller --n or fewer --threads");
  std::vector<Replication> replications(count);
  std::size_t done = 0;
  std::mutex progress_mutex;
  // parallel_for reports the first failing replication in index order, so the message is the
  // same on any thread count.
  parallel_for(count, options.threads, [&](std::size_t i) {
    const std::size_t r = first + i;
    try {
      replications[i] = run_replication(c, derive_seed(header.seed, r), header.n, options.refutations);
    } catch (const InputError& e) {
      throw InputError(fmt::format("case {}: Monte Carlo replication {} (seed {}): {}", c.id, r + 1,
                                   derive_seed(header.seed, r), e.what()));
    }
    const std::lock_guard lock(progress_mutex);
    ++done;
    if (options.progress) options.progress(done, count);
  });
  return replications;
}

MonteCarloSummary summarise_monte_carlo(const Case& c, const MonteCarloOptions& options,
                                        const std::vector<Replication>& replications) {
  MonteCarloSummary summary = summary_header(c, options);
  if (replications.size() != options.reps)
    throw InputError(fmt::format("case {}: {} replications to summarise, not the run's {}", c.id,
                                 replications.size(), options.reps));
  const std::size_t refutations = options.refutations ? c.refutations.size() : 0;
  for (std::size_t r = 0; r < replications.size(); ++r) {
    const Replication& draws = replications[r];
    if (draws.analyses.size() != c.analyses.size() || draws.claims.size() != c.claims.size() ||
        draws.claim_skips.size() != c.claims.size() || draws.refutations.size() != refutations ||
        draws.refutation_levels.size() != refutations)
      throw InputError(
          fmt::format("case {}: replication {} holds {} analyses, {} claims and {} refutations where the "
                      "case has {}, {} and {}",
                      c.id, r + 1, draws.analyses.size(), draws.claims.size(), draws.refutations.size(),
                      c.analyses.size(), c.claims.size(), refutations));
  }
  for (std::size_t i = 0; i < c.analyses.size(); ++i)
    summary.analyses.push_back(summarise_analysis(c.analyses[i], replications, i));
  for (std::size_t i = 0; i < c.claims.size(); ++i)
    summary.claims.push_back(summarise_claim(c.claims[i], replications, i));
  if (options.refutations) {
    for (std::size_t i = 0; i < c.refutations.size(); ++i)
      summary.refutations.push_back(summarise_refutation(c, c.refutations[i], replications, i));
  }
  return summary;
}

MonteCarloSummary run_monte_carlo(const Case& c, const MonteCarloOptions& options) {
  return summarise_monte_carlo(c, options, run_replications(c, options, 0, options.reps));
}

nlohmann::json monte_carlo_json(const MonteCarloSummary& summary) {
  nlohmann::json analyses = nlohmann::json::array();
  for (const auto& a : summary.analyses)
    analyses.push_back(
        {{"id", a.id},
         {"label", a.label},
         {"estimator", a.estimator},
         {"estimand", a.estimand},
         {"reps", a.reps},
         {"confidence_level", a.confidence_level},
         {"mean_truth", number_or_null(a.mean_truth)},
         {"mean_estimate", number_or_null(a.mean_estimate)},
         {"bias", number_or_null(a.bias)},
         {"rmse", number_or_null(a.rmse)},
         {"sd_estimate", number_or_null(a.sd_estimate)},
         {"mean_se", number_or_null(a.mean_se)},
         {"coverage", number_or_null(a.coverage)},
         {"coverage_se", number_or_null(a.coverage_se)},
         {"coverage_interval", {number_or_null(a.coverage_low), number_or_null(a.coverage_high)}}});
  nlohmann::json claims = nlohmann::json::array();
  for (const auto& cl : summary.claims) {
    nlohmann::json item = {{"id", cl.id},
                           {"text", cl.text},
                           {"pass_rate", number_or_null(cl.pass_rate)},
                           {"pass_rate_se", number_or_null(cl.pass_rate_se)},
                           {"passed", cl.passed},
                           {"failed", cl.failed},
                           {"skipped", cl.skipped}};
    if (!cl.skip_phrase.empty()) item["skip_phrase"] = cl.skip_phrase;
    claims.push_back(std::move(item));
  }
  nlohmann::json refutations = nlohmann::json::array();
  for (const auto& r : summary.refutations)
    refutations.push_back({{"id", r.id},
                           {"refuter", r.refuter},
                           {"analysis", r.analysis},
                           {"level", number_or_null(r.level)},
                           {"expected_to_fail", r.expected_to_fail},
                           {"measures", r.measures},
                           {"rejection_rate", number_or_null(r.rejection_rate)},
                           {"monte_carlo_se", number_or_null(r.monte_carlo_se)},
                           {"passed", r.passed},
                           {"failed", r.failed},
                           {"not_assessable", r.not_assessable},
                           {"size_above_level", r.size_above_level()},
                           {"never_detects", r.never_detects()}});
  nlohmann::json out = {{"case", summary.case_id},
                        {"reps", summary.reps},
                        {"seed", summary.seed},
                        {"n", summary.n},
                        {"seeds", "replication r (0-based) simulates with derive_seed(seed, r)"},
                        {"analyses", analyses},
                        {"claims", claims},
                        {"command", summary.command}};
  if (!summary.refutations.empty()) out["refutations"] = std::move(refutations);
  if (!summary.valid_counterpart.empty()) out["valid_counterpart"] = summary.valid_counterpart;
  return out;
}

std::filesystem::path saved_monte_carlo_path(const std::filesystem::path& project_root,
                                             const std::string& case_id) {
  return project_root / "build" / "mc" / (case_id + ".json");
}

std::optional<nlohmann::json> read_saved_monte_carlo(const std::filesystem::path& project_root,
                                                     const std::string& case_id, std::ostream& warnings) {
  const auto path = saved_monte_carlo_path(project_root, case_id);
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  auto summary = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (summary.is_discarded() || !summary.is_object() || !summary.contains("case") ||
      summary["case"] != case_id || !summary.contains("analyses")) {
    warnings << fmt::format("warning: {} is not a Monte Carlo summary of {}; rerun `casebook mc {}`\n",
                            path.string(), case_id, case_id);
    return std::nullopt;
  }
  return summary;
}

}  // namespace casebook
