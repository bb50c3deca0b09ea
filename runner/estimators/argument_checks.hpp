#pragma once
// Checks shared by the estimators, each throwing an InputError with one line that names the
// argument's role and the column ("treatment 't' is constant (all 1): nothing to compare").
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"
#include "inference/t_test.hpp"

namespace casebook {

// The column named for `role` ("outcome", "treatment", "instrument", …) is set, exists, is
// numeric and has no missing values.
void require_numeric_column(const Dataset& data, std::string_view estimator, std::string_view role,
                            const std::string& name);
// A numeric column (as above) whose every value is 0 or 1: a treatment, a group or a post indicator.
void require_binary_column(const Dataset& data, std::string_view estimator, std::string_view role,
                           const std::string& name);
// The column exists (any type); for covariates, the cluster column and categorical instruments.
void require_column(const Dataset& data, std::string_view estimator, std::string_view role,
                    const std::string& name);

// A column taking one value only; `consequence` ends the message ("nothing to compare").
void require_not_constant(const Dataset& data, std::string_view role, const std::string& name,
                          std::string_view consequence);

// No column plays two roles (outcome, treatment, covariate, instrument) and none is listed twice.
void require_distinct_roles(const EstimatorArgs& args);

// The arguments this estimator does not use must be empty, so a case never silently ignores one.
void reject_argument(std::string_view estimator, std::string_view argument, bool given,
                     std::string_view hint);

// No value in a column the analysis reads (by role or by an option naming a column) is so large
// that its square overflows: |x| above 1e150 would turn sums of squares into infinities and the
// result into NaN, so it is refused up front with the column and row.
void require_squarable_values(const Dataset& data, std::string_view estimator, const EstimatorArgs& args);
// The estimate, SE, CI and p-value are numbers: a NaN or an infinity never leaves an estimator.
void require_finite_result(const Dataset& data, std::string_view estimator, const Estimate& result);

// Every column the arguments name: outcome, treatment, covariates, instruments, cluster.
std::vector<std::string> used_columns(const EstimatorArgs& args);

// Fills estimate, se, ci, p from a t test; diagnostics["df"] is set too.
Estimate to_estimate(const CoefficientTest& test, std::size_t rows);

}  // namespace casebook
