#include "estimators/two_way_fixed_effects.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/panel_structure.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {
constexpr std::string_view kName = "twfe";
}

Estimate two_way_fixed_effects(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(), "use 2sls for instrumental variables");
  if (args.se_type != "hc1" && args.se_type != "cr1")
    throw InputError(fmt::format("{}: standard errors are CR1, clustered by unit or by the cluster column (se '{}' "
                                 "is not available)",
                                 kName, args.se_type));
  require_distinct_roles(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_numeric_column(data, kName, "treatment", args.treatment);
  for (const auto& c : args.covariates) require_numeric_column(data, kName, "covariate", c);
  const PanelStructure panel = make_panel_structure(data, kName, option_or(args.options, "unit", "unit"),
                                                    option_or(args.options, "time", "period"));
  const auto adoption =
      adoption_times(data, panel, args.treatment, option_or(args.options, "adoption", ""));
  require_comparison_and_pre_periods(adoption, panel, kName, args.treatment);
  const ClusterIndex clusters = args.cluster.empty() ? panel.units : make_cluster_index(data, args.cluster);

  const auto n = static_cast<Eigen::Index>(data.rows());
  Eigen::MatrixXd x(n, static_cast<Eigen::Index>(1 + args.covariates.size()));
  std::vector<std::string> names{args.treatment};
  x.col(0) = Eigen::Map<const Eigen::VectorXd>(data.column(args.treatment).values.data(), n);
  for (std::size_t c = 0; c < args.covariates.size(); ++c) {
    x.col(static_cast<Eigen::Index>(c + 1)) = Eigen::Map<const Eigen::VectorXd>(data.column(args.covariates[c]).values.data(), n);
    names.push_back(args.covariates[c]);
  }
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(data.column(args.outcome).values.data(), n);
  const AbsorbedFit absorbed = fit_with_unit_and_time_effects(panel, y, std::move(x), std::move(names), clusters);

  Estimate out = to_estimate(t_test(absorbed.fit.coefficients(0), std::sqrt(absorbed.variance.vcov(0, 0)),
                                    absorbed.variance.df, args.confidence_level),
                             data.rows());
  out.diagnostics["clusters"] = static_cast<double>(absorbed.variance.clusters);
  out.diagnostics["units"] = static_cast<double>(panel.units.count);
  out.diagnostics["periods"] = static_cast<double>(panel.times.size());
  out.diagnostics["fixed_effect_rank"] = static_cast<double>(panel.fixed_effect_rank);
  out.diagnostics["treated_cells"] = data.column(args.treatment).values.empty()
                                         ? 0
                                         : Eigen::Map<const Eigen::VectorXd>(data.column(args.treatment).values.data(), n).sum();
  std::vector<double> adoption_periods;
  for (const auto& a : adoption)
    if (a && std::find(adoption_periods.begin(), adoption_periods.end(), *a) == adoption_periods.end())
      adoption_periods.push_back(*a);
  const std::size_t cohorts = adoption_periods.size();
  out.diagnostics["adoption_cohorts"] = static_cast<double>(cohorts);
  if (cohorts > 1)
    out.notes.push_back("staggered adoption: TWFE mixes comparisons with already-treated units and is biased when "
                        "effects differ by cohort or grow over time; compare with the sun-abraham estimator, which is "
                        "robust to heterogeneous timing");
  if (absorbed.variance.clusters < 20)
    out.notes.push_back(fmt::format("few clusters ({}): cluster-robust standard errors can be too small",
                                    absorbed.variance.clusters));
  return out;
}

}  // namespace casebook
