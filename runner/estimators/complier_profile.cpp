#include "estimators/complier_profile.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "estimators/balance_report.hpp"

namespace casebook {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Mean and sample variance of v over the rows where z == arm.
struct ArmMoments {
  double mean = 0;
  double variance = 0;
  double n = 0;
};

ArmMoments arm_moments(std::span<const double> v, std::span<const double> z, double arm) {
  ArmMoments m;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (z[i] == arm) {
      m.n += 1;
      m.mean += v[i];
    }
  m.mean /= m.n;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (z[i] == arm) m.variance += (v[i] - m.mean) * (v[i] - m.mean);
  m.variance = m.n > 1 ? m.variance / (m.n - 1) : 0;
  return m;
}

// Difference in means between Z = 1 and Z = 0 with the Neyman (unequal variances) standard error.
struct Contrast {
  double estimate = 0;
  double se = 0;
};

Contrast intention_to_treat(std::span<const double> v, std::span<const double> z) {
  const ArmMoments treated = arm_moments(v, z, 1);
  const ArmMoments control = arm_moments(v, z, 0);
  return {treated.mean - control.mean,
          std::sqrt(treated.variance / treated.n + control.variance / control.n)};
}

// Mean of column j over the rows of one principal stratum seen in the data (Z = z_value, D = d_value).
double stratum_mean(const DesignMatrix& x, Eigen::Index j, std::span<const double> z,
                    std::span<const double> d, double z_value, double d_value) {
  double sum = 0, count = 0;
  for (std::size_t i = 0; i < z.size(); ++i)
    if (z[i] == z_value && d[i] == d_value) {
      sum += x.x(static_cast<Eigen::Index>(i), j);
      count += 1;
    }
  return count > 0 ? sum / count : kNaN;
}

TableCell number_or_blank(double v) {
  if (std::isfinite(v)) return v;
  return std::string();
}

}  // namespace

ComplianceShares compliance_shares(std::span<const double> z, std::span<const double> d) {
  const double take_up_assigned = arm_moments(d, z, 1).mean;
  const double take_up_control = arm_moments(d, z, 0).mean;
  return {take_up_assigned - take_up_control, take_up_control, 1 - take_up_assigned};
}

std::vector<double> abadie_kappa(std::span<const double> z, std::span<const double> d) {
  double p = 0;
  for (double v : z) p += v;
  p /= static_cast<double>(z.size());
  std::vector<double> kappa(z.size());
  for (std::size_t i = 0; i < z.size(); ++i)
    kappa[i] = 1 - d[i] * (1 - z[i]) / (1 - p) - (1 - d[i]) * z[i] / p;
  return kappa;
}

std::vector<ComplierMean> complier_means(const DesignMatrix& covariates, std::span<const double> z,
                                         std::span<const double> d) {
  const std::vector<double> kappa = abadie_kappa(z, d);
  double kappa_sum = 0;
  for (double k : kappa) kappa_sum += k;
  const auto n = static_cast<double>(z.size());
  std::vector<ComplierMean> out;
  for (Eigen::Index j = 0; j < covariates.x.cols(); ++j) {
    ComplierMean m;
    m.covariate = covariates.names[static_cast<std::size_t>(j)];
    double weighted = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
      const double x = covariates.x(static_cast<Eigen::Index>(i), j);
      m.population += x / n;
      weighted += kappa[i] * x;
    }
    m.compliers = weighted / kappa_sum;
    m.always_takers = stratum_mean(covariates, j, z, d, 0, 1);
    m.never_takers = stratum_mean(covariates, j, z, d, 1, 0);
    out.push_back(std::move(m));
  }
  return out;
}

void report_compliers(Estimate& out, const Dataset& data, const std::string& outcome,
                      const std::string& treatment, const std::string& instrument,
                      const std::vector<std::string>& covariates) {
  const std::vector<double>& y = data.column(outcome).values;
  const std::vector<double>& d = data.column(treatment).values;
  const std::vector<double>& z = data.column(instrument).values;
  const ComplianceShares shares = compliance_shares(z, d);
  if (!(shares.compliers > 0)) {
    out.notes.push_back(fmt::format(
        "instrument '{}' does not raise take-up of '{}' (P(D=1|Z=1) − P(D=1|Z=0) = {:.3g}): under "
        "monotonicity there are no compliers, so their share and profile are not reported",
        instrument, treatment, shares.compliers));
    return;
  }
  const Contrast itt = intention_to_treat(y, z);
  const Contrast first_stage = intention_to_treat(d, z);
  out.diagnostics["itt"] = itt.estimate;
  out.diagnostics["itt_se"] = itt.se;
  out.diagnostics["itt_treatment"] = first_stage.estimate;
  out.diagnostics["itt_treatment_se"] = first_stage.se;
  out.diagnostics["complier_share"] = shares.compliers;
  out.diagnostics["always_taker_share"] = shares.always_takers;
  out.diagnostics["never_taker_share"] = shares.never_takers;
  out.tables.push_back(
      {"itt_first_stage_cace",
       "The experiment read three ways: the effect of assignment on the outcome (ITT, reduced form) and on "
       "take-up (first stage), both differences in means with Neyman SEs, and the effect of taking the "
       "treatment on compliers (CACE: this analysis's 2SLS estimate)",
       {"quantity", "estimate", "std_error"},
       {{std::string("itt"), itt.estimate, itt.se},
        {std::string("first_stage"), first_stage.estimate, first_stage.se},
        {std::string("cace"), out.estimate, out.se}}});
  out.notes.push_back(fmt::format(
      "compliers {:.1f}%, always-takers {:.1f}%, never-takers {:.1f}% of the sample (monotonicity "
      "assumed): the ITT {:.4g} is the CACE diluted by the share who comply",
      100 * shares.compliers, 100 * shares.always_takers, 100 * shares.never_takers, itt.estimate));
  if (covariates.empty()) return;

  Table profile{
      "complier_profile",
      "Covariate means among compliers (Abadie's κ weighting), always-takers (Z=0, D=1), never-takers "
      "(Z=1, D=0) and the whole sample",
      {"covariate", "population", "compliers", "always_takers", "never_takers"},
      {}};
  for (const ComplierMean& m : complier_means(every_level_design(data, covariates), z, d)) {
    profile.rows.push_back({m.covariate, m.population, m.compliers, number_or_blank(m.always_takers),
                            number_or_blank(m.never_takers)});
    out.diagnostics["complier_mean_" + m.covariate] = m.compliers;
    out.diagnostics["complier_minus_population_" + m.covariate] = m.compliers - m.population;
  }
  out.tables.push_back(std::move(profile));
}

}  // namespace casebook
