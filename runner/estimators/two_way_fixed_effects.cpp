#include "estimators/two_way_fixed_effects.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/panel_structure.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {
constexpr std::string_view kName = "twfe";
}

Estimate two_way_fixed_effects(const Dataset& data, const EstimatorArgs& args) {
  const auto [panel, adoption, clusters] = prepare_absorbing_treatment_panel(data, args, kName);

  const auto n = static_cast<Eigen::Index>(data.rows());
  Eigen::MatrixXd x(n, static_cast<Eigen::Index>(1 + args.covariates.size()));
  std::vector<std::string> names{args.treatment};
  x.col(0) = Eigen::Map<const Eigen::VectorXd>(data.column(args.treatment).values.data(), n);
  for (std::size_t c = 0; c < args.covariates.size(); ++c) {
    x.col(static_cast<Eigen::Index>(c + 1)) =
        Eigen::Map<const Eigen::VectorXd>(data.column(args.covariates[c]).values.data(), n);
    names.push_back(args.covariates[c]);
  }
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(data.column(args.outcome).values.data(), n);
  const AbsorbedFit absorbed =
      fit_with_unit_and_time_effects(panel, y, std::move(x), std::move(names), clusters);

  Estimate out = to_estimate(t_test(absorbed.fit.coefficients(0), std::sqrt(absorbed.variance.vcov(0, 0)),
                                    absorbed.variance.df, args.confidence_level),
                             data.rows());
  out.se_type = to_string(absorbed.variance.type);
  out.terms = coefficient_terms(absorbed.fit.names, absorbed.fit.coefficients, absorbed.variance.vcov,
                                absorbed.variance.df, args.confidence_level);
  out.diagnostics["clusters"] = static_cast<double>(absorbed.variance.clusters);
  out.diagnostics["units"] = static_cast<double>(panel.units.count);
  out.diagnostics["periods"] = static_cast<double>(panel.times.size());
  out.diagnostics["fixed_effect_rank"] = static_cast<double>(panel.fixed_effect_rank);
  out.diagnostics["treated_cells"] =
      data.column(args.treatment).values.empty()
          ? 0
          : Eigen::Map<const Eigen::VectorXd>(data.column(args.treatment).values.data(), n).sum();
  std::vector<double> adoption_periods;
  for (const auto& a : adoption)
    if (a && std::find(adoption_periods.begin(), adoption_periods.end(), *a) == adoption_periods.end())
      adoption_periods.push_back(*a);
  const std::size_t cohorts = adoption_periods.size();
  out.diagnostics["adoption_cohorts"] = static_cast<double>(cohorts);
  if (cohorts > 1)
    out.notes.push_back(
        "staggered adoption: TWFE mixes comparisons with already-treated units and is biased when "
        "effects differ by cohort or grow over time; compare with the sun-abraham estimator, which is "
        "robust to heterogeneous timing");
  if (absorbed.variance.clusters < 20)
    out.notes.push_back(fmt::format("few clusters ({}): cluster-robust standard errors can be too small",
                                    absorbed.variance.clusters));
  return out;
}

}  // namespace casebook
