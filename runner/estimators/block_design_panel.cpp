#include "estimators/block_design_panel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/panel_structure.hpp"

namespace casebook {
namespace {

std::string unit_name(const Dataset& data, const std::string& unit, std::size_t row) {
  const Column& u = data.column(unit);
  return u.is_categorical() ? u.levels.at(static_cast<std::size_t>(u.values[row]))
                            : fmt::format("{}", u.values[row]);
}

}  // namespace

Eigen::MatrixXd BlockDesignPanel::matrix_of(const std::vector<double>& values) const {
  Eigen::MatrixXd out =
      Eigen::MatrixXd::Constant(y.rows(), y.cols(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t row = 0; row < values.size(); ++row) out(row_unit[row], row_period[row]) = values[row];
  return out;
}

BlockDesignPanel read_block_design_panel(const Dataset& data, std::string_view estimator,
                                         const EstimatorArgs& args, const std::string& unit,
                                         const std::string& time, Adoption adoption_rule) {
  require_column(data, estimator, "outcome", args.outcome);
  require_column(data, estimator, "unit", unit);
  require_column(data, estimator, "time", time);
  {
    const auto& y = data.column(args.outcome).values;
    for (std::size_t row = 0; row < y.size(); ++row)
      if (std::isnan(y[row]))
        throw InputError(data.source(),
                         fmt::format("{}: outcome '{}' is missing for unit {} = {} in {} = {} (row {})",
                                     estimator, args.outcome, unit, unit_name(data, unit, row), time,
                                     data.column(time).values[row], row + 1));
  }
  require_numeric_column(data, estimator, "outcome", args.outcome);
  require_numeric_column(data, estimator, "treatment", args.treatment);
  const PanelStructure panel = make_panel_structure(data, estimator, unit, time);
  const auto adoption = adoption_times(data, panel, args.treatment);
  require_comparison_and_pre_periods(adoption, panel, estimator, args.treatment);

  const auto units = static_cast<std::size_t>(panel.units.count);
  const auto periods = static_cast<Eigen::Index>(panel.times.size());
  std::vector<std::size_t> first_row(units, data.rows());
  std::vector<Eigen::Index> rows_of_unit(units, 0);
  for (std::size_t row = 0; row < data.rows(); ++row) {
    const auto u = static_cast<std::size_t>(panel.units.code[row]);
    first_row[u] = std::min(first_row[u], row);
    ++rows_of_unit[u];
  }
  for (std::size_t u = 0; u < units; ++u)
    if (rows_of_unit[u] != periods)
      throw InputError(data.source(),
                       fmt::format("{}: the panel is unbalanced: unit {} = {} has {} of the {} periods; {} "
                                   "needs every unit in every period",
                                   estimator, unit, unit_name(data, unit, first_row[u]), rows_of_unit[u],
                                   periods, estimator));

  // A block design: every treated unit adopts in the same period.
  if (adoption_rule == Adoption::simultaneous) {
    std::size_t first_treated = units;
    for (std::size_t u = 0; u < units; ++u) {
      if (!adoption[u]) continue;
      if (first_treated == units) {
        first_treated = u;
      } else if (*adoption[u] != *adoption[first_treated]) {
        throw InputError(
            data.source(),
            fmt::format("{}: staggered adoption: unit {} = {} is treated from {} = {} but unit {} = "
                        "{} from {}; {} needs every treated unit to adopt in the same period (synthdid "
                        "estimates staggered adoption cohort by cohort)",
                        estimator, unit, unit_name(data, unit, first_row[u]), time, *adoption[u], unit,
                        unit_name(data, unit, first_row[first_treated]), *adoption[first_treated],
                        estimator));
      }
    }
  }

  // Rows: donors, then each cohort's units, cohorts in order of adoption.
  std::vector<double> starts;
  for (std::size_t u = 0; u < units; ++u)
    if (adoption[u]) starts.push_back(*adoption[u]);
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  BlockDesignPanel out;
  out.times = panel.times;
  std::vector<std::vector<std::size_t>> cohort_units(starts.size());
  for (std::size_t u = 0; u < units; ++u) {
    if (!adoption[u]) {
      out.donors.push_back(unit_name(data, unit, first_row[u]));
      continue;
    }
    const auto c = std::lower_bound(starts.begin(), starts.end(), *adoption[u]) - starts.begin();
    cohort_units[static_cast<std::size_t>(c)].push_back(u);
  }
  const auto n0 = static_cast<Eigen::Index>(out.donors.size());
  std::vector<Eigen::Index> position(units);
  {
    Eigen::Index donor = 0;
    for (std::size_t u = 0; u < units; ++u)
      if (!adoption[u]) position[u] = donor++;
  }
  Eigen::Index next_row = n0;
  for (std::size_t c = 0; c < starts.size(); ++c) {
    AdoptionCohort cohort;
    cohort.first = next_row;
    cohort.size = static_cast<Eigen::Index>(cohort_units[c].size());
    cohort.pre_periods =
        std::lower_bound(panel.times.begin(), panel.times.end(), starts[c]) - panel.times.begin();
    for (const std::size_t u : cohort_units[c]) {
      position[u] = next_row++;
      out.treated.push_back(unit_name(data, unit, first_row[u]));
    }
    out.cohorts.push_back(cohort);
  }
  out.pre_periods = out.cohorts.front().pre_periods;
  const auto n1 = static_cast<Eigen::Index>(out.treated.size());
  if (n0 < 2)
    throw InputError(
        fmt::format("{}: a donor pool of one (unit {} = {}): {} needs at least two never-treated "
                    "units to weight",
                    estimator, unit, out.donors.front(), estimator));
  out.row_unit.resize(data.rows());
  out.row_period.resize(data.rows());
  for (std::size_t row = 0; row < data.rows(); ++row) {
    out.row_unit[row] = position[static_cast<std::size_t>(panel.units.code[row])];
    out.row_period[row] = panel.time_code[row];
  }
  out.y.resize(n0 + n1, periods);
  out.y = out.matrix_of(data.column(args.outcome).values);
  return out;
}

}  // namespace casebook
