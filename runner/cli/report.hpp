#pragma once
// Human-readable tables on stdout.
#include <iosfwd>
#include <string>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// 4 significant digits, "NA" for NaN; whole numbers below 10^15 (counts, degrees of freedom) in
// full, as R prints them: 199996, not 2e+05.
std::string format_number(double x);
// A p-value as R's format.pval prints it: "< 2e-16" below machine precision, else 4 digits.
std::string format_p_value(double p);
void print_run(std::ostream& out, const Case& c, const CaseRun& run);
void print_estimate(std::ostream& out, const std::string& estimator, const Estimate& e,
                    double confidence_level);

}  // namespace casebook
