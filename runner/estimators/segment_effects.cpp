#include "estimators/segment_effects.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/math/distributions/chi_squared.hpp>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "inference/t_test.hpp"
#include "segment/segmentation.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "segment-effects";
constexpr std::size_t kMaxColumnSegments = 20;
const std::string kNotEstimable = "not estimable";

// Each row's segment (0-based) and the segments' names, plus what the segmentation reports.
struct Segments {
  std::vector<std::size_t> row_segment;
  std::vector<std::string> labels;
  std::optional<Segmentation> clustering;  // kmeans and pam
};

Segments by_column(const Dataset& data, const std::string& name) {
  if (name.empty())
    throw InputError(data.source(), fmt::format("{}: segments=column needs option column", kName));
  require_column(data, kName, "segment column (option column)", name);
  require_complete(data, {name});
  const Column& column = data.column(name);
  Segments out;
  if (column.is_categorical()) {
    out.labels = column.levels;
    for (const double v : column.values) out.row_segment.push_back(static_cast<std::size_t>(v));
    return out;
  }
  std::vector<double> distinct = column.values;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() > kMaxColumnSegments)
    throw InputError(data.source(),
                     fmt::format("{}: option column '{}' is numeric with {} distinct values; segments "
                                 "by column need a categorical column or at most {} values",
                                 kName, name, distinct.size(), kMaxColumnSegments));
  for (const double v : distinct) out.labels.push_back(fmt::format("{}={:g}", name, v));
  for (const double v : column.values)
    out.row_segment.push_back(
        static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), v) - distinct.begin()));
  return out;
}

// k quantile groups of the causal forest's out-of-bag CATE, lowest first (ties in row order).
Segments by_cate(const Dataset& data, const EstimatorArgs& args, const OptionValues& options, std::size_t k) {
  if (k > data.rows())
    throw InputError(data.source(), fmt::format("{}: option k = {} is more than the {} rows to group", kName,
                                                k, data.rows()));
  EstimatorArgs forest;
  forest.outcome = args.outcome;
  forest.treatment = args.treatment;
  forest.covariates = args.covariates;
  forest.cluster = options.text("level");
  forest.options = {{"trees", options.text("trees")}, {"seed", options.text("seed")}, {"groups", "2"}};
  const Estimate fit = find_estimator("causal-forest").run(data, forest);
  const std::vector<double>& cate = fit.row_outputs.at("cate");
  std::vector<std::size_t> order(cate.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cate[a] < cate[b]; });
  Segments out;
  out.row_segment.resize(cate.size());
  for (std::size_t r = 0; r < order.size(); ++r) out.row_segment[order[r]] = r * k / order.size();
  for (std::size_t g = 0; g < k; ++g) out.labels.push_back(fmt::format("CATE Q{}", g + 1));
  return out;
}

Segments segments_of(const Dataset& data, const EstimatorArgs& args, const OptionValues& options) {
  const std::string method = options.text("segments");
  const std::size_t k = options.count("k");
  if (method == "column") return by_column(data, options.text("column"));
  if (method == "cate") return by_cate(data, args, options, k == 0 ? 5 : k);
  SegmentationSpec spec;
  spec.owner = std::string(kName);
  spec.method = method == "pam" ? SegmentMethod::pam : SegmentMethod::kmeans;
  spec.covariates =
      options.given("segment_covariates") ? options.list("segment_covariates") : args.covariates;
  spec.level = options.text("level");
  spec.k = k;
  spec.kmax = options.count("kmax");
  spec.starts = options.count("starts");
  spec.seed = options.count("seed");
  Segments out;
  out.clustering = segment_units(data, spec);
  out.row_segment = out.clustering->row_segment;
  for (std::size_t s = 0; s < out.clustering->k; ++s) out.labels.push_back(fmt::format("segment {}", s + 1));
  return out;
}

struct SegmentResult {
  std::size_t n = 0, treated = 0, control = 0;
  std::optional<Estimate> estimate;
  std::string problem;  // why it is not estimable
};

SegmentResult estimate_segment(const Dataset& data, const std::vector<std::size_t>& rows,
                               const EstimatorArgs& inner, const std::string& within) {
  SegmentResult r;
  r.n = rows.size();
  const std::vector<double>& t = data.column(inner.treatment).values;
  for (const std::size_t i : rows) (t[i] == 1 ? r.treated : r.control) += 1;
  if (r.treated == 0 || r.control == 0) {
    r.problem = r.treated == 0 ? "no treated row" : "no control row";
    return r;
  }
  try {
    r.estimate = find_estimator(within).run(select_rows(data, rows), inner);
    if (!std::isfinite(r.estimate->estimate) || !std::isfinite(r.estimate->se)) {
      r.estimate.reset();
      r.problem = fmt::format("{} gave no finite estimate", within);
    }
  } catch (const InputError& e) {
    r.problem = e.what();
  }
  return r;
}

TableCell number(double v) { return v; }

}  // namespace

Estimate segment_effects(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(),
                  "segment-effects has no instrumental variables");
  reject_argument(kName, "a cluster column", !args.cluster.empty(),
                  "give the cluster column as option level to segment clusters");
  require_distinct_roles(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_binary_column(data, kName, "treatment", args.treatment);
  const OptionValues options = read_options(kName, args);
  const std::string within = options.text("within");
  const std::string estimand = options.text("estimand");
  if (within == "psm" && estimand == "ate")
    throw InputError(data.source(),
                     fmt::format("{}: option estimand ate is not available with within=psm "
                                 "(nearest-neighbour matching estimates the att); use within=iptw",
                                 kName));
  if (within != "difference-in-means" && args.covariates.empty())
    throw InputError(data.source(), fmt::format("{}: within={} needs covariates", kName, within));

  const Segments segments = segments_of(data, args, options);
  const std::size_t k = segments.labels.size();
  std::vector<std::vector<std::size_t>> rows(k);
  for (std::size_t i = 0; i < segments.row_segment.size(); ++i) rows[segments.row_segment[i]].push_back(i);

  EstimatorArgs inner;
  inner.outcome = args.outcome;
  inner.treatment = args.treatment;
  inner.confidence_level = args.confidence_level;
  if (within != "difference-in-means") {
    inner.covariates = args.covariates;
    inner.options = {{"estimand", estimand}};
  }
  if (options.given("exact")) {
    if (within != "psm")
      throw InputError(data.source(), fmt::format("{}: option exact applies to within=psm only", kName));
    for (const auto& column : options.list("exact")) require_column(data, kName, "exact (option)", column);
    inner.options["exact"] = options.text("exact");
  }

  Estimate out;
  out.n = data.rows();
  std::vector<SegmentResult> results;
  for (std::size_t s = 0; s < k; ++s) results.push_back(estimate_segment(data, rows[s], inner, within));

  // The overall effect: segment effects weighted by segment size (treated rows for att).
  double weight_sum = 0;
  std::vector<std::string> not_estimable;
  for (std::size_t s = 0; s < k; ++s) {
    if (!results[s].estimate) {
      not_estimable.push_back(fmt::format("'{}' ({})", segments.labels[s], results[s].problem));
      continue;
    }
    weight_sum += static_cast<double>(estimand == "att" ? results[s].treated : results[s].n);
    if (out.se_type.empty()) out.se_type = results[s].estimate->se_type;
  }
  if (weight_sum == 0)
    throw InputError(data.source(), fmt::format("{}: no segment has an estimable effect: {}", kName,
                                                fmt::join(not_estimable, "; ")));
  double estimate = 0, variance = 0;
  for (std::size_t s = 0; s < k; ++s) {
    if (!results[s].estimate) continue;
    const double w = static_cast<double>(estimand == "att" ? results[s].treated : results[s].n) / weight_sum;
    estimate += w * results[s].estimate->estimate;
    variance += w * w * results[s].estimate->se * results[s].estimate->se;
  }
  const CoefficientTest overall = z_test(estimate, std::sqrt(variance), args.confidence_level);
  out.estimate = overall.estimate;
  out.se = overall.se;
  out.ci_low = overall.ci_low;
  out.ci_high = overall.ci_high;
  out.p_value = overall.p_value;

  // Wald test of equal effects: Σ (b_s − b̄)² / se_s², b̄ the inverse-variance weighted mean.
  double precision = 0, pooled = 0;
  std::size_t estimable = 0;
  for (const auto& r : results)
    if (r.estimate && r.estimate->se > 0) {
      precision += 1 / (r.estimate->se * r.estimate->se);
      pooled += r.estimate->estimate / (r.estimate->se * r.estimate->se);
      ++estimable;
    }
  if (estimable >= 2) {
    pooled /= precision;
    double chi2 = 0;
    for (const auto& r : results)
      if (r.estimate && r.estimate->se > 0)
        chi2 += std::pow((r.estimate->estimate - pooled) / r.estimate->se, 2);
    const auto df = static_cast<double>(estimable - 1);
    out.diagnostics["equal_effects_chi2"] = chi2;
    out.diagnostics["equal_effects_df"] = df;
    out.diagnostics["equal_effects_p"] =
        boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), chi2));
  }
  out.diagnostics["segments"] = static_cast<double>(k);
  out.diagnostics["segments_not_estimable"] = static_cast<double>(not_estimable.size());

  Table table{
      "segment_effects",
      fmt::format("Effect ({}) within each segment by {}; segments weighted by {} for the overall estimate",
                  within == "difference-in-means" ? "difference in means" : estimand, within,
                  estimand == "att" ? "treated rows" : "rows"),
      {"segment", "n", "treated", "control", "estimate", "std_error", "ci_low", "ci_high", "p_value"},
      {}};
  Plot plot{"effects_by_segment",
            "Effect by segment with its confidence interval",
            "points",
            "segment",
            fmt::format("effect ({:g}% CI)", 100 * args.confidence_level),
            {},
            {estimate},
            {}};
  for (std::size_t s = 0; s < k; ++s) {
    const SegmentResult& r = results[s];
    std::vector<TableCell> row{segments.labels[s], number(static_cast<double>(r.n)),
                               number(static_cast<double>(r.treated)),
                               number(static_cast<double>(r.control))};
    if (!r.estimate) {
      for (int c = 0; c < 5; ++c) row.emplace_back(kNotEstimable);
    } else {
      const Estimate& e = *r.estimate;
      for (const double v : {e.estimate, e.se, e.ci_low, e.ci_high, e.p_value}) row.emplace_back(v);
      out.diagnostics[fmt::format("segment{}_effect", s + 1)] = e.estimate;
      out.diagnostics[fmt::format("segment{}_se", s + 1)] = e.se;
      out.diagnostics[fmt::format("segment{}_ci_low", s + 1)] = e.ci_low;
      out.diagnostics[fmt::format("segment{}_ci_high", s + 1)] = e.ci_high;
      plot.series.push_back(
          {segments.labels[s], {static_cast<double>(s + 1)}, {e.estimate}, {e.ci_low}, {e.ci_high}});
    }
    table.rows.push_back(std::move(row));
  }
  out.tables.push_back(std::move(table));
  out.plots.push_back(std::move(plot));
  if (!not_estimable.empty())
    out.notes.push_back(fmt::format("not estimable, left out of the overall estimate and the test: {}",
                                    fmt::join(not_estimable, "; ")));
  out.notes.push_back(fmt::format(
      "overall estimate: the {} segment effects weighted by segment size ({}), SE sqrt(Σ w² se²) taking the "
      "segments as independent",
      estimable, estimand == "att" ? "treated rows" : "rows"));

  if (segments.clustering) {
    const Segmentation& c = *segments.clustering;
    out.diagnostics["k"] = static_cast<double>(c.k);
    std::vector<std::string> columns{"segment", "units"};
    for (const auto& name : c.profile_columns) columns.push_back(name);
    Table profiles{
        "segment_profiles",
        fmt::format("Covariate means of each segment's {}",
                    options.text("level").empty() ? "rows" : "clusters of '" + options.text("level") + "'"),
        columns,
        {}};
    for (std::size_t s = 0; s < c.k; ++s) {
      std::vector<TableCell> row{segments.labels[s], number(static_cast<double>(c.units_per_segment[s]))};
      for (Eigen::Index j = 0; j < c.profile.cols(); ++j)
        row.emplace_back(c.profile(static_cast<Eigen::Index>(s), j));
      profiles.rows.push_back(std::move(row));
    }
    out.tables.push_back(std::move(profiles));
    if (!c.silhouettes.empty()) {
      Table silhouettes{"silhouette_by_k",
                        "Average silhouette width of the segmentation at each k",
                        {"k", "average_silhouette"},
                        {}};
      for (const auto& s : c.silhouettes) {
        silhouettes.rows.push_back({number(static_cast<double>(s.k)), number(s.average)});
        if (s.k == c.k) out.diagnostics["average_silhouette"] = s.average;
      }
      out.tables.push_back(std::move(silhouettes));
    }
  }
  std::vector<double> segment_number(segments.row_segment.size());
  for (std::size_t i = 0; i < segment_number.size(); ++i)
    segment_number[i] = static_cast<double>(segments.row_segment[i] + 1);
  out.row_outputs["segment"] = std::move(segment_number);
  // The rows each segment's effect is about: its treated rows for the att, all its rows for the ate.
  std::vector<double> target(segments.row_segment.size(), 1.0);
  if (estimand == "att")
    for (std::size_t i = 0; i < target.size(); ++i) target[i] = data.column(args.treatment).values[i];
  out.row_outputs["segment_target"] = std::move(target);
  return out;
}

}  // namespace casebook
