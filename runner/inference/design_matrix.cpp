#include "inference/design_matrix.hpp"

#include <cstddef>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

namespace {

// Which levels of a categorical column occur, by level code.
std::vector<bool> levels_present(const Column& column) {
  std::vector<bool> present(column.levels.size(), false);
  for (double v : column.values) {
    const auto code = static_cast<std::size_t>(v);
    if (code < present.size()) present[code] = true;
  }
  return present;
}

// Level codes that get a dummy: every present level after the first present one.
std::vector<std::size_t> dummy_levels(const Column& column) {
  const std::vector<bool> present = levels_present(column);
  std::vector<std::size_t> codes;
  bool reference_seen = false;
  for (std::size_t code = 0; code < present.size(); ++code) {
    if (!present[code]) continue;
    if (reference_seen) codes.push_back(code);
    reference_seen = true;
  }
  return codes;
}

// R's name for a dummy (model.matrix with treatment contrasts): the column's name, then the level.
std::string dummy_name(const Column& column, std::size_t code) { return column.name + column.levels[code]; }

}  // namespace

std::vector<std::string> expanded_names(const Column& column) {
  if (!column.is_categorical()) return {column.name};
  std::vector<std::string> names;
  for (std::size_t code : dummy_levels(column)) names.push_back(dummy_name(column, code));
  return names;
}

DesignMatrix build_design_matrix(const Dataset& data, const std::vector<std::string>& columns,
                                 DesignOptions options) {
  require_complete(data, columns);
  const auto n = static_cast<Eigen::Index>(data.rows());

  // Size the matrix first so it is allocated once.
  std::size_t width = options.intercept ? 1 : 0;
  for (const auto& name : columns) width += expanded_names(data.column(name)).size();

  DesignMatrix design;
  design.x.resize(n, static_cast<Eigen::Index>(width));
  design.names.reserve(width);
  Eigen::Index next = 0;
  if (options.intercept) {
    design.x.col(next++).setOnes();
    design.names.emplace_back("(Intercept)");
  }
  for (const auto& name : columns) {
    const Column& column = data.column(name);
    if (!column.is_categorical()) {
      design.x.col(next++) = Eigen::Map<const Eigen::VectorXd>(column.values.data(), n);
      design.names.push_back(column.name);
      continue;
    }
    for (std::size_t code : dummy_levels(column)) {
      const double level = static_cast<double>(code);
      auto dummy = design.x.col(next++);
      for (Eigen::Index i = 0; i < n; ++i) dummy[i] = column.values[i] == level ? 1.0 : 0.0;
      design.names.push_back(dummy_name(column, code));
    }
  }
  return design;
}

Eigen::VectorXd numeric_column(const Dataset& data, const std::string& name, const std::string& role) {
  const Column& column = data.column(name);
  if (column.is_categorical())
    throw InputError(data.source(), fmt::format("{} '{}' is categorical (levels: {}); it must be numeric",
                                                role, name, fmt::join(column.levels, ", ")));
  require_complete(data, {name});
  return Eigen::Map<const Eigen::VectorXd>(column.values.data(),
                                           static_cast<Eigen::Index>(column.values.size()));
}

}  // namespace casebook
