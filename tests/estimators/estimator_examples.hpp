#pragma once
// One example run per estimator, registered by the estimator's own test file, so that the tests
// that hold every registered estimator to a rule (standard_error_type_test.cpp) need no edit when
// an estimator is added:
//   const RegisterExample kExample{"ols", {"estimators_data.csv", example_args("y", "t", {"x1"}), true}};
#include <map>
#include <string>
#include <vector>

#include "estimators/estimator.hpp"

namespace casebook::testing {

struct EstimatorExample {
  std::string data_file;  // under tests/fixtures
  EstimatorArgs args;
  bool regression = false;  // returns a coefficient table
};

inline std::map<std::string, EstimatorExample>& estimator_examples() {
  static std::map<std::string, EstimatorExample> examples;
  return examples;
}

struct RegisterExample {
  RegisterExample(const std::string& estimator, EstimatorExample example) {
    estimator_examples()[estimator] = std::move(example);
  }
};

inline EstimatorArgs example_args(const std::string& outcome, const std::string& treatment,
                                  std::vector<std::string> covariates,
                                  std::map<std::string, std::string> options = {}) {
  EstimatorArgs args;
  args.outcome = outcome;
  args.treatment = treatment;
  args.covariates = std::move(covariates);
  args.options = std::move(options);
  return args;
}

// Small forests keep example runs quick; the estimators' own tests check their numbers.
inline const std::map<std::string, std::string> kSmallForest{{"trees", "40"}, {"seed", "3"}};

}  // namespace casebook::testing
