#pragma once
// Refuters: each reruns an analysis (an estimator and its arguments) on deliberately modified
// data and says whether the result behaves as a sound analysis should, with the rule in words
// and a plain-language reading in English and Korean. Every repetition r of refutation i draws
// from a PCG generator keyed by derive_seed(derive_seed(seed, i), r), so results are the same on
// any number of threads.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// What a refuter gets: the analysis as it ran, and how to repeat it.
struct RefuterInput {
  const Dataset* data = nullptr;
  const EstimatorInfo* estimator = nullptr;
  EstimatorArgs args;
  Estimate original;                           // the analysis's estimate on the unmodified data
  std::string analysis;                        // the analysis id, for the report
  std::size_t reps = 0;                        // 0: the refuter's default
  std::uint64_t seed = 1;                      // already derived for this refutation (seed, refutation index)
  unsigned threads = 0;                        // 0: one per core
  std::map<std::string, std::string> options;  // refuter-specific; unknown keys are an InputError
};

struct RefutationResult {
  std::string id;    // the refutation's id in the case ("<refuter>-<analysis>" by default)
  std::string name;  // the refuter, e.g. "placebo-treatment"
  std::string analysis;
  double original_estimate = 0;
  double estimate = 0;                                // the new estimate (the mean over repetitions)
  std::optional<double> p_value;                      // where one exists
  std::optional<double> interval_low, interval_high;  // e.g. the spread of the repetitions
  std::string interval_label;                         // what the interval is
  // The verdict: pass or fail when the refuter could decide; "not assessable" (assessable false,
  // pass false) when too few repetitions produced an estimate to decide on.
  bool pass = false;
  bool assessable = true;
  // The false-alarm rate the rule holds under its null on a sound analysis (0.01 for the tests);
  // none for a tolerance rule, whose false-alarm rate only `casebook mc --refutations` measures.
  std::optional<double> level;
  std::string rule;                    // the null, the test and the pass rule in words, with its numbers
  std::string reading_en, reading_ko;  // what the result means, in plain words
  std::size_t reps = 0;                // repetitions attempted
  std::size_t failed = 0;              // repetitions the estimator rejected (reps − failed succeeded)
  std::uint64_t seed = 0;
  std::map<std::string, double> details;  // the numbers behind the rule
};

// The three verdicts, for tallies (Monte Carlo) and reports.
enum class Verdict { pass, fail, not_assessable };
Verdict verdict_of(const RefutationResult& r);
std::string_view verdict_name(Verdict v);  // "pass", "fail", "not assessable"

// The level of the refuters' tests: a sound analysis fails a test at most this often.
inline constexpr double kRefuterLevel = 0.01;
// A repeated refuter whose failed repetitions exceed this share of those attempted is not
// assessable: the survivors are no longer a random draw of the repetitions (a design the estimator
// rejects is not missing at random), so a verdict on them would say nothing.
inline constexpr double kMaxFailedShare = 0.2;

struct RefuterInfo {
  std::string name;
  std::string summary;  // one line for --help and the site
  std::size_t default_reps;
  std::vector<OptionSpec> options;  // the options it reads, nothing else
  std::function<RefutationResult(const RefuterInput&)> run;
};

const std::vector<RefuterInfo>& refuter_registry();
// Throws InputError "unknown refuter 'x' (known: …)".
const RefuterInfo& find_refuter(std::string_view name);

// Runs a refuter: checks its options, fills the defaults and the common fields (name, analysis,
// original estimate, seed). Throws InputError on an unknown option or an estimator that cannot
// run on the modified data at all.
RefutationResult run_refuter(const RefuterInfo& refuter, const RefuterInput& input);

// The refutation's options, checked against the refuter's declared ones (InputError naming the
// refuter and the option otherwise), with their defaults.
OptionValues read_options(std::string_view refuter, const RefuterInput& input);

// Repetitions of a default refutation (one a case did not list): the refuter's default for an
// estimator that refits quickly, and at most 4 for the others (learners that fit forests), so that
// running every case stays within seconds.
std::size_t default_refutation_reps(const EstimatorInfo& estimator, const RefuterInfo& refuter);

}  // namespace casebook
