#pragma once
// Coefficient tables (Estimate::terms, and the rows of Estimate::tables that hold tests): every
// coefficient of a fitted model with its standard error, test and interval, in broom::tidy's columns.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "estimators/estimate.hpp"
#include "inference/t_test.hpp"

namespace casebook {

Term make_term(std::string name, const CoefficientTest& test);

// One t test per coefficient on `df` degrees of freedom, its SE from the diagonal of `vcov`;
// `names` (one per coefficient) become the terms' names.
std::vector<Term> coefficient_terms(const std::vector<std::string>& names,
                                    const Eigen::VectorXd& coefficients, const Eigen::MatrixXd& vcov,
                                    double df, double confidence_level);

// A table of tests: the `leading` columns (e.g. "period"), then broom's estimate, std.error,
// statistic, p.value, conf.low, conf.high; test_row gives a row of it.
std::vector<std::string> test_table_columns(std::vector<std::string> leading);
std::vector<TableCell> test_row(std::vector<TableCell> leading, const CoefficientTest& test);

}  // namespace casebook
