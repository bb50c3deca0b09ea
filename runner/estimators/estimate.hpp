#pragma once
// What an estimator takes and what it returns: plain arguments in, an Estimate out.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

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

}  // namespace casebook
