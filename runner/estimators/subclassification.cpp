#include "estimators/subclassification.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/balance_report.hpp"
#include "estimators/propensity_overlap_plot.hpp"
#include "estimators/propensity_score.hpp"

namespace casebook {

namespace {

constexpr std::string_view kName = "subclassification";

struct Settings {
  BalanceEstimand estimand = BalanceEstimand::att;
  std::size_t subclasses = 6;
  std::size_t min_n = 1;
};

Settings read_settings(const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  Settings s;
  const std::string estimand = options.text("estimand");
  s.estimand = estimand == "atc"   ? BalanceEstimand::atc
               : estimand == "ate" ? BalanceEstimand::ate
                                   : BalanceEstimand::att;
  s.subclasses = options.count("subclasses");
  if (s.subclasses < 2)
    throw InputError(
        fmt::format("subclassification: option 'subclasses' must be at least 2 (one subclass adjusts for "
                    "nothing), got {}",
                    s.subclasses));
  s.min_n = options.count("min_n");
  return s;
}

// R's quantile(x, probs) of type 7 (its default), term by term as R computes it.
std::vector<double> quantiles(std::vector<double> x, const std::vector<double>& probs) {
  std::sort(x.begin(), x.end());
  const double last = static_cast<double>(x.size() - 1);
  std::vector<double> out;
  for (const double p : probs) {
    const double index = 1 + last * p;
    const double lo = std::floor(index), hi = std::ceil(index);
    double q = x[static_cast<std::size_t>(lo) - 1];
    const double upper = x[static_cast<std::size_t>(hi) - 1];
    if (index > lo && upper != q) {
      const double h = index - lo;
      q = (1 - h) * q + h * upper;
    }
    out.push_back(q);
  }
  return out;
}

// MatchIt's subclass_scoot: while some subclass lacks min_n units of an arm, move into the first
// such subclass the nearest unit of that arm from the side holding more of them (weighted by
// distance), the one with the largest score from the left or the smallest from the right.
// `sub` holds subclasses 0 … nsub − 1, all present; returns the rows moved.
std::size_t scoot(std::vector<std::size_t>& sub, const std::vector<double>& t, const std::vector<double>& x,
                  std::size_t min_n) {
  const std::size_t n = sub.size();
  std::size_t nsub = 0;
  for (const std::size_t s : sub) nsub = std::max(nsub, s + 1);
  // matchit2subclass calls subclass_scoot only when some subclass is short of an arm.
  {
    std::vector<std::size_t> treated(nsub, 0), control(nsub, 0);
    for (std::size_t i = 0; i < n; ++i) ++(t[i] == 1 ? treated : control)[sub[i]];
    bool short_of = false;
    for (std::size_t s = 0; s < nsub; ++s) short_of = short_of || treated[s] < min_n || control[s] < min_n;
    if (!short_of) return 0;
  }
  const auto treated_count = static_cast<std::size_t>(std::count(t.begin(), t.end(), 1.0));
  const std::size_t control_count = n - treated_count;
  if (treated_count < nsub * min_n || control_count < nsub * min_n)
    throw InputError(fmt::format(
        "subclassification: {} subclasses with option 'min_n' {} need {} treated and {} control rows, but "
        "there are {} treated and {} control; lower subclasses or min_n",
        nsub, min_n, nsub * min_n, nsub * min_n, treated_count, control_count));
  const std::vector<std::size_t> before = sub;
  // The arms in order of first appearance, as R's unique(treat).
  std::vector<double> arms = {t.front(), 1 - t.front()};
  // An arm with exactly one unit per subclass: MatchIt gives them subclasses 1 … nsub in row order.
  for (const double arm : arms)
    if ((arm == 1 ? treated_count : control_count) == nsub) {
      std::size_t next = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (t[i] == arm) sub[i] = next++;
    }
  std::map<double, std::vector<std::ptrdiff_t>> table;  // arm -> units per subclass
  for (const double arm : arms) table[arm].assign(nsub, 0);
  for (std::size_t i = 0; i < n; ++i) ++table[t[i]][sub[i]];
  bool short_of = false;
  for (const auto& [arm, counts] : table)
    for (const std::ptrdiff_t c : counts) short_of = short_of || c < static_cast<std::ptrdiff_t>(min_n);
  if (!short_of) return 0;

  const auto soft = [](std::ptrdiff_t c) { return c > 1 ? static_cast<double>(c - 1) : 0.0; };
  const std::size_t guard = n * nsub * (min_n + 1) + 1;  // each step fills a gap; never reached
  std::size_t steps = 0;
  for (const double arm : arms) {
    std::vector<std::ptrdiff_t>& row = table[arm];
    for (std::size_t pass = 0; pass < min_n; ++pass) {
      while (true) {
        const auto zero = std::find(row.begin(), row.end(), 0);
        if (zero == row.end()) break;
        if (++steps > guard)
          throw InputError("subclassification: moving units between subclasses did not settle");
        const auto gap = static_cast<std::size_t>(zero - row.begin());
        // R's sum() accumulates in long double; its terms are doubles.
        long double left = 0, right = 0;
        for (std::size_t j = 0; j < gap; ++j) left += soft(row[j]) / static_cast<double>(gap - j);
        for (std::size_t j = gap + 1; j < nsub; ++j) right += soft(row[j]) / static_cast<double>(j - gap);
        const bool from_left =
            gap == nsub - 1 || (gap != 0 && static_cast<double>(left) >= static_cast<double>(right));
        std::ptrdiff_t donor = -1;
        if (from_left) {
          for (std::size_t j = 0; j < gap; ++j)
            if (row[j] > 0) donor = static_cast<std::ptrdiff_t>(j);
        } else {
          for (std::size_t j = nsub; j-- > gap + 1;)
            if (row[j] > 0) donor = static_cast<std::ptrdiff_t>(j);
        }
        if (donor < 0) throw InputError("subclassification: no unit to move into an empty subclass");
        const auto d = static_cast<std::size_t>(donor);
        // The donor's unit with the largest (from the left) or smallest (from the right) score,
        // the first in row order on a tie.
        std::ptrdiff_t pick = -1;
        for (std::size_t i = 0; i < n; ++i) {
          if (t[i] != arm || sub[i] != d) continue;
          if (pick < 0 || (from_left ? x[i] > x[static_cast<std::size_t>(pick)]
                                     : x[i] < x[static_cast<std::size_t>(pick)]))
            pick = static_cast<std::ptrdiff_t>(i);
        }
        if (pick < 0) throw InputError("subclassification: no unit to move into an empty subclass");
        sub[static_cast<std::size_t>(pick)] = gap;
        row[gap] = 1;
        --row[d];
      }
      for (auto& c : row) --c;
    }
  }
  std::size_t moved = 0;
  for (std::size_t i = 0; i < n; ++i) moved += sub[i] != before[i] ? 1 : 0;
  return moved;
}

}  // namespace

Subclassification subclassification(const Dataset& data, const EstimatorArgs& args) {
  const Settings settings = read_settings(args);
  const PropensityData d = propensity_data(kName, data, args);
  Subclassification out;
  out.propensity = fit_propensity(kName, args.treatment, d, d.all).e;
  const std::vector<double>& e = out.propensity;
  const std::size_t n = e.size();

  // Cut points: quantiles of the score among the estimand's population, at seq(0, 1, length =
  // subclasses + 1) as R's seq computes it.
  std::vector<double> pool;
  for (std::size_t i = 0; i < n; ++i)
    if (settings.estimand == BalanceEstimand::ate ||
        (d.t[i] == 1) == (settings.estimand == BalanceEstimand::att))
      pool.push_back(e[i]);
  const double step = 1 / static_cast<double>(settings.subclasses);
  std::vector<double> probs = {0};
  for (std::size_t j = 1; j < settings.subclasses; ++j) probs.push_back(static_cast<double>(j) * step);
  probs.push_back(1);
  const std::vector<double> cuts = quantiles(pool, probs);

  // findInterval(e, cuts, all.inside = TRUE): below the first cut counts as the first subclass,
  // at or above the last as the last.
  std::vector<std::size_t> bin(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto above =
        static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), e[i]) - cuts.begin());
    bin[i] = std::clamp<std::size_t>(above, 1, settings.subclasses) - 1;
  }
  // Tied cut points leave some bins empty: number the occupied ones 0, 1, … (R's factor levels).
  std::vector<std::size_t> present(settings.subclasses, 0);
  for (const std::size_t b : bin) present[b] = 1;
  std::vector<std::size_t> code(settings.subclasses, 0);
  std::size_t occupied = 0;
  for (std::size_t b = 0; b < settings.subclasses; ++b)
    if (present[b]) code[b] = occupied++;
  for (auto& b : bin) b = code[b];

  if (settings.min_n > 0) out.moved = scoot(bin, d.t, e, settings.min_n);
  // With min_n 0, subclasses lacking an arm are dropped (subclass_weights drops them).
  std::vector<std::ptrdiff_t> subclass(bin.begin(), bin.end());
  out.strata = subclass_weights(subclass, d.t, settings.estimand, kName, "subclass",
                                "use fewer subclasses or set min_n ≥ 1");
  return out;
}

Estimate subclassification_estimate(const Dataset& data, const EstimatorArgs& args) {
  const Settings settings = read_settings(args);
  Subclassification s = subclassification(data, args);
  const std::vector<double>& t = data.column(args.treatment).values;
  Estimate out = subclass_weighted_effect(kName, data, args, s.strata.weights);
  out.diagnostics["subclasses"] = static_cast<double>(s.strata.strata);
  out.diagnostics["n_moved"] = static_cast<double>(s.moved);
  report_subclasses(out, t, s.strata);
  const auto [low, high] = std::minmax_element(s.propensity.begin(), s.propensity.end());
  out.diagnostics["min_propensity"] = *low;
  out.diagnostics["max_propensity"] = *high;
  report_balance(out, data, args.covariates, t, s.strata.weights, settings.estimand, "subclassification");
  out.plots.push_back(propensity_overlap_plot(t, s.propensity));
  if (s.strata.strata < settings.subclasses)
    out.notes.push_back(
        fmt::format("{} subclasses were formed of the {} asked for: tied quantiles of the propensity score{}",
                    s.strata.strata, settings.subclasses,
                    settings.min_n == 0 ? " or subclasses lacking an arm (min_n 0)" : ""));
  if (s.moved > 0)
    out.notes.push_back(fmt::format(
        "{} rows were moved to a neighbouring subclass so that each holds at least {} of both arms (option "
        "min_n), as MatchIt does",
        s.moved, settings.min_n));
  out.row_outputs["propensity"] = std::move(s.propensity);
  return out;
}

}  // namespace casebook
