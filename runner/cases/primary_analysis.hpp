#pragma once
// The analysis a case's headline rests on, which the site's index compares with the truth.
#include <string>

#include "cases/case.hpp"
#include "cases/case_run.hpp"

namespace casebook {

// case.json's "primary_analysis" when set; else the first analysis a ci_covers claim checks; else
// the first whose truth this run knows; else the first analysis.
std::string primary_analysis_id(const Case& c, const CaseRun& run);

}  // namespace casebook
