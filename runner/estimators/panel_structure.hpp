#pragma once
// What the panel estimators (twfe, event-study) share: the unit and time columns as dense codes,
// checked (integer times, each unit at most once per period); the two-way within transformation
// by alternating projections; and each unit's adoption period read off an absorbing 0/1
// treatment.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"
#include "inference/cluster_index.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"

namespace casebook {

struct PanelStructure {
  std::string unit_column, time_column;
  ClusterIndex units;                   // unit codes 0..U-1, also the CR1 clusters
  std::vector<Eigen::Index> time_code;  // per row, 0..T-1 in increasing time
  std::vector<double> times;            // the distinct times, increasing
  Eigen::Index fixed_effect_rank = 0;   // U + T - (connected components of the unit-time graph)
};

// Throws InputError (one line, naming the column and row) if a column is missing or has missing
// values, a time is not an integer, or a unit appears twice in one period.
PanelStructure make_panel_structure(const Dataset& data, std::string_view estimator, const std::string& unit,
                                    const std::string& time);

// Replaces every column of `columns` by its residual from unit and time effects (the two-way
// within transformation), by alternating unit and time demeaning until no value moves by more
// than 1e-13 of the column's scale. A balanced panel converges in one sweep.
void absorb_unit_and_time_effects(Eigen::MatrixXd& columns, const PanelStructure& panel);

// Per unit code, the first time with treatment 1 (nullopt: never treated). Throws InputError if
// the treatment is not 0/1 or switches off again (the designs here assume an absorbing treatment).
// With `adoption_column` (the unit's adoption period on every row, 0 for never), that column is
// read instead, so a unit whose adoption period is missing from an unbalanced panel is placed
// right; it must be constant within a unit and agree with the treatment.
std::vector<std::optional<double>> adoption_times(const Dataset& data, const PanelStructure& panel,
                                                  const std::string& treatment,
                                                  const std::string& adoption_column = "");

// The common checks of a staggered design: some unit is never treated and every treated unit is
// seen untreated before its adoption. `estimator` names the caller in the message.
void require_comparison_and_pre_periods(const std::vector<std::optional<double>>& adoption,
                                        const PanelStructure& panel, std::string_view estimator,
                                        const std::string& treatment);

struct AbsorbedFit {
  LeastSquaresFit fit;        // of the demeaned outcome on the demeaned regressors
  VarianceEstimate variance;  // CR1, df G-1
};

// Regresses y on x (named columns, no intercept) with unit and time effects absorbed, and CR1
// standard errors clustered by `clusters`. The small-sample factor counts the absorbed effects
// as parameters, (n-1)/(n-k-rank of the effects) · G/(G-1), as estimatr::lm_robust(fixed_effects
// = ~ unit + time, se_type = "stata") and lm with the dummies plus sandwich::vcovCL(type = "HC1").
AbsorbedFit fit_with_unit_and_time_effects(const PanelStructure& panel, Eigen::VectorXd y, Eigen::MatrixXd x,
                                           std::vector<std::string> names, const ClusterIndex& clusters);

// The argument checks of the panel estimators (twfe, event-study, sun-abraham): a confidence
// level in (0, 1), no instruments, CR1 standard errors, distinct roles and numeric columns.
void check_panel_arguments(const Dataset& data, const EstimatorArgs& args, std::string_view estimator);

// What twfe and event-study check and derive before fitting: check_panel_arguments, the panel (options unit,
// time), each unit's adoption period (option adoption), a comparison group and pre-periods, and the clusters
// (the units by default).
struct AbsorbingTreatmentPanel {
  PanelStructure panel;
  std::vector<std::optional<double>> adoption;
  ClusterIndex clusters;
};
AbsorbingTreatmentPanel prepare_absorbing_treatment_panel(const Dataset& data, const EstimatorArgs& args,
                                                          std::string_view estimator);

}  // namespace casebook
