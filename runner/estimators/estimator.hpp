#pragma once
// The estimator registry: the one place that knows each estimator. Its entry is the estimator's
// whole description — the function, the options it reads, the diagnostics it reports, what
// identifies its effect, which refuters and sensitivity analyses apply — so no other stage ever
// compares an estimator's name. Estimators never read JSON or files.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/options.hpp"
#include "data/dataset.hpp"
#include "estimators/estimate.hpp"

namespace casebook {

// How an estimator works, for the reader and for the stages that must treat kinds alike.
enum class EstimatorFamily {
  closed_form,  // one regression or contrast (difference in means, OLS, 2SLS)
  panel,        // units observed over periods (DiD, TWFE, event studies): rows grouped by unit
  learner,      // fits machine-learning models (meta-learners, forests)
};

// What the estimate's causal reading rests on. The graph stage checks the first three on the
// causal graph; design-based ones are checked by the design's own diagnostics (pre-trend tests).
enum class IdentificationCriterion { backdoor, instrument, frontdoor, parallel_trends };

// Sensitivity analyses the runner adds to the estimate's diagnostics (runner/refute/sensitivity).
enum class SensitivityAnalysis {
  robustness_value,  // Cinelli & Hazlett's robustness value and partial R² (regression adjustment)
  anderson_rubin,    // the weak-instrument-robust Anderson–Rubin set (one instrument)
  e_value,           // VanderWeele & Ding's E-value of the standardised effect
};

// A diagnostic an estimator reports. A name may hold placeholders in braces that stand for any
// non-empty text, for diagnostics named after the data: "coef_{period}", "effect_{column}_{level}".
struct DiagnosticSpec {
  std::string name;
  std::string meaning;  // one line
};

// True when `name` is an instance of the declared `pattern`.
bool diagnostic_name_matches(std::string_view pattern, std::string_view name);

struct EstimatorInfo {
  std::string name;
  std::string summary;                // one line for `--help` and the site
  std::vector<std::string> required;  // argument names it needs: "treatment", "instruments", …
  std::function<Estimate(const Dataset&, const EstimatorArgs&)> run;
  EstimatorFamily family = EstimatorFamily::closed_form;
  IdentificationCriterion identification = IdentificationCriterion::backdoor;
  std::vector<OptionSpec> options = {};            // EstimatorArgs::options it reads, nothing else
  std::vector<DiagnosticSpec> diagnostics = {};    // Estimate::diagnostics it may report
  std::vector<std::string> row_outputs = {};       // Estimate::row_outputs it writes ("cate", …)
  std::vector<std::string> default_refuters = {};  // run when a case lists no refutations
  // Refits in well under a second, so default refutations run the refuters' full repetitions;
  // otherwise at most 4, so that running every case stays within seconds.
  bool quick_refit = true;
  std::vector<SensitivityAnalysis> sensitivity = {};
  // The option that places the treatment when it is not a column: an intervention time (its) or
  // a threshold. A case's analysis still names its treatment, for the causal graph and the site,
  // but the estimator is not handed it. Empty: the treatment is a column.
  std::string treatment_option = {};
};

const std::vector<EstimatorInfo>& estimator_registry();
// Throws InputError "unknown estimator 'x' (known: …)".
const EstimatorInfo& find_estimator(std::string_view name);

// The analysis's options, checked against the estimator's declared ones: an undeclared name or a
// value of the wrong type is an InputError naming the estimator and the option.
OptionValues read_options(std::string_view estimator, const EstimatorArgs& args);

// "backdoor", "instrument", "frontdoor", "parallel-trends"; "closed-form", "panel", "learner".
std::string to_string(IdentificationCriterion criterion);
std::string to_string(EstimatorFamily family);

}  // namespace casebook
