#include "estimators/coarsened_exact_matching.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <string>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/balance_report.hpp"

namespace casebook {

namespace {

constexpr std::string_view kName = "cem";

// Sturges' rule as R's nclass.Sturges, MatchIt's default for every numeric covariate.
std::size_t sturges_bins(std::size_t n) {
  return static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(n)) + 1));
}

std::string trim(const std::string& text) {
  const std::size_t first = text.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

std::size_t parse_bins(std::string_view text, std::string_view column) {
  std::size_t k = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), k);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    throw InputError(
        fmt::format("cem: option 'cutpoints' needs a whole number of bins ≥ 0 (0: match exactly){}, got '{}'",
                    column.empty() ? " or column:bins pairs" : fmt::format(" for '{}'", column), text));
  return k;
}

// Bins per covariate (0: exact), from option cutpoints: "" (Sturges for every numeric covariate),
// "k" (k for every numeric covariate) or "x1:k1,x2:k2" (the others keep Sturges, as in MatchIt).
std::map<std::string, std::size_t> read_cutpoints(const Dataset& data, const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  const std::string text = options.text("cutpoints");
  std::map<std::string, std::size_t> bins;
  for (const auto& covariate : args.covariates)
    if (!data.column(covariate).is_categorical()) bins[covariate] = sturges_bins(data.rows());
  if (text.find(':') == std::string::npos) {
    if (!text.empty()) {
      const std::size_t k = parse_bins(text, "");
      for (auto& [name, b] : bins) b = k;
    }
    return bins;
  }
  std::map<std::string, bool> seen;
  for (const auto& item : options.list("cutpoints")) {
    const std::size_t colon = item.find(':');
    if (colon == std::string::npos)
      throw InputError(fmt::format(
          "cem: option 'cutpoints' lists columns as column:bins (e.g. x1:4,age:0), got '{}'", item));
    const std::string name = trim(item.substr(0, colon));
    if (std::find(args.covariates.begin(), args.covariates.end(), name) == args.covariates.end())
      throw InputError(
          fmt::format("cem: option 'cutpoints' names '{}', which is not a covariate (covariates: {})", name,
                      fmt::join(args.covariates, ", ")));
    if (seen[name]) throw InputError(fmt::format("cem: option 'cutpoints' names '{}' twice", name));
    seen[name] = true;
    const std::size_t k = parse_bins(trim(item.substr(colon + 1)), name);
    if (data.column(name).is_categorical()) {
      if (k != 0)
        throw InputError(fmt::format(
            "cem: option 'cutpoints' gives {} bins to '{}', a text column, which is always matched exactly",
            k, name));
      continue;
    }
    bins[name] = k;
  }
  return bins;
}

// MatchIt's cem_matchit: breaks seq(min, max, length = k + 1) with the outer two at ±∞, and
// findInterval's bin (a value on an inner break goes to the bin above it).
std::vector<double> coarsen(const std::vector<double>& x, std::size_t k) {
  const auto [low, high] = std::minmax_element(x.begin(), x.end());
  const double from = *low, step = (*high - *low) / static_cast<double>(k);
  std::vector<double> breaks;  // the inner ones, as R's seq.default computes them
  for (std::size_t j = 1; j < k; ++j) breaks.push_back(from + static_cast<double>(j) * step);
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    out[i] = static_cast<double>(std::upper_bound(breaks.begin(), breaks.end(), x[i]) - breaks.begin());
  return out;
}

BalanceEstimand read_estimand(const EstimatorArgs& args) {
  const std::string estimand = read_options(kName, args).text("estimand");
  return estimand == "atc"   ? BalanceEstimand::atc
         : estimand == "ate" ? BalanceEstimand::ate
                             : BalanceEstimand::att;
}

}  // namespace

SubclassWeights coarsened_exact_matching(const Dataset& data, const EstimatorArgs& args) {
  reject_argument(kName, "instruments", !args.instruments.empty(), "cem matches on covariates only");
  reject_argument(kName, "cluster", !args.cluster.empty(),
                  "cem's HC3 standard error treats rows as independent; drop the cluster argument");
  if (args.covariates.empty())
    throw InputError("cem: covariates are required: the strata are formed from them");
  require_distinct_roles(args);
  require_binary_column(data, kName, "treatment", args.treatment);
  for (const auto& covariate : args.covariates) require_column(data, kName, "covariate", covariate);
  require_complete(data, used_columns(args));
  require_not_constant(data, "treatment", args.treatment, "nothing to compare");
  const BalanceEstimand estimand = read_estimand(args);
  const std::map<std::string, std::size_t> bins = read_cutpoints(data, args);
  const std::vector<double>& t = data.column(args.treatment).values;
  const std::size_t n = t.size();

  std::vector<std::vector<double>> coarse;  // per covariate: bin, level or (exact) value per row
  for (const auto& covariate : args.covariates) {
    const Column& column = data.column(covariate);
    const auto it = bins.find(covariate);
    coarse.push_back(it == bins.end() || it->second == 0 ? column.values
                                                         : coarsen(column.values, it->second));
  }
  // Strata: the distinct coarsened rows, numbered as MatchIt's intersect() of the control keys
  // with the treated keys orders them — by their first control row.
  std::map<std::vector<double>, std::ptrdiff_t> stratum;  // key -> number; -2 treated only
  std::vector<std::vector<double>> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& column : coarse) keys[i].push_back(column[i]);
    if (t[i] == 1) stratum.try_emplace(keys[i], -2);
  }
  std::ptrdiff_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (t[i] == 1) continue;
    const auto it = stratum.find(keys[i]);
    if (it != stratum.end() && it->second == -2) it->second = count++;
  }
  std::vector<std::ptrdiff_t> subclass(n, kNoSubclass);
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = stratum.find(keys[i]);
    if (it != stratum.end() && it->second >= 0) subclass[i] = it->second;
  }
  return subclass_weights(subclass, t, estimand, kName, "stratum",
                          "coarsen further (fewer bins in option cutpoints) or match on fewer covariates");
}

Estimate coarsened_exact_matching_estimate(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  require_numeric_column(data, kName, "outcome", args.outcome);
  const SubclassWeights strata = coarsened_exact_matching(data, args);
  const std::vector<double>& t = data.column(args.treatment).values;
  Estimate out = subclass_weighted_effect(kName, data, args, strata.weights);
  out.diagnostics["strata"] = static_cast<double>(strata.strata);
  report_subclasses(out, t, strata);
  report_balance(out, data, args.covariates, t, strata.weights, read_estimand(args), "matching");
  if (out.diagnostics.at("n_unmatched") > 0)
    out.notes.push_back(fmt::format(
        "{} rows are in strata without both arms and are dropped: the estimate is the effect among the "
        "matched rows, which is the named estimand only if no row of its target arm was dropped",
        out.diagnostics.at("n_unmatched")));
  return out;
}

}  // namespace casebook
