#include "estimators/causal_forest_targeting.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "effect_summaries/best_linear_projection.hpp"
#include "effect_summaries/grouped_treatment_effects.hpp"
#include "effect_summaries/rank_average_treatment_effect.hpp"
#include "effect_summaries/targeted_average_effect.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/meta_learner.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "causal-forest";
constexpr std::size_t kMaxNumericLevels = 20;
constexpr std::uint64_t kRateStream = 0x52415445;  // "RATE"

// The column an option names; InputError naming the option when the data has no such column.
const Column& option_column(const Dataset& data, const std::string& option, const std::string& name,
                            std::string_view estimator = kName) {
  if (!data.has(name))
    throw InputError(data.source(), fmt::format("{}: option {} names column '{}', which is not in the data "
                                                "(columns: {})",
                                                estimator, option, name, fmt::join(data.names(), ", ")));
  require_complete(data, {name});
  return data.column(name);
}

// A diagnostic key from a level label: letters, digits and '_' kept, anything else '_'.
std::string key_part(const std::string& text) {
  std::string key;
  for (const char c : text) key += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return key;
}

// A subgroup column as level codes 0..k−1 with labels: a text column's own levels, or a numeric
// column's distinct values in increasing order.
struct Levels {
  std::vector<double> codes;
  std::vector<std::string> labels;
};

Levels subgroup_levels(const Dataset& data, const std::string& name) {
  const Column& column = option_column(data, "subgroups", name);
  if (column.is_categorical()) return {column.values, column.levels};
  std::vector<double> distinct = column.values;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() > kMaxNumericLevels ||
      std::any_of(distinct.begin(), distinct.end(), [](double v) { return std::isnan(v); }))
    throw InputError(
        data.source(),
        fmt::format("{}: subgroups column '{}' is numeric with {} distinct values; effects by subgroup "
                    "need a categorical column (or at most {} values)",
                    kName, name, distinct.size(), kMaxNumericLevels));
  Levels levels;
  for (const double v : distinct) levels.labels.push_back(fmt::format("{:g}", v));
  levels.codes.reserve(column.values.size());
  for (const double v : column.values)
    levels.codes.push_back(
        static_cast<double>(std::lower_bound(distinct.begin(), distinct.end(), v) - distinct.begin()));
  return levels;
}

// One series per group (named `name_prefix` + its label) or, for quantile groups, two series along x.
Plot group_plot(const std::string& id, const std::string& title, const std::string& x_label,
                const std::vector<GroupEffect>& groups, bool one_series_per_group,
                const std::string& name_prefix = "") {
  Plot plot{id, title, "points", x_label, "doubly robust effect (95% CI)", {}, {0}, {}};
  if (one_series_per_group) {
    for (std::size_t g = 0; g < groups.size(); ++g)
      plot.series.push_back({name_prefix + groups[g].label,
                             {static_cast<double>(g + 1)},
                             {groups[g].estimate},
                             {groups[g].ci_low},
                             {groups[g].ci_high}});
    return plot;
  }
  Series effect{"doubly robust effect", {}, {}, {}, {}}, predicted{"mean predicted CATE", {}, {}, {}, {}};
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto x = static_cast<double>(g + 1);
    effect.x.push_back(x);
    effect.y.push_back(groups[g].estimate);
    effect.lower.push_back(groups[g].ci_low);
    effect.upper.push_back(groups[g].ci_high);
    predicted.x.push_back(x);
    predicted.y.push_back(groups[g].mean_cate);
  }
  plot.series = {std::move(effect), std::move(predicted)};
  return plot;
}

// The distribution of τ̂ as a frequency polygon over 30 equal bins.
Plot cate_distribution(std::span<const double> cate) {
  const auto [low, high] = std::minmax_element(cate.begin(), cate.end());
  constexpr std::size_t kBins = 30;
  const double width = *high > *low ? (*high - *low) / kBins : 1.0;
  std::vector<double> counts(kBins, 0.0);
  for (const double c : cate) counts[std::min(kBins - 1, static_cast<std::size_t>((c - *low) / width))] += 1;
  Series share{"share of rows", {}, {}, {}, {}};
  for (std::size_t b = 0; b < kBins; ++b) {
    share.x.push_back(*low + (static_cast<double>(b) + 0.5) * width);
    share.y.push_back(counts[b] / static_cast<double>(cate.size()));
  }
  return {"cate_distribution",
          "Distribution of the predicted effects (out of bag)",
          "lines",
          "predicted effect τ̂(x)",
          "share of rows",
          {std::move(share)},
          {},
          {}};
}

// Rows sorted by τ̂ from the highest: the average τ̂ of the top share, against the share.
Plot sorted_cumulative_average(std::span<const double> cate) {
  std::vector<double> sorted(cate.begin(), cate.end());
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  Series curve{"average predicted effect of the top share", {}, {}, {}, {}};
  const std::size_t n = sorted.size();
  double sum = 0;
  std::size_t taken = 0;
  for (std::size_t step = 1; step <= 100; ++step) {  // 100 points along the ranking
    const std::size_t k = std::max<std::size_t>(1, step * n / 100);
    for (; taken < k; ++taken) sum += sorted[taken];
    curve.x.push_back(static_cast<double>(k) / static_cast<double>(n));
    curve.y.push_back(sum / static_cast<double>(k));
  }
  const double mean = sum / static_cast<double>(sorted.size());
  return {"sorted_cate",
          "Average predicted effect of the rows ranked highest",
          "lines",
          "share of rows, ranked by predicted effect",
          "average τ̂ of the top share",
          {std::move(curve)},
          {0, mean},
          {}};
}

// A group's effect as a table row: `leading` cells, rows, mean predicted CATE, then the normal test.
std::vector<TableCell> group_row(std::vector<TableCell> leading, const GroupEffect& g,
                                 double confidence_level) {
  leading.insert(leading.end(), {static_cast<double>(g.rows), g.mean_cate});
  return test_row(std::move(leading), z_test(g.estimate, g.se, confidence_level));
}

}  // namespace

void add_best_linear_projection(const Dataset& data, std::string_view estimator,
                                const std::vector<std::string>& names, std::span<const double> scores,
                                std::span<const double> clusters, double confidence_level, Estimate& out) {
  std::vector<std::vector<double>> columns;
  std::vector<std::string> terms;
  std::vector<std::string> r_names{"(Intercept)"};  // as R's model.matrix names them
  for (const std::string& name : names) {
    const Column& column = option_column(data, "blp", name, estimator);
    if (!column.is_categorical()) {
      columns.push_back(column.values);
      terms.push_back(name);
      r_names.push_back(name);
      continue;
    }
    for (std::size_t level = 1; level < column.levels.size(); ++level) {  // the first level is the base
      std::vector<double> indicator(column.values.size());
      for (std::size_t i = 0; i < indicator.size(); ++i)
        indicator[i] = column.values[i] == static_cast<double>(level);
      columns.push_back(std::move(indicator));
      terms.push_back(fmt::format("{}={}", name, column.levels[level]));
      r_names.push_back(name + column.levels[level]);
    }
  }
  std::vector<std::span<const double>> spans(columns.begin(), columns.end());
  const BestLinearProjection blp = best_linear_projection(scores, spans, terms, clusters, confidence_level);
  Table projection{"best_linear_projection",
                   fmt::format("Best linear projection of the CATE ({})", blp.variance),
                   test_table_columns({"term"}),
                   {}};
  for (std::size_t j = 0; j < blp.terms.size(); ++j) {
    const ProjectionTerm& term = blp.terms[j];
    projection.rows.push_back(test_row({r_names[j]}, {term.estimate, term.se, term.t_statistic, term.p_value,
                                                      term.ci_low, term.ci_high, blp.df}));
    const std::string key =
        "blp_" + key_part(term.name == "(Intercept)" ? std::string("intercept") : term.name);
    out.diagnostics[key] = term.estimate;
    out.diagnostics[key + "_se"] = term.se;
    out.diagnostics[key + "_p"] = term.p_value;
    out.diagnostics[key + "_ci_low"] = term.ci_low;
    out.diagnostics[key + "_ci_high"] = term.ci_high;
  }
  out.tables.push_back(std::move(projection));
  out.notes.push_back(
      fmt::format("best linear projection of the CATE on {} (grf's best_linear_projection, {}): "
                  "diagnostics blp_<term> with _se and _p",
                  fmt::join(terms, ", "), blp.variance));
}

void add_targeting_summaries(const Dataset& data, const EstimatorArgs& args, const TargetingInputs& in,
                             Estimate& out) {
  const OptionValues options = read_options(kName, args);
  const double z = normal_critical_value(args.confidence_level);

  AverageEffectOptions treated;
  treated.target = TargetSample::treated;
  treated.clusters = in.clusters;
  const AverageEffect att = average_treatment_effect(in.y, in.w, in.y_hat, in.w_hat, in.cate, treated);
  out.diagnostics["att"] = att.estimate;
  out.diagnostics["att_se"] = att.se;

  const std::size_t groups = options.count("groups");
  const std::vector<GroupEffect> quantiles =
      effects_by_cate_quantile(in.cate, in.scores, groups, args.confidence_level);
  Table by_quantile{
      "effect_by_cate_group",
      fmt::format("Doubly robust effect by {}-quantile group of the predicted effect (Q1 lowest)", groups),
      test_table_columns({"group", "rows", "mean_cate"}),
      {}};
  for (std::size_t g = 0; g < quantiles.size(); ++g) {
    by_quantile.rows.push_back(group_row({quantiles[g].label}, quantiles[g], args.confidence_level));
    const std::string key = fmt::format("cate_q{}", g + 1);
    out.diagnostics[key + "_effect"] = quantiles[g].estimate;
    out.diagnostics[key + "_effect_se"] = quantiles[g].se;
    out.diagnostics[key + "_mean_cate"] = quantiles[g].mean_cate;
  }
  out.plots.push_back(
      group_plot("effect_by_cate_group",
                 fmt::format("Doubly robust effect by {}-quantile group of the predicted effect", groups),
                 fmt::format("group of predicted effect (1 = lowest {}%)", 100 / groups), quantiles, false));
  out.tables.push_back(std::move(by_quantile));

  if (options.has("subgroups")) {
    Table by_subgroup{"effect_by_subgroup",
                      "Doubly robust effect by subgroup",
                      test_table_columns({"variable", "level", "rows", "mean_cate"}),
                      {}};
    for (const std::string& name : options.list("subgroups")) {
      const Levels levels = subgroup_levels(data, name);
      const std::vector<GroupEffect> effects =
          effects_by_category(levels.codes, levels.labels, in.cate, in.scores, args.confidence_level);
      for (const GroupEffect& g : effects) {
        by_subgroup.rows.push_back(group_row({name, g.label}, g, args.confidence_level));
        const std::string key = fmt::format("effect_{}_{}", key_part(name), key_part(g.label));
        out.diagnostics[key] = g.estimate;
        out.diagnostics[key + "_se"] = g.se;
      }
      // Each level against the first present one: disjoint rows, so the variances add.
      for (std::size_t l = 1; l < effects.size(); ++l) {
        const std::string key = fmt::format("effect_{}_{}_minus_{}", key_part(name),
                                            key_part(effects[l].label), key_part(effects.front().label));
        out.diagnostics[key] = effects[l].estimate - effects.front().estimate;
        out.diagnostics[key + "_se"] = std::hypot(effects[l].se, effects.front().se);
      }
      const bool numeric = !data.column(name).is_categorical();  // label "male = 1" rather than "1"
      out.plots.push_back(group_plot("effect_by_" + key_part(name),
                                     fmt::format("Doubly robust effect by {}", name), name, effects, true,
                                     numeric ? name + " = " : ""));
    }
    out.tables.push_back(std::move(by_subgroup));
  }

  if (options.has("blp"))
    add_best_linear_projection(data, kName, options.list("blp"), in.scores, in.clusters,
                               args.confidence_level, out);

  RateOptions rate_options;
  rate_options.q.clear();
  for (int step = 1; step <= 40; ++step) rate_options.q.push_back(step / 40.0);
  rate_options.bootstrap_reps = options.count("rate_reps");
  rate_options.seed = derive_seed(in.seed, kRateStream);
  rate_options.threads = in.threads;
  rate_options.clusters = in.clusters;
  const RankAverageTreatmentEffect rate = rank_average_treatment_effect(in.scores, in.cate, rate_options);
  out.diagnostics["autoc"] = rate.estimate;
  out.diagnostics["autoc_se"] = rate.se;
  Plot toc{"toc",
           "Targeting operator characteristic (TOC): effect of the top share over the average",
           "lines",
           "share treated, ranked by predicted effect",
           "TOC(q) = effect in the top q − ATE",
           {},
           {0},
           {}};
  Series curve{"TOC (95% band)", {}, {}, {}, {}};
  for (const TocPoint& p : rate.toc) {
    curve.x.push_back(p.q);
    curve.y.push_back(p.estimate);
    curve.lower.push_back(p.estimate - z * p.se);
    curve.upper.push_back(p.estimate + z * p.se);
  }
  toc.series.push_back(std::move(curve));
  out.plots.push_back(cate_distribution(in.cate));
  out.plots.push_back(sorted_cumulative_average(in.cate));
  out.plots.push_back(std::move(toc));
  out.notes.push_back(fmt::format(
      "targeting: att (grf's average_treatment_effect, target.sample = \"treated\"); cate_q<g>_effect = "
      "doubly robust "
      "effect in quantile group g of τ̂ (1 = lowest); autoc = RATE with τ̂ as priority, SE from {} half-sample "
      "bootstraps (grf's rank_average_treatment_effect). The ranking and the scores come from the same data "
      "(out of "
      "bag), so for a strict test of targeting rank a held-out sample",
      rate.bootstrap_reps));
}

}  // namespace casebook
