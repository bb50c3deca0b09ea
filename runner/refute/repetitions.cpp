#include "refute/repetitions.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

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

bool Finite::assessable() const {
  return values.size() >= 2 &&
         static_cast<double>(failed) <= kMaxFailedShare * static_cast<double>(attempted());
}

Finite finite_values(const std::vector<double>& estimates) {
  Finite out;
  for (double e : estimates) {
    if (std::isfinite(e))
      out.values.push_back(e);
    else
      ++out.failed;
  }
  return out;
}

void add_repetition_counts(RefutationResult& r, std::size_t attempted, std::size_t failed) {
  r.reps = attempted;
  r.failed = failed;
  r.details["attempted_reps"] = static_cast<double>(attempted);
  r.details["successful_reps"] = static_cast<double>(attempted - failed);
  r.details["max_failed_share"] = kMaxFailedShare;
}

RefutationResult not_assessable(const std::string& refuter, std::size_t attempted, std::size_t failed,
                                const std::vector<double>& survivors) {
  RefutationResult r;
  r.assessable = false;
  r.pass = false;
  r.estimate = survivors.empty() ? std::nan("") : mean_of(survivors);
  add_repetition_counts(r, attempted, failed);
  const std::size_t succeeded = attempted - failed;
  r.rule = fmt::format(
      "not assessable: {} of {} repetitions failed to produce an estimate, more than the {:.0f}% (and at "
      "least 2 successes) a verdict needs",
      failed, attempted, 100 * kMaxFailedShare);
  r.reading_en = fmt::format(
      "The {} refuter cannot judge this analysis: only {} of its {} repetitions produced an estimate. The "
      "survivors are not a random draw of the repetitions, so neither a pass nor a fail would mean anything.",
      refuter, succeeded, attempted);
  r.reading_ko = fmt::format(
      "{} 반박 검정은 이 분석을 판정할 수 없습니다. 반복 {}회 중 {}회만 추정치를 냈습니다. 살아남은 반복은 "
      "무작위 표본이 아니므로 통과든 실패든 의미가 없습니다.",
      refuter, attempted, succeeded);
  return r;
}

double t_critical_value(double df) {
  return boost::math::quantile(boost::math::students_t(df), 1 - kRefuterLevel / 2);
}

double bonferroni_normal_critical_value(std::size_t tests) {
  return boost::math::quantile(
      boost::math::normal(), 1 - kRefuterLevel / (2 * static_cast<double>(std::max<std::size_t>(tests, 1))));
}

RefutationResult mean_zero_t_test(const Finite& finite) {
  RefutationResult r;
  const auto k = static_cast<double>(finite.values.size());
  r.estimate = mean_of(finite.values);
  const double monte_carlo_se = sd_of(finite.values) / std::sqrt(k);
  const double critical = t_critical_value(k - 1);
  // Identical repetitions (SE 0) reject exactly when their mean is not 0.
  const double t = monte_carlo_se > 0 ? r.estimate / monte_carlo_se : (r.estimate == 0 ? 0 : HUGE_VAL);
  r.p_value = std::isfinite(t)
                  ? 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(k - 1), std::abs(t)))
                  : 0.0;
  r.level = kRefuterLevel;
  r.pass = std::abs(t) <= critical;
  add_repetition_counts(r, finite.attempted(), finite.failed);
  r.details["monte_carlo_se"] = monte_carlo_se;
  r.details["t_statistic"] = t;
  r.details["t_critical"] = critical;
  r.details["level"] = kRefuterLevel;
  return r;
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

RefutationResult single_refit_covering_zero(const Estimate& refit, double confidence,
                                            std::string interval_label) {
  RefutationResult r;
  r.reps = 1;
  r.level = 1 - confidence;  // a CI that holds its coverage misses 0 this often under the null
  r.estimate = refit.estimate;
  r.p_value = refit.p_value;
  r.interval_low = refit.ci_low;
  r.interval_high = refit.ci_high;
  r.interval_label = std::move(interval_label);
  r.pass = refit.ci_low <= 0 && 0 <= refit.ci_high;
  return r;
}

}  // namespace casebook::refute_detail
