#include "estimators/propensity_score_matching.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <Eigen/Eigenvalues>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/balance_report.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/propensity_overlap_plot.hpp"
#include "inference/design_matrix.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"
#include "inference/t_test.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {

namespace {

constexpr std::string_view kName = "psm";

enum class MatchOrder { largest, smallest, random, data };
enum class Distance { logit, probit, mahalanobis };

struct Settings {
  Distance distance = Distance::logit;
  bool atc = false;  // match each control to treated units (else each treated to controls)
  std::size_t ratio = 1;
  bool replace = false;
  std::optional<double> caliper;  // in SDs of the propensity score
  MatchOrder order = MatchOrder::largest;
  std::uint64_t seed = 42;
  std::vector<std::string> exact;
  std::string discard = "none";
};

Settings read_settings(const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  Settings s;
  const std::string estimand = options.text("estimand");
  if (estimand == "ate")
    throw InputError(
        "psm: option 'estimand' ate is not available for nearest-neighbour matching (MatchIt allows att or "
        "atc); use a weighting estimator for the ATE");
  s.atc = estimand == "atc";
  const std::string distance = options.text("distance");
  s.distance = distance == "probit"        ? Distance::probit
               : distance == "mahalanobis" ? Distance::mahalanobis
                                           : Distance::logit;
  const bool mahalanobis = s.distance == Distance::mahalanobis;
  s.ratio = options.count("ratio");
  s.replace = options.flag("replace");
  // MatchIt has no propensity score to put a caliper on or discard by with distance = "mahalanobis".
  if (mahalanobis && options.has("caliper"))
    throw InputError(
        "psm: option 'caliper' is not available with distance mahalanobis (it is in SDs of a propensity "
        "score, and MatchIt estimates none there)");
  if (mahalanobis && options.text("discard") != "none")
    throw InputError(fmt::format(
        "psm: option 'discard' {} is not available with distance mahalanobis (MatchIt discards by a "
        "propensity score, and estimates none there)",
        options.text("discard")));
  if (options.has("caliper")) {
    s.caliper = options.number("caliper");
    if (!(*s.caliper > 0))
      throw InputError(
          fmt::format("psm: option 'caliper' must be above 0 (SDs of the propensity score), got {}",
                      options.text("caliper")));
  }
  // MatchIt's default order: largest score first for the ATT, smallest first for the ATC, data
  // order without a score (mahalanobis). With replacement the order cannot change any match, and
  // MatchIt matches in data order.
  const std::string order = options.has("m_order") ? options.text("m_order")
                            : mahalanobis          ? "data"
                            : s.atc                ? "smallest"
                                                   : "largest";
  if (mahalanobis && (order == "largest" || order == "smallest"))
    throw InputError(fmt::format(
        "psm: option 'm_order' {} needs a propensity score; with distance mahalanobis use data or random",
        order));
  s.order = order == "smallest" ? MatchOrder::smallest
            : order == "random" ? MatchOrder::random
            : order == "data"   ? MatchOrder::data
                                : MatchOrder::largest;
  if (s.replace) s.order = MatchOrder::data;
  s.seed = options.count("seed");
  s.exact = options.list("exact");
  s.discard = options.text("discard");
  return s;
}

// Free controls in score order, with "nearest free one below / from a position" in near-constant
// amortised time (union–find with path compression), so that matching n units costs about
// n log n for the sort rather than n² for scans over used controls.
class FreeControls {
 public:
  explicit FreeControls(std::size_t m) : below_(m + 1), from_(m + 1) {
    std::iota(below_.begin(), below_.end(), std::size_t{0});
    std::iota(from_.begin(), from_.end(), std::size_t{0});
  }
  // The largest free index < position, or -1.
  std::ptrdiff_t below(std::size_t position) {
    return static_cast<std::ptrdiff_t>(root(below_, position)) - 1;
  }
  // The smallest free index ≥ position, or m.
  std::size_t from(std::size_t position) { return root(from_, position); }
  void remove(std::size_t j) {
    below_[j + 1] = j;  // node j + 1 stands for control j; node 0 for "none below"
    from_[j] = j + 1;   // node m stands for "none above"
  }

 private:
  static std::size_t root(std::vector<std::size_t>& parent, std::size_t x) {
    std::size_t r = x;
    while (parent[r] != r) r = parent[r];
    while (parent[x] != r) x = std::exchange(parent[x], r);
    return r;
  }
  std::vector<std::size_t> below_, from_;
};

// A portable seeded shuffle (std::shuffle's draws differ between standard libraries).
void shuffle(std::vector<std::size_t>& items, std::uint64_t key) {
  for (std::size_t i = items.size(); i > 1; --i) {
    key = splitmix64(key);
    std::swap(items[i - 1], items[static_cast<std::size_t>(key % i)]);
  }
}

struct Problem {
  const std::vector<double>& score;
  const std::vector<bool>& focal;
  const std::vector<bool>& discarded;
  const Settings& settings;
  std::optional<double> caliper;  // in score units
};

// Greedy nearest-neighbour matching within one stratum, MatchIt's rule (?method_nearest; its
// nn_matchC_vec): in rounds 1..ratio, each focal unit in the matching order takes the eligible
// unit of the other arm closest in score — the nearest free one below or above it, the lower on
// a tie — unless that one is outside the caliper. Fills matches[f] for the stratum's focal units.
void match_stratum(const Problem& p, const std::vector<std::size_t>& rows, std::size_t stratum,
                   const std::vector<std::size_t>& focal_index, std::vector<std::size_t>& insertion,
                   std::vector<std::vector<std::size_t>>& matches) {
  std::vector<std::size_t> sorted = rows;  // rows ascending, so ties in the score keep row order
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](std::size_t a, std::size_t b) { return p.score[a] < p.score[b]; });
  std::vector<std::size_t> controls;  // the other arm in score order
  for (const std::size_t row : sorted) {
    if (p.focal[row])
      insertion[row] = controls.size();
    else
      controls.push_back(row);
  }
  FreeControls free(controls.size());
  for (std::size_t j = 0; j < controls.size(); ++j)
    if (p.discarded[controls[j]]) free.remove(j);

  std::vector<std::size_t> order;
  for (const std::size_t row : rows)
    if (p.focal[row]) order.push_back(row);
  switch (p.settings.order) {
    case MatchOrder::largest:
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return p.score[a] > p.score[b]; });
      break;
    case MatchOrder::smallest:
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return p.score[a] < p.score[b]; });
      break;
    case MatchOrder::random:
      shuffle(order, derive_seed(p.settings.seed, stratum));
      break;
    case MatchOrder::data:
      break;
  }

  std::map<std::size_t, std::vector<std::size_t>> chosen;  // focal row -> control indices
  for (std::size_t round = 0; round < p.settings.ratio; ++round) {
    for (const std::size_t row : order) {
      if (p.discarded[row]) continue;
      std::vector<std::size_t>& mine = chosen[row];
      if (mine.size() < round) continue;  // found none in an earlier round: the pool only shrinks
      auto in_row = [&](std::size_t j) { return std::find(mine.begin(), mine.end(), j) != mine.end(); };
      const double d = p.score[row];
      std::ptrdiff_t left = free.below(insertion[row]);
      while (left >= 0 && in_row(static_cast<std::size_t>(left)))
        left = free.below(static_cast<std::size_t>(left));
      std::size_t right = free.from(insertion[row]);
      while (right < controls.size() && in_row(right)) right = free.from(right + 1);
      const bool has_left =
          left >= 0 &&
          (!p.caliper || std::abs(d - p.score[controls[static_cast<std::size_t>(left)]]) <= *p.caliper);
      const bool has_right =
          right < controls.size() && (!p.caliper || std::abs(d - p.score[controls[right]]) <= *p.caliper);
      std::size_t pick;
      if (has_left && has_right)
        pick = std::abs(p.score[controls[static_cast<std::size_t>(left)]] - d) <=
                       std::abs(p.score[controls[right]] - d)
                   ? static_cast<std::size_t>(left)
                   : right;
      else if (has_left)
        pick = static_cast<std::size_t>(left);
      else if (has_right)
        pick = right;
      else
        continue;
      mine.push_back(pick);
      if (!p.settings.replace) free.remove(pick);
    }
  }
  for (auto& [row, picks] : chosen)
    for (const std::size_t j : picks) matches[focal_index[row]].push_back(controls[j]);
}

// MatchIt's full Mahalanobis matching (nn_matchC with mahcovs): in rounds 1..ratio, each focal
// unit of the stratum in the matching order takes the nearest unit of the other arm not yet used
// (the first in row order on a tie). With replacement each takes its `ratio` nearest at once
// (nearer first, row order on a tie), or every unit of the other arm when there are no more.
void match_stratum_mahalanobis(const Eigen::MatrixXd& z, const std::vector<bool>& focal,
                               const Settings& settings, const std::vector<std::size_t>& rows,
                               std::size_t stratum, const std::vector<std::size_t>& focal_index,
                               std::vector<std::vector<std::size_t>>& matches) {
  std::vector<std::size_t> order, others;
  for (const std::size_t row : rows) (focal[row] ? order : others).push_back(row);
  if (settings.order == MatchOrder::random) shuffle(order, derive_seed(settings.seed, stratum));
  auto squared_distance = [&](std::size_t a, std::size_t b) {
    return (z.row(static_cast<Eigen::Index>(a)) - z.row(static_cast<Eigen::Index>(b))).squaredNorm();
  };
  if (settings.replace) {
    for (const std::size_t row : order) {
      std::vector<std::size_t>& mine = matches[focal_index[row]];
      if (others.size() <= settings.ratio) {
        mine = others;
        continue;
      }
      std::vector<std::pair<double, std::size_t>> near;
      for (const std::size_t other : others) near.emplace_back(squared_distance(row, other), other);
      const auto k = static_cast<std::ptrdiff_t>(settings.ratio);
      std::partial_sort(near.begin(), near.begin() + k, near.end());
      for (std::ptrdiff_t j = 0; j < k; ++j) mine.push_back(near[static_cast<std::size_t>(j)].second);
    }
    return;
  }
  std::vector<bool> used(others.size(), false);
  for (std::size_t round = 0; round < settings.ratio; ++round) {
    for (const std::size_t row : order) {
      std::vector<std::size_t>& mine = matches[focal_index[row]];
      if (mine.size() < round) continue;  // found none in an earlier round: the pool only shrinks
      std::optional<std::size_t> best;
      double best_distance = INFINITY;
      for (std::size_t j = 0; j < others.size(); ++j) {
        if (used[j]) continue;
        const double d = squared_distance(row, others[j]);
        if (d < best_distance) best_distance = d, best = j;
      }
      if (!best) continue;
      used[*best] = true;
      mine.push_back(others[*best]);
    }
  }
}

// Coordinates in which Euclidean distance is MatchIt's Mahalanobis distance
// (transform_covariates): every level of a text covariate its own column, constant columns
// dropped, each scaled to SD 1, then whitened by the pooled within-arm covariance — inverted when
// its determinant is above 1e-8, else its generalised inverse keeping eigenvalues above 1e-8 of
// the largest (MatchIt's rule, e.g. for the levels of one covariate, which sum to 1).
Eigen::MatrixXd mahalanobis_coordinates(const Dataset& data, const std::vector<std::string>& covariates,
                                        const std::vector<bool>& focal) {
  const Eigen::MatrixXd all = every_level_design(data, covariates).x;
  const Eigen::Index n = all.rows();
  std::vector<Eigen::Index> kept;
  for (Eigen::Index j = 0; j < all.cols(); ++j)
    if (all.col(j).maxCoeff() - all.col(j).minCoeff() >= std::sqrt(std::numeric_limits<double>::epsilon()))
      kept.push_back(j);
  if (kept.empty())
    throw InputError(fmt::format("psm: distance mahalanobis: every covariate ({}) is constant",
                                 fmt::join(covariates, ", ")));
  Eigen::MatrixXd x(n, static_cast<Eigen::Index>(kept.size()));
  for (std::size_t k = 0; k < kept.size(); ++k) {
    Eigen::VectorXd column = all.col(kept[k]);
    column.array() -= column.mean();
    column /= std::sqrt(column.squaredNorm() / static_cast<double>(n - 1));
    x.col(static_cast<Eigen::Index>(k)) = column;
  }
  Eigen::MatrixXd within = x;  // centred within each arm (pooled_cov)
  for (const bool arm : {false, true}) {
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(x.cols());
    double count = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      if (focal[static_cast<std::size_t>(i)] == arm) sum += x.row(i), ++count;
    for (Eigen::Index i = 0; i < n; ++i)
      if (focal[static_cast<std::size_t>(i)] == arm) within.row(i) -= sum / count;
  }
  const Eigen::MatrixXd pooled = within.transpose() * within / static_cast<double>(n - 2);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(pooled);
  const Eigen::VectorXd& values = eigen.eigenvalues();
  const double largest = values.maxCoeff();
  const bool invertible = values.prod() > 1e-8;
  Eigen::VectorXd scale(values.size());
  for (Eigen::Index k = 0; k < values.size(); ++k)
    scale[k] = invertible || values[k] > 1e-8 * largest ? 1 / std::sqrt(values[k]) : 0;
  return x * eigen.eigenvectors() * scale.asDiagonal();
}

std::vector<double> propensity_scores(const Dataset& data, const EstimatorArgs& args,
                                      const std::vector<double>& t, BinomialLink link) {
  const DesignMatrix design = build_design_matrix(data, args.covariates);
  std::vector<std::uint32_t> rows(t.size());
  std::iota(rows.begin(), rows.end(), 0u);
  BinomialFit fit;
  try {
    fit = fit_binomial_glm(design.x, t, rows, link);
  } catch (const InputError& error) {
    throw InputError(fmt::format("psm: propensity model of treatment '{}' on {}: {}", args.treatment,
                                 fmt::join(args.covariates, ", "), error.what()));
  }
  const Eigen::VectorXd eta = design.x * fit.coefficients;
  std::vector<double> score(t.size());
  for (std::size_t i = 0; i < score.size(); ++i)
    score[i] = binomial_mean(link, eta[static_cast<Eigen::Index>(i)]);
  return score;
}

// MatchIt's discard rule on the propensity score: units outside the range of the other arm
// (treated / control) or of both arms' common support (both).
std::vector<bool> discarded_units(const std::vector<double>& score, const std::vector<double>& t,
                                  const std::string& rule) {
  std::vector<bool> out(score.size(), false);
  if (rule == "none") return out;
  double min1 = INFINITY, max1 = -INFINITY, min0 = INFINITY, max0 = -INFINITY;
  for (std::size_t i = 0; i < score.size(); ++i) {
    if (t[i] == 1) {
      min1 = std::min(min1, score[i]);
      max1 = std::max(max1, score[i]);
    } else {
      min0 = std::min(min0, score[i]);
      max0 = std::max(max0, score[i]);
    }
  }
  const double low = rule == "both" ? std::max(min0, min1) : rule == "control" ? min1 : min0;
  const double high = rule == "both" ? std::min(max0, max1) : rule == "control" ? max1 : max0;
  for (std::size_t i = 0; i < score.size(); ++i) out[i] = score[i] < low || score[i] > high;
  return out;
}

// Rows grouped by their values of the exact columns (one group without them).
std::vector<std::vector<std::size_t>> strata(const Dataset& data, const std::vector<std::string>& exact,
                                             std::size_t n) {
  if (exact.empty()) {
    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), std::size_t{0});
    return {all};
  }
  for (const auto& name : exact) {
    if (!data.has(name)) throw InputError(fmt::format("psm: option 'exact' names no column '{}'", name));
  }
  require_complete(data, exact);
  std::map<std::vector<double>, std::size_t> index;
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> key;
    for (const auto& name : exact) key.push_back(data.column(name).values[i]);
    const auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

// " (exact stratum x3 = 1, region = west)" for the stratum of `row`; "" without exact columns.
std::string stratum_label(const Dataset& data, const std::vector<std::string>& exact, std::size_t row) {
  if (exact.empty()) return "";
  std::vector<std::string> parts;
  for (const auto& name : exact) {
    const Column& column = data.column(name);
    const double value = column.values[row];
    parts.push_back(name + " = " +
                    (column.is_categorical() ? column.levels[static_cast<std::size_t>(value)]
                                             : fmt::format("{}", value)));
  }
  return fmt::format(" (exact stratum {})", fmt::join(parts, ", "));
}

const char* focal_word(bool atc) { return atc ? "control" : "treated"; }
const char* other_word(bool atc) { return atc ? "treated" : "control"; }

}  // namespace

Matching propensity_score_matching(const Dataset& data, const EstimatorArgs& args) {
  const Settings settings = read_settings(args);
  reject_argument(kName, "instruments", !args.instruments.empty(), "psm matches on covariates only");
  reject_argument(kName, "cluster", !args.cluster.empty(),
                  "psm clusters its standard error by matched set; drop the cluster argument");
  if (args.covariates.empty()) throw InputError("psm: covariates are required: it matches on them");
  require_distinct_roles(args);
  require_binary_column(data, kName, "treatment", args.treatment);
  for (const auto& covariate : args.covariates) require_column(data, kName, "covariate", covariate);
  require_complete(data, used_columns(args));
  const std::vector<double>& t = data.column(args.treatment).values;
  require_not_constant(data, "treatment", args.treatment, "nothing to compare");
  const std::size_t n = t.size();

  Matching out;
  std::vector<bool> focal(n);
  for (std::size_t i = 0; i < n; ++i) focal[i] = (t[i] == 1) != settings.atc;
  const bool mahalanobis = settings.distance == Distance::mahalanobis;
  Eigen::MatrixXd coordinates;  // mahalanobis only
  if (mahalanobis) {
    coordinates = mahalanobis_coordinates(data, args.covariates, focal);
    out.discarded.assign(n, false);
  } else {
    out.propensity = propensity_scores(
        data, args, t, settings.distance == Distance::probit ? BinomialLink::probit : BinomialLink::logit);
    out.discarded = discarded_units(out.propensity, t, settings.discard);
  }

  // MatchIt's std.caliper = TRUE: the caliper in SDs of the score over the units not discarded.
  std::optional<double> caliper;
  if (settings.caliper) {
    double sum = 0, count = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (!out.discarded[i]) sum += out.propensity[i], ++count;
    const double mean = sum / count;
    double ss = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (!out.discarded[i]) ss += (out.propensity[i] - mean) * (out.propensity[i] - mean);
    caliper = *settings.caliper * std::sqrt(ss / (count - 1));
  }

  std::vector<std::size_t> focal_index(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (focal[i]) {
      focal_index[i] = out.focal_rows.size();
      out.focal_rows.push_back(i);
    }
  out.matches.resize(out.focal_rows.size());
  const Problem problem{out.propensity, focal, out.discarded, settings, caliper};
  const auto groups = strata(data, settings.exact, n);
  std::vector<std::size_t> insertion(n);  // each focal unit's place among the other arm, in score order
  for (std::size_t s = 0; s < groups.size(); ++s) {
    std::size_t focal_count = 0, other_count = 0;
    for (const std::size_t row : groups[s])
      if (!out.discarded[row]) ++(focal[row] ? focal_count : other_count);
    // Without replacement every focal unit needs `ratio` units of its own (MatchIt only warns
    // and leaves some with fewer, which silently changes the estimand).
    if (!settings.replace && focal_count > 0 && settings.ratio * focal_count > other_count)
      throw InputError(fmt::format(
          "psm: option 'ratio' {} needs {} {} units for {} {} units without replacement{}, but there are {}; "
          "lower ratio or set replace",
          settings.ratio, settings.ratio * focal_count, other_word(settings.atc), focal_count,
          focal_word(settings.atc), stratum_label(data, settings.exact, groups[s].front()), other_count));
    if (mahalanobis)
      match_stratum_mahalanobis(coordinates, focal, settings, groups[s], s, focal_index, out.matches);
    else
      match_stratum(problem, groups[s], s, focal_index, insertion, out.matches);
  }

  // MatchIt's weights: 1 for a matched focal unit; each unit of the other arm gets 1/k from every
  // focal unit it was one of k matches of, then that arm is rescaled to sum to its matched count.
  out.weights.assign(n, 0.0);
  std::size_t matched_focal = 0;
  for (std::size_t f = 0; f < out.matches.size(); ++f) {
    if (out.matches[f].empty()) continue;
    ++matched_focal;
    out.weights[out.focal_rows[f]] += 1;
    for (const std::size_t row : out.matches[f])
      out.weights[row] += 1.0 / static_cast<double>(out.matches[f].size());
  }
  if (matched_focal == 0) {
    if (caliper)
      throw InputError(
          fmt::format("psm: no {} unit has a {} unit within option 'caliper' {} (= {:.3g} on the propensity "
                      "score); widen it",
                      focal_word(settings.atc), other_word(settings.atc), *settings.caliper, *caliper));
    throw InputError(fmt::format("psm: no {} unit found a {} match (check options 'exact' and 'discard')",
                                 focal_word(settings.atc), other_word(settings.atc)));
  }
  double other_sum = 0, other_matched = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!focal[i] && out.weights[i] > 0) other_sum += out.weights[i], ++other_matched;
  for (std::size_t i = 0; i < n; ++i)
    if (!focal[i]) out.weights[i] *= other_matched / other_sum;

  // MatchIt's subclass (mm2subclass): R's factor of the focal units' row numbers, so the sets are
  // numbered in the order of those numbers read as text ("10" before "9"), as match.data shows.
  if (!settings.replace) {
    std::vector<std::pair<std::string, std::size_t>> named;  // (focal row as R names it, set)
    for (std::size_t f = 0; f < out.matches.size(); ++f)
      if (!out.matches[f].empty()) named.emplace_back(std::to_string(out.focal_rows[f] + 1), f);
    std::sort(named.begin(), named.end());
    out.subclass.assign(n, 0);
    for (std::size_t k = 0; k < named.size(); ++k) {
      const std::size_t f = named[k].second;
      out.subclass[out.focal_rows[f]] = k + 1;
      for (const std::size_t row : out.matches[f]) out.subclass[row] = k + 1;
    }
  }
  return out;
}

Estimate propensity_score_matching_estimate(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  require_numeric_column(data, kName, "outcome", args.outcome);
  const Matching matching = propensity_score_matching(data, args);
  const Settings settings = read_settings(args);
  const std::size_t n = data.rows();
  const std::vector<double>& t = data.column(args.treatment).values;
  const std::vector<double>& y = data.column(args.outcome).values;

  // The matched sample: rows with a positive weight (MatchIt's match.data), each with its set.
  std::vector<std::ptrdiff_t> set_of(n, -1);
  for (std::size_t f = 0; f < matching.matches.size(); ++f) {
    if (matching.matches[f].empty()) continue;
    set_of[matching.focal_rows[f]] = static_cast<std::ptrdiff_t>(f);
    for (const std::size_t row : matching.matches[f]) set_of[row] = static_cast<std::ptrdiff_t>(f);
  }
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < n; ++i)
    if (matching.weights[i] > 0) rows.push_back(i);
  const auto m = static_cast<Eigen::Index>(rows.size());

  // Weighted least squares of y on (1, t) as OLS on √w-scaled rows: its residuals and bread are
  // what lm(weights = w) hands to sandwich's vcovCL / vcovHC.
  Eigen::MatrixXd x(m, 2);
  Eigen::VectorXd yw(m);
  ClusterIndex sets{"matched set", {}, 0};
  std::map<std::ptrdiff_t, std::ptrdiff_t> set_code;
  for (Eigen::Index r = 0; r < m; ++r) {
    const std::size_t i = rows[static_cast<std::size_t>(r)];
    const double root = std::sqrt(matching.weights[i]);
    x(r, 0) = root;
    x(r, 1) = root * t[i];
    yw[r] = root * y[i];
    const auto [it, inserted] = set_code.try_emplace(set_of[i], static_cast<std::ptrdiff_t>(set_code.size()));
    sets.code.push_back(it->second);
  }
  sets.count = static_cast<std::ptrdiff_t>(set_code.size());
  const LeastSquaresFit fit = fit_least_squares(x, yw, {"(Intercept)", args.treatment});
  VarianceSpec spec;
  if (settings.replace) {
    spec.type = VarianceType::hc3;  // sets share controls: the vignette's HC3 instead of clustering
  } else {
    if (sets.count < 2) throw InputError("psm: fewer than 2 matched sets; nothing to cluster the SE by");
    spec.type = VarianceType::cr1;
    spec.clusters = std::move(sets);
  }
  const VarianceEstimate variance = sandwich_vcov(x, fit.residuals, fit.bread, spec);
  Estimate out = to_estimate(
      t_test(fit.coefficients(1), std::sqrt(variance.vcov(1, 1)), variance.df, args.confidence_level),
      rows.size());
  out.se_type = to_string(variance.type);
  out.terms =
      coefficient_terms(fit.names, fit.coefficients, variance.vcov, variance.df, args.confidence_level);
  if (variance.clusters > 0) out.diagnostics["clusters"] = static_cast<double>(variance.clusters);

  report_balance(out, data, args.covariates, t, matching.weights,
                 settings.atc ? BalanceEstimand::atc : BalanceEstimand::att, "matching");
  double matched_treated = 0, matched_control = 0, discarded = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (matching.weights[i] > 0) ++(t[i] == 1 ? matched_treated : matched_control);
    if (matching.discarded[i]) ++discarded;
  }
  out.diagnostics["n_matched_treated"] = matched_treated;
  out.diagnostics["n_matched_control"] = matched_control;
  out.diagnostics["n_discarded"] = discarded;
  // Per row as MatchIt's match.data names them; NaN (NA in the CSV) where MatchIt has NA.
  out.row_outputs["weights"] = matching.weights;
  if (!matching.subclass.empty()) {
    std::vector<double> subclass(n);
    for (std::size_t i = 0; i < n; ++i)
      subclass[i] = matching.subclass[i] > 0 ? static_cast<double>(matching.subclass[i]) : NAN;
    out.row_outputs["subclass"] = std::move(subclass);
  }
  if (!matching.propensity.empty()) {
    const auto [low, high] = std::minmax_element(matching.propensity.begin(), matching.propensity.end());
    out.diagnostics["min_propensity"] = *low;
    out.diagnostics["max_propensity"] = *high;
    out.plots.push_back(propensity_overlap_plot(t, matching.propensity));
    out.row_outputs["distance"] = matching.propensity;
  }

  const std::size_t focal_total = matching.focal_rows.size();
  std::size_t focal_matched = 0;
  for (const auto& set : matching.matches) focal_matched += set.empty() ? 0 : 1;
  if (focal_matched < focal_total)
    out.notes.push_back(
        fmt::format("{} of {} {} units found no match (caliper, exact or discard): the estimate is "
                    "for the matched ones only",
                    focal_total - focal_matched, focal_total, focal_word(settings.atc)));
  if (settings.order == MatchOrder::random)
    out.notes.push_back("m_order random: the order comes from option seed, not from R's random numbers");
  return out;
}

}  // namespace casebook
