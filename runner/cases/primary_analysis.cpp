#include "cases/primary_analysis.hpp"

#include <cmath>

namespace casebook {

std::string primary_analysis_id(const Case& c, const CaseRun& run) {
  if (!c.primary_analysis.empty()) return c.primary_analysis;
  for (const auto& claim : c.claims)
    if (claim.kind == ClaimKind::ci_covers) return claim.analysis;
  for (const auto& a : run.analyses)
    if (a.truth && std::isfinite(*a.truth)) return a.spec->id;
  return run.analyses.empty() ? std::string() : run.analyses.front().spec->id;
}

}  // namespace casebook
