#include "estimators/balance_report.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include <fmt/format.h>

#include "inference/design_matrix.hpp"

namespace casebook {
DesignMatrix every_level_design(const Dataset& data, const std::vector<std::string>& covariates) {
  DesignMatrix out;
  std::vector<std::vector<double>> columns;
  for (const auto& name : covariates) {
    const Column& column = data.column(name);
    if (!column.is_categorical()) {
      out.names.push_back(name);
      columns.push_back(column.values);
      continue;
    }
    for (std::size_t level = 0; level < column.levels.size(); ++level) {
      std::vector<double> dummy(column.values.size());
      bool present = false;
      for (std::size_t i = 0; i < dummy.size(); ++i) {
        dummy[i] = column.values[i] == static_cast<double>(level) ? 1.0 : 0.0;
        present = present || dummy[i] == 1.0;
      }
      if (!present) continue;  // R drops levels that never occur
      out.names.push_back(name + column.levels[level]);
      columns.push_back(std::move(dummy));
    }
  }
  out.x.resize(static_cast<Eigen::Index>(data.rows()), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t j = 0; j < columns.size(); ++j)
    out.x.col(static_cast<Eigen::Index>(j)) =
        Eigen::Map<const Eigen::VectorXd>(columns[j].data(), out.x.rows());
  return out;
}

namespace {

// cobalt's Love plot: |SMD| of each covariate before and after, rows in order of the imbalance
// before (largest first), with the common 0.1 threshold drawn.
Plot love_plot(const BalanceTable& balance, const std::string& adjustment) {
  std::vector<std::size_t> order(balance.covariates.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::abs(balance.covariates[a].before.smd) > std::abs(balance.covariates[b].before.smd);
  });
  Plot plot{"love-plot", fmt::format("Love plot: covariate balance before and after {}", adjustment),
            "dots",      "|standardised mean difference|",
            "",          {{"before", {}, {}, {}, {}}, {"after " + adjustment, {}, {}, {}, {}}},
            {0.1},       {}};
  for (const std::size_t i : order) {
    const CovariateBalance& c = balance.covariates[i];
    plot.categories.push_back(c.name);
    plot.series[0].x.push_back(std::abs(c.before.smd));
    plot.series[1].x.push_back(std::abs(c.after.smd));
  }
  return plot;
}

}  // namespace

void report_balance(Estimate& out, const Dataset& data, const std::vector<std::string>& covariates,
                    std::span<const double> treatment, std::span<const double> weights,
                    BalanceEstimand estimand, const std::string& adjustment) {
  const DesignMatrix x = every_level_design(data, covariates);
  const BalanceTable balance = covariate_balance(x.x, x.names, treatment, weights, estimand);
  out.diagnostics["max_abs_smd"] = balance.max_abs_smd_after;
  out.diagnostics["max_abs_smd_before"] = balance.max_abs_smd_before;
  out.diagnostics["ess_treated"] = balance.ess_treated;
  out.diagnostics["ess_control"] = balance.ess_control;
  Table table{
      "balance",
      fmt::format("Covariate balance before and after {} (MatchIt's summary: SMD, variance ratio, eCDF max)",
                  adjustment),
      {"covariate", "smd_before", "smd_after", "var_ratio_before", "var_ratio_after", "ecdf_max_before",
       "ecdf_max_after"},
      {}};
  // A 0/1 covariate has no variance ratio (MatchIt shows NA): the cell is empty text.
  auto ratio_cell = [](const std::optional<double>& v) -> TableCell {
    if (v) return *v;
    return std::string();
  };
  for (const auto& c : balance.covariates)
    table.rows.push_back({c.name, c.before.smd, c.after.smd, ratio_cell(c.before.var_ratio),
                          ratio_cell(c.after.var_ratio), c.before.ecdf_max, c.after.ecdf_max});
  out.tables.push_back(std::move(table));
  out.plots.push_back(love_plot(balance, adjustment));
}

}  // namespace casebook
