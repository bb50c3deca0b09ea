#include "cases/claims.hpp"

#include "cases/claim_kind.hpp"

namespace casebook {

ClaimResult check_claim(const ClaimSpec& claim, const std::vector<AnalysisResult>& analyses,
                        const std::vector<RefutationResult>* refutations) {
  const ClaimInputs inputs{claim_parts::result_of(analyses, claim.analysis), analyses, refutations};
  return claim_kind(claim.kind).check(claim, inputs);
}

}  // namespace casebook
