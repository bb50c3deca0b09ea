#pragma once
// What an estimator takes and what it returns: plain arguments in, an Estimate out.
#include <cstddef>
#include <map>
#include <string>
#include <variant>
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
  // "points": estimates with intervals; "lines": curves; "dots": a dot plot with one row per
  // category, each series' x its values in the categories' order (a Love plot).
  std::string kind;
  std::string x_label, y_label;
  std::vector<Series> series;
  std::vector<double> reference_lines;  // lines at these values of the y axis (x for "dots")
  std::vector<std::string> categories;  // the rows of a "dots" plot, top to bottom
};

// One coefficient of a fitted model, with broom::tidy's columns. Names follow R's lm/ivreg:
// "(Intercept)", the column name, "regionnorth" for a dummy of a text column (R's treatment
// contrasts), "group:post" for an interaction; panel dummies as fixest names them ("relative::-2",
// "relative::0:cohort::3").
struct Term {
  std::string term;
  double estimate = 0;
  double std_error = 0;
  double statistic = 0;  // t, or z for a normal reference (see Estimate::se_type)
  double p_value = 1;    // two-sided
  double conf_low = 0;
  double conf_high = 0;
};

// A named table an estimator reports besides its plots (coefficients by period, effects by group,
// a best linear projection…): every row has one cell per column, a number or a text.
using TableCell = std::variant<double, std::string>;
struct Table {
  std::string id;
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<TableCell>> rows;
};

struct Estimate {
  double estimate = 0;
  double se = 0;
  double ci_low = 0;
  double ci_high = 0;
  double p_value = 1;
  std::size_t n = 0;
  // How `se` was computed: "iid", "hc0".."hc3", "cr1" (inference/sandwich_vcov.hpp), or one of
  // the other types listed and explained once, in templates/results.schema.json's se_type.
  std::string se_type;
  std::vector<Term> terms;  // every coefficient of a regression-type estimator; empty for the others
  std::vector<Table> tables;
  std::map<std::string, double> diagnostics;  // e.g. first_stage_F, partial_r2
  std::vector<std::string> notes;             // plain-language remarks for the reader
  std::vector<Plot> plots;  // the first is the design's own picture, which a case page shows up front
  // Per-row outputs in the data's row order, e.g. "cate" (written by --predictions).
  std::map<std::string, std::vector<double>> row_outputs;
  // Tuning the estimator chose from these data (rdd's bandwidths), as options that reproduce it:
  // refits on subsets of the same data hold them, so the subsets vary only as the SE describes.
  std::map<std::string, std::string> refit_options;
};

}  // namespace casebook
