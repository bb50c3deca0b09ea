#include "estimators/coefficient_table.hpp"

#include <cmath>
#include <utility>

namespace casebook {

Term make_term(std::string name, const CoefficientTest& test) {
  return {std::move(name), test.estimate, test.se, test.t_statistic, test.p_value, test.ci_low, test.ci_high};
}

std::vector<Term> coefficient_terms(const std::vector<std::string>& names,
                                    const Eigen::VectorXd& coefficients, const Eigen::MatrixXd& vcov,
                                    double df, double confidence_level) {
  std::vector<Term> terms;
  terms.reserve(names.size());
  for (Eigen::Index j = 0; j < coefficients.size(); ++j)
    terms.push_back(make_term(names[static_cast<std::size_t>(j)],
                              t_test(coefficients(j), std::sqrt(vcov(j, j)), df, confidence_level)));
  return terms;
}

std::vector<std::string> test_table_columns(std::vector<std::string> leading) {
  for (const char* column : {"estimate", "std.error", "statistic", "p.value", "conf.low", "conf.high"})
    leading.emplace_back(column);
  return leading;
}

std::vector<TableCell> test_row(std::vector<TableCell> leading, const CoefficientTest& test) {
  for (const double value :
       {test.estimate, test.se, test.t_statistic, test.p_value, test.ci_low, test.ci_high})
    leading.emplace_back(value);
  return leading;
}

}  // namespace casebook
