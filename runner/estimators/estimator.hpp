#pragma once
// The estimator interface: plain arguments in, an Estimate out. Estimators never read JSON
// or files; the registry maps a name ("ols", "2sls", …) to one.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"

namespace casebook {

struct EstimatorArgs {
  std::string outcome;
  std::string treatment;
  std::vector<std::string> instruments;
  std::vector<std::string> covariates;  // categorical ones enter as dummies (first level dropped)
  std::string cluster;                  // empty: no clustering
  std::string se_type = "hc1";          // iid, hc0, hc1, hc2, hc3; cr1 when cluster is set
  double confidence_level = 0.95;
  std::map<std::string, std::string> options;  // estimator-specific, e.g. {"group", "treated"}
};

// A picture an estimator can return (an event study's coefficients, a Qini curve…); the site
// draws it as SVG. `lower`/`upper` are empty when there is no band.
struct Series {
  std::string name;
  std::vector<double> x, y, lower, upper;
};
struct Plot {
  std::string id;
  std::string title;
  std::string kind;  // "points": estimates with intervals; "lines": curves
  std::string x_label, y_label;
  std::vector<Series> series;
  std::vector<double> reference_lines;  // horizontal lines, e.g. 0 or the truth
};

struct Estimate {
  double estimate = 0;
  double se = 0;
  double ci_low = 0;
  double ci_high = 0;
  double p_value = 1;
  std::size_t n = 0;
  std::map<std::string, double> diagnostics;  // e.g. first_stage_F, partial_r2
  std::vector<std::string> notes;             // plain-language remarks for the reader
  std::vector<Plot> plots;
  // Per-row outputs in the data's row order, e.g. "cate" (written by --predictions).
  std::map<std::string, std::vector<double>> row_outputs;
};

struct EstimatorInfo {
  std::string name;
  std::string summary;                // one line for `--help` and the site
  std::vector<std::string> required;  // argument names it needs: "treatment", "instruments", …
  std::function<Estimate(const Dataset&, const EstimatorArgs&)> run;
  // Keys of EstimatorArgs::options it reads; `casebook estimate` forwards --seed, --threads,
  // --trees and --base-learner only to estimators that list them.
  std::vector<std::string> options = {};
};

const std::vector<EstimatorInfo>& estimator_registry();
// Throws InputError "unknown estimator 'x' (known: …)".
const EstimatorInfo& find_estimator(std::string_view name);

}  // namespace casebook
