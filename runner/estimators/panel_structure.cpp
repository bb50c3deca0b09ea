#include "estimators/panel_structure.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

// Connected components of the bipartite unit–time graph: each one loses a degree of freedom
// fewer than its unit and time dummies, as the rank of the two sets of dummies together.
Eigen::Index count_components(const ClusterIndex& units, const std::vector<Eigen::Index>& time_code,
                              Eigen::Index times) {
  std::vector<Eigen::Index> parent(static_cast<std::size_t>(units.count + times));
  std::iota(parent.begin(), parent.end(), Eigen::Index{0});
  auto root = [&](Eigen::Index x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (std::size_t row = 0; row < time_code.size(); ++row) {
    const Eigen::Index a = root(units.code[row]);
    const Eigen::Index b = root(units.count + time_code[row]);
    if (a != b) parent[a] = b;
  }
  Eigen::Index components = 0;
  for (Eigen::Index x = 0; x < units.count + times; ++x)
    if (root(x) == x) ++components;
  return components;
}

// Subtracts from each value the mean of its group (codes 0..groups-1); returns the largest change.
double demean_by(Eigen::Ref<Eigen::VectorXd> column, const std::vector<Eigen::Index>& code,
                 const Eigen::VectorXd& group_size) {
  Eigen::VectorXd sums = Eigen::VectorXd::Zero(group_size.size());
  for (Eigen::Index i = 0; i < column.size(); ++i) sums(code[i]) += column(i);
  sums.array() /= group_size.array();
  double largest = 0;
  for (Eigen::Index i = 0; i < column.size(); ++i) {
    column(i) -= sums(code[i]);
    largest = std::max(largest, std::abs(sums(code[i])));
  }
  return largest;
}

}  // namespace

PanelStructure make_panel_structure(const Dataset& data, std::string_view estimator, const std::string& unit,
                                    const std::string& time) {
  require_column(data, estimator, "unit", unit);
  require_numeric_column(data, estimator, "time", time);
  require_complete(data, {unit});
  if (unit == time)
    throw InputError(fmt::format("{}: the unit and time columns are both '{}'", estimator, unit));
  PanelStructure panel;
  panel.unit_column = unit;
  panel.time_column = time;
  panel.units = make_cluster_index(data, unit);

  const auto& t = data.column(time).values;
  for (std::size_t row = 0; row < t.size(); ++row)
    if (t[row] != std::floor(t[row]) || std::abs(t[row]) > 1e9)
      throw InputError(data.source(),
                       fmt::format("time column '{}' must hold whole numbers (periods); row {} has {}", time,
                                   row + 1, t[row]));
  panel.times = t;
  std::sort(panel.times.begin(), panel.times.end());
  panel.times.erase(std::unique(panel.times.begin(), panel.times.end()), panel.times.end());
  if (panel.times.size() < 2)
    throw InputError(data.source(), fmt::format("time column '{}' has a single period; {} needs at least two",
                                                time, estimator));
  std::unordered_map<double, Eigen::Index> code_of;
  for (std::size_t k = 0; k < panel.times.size(); ++k) code_of[panel.times[k]] = static_cast<Eigen::Index>(k);
  panel.time_code.reserve(t.size());
  for (double value : t) panel.time_code.push_back(code_of[value]);

  // A unit twice in one period: the cell's (unit, time) pair seen before.
  const auto periods = static_cast<Eigen::Index>(panel.times.size());
  std::vector<std::int32_t> first_row(static_cast<std::size_t>(panel.units.count * periods), -1);
  for (std::size_t row = 0; row < t.size(); ++row) {
    auto& seen = first_row[static_cast<std::size_t>(panel.units.code[row] * periods + panel.time_code[row])];
    if (seen >= 0) {
      const Column& u = data.column(unit);
      const std::string name = u.is_categorical() ? u.levels.at(static_cast<std::size_t>(u.values[row]))
                                                  : fmt::format("{}", u.values[row]);
      throw InputError(data.source(),
                       fmt::format("unit {} = {} appears twice in period {} = {} (rows {} and {}); "
                                   "a panel has one row per unit and period",
                                   unit, name, time, t[row], seen + 1, row + 1));
    }
    seen = static_cast<std::int32_t>(row);
  }
  panel.fixed_effect_rank =
      panel.units.count + periods - count_components(panel.units, panel.time_code, periods);
  return panel;
}

void absorb_unit_and_time_effects(Eigen::MatrixXd& columns, const PanelStructure& panel) {
  Eigen::VectorXd unit_size = Eigen::VectorXd::Zero(panel.units.count);
  Eigen::VectorXd time_size = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(panel.times.size()));
  for (Eigen::Index i = 0; i < columns.rows(); ++i) {
    unit_size(panel.units.code[i]) += 1;
    time_size(panel.time_code[i]) += 1;
  }
  constexpr int kMaxSweeps = 100'000;
  for (Eigen::Index j = 0; j < columns.cols(); ++j) {
    auto column = columns.col(j);
    const double scale = std::max(1.0, column.cwiseAbs().maxCoeff());
    demean_by(column, panel.units.code, unit_size);
    int sweep = 0;
    // Time then unit, until the time means are zero (the unit means are, right after demeaning).
    while (demean_by(column, panel.time_code, time_size) > 1e-13 * scale) {
      demean_by(column, panel.units.code, unit_size);
      if (++sweep == kMaxSweeps)
        throw InputError(fmt::format("the two-way demeaning of '{}' did not converge in {} sweeps",
                                     panel.unit_column, kMaxSweeps));
    }
  }
}

std::vector<std::optional<double>> adoption_times(const Dataset& data, const PanelStructure& panel,
                                                  const std::string& treatment,
                                                  const std::string& adoption_column) {
  const auto& d = data.column(treatment).values;
  const auto& t = data.column(panel.time_column).values;
  std::vector<std::optional<double>> adoption(static_cast<std::size_t>(panel.units.count));
  for (std::size_t row = 0; row < d.size(); ++row) {
    if (d[row] != 0.0 && d[row] != 1.0)
      throw InputError(data.source(),
                       fmt::format("treatment '{}' must be 0/1; row {} has {}", treatment, row + 1, d[row]));
    auto& first = adoption[static_cast<std::size_t>(panel.units.code[row])];
    if (d[row] == 1.0 && (!first || t[row] < *first)) first = t[row];
  }
  if (!adoption_column.empty()) {
    require_numeric_column(data, "adoption", "adoption", adoption_column);
    const auto& a = data.column(adoption_column).values;
    std::vector<std::optional<double>> given(adoption.size());
    std::vector<bool> seen(adoption.size(), false);
    for (std::size_t row = 0; row < a.size(); ++row) {
      const auto unit = static_cast<std::size_t>(panel.units.code[row]);
      const std::optional<double> value = a[row] == 0 ? std::nullopt : std::optional<double>(a[row]);
      if (seen[unit] && given[unit] != value)
        throw InputError(data.source(),
                         fmt::format("adoption column '{}' changes within a unit at row {}; it holds "
                                     "the unit's adoption period (0: never) on every row",
                                     adoption_column, row + 1));
      seen[unit] = true;
      given[unit] = value;
      if (d[row] != static_cast<double>(value && t[row] >= *value))
        throw InputError(
            data.source(),
            fmt::format("treatment '{}' = {} at row {} disagrees with adoption column "
                        "'{}' = {} ({} = {})",
                        treatment, d[row], row + 1, adoption_column, a[row], panel.time_column, t[row]));
    }
    return given;
  }
  for (std::size_t row = 0; row < d.size(); ++row) {
    const auto& first = adoption[static_cast<std::size_t>(panel.units.code[row])];
    if (first && t[row] > *first && d[row] == 0.0)
      throw InputError(
          data.source(),
          fmt::format("treatment '{}' switches off again at row {} ({} = {}, after adoption in {}); the "
                      "event-study designs assume a treatment that stays on",
                      treatment, row + 1, panel.time_column, t[row], *first));
  }
  return adoption;
}

void require_comparison_and_pre_periods(const std::vector<std::optional<double>>& adoption,
                                        const PanelStructure& panel, std::string_view estimator,
                                        const std::string& treatment) {
  const bool any_never = std::any_of(adoption.begin(), adoption.end(), [](const auto& a) { return !a; });
  if (!any_never)
    throw InputError(
        fmt::format("{}: every unit is treated at some point ('{}' is 1 for all {} units), so there is "
                    "no untreated comparison group",
                    estimator, treatment, adoption.size()));
  const bool any_treated =
      std::any_of(adoption.begin(), adoption.end(), [](const auto& a) { return a.has_value(); });
  if (!any_treated)
    throw InputError(
        fmt::format("{}: treatment '{}' is 0 everywhere: no unit is ever treated", estimator, treatment));
  const bool any_pre = std::any_of(adoption.begin(), adoption.end(),
                                   [&](const auto& a) { return a && *a > panel.times.front(); });
  if (!any_pre)
    throw InputError(
        fmt::format("{}: no pre-periods: every treated unit is treated from the first period ({} = {})",
                    estimator, panel.time_column, panel.times.front()));
}

AbsorbedFit fit_with_unit_and_time_effects(const PanelStructure& panel, Eigen::VectorXd y, Eigen::MatrixXd x,
                                           std::vector<std::string> names, const ClusterIndex& clusters) {
  Eigen::MatrixXd both(x.rows(), x.cols() + 1);
  both << y, x;
  absorb_unit_and_time_effects(both, panel);
  const Eigen::Index n = both.rows();
  const Eigen::Index k = x.cols();
  if (n <= k + panel.fixed_effect_rank)
    throw InputError(fmt::format("{} rows are too few for {} regressors plus {} unit and time effects", n, k,
                                 panel.fixed_effect_rank));
  AbsorbedFit out{fit_least_squares(both.rightCols(k), both.col(0), std::move(names)), {}};
  VarianceSpec spec;
  spec.type = VarianceType::cr1;
  spec.clusters = clusters;
  out.variance = sandwich_vcov(both.rightCols(k), out.fit.residuals, out.fit.bread, spec);
  // sandwich_vcov's (n-1)/(n-k) knows only the k regressors; the absorbed effects count too.
  out.variance.vcov *= static_cast<double>(n - k) / static_cast<double>(n - k - panel.fixed_effect_rank);
  return out;
}

void check_panel_arguments(const Dataset& data, const EstimatorArgs& args, std::string_view estimator) {
  check_confidence_level(args.confidence_level);
  reject_argument(estimator, "instruments", !args.instruments.empty(), "use 2sls for instrumental variables");
  if (args.se_type != "hc1" && args.se_type != "cr1")
    throw InputError(
        fmt::format("{}: standard errors are CR1, clustered by unit or by the cluster column (se '{}' "
                    "is not available)",
                    estimator, args.se_type));
  require_distinct_roles(args);
  require_numeric_column(data, estimator, "outcome", args.outcome);
  require_numeric_column(data, estimator, "treatment", args.treatment);
  for (const auto& c : args.covariates) require_numeric_column(data, estimator, "covariate", c);
}

AbsorbingTreatmentPanel prepare_absorbing_treatment_panel(const Dataset& data, const EstimatorArgs& args,
                                                          std::string_view estimator) {
  check_panel_arguments(data, args, estimator);
  const OptionValues options = read_options(estimator, args);
  PanelStructure panel = make_panel_structure(data, estimator, options.text("unit"), options.text("time"));
  auto adoption = adoption_times(data, panel, args.treatment, options.text("adoption"));
  require_comparison_and_pre_periods(adoption, panel, estimator, args.treatment);
  ClusterIndex clusters = args.cluster.empty() ? panel.units : make_cluster_index(data, args.cluster);
  return {std::move(panel), std::move(adoption), std::move(clusters)};
}

}  // namespace casebook
