#include "refute/repetitions.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "estimators/argument_checks.hpp"

namespace casebook::refute_detail {

std::vector<double> run_repetitions(std::size_t reps, std::uint64_t seed, unsigned threads,
                                    const std::function<double(pcg64&, std::size_t)>& repetition) {
  std::vector<double> estimates(reps, std::nan(""));
  parallel_for(reps, threads, [&](std::size_t r) {
    try {
      pcg64 generator;
      seed_from_key(generator, derive_seed(seed, r));
      estimates[r] = repetition(generator, r);
    } catch (const InputError&) {
      estimates[r] = std::nan("");  // counted as a failed repetition
    }
  });
  return estimates;
}

Finite finite_values(const std::vector<double>& estimates, const std::string& refuter) {
  Finite out;
  for (double e : estimates) {
    if (std::isfinite(e))
      out.values.push_back(e);
    else
      ++out.failed;
  }
  if (out.values.size() < 2)
    throw InputError(fmt::format("{}: only {} of {} repetitions could be estimated on the modified data",
                                 refuter, out.values.size(), estimates.size()));
  return out;
}

double mean_of(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

double sd_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean_of(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double quantile_of(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return std::nan("");
  const double h = p * static_cast<double>(v.size() - 1);  // type 7, R's default
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

Dataset narrow_to_used(const Dataset& data, const EstimatorArgs& args, const std::vector<std::string>& also) {
  std::vector<std::string> wanted = used_columns(args);
  // Options such as group, post, unit and time name a column; others (heckman's
  // selection_covariates, synthetic-control's predictors) a comma-separated list of them.
  for (const auto& [key, value] : args.options) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      std::string part = value.substr(start, comma - start);
      part.erase(0, part.find_first_not_of(' '));
      part.erase(part.find_last_not_of(' ') + 1);
      if (data.has(part)) wanted.push_back(part);
      start = comma + 1;
    }
  }
  wanted.insert(wanted.end(), also.begin(), also.end());
  Dataset narrow(data.source());
  for (const auto& column : data.columns())
    if (std::find(wanted.begin(), wanted.end(), column.name) != wanted.end()) narrow.add_column(column);
  return narrow;
}

std::string grouping_column(const RefuterInput& input) {
  if (auto it = input.options.find("cluster"); it != input.options.end() && !it->second.empty())
    return it->second;
  if (!input.args.cluster.empty()) return input.args.cluster;
  if (const std::string unit = analysis_column(input, ColumnRole::unit); !unit.empty()) return unit;
  if (input.estimator->family == EstimatorFamily::panel && input.data->has("unit")) return "unit";
  return "";
}

std::vector<std::vector<std::size_t>> rows_by_group(const Dataset& data, const std::string& column) {
  const auto& values = data.column(column).values;
  std::map<double, std::size_t> index;
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto [it, inserted] = index.emplace(values[i], groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

std::string option_with_role(const EstimatorInfo& estimator, ColumnRole role) {
  for (const auto& option : estimator.options)
    if (option.type == OptionType::column && option.role == role) return option.name;
  return "";
}

std::string analysis_column(const RefuterInput& input, ColumnRole role) {
  const auto it = input.args.options.find(option_with_role(*input.estimator, role));
  return it == input.args.options.end() ? "" : it->second;
}

std::string number_text(double x) { return fmt::format("{:.4g}", x); }

RefutationResult single_refit_covering_zero(const Estimate& refit, std::string interval_label) {
  RefutationResult r;
  r.reps = 1;
  r.estimate = refit.estimate;
  r.p_value = refit.p_value;
  r.interval_low = refit.ci_low;
  r.interval_high = refit.ci_high;
  r.interval_label = std::move(interval_label);
  r.pass = refit.ci_low <= 0 && 0 <= refit.ci_high;
  return r;
}

}  // namespace casebook::refute_detail
