#pragma once
// Who the compliers are, for one 0/1 instrument Z and a 0/1 treatment D under monotonicity (no
// defiers; Angrist, Imbens & Rubin 1996): the shares of compliers, always-takers and never-takers,
// the intention-to-treat effects on the outcome and on the treatment beside the CACE, and each
// covariate's mean among compliers by Abadie's (2003) κ weighting beside its population mean.
// The instrument is taken as randomised: P(Z = 1) is the share assigned, not a function of X.
#include <span>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimate.hpp"
#include "inference/design_matrix.hpp"

namespace casebook {

// P(D=1|Z=0) are always-takers, P(D=0|Z=1) never-takers, the rest compliers (their share is the
// first stage, P(D=1|Z=1) − P(D=1|Z=0); negative when the instrument lowers take-up).
struct ComplianceShares {
  double compliers = 0;
  double always_takers = 0;
  double never_takers = 0;
};
ComplianceShares compliance_shares(std::span<const double> z, std::span<const double> d);

// Abadie's κ = 1 − D(1−Z)/(1−p) − (1−D)Z/p with p the share with Z = 1; E[κX]/E[κ] is the mean of X
// among compliers. Always-takers' means are those of Z=0, D=1; never-takers' of Z=1, D=0 (NaN when
// there are none). The population mean is the shares' weighted sum of the three types' means.
struct ComplierMean {
  std::string covariate;
  double population = 0;
  double compliers = 0;
  double always_takers = 0;
  double never_takers = 0;
};
std::vector<double> abadie_kappa(std::span<const double> z, std::span<const double> d);
std::vector<ComplierMean> complier_means(const DesignMatrix& covariates, std::span<const double> z,
                                         std::span<const double> d);

// Adds to a 2SLS estimate whose instrument and treatment are both 0/1: diagnostics itt, itt_se,
// itt_treatment, itt_treatment_se, complier_share, always_taker_share, never_taker_share,
// complier_mean_{covariate} and complier_minus_population_{covariate}; the tables
// "itt_first_stage_cace" and (with covariates) "complier_profile". When the instrument does not
// raise take-up there are no compliers to describe: a note says so and nothing else is added.
void report_compliers(Estimate& out, const Dataset& data, const std::string& outcome,
                      const std::string& treatment, const std::string& instrument,
                      const std::vector<std::string>& covariates);

}  // namespace casebook
