#pragma once
// Human-readable tables on stdout.
#include <iosfwd>
#include <string>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

std::string format_number(double x);  // 4 significant digits, "NA" for NaN
void print_run(std::ostream& out, const Case& c, const CaseRun& run);
void print_estimate(std::ostream& out, const std::string& estimator, const Estimate& e,
                    double confidence_level);

}  // namespace casebook
