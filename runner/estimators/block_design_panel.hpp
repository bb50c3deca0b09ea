#pragma once
// What synthdid and synthetic-control share: a long panel (options unit and time) read as a
// balanced adoption design — N0 donor units never treated and N1 treated units that stay treated
// once they adopt — with each unit's series as a row of a units × periods matrix: donors first,
// then the treated units cohort by cohort (in order of adoption), each group in order of first
// appearance in the data. A block design has one cohort; staggered adoption has several.
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

struct AdoptionCohort {
  Eigen::Index first = 0;        // its first row in BlockDesignPanel::y
  Eigen::Index size = 0;         // its treated units
  Eigen::Index pre_periods = 0;  // T0: periods before it adopts
};

struct BlockDesignPanel {
  std::vector<std::string> donors;                 // unit names
  std::vector<std::string> treated;                // unit names, cohort by cohort
  std::vector<double> times;                       // every period, increasing
  std::vector<AdoptionCohort> cohorts;             // in order of adoption; one in a block design
  Eigen::Index pre_periods = 0;                    // T0 of the first cohort
  Eigen::MatrixXd y;                               // (N0 + N1) × T outcomes
  std::vector<Eigen::Index> row_unit, row_period;  // per data row: its row and column in `y`

  // The same matrix for another column (a predictor), NaN where the column is missing.
  Eigen::MatrixXd matrix_of(const std::vector<double>& values) const;
};

enum class Adoption { simultaneous, staggered };

// Throws InputError (one line, naming the unit, period or row) for a missing outcome, a panel that
// is unbalanced, staggered adoption when `adoption` is simultaneous, no comparison group, no
// pre-period, or a donor pool of one. `estimator` names the caller in the messages.
BlockDesignPanel read_block_design_panel(const Dataset& data, std::string_view estimator,
                                         const EstimatorArgs& args, const std::string& unit,
                                         const std::string& time, Adoption adoption);

}  // namespace casebook
