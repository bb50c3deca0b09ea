#pragma once
// The parts refuters share: seeded parallel repetitions, the columns an analysis uses, how its
// rows group into units or clusters, and summaries of repeated estimates.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <pcg_random.hpp>

#include "data/dataset.hpp"
#include "refute/refutation.hpp"

namespace casebook::refute_detail {

// The estimates of `reps` repetitions; a repetition the estimator rejects (InputError) is NaN,
// any other exception is rethrown. Repetition r draws from a pcg64 keyed by derive_seed(seed, r).
std::vector<double> run_repetitions(std::size_t reps, std::uint64_t seed, unsigned threads,
                                    const std::function<double(pcg64&, std::size_t)>& repetition);

// A refutation from one refit that passes when the refit's CI covers 0 (a placebo or a negative
// control should find no effect): estimate, p-value, interval and pass set; rule and readings are
// the caller's.
RefutationResult single_refit_covering_zero(const Estimate& refit, double confidence,
                                            std::string interval_label);

// The finite values, and the count of the others.
struct Finite {
  std::vector<double> values;
  std::size_t failed = 0;
  std::size_t attempted() const { return values.size() + failed; }
  // At most kMaxFailedShare of the repetitions failed, and at least 2 succeeded.
  bool assessable() const;
};
Finite finite_values(const std::vector<double>& estimates);

// The result of a repeated refuter that could not decide: verdict "not assessable", with the
// counts in the details and the rule and readings saying why.
RefutationResult not_assessable(const std::string& refuter, std::size_t attempted, std::size_t failed,
                                const std::vector<double>& survivors);
// The counts every repeated refuter reports in its details.
void add_repetition_counts(RefutationResult& r, std::size_t attempted, std::size_t failed);

// The one-sample t-test of "the repetitions' mean is 0" at level kRefuterLevel, on the k
// successful repetitions (k − 1 degrees of freedom): estimate, p-value, pass, level and the
// numbers (t, critical value, Monte Carlo SE) in the details. The rule and readings are the caller's.
RefutationResult mean_zero_t_test(const Finite& finite);
// Two-sided critical values at kRefuterLevel: Student t with df, and the normal's with a
// Bonferroni correction over `tests` comparisons.
double t_critical_value(double df);
double bonferroni_normal_critical_value(std::size_t tests);
double mean_of(const std::vector<double>& v);
double sd_of(const std::vector<double>& v);  // divisor n − 1
double quantile_of(std::vector<double> v, double p);

// A copy of `data` with only the columns the analysis uses (and the columns its option values
// name, alone or in a comma-separated list), so repetitions copy as little as possible.
Dataset narrow_to_used(const Dataset& data, const EstimatorArgs& args,
                       const std::vector<std::string>& also = {});

// The column whose values group rows into units or clusters: the refuter's "cluster" option, else
// the analysis's cluster, else its "unit" option; empty when none.
std::string grouping_column(const RefuterInput& input);
// Row indices of each group, in first-seen order.
std::vector<std::vector<std::size_t>> rows_by_group(const Dataset& data, const std::string& column);

// The name of the estimator's column option with this role ("" when it declares none), and the
// column the analysis gave for it ("" when it gave none).
std::string option_with_role(const EstimatorInfo& estimator, ColumnRole role);
std::string analysis_column(const RefuterInput& input, ColumnRole role);

std::string number_text(double x);  // 4 significant digits

}  // namespace casebook::refute_detail
