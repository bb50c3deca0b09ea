#pragma once
// The regressor matrix of a linear model, built once from a Dataset as a column-major Eigen
// matrix: an optional intercept, then each named column in order, categorical columns expanded to
// one 0/1 dummy per level except the first (R's treatment contrasts). Columns are named as R's
// lm names its coefficients, so coefficient tables read the same in both.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"

namespace casebook {

struct DesignMatrix {
  Eigen::MatrixXd x;               // rows × names.size()
  std::vector<std::string> names;  // "(Intercept)", "x1", "regionnorth", …
};

struct DesignOptions {
  bool intercept = true;
};

// Throws InputError (via require_complete) if any named column has a missing value, or if a
// named column does not exist. A categorical column's first level present in the data is the
// reference; levels that never occur get no dummy (they would be all-zero columns).
DesignMatrix build_design_matrix(const Dataset& data, const std::vector<std::string>& columns,
                                 DesignOptions options = {});

// A numeric column as a vector; throws InputError if the column is categorical, naming `role`
// ("outcome", "treatment", …) so the message says why the column was needed.
Eigen::VectorXd numeric_column(const Dataset& data, const std::string& name, const std::string& role);

// The dummy columns a categorical column expands to, or the column itself when numeric.
std::vector<std::string> expanded_names(const Column& column);

}  // namespace casebook
