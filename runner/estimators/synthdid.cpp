#include "estimators/synthdid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/random/uniform_int_distribution.hpp>
#include <pcg_random.hpp>

#include <fmt/format.h>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "core/progress.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/block_design_panel.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "synthdid";
constexpr int kIterationsBeforeSparsifying = 100;  // synthdid's max.iter.pre.sparsify
constexpr int kMaxIterations = 10'000;             // its max.iter

// Weights ≤ max/4 set to 0, the rest renormalised (synthdid's default `sparsify`).
Eigen::VectorXd sparsified(Eigen::VectorXd w) {
  const double cut = w.maxCoeff() / 4;
  for (auto& v : w)
    if (v <= cut) v = 0;
  return w / w.sum();
}

// 100 Frank–Wolfe iterations from `start` (uniform in a first fit), sparsify, then solve again from there.
Eigen::VectorXd fitted_weights(const Eigen::MatrixXd& y, double zeta, bool intercept, double min_decrease,
                               Eigen::VectorXd start) {
  const Eigen::VectorXd first =
      simplex_weights(y, zeta, intercept, std::move(start), min_decrease, kIterationsBeforeSparsifying);
  return simplex_weights(y, zeta, intercept, sparsified(first), min_decrease, kMaxIterations);
}

// The treated-minus-control contrast c_u' Y c_t: ω over the donors (renormalised to the ones kept),
// the treated units' mean, λ over the pre-periods against the post-period mean.
double contrast(const Eigen::MatrixXd& y, Eigen::Index donors, const Eigen::VectorXd& omega,
                const Eigen::VectorXd& lambda, const std::vector<bool>& keep) {
  const Eigen::Index t0 = lambda.size();
  const Eigen::Index t1 = y.cols() - t0;
  Eigen::VectorXd time_contrast(y.cols());
  time_contrast << -lambda, Eigen::VectorXd::Constant(t1, 1.0 / static_cast<double>(t1));
  const Eigen::VectorXd by_unit = y * time_contrast;
  double donor_weight = 0, donor_sum = 0, treated_sum = 0, treated = 0, kept_donors = 0;
  for (Eigen::Index u = 0; u < y.rows(); ++u) {
    if (!keep[static_cast<std::size_t>(u)]) continue;
    if (u < donors) {
      donor_weight += omega(u);
      kept_donors += 1;
    } else {
      treated_sum += by_unit(u);
      treated += 1;
    }
  }
  // sum_normalize: uniform weights when every donor left in has weight 0.
  for (Eigen::Index u = 0; u < donors; ++u)
    if (keep[static_cast<std::size_t>(u)])
      donor_sum += (donor_weight != 0 ? omega(u) / donor_weight : 1 / kept_donors) * by_unit(u);
  return treated_sum / treated - donor_sum;
}

Eigen::VectorXd uniform(Eigen::Index k) { return Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k)); }

// synthdid's sum_normalize: uniform weights when every one is 0.
Eigen::VectorXd sum_normalized(const Eigen::VectorXd& w) {
  const double total = w.sum();
  return total != 0 ? Eigen::VectorXd(w / total) : uniform(w.size());
}

struct Weights {
  Eigen::VectorXd omega, lambda;
};

// ω and λ for a cohort's block y (n0 donors first) with the method and the cohort's T0, ζ and
// stopping rule, each solved from the given start (synthdid_estimate with weights given and
// update.omega/update.lambda on).
Weights solve_weights(const std::string& method, const SynthdidCohort& cohort, const Eigen::MatrixXd& y,
                      Eigen::Index n0, Eigen::VectorXd omega_start, Eigen::VectorXd lambda_start) {
  if (method == "did") return {sum_normalized(omega_start), std::move(lambda_start)};
  const Eigen::Index t0 = cohort.pre_periods;
  const Eigen::Index t1 = y.cols() - t0;
  const Eigen::Index n1 = y.rows() - n0;
  const double min_decrease = 1e-5 * cohort.noise_level;
  // The collapsed panel: donors' post-period means in the last column, the treated mean in the last row.
  Eigen::MatrixXd collapsed(n0 + 1, t0 + 1);
  collapsed.topLeftCorner(n0, t0) = y.topLeftCorner(n0, t0);
  collapsed.topRightCorner(n0, 1) = y.topRightCorner(n0, t1).rowwise().mean();
  collapsed.bottomLeftCorner(1, t0) = y.bottomLeftCorner(n1, t0).colwise().mean();
  collapsed(n0, t0) = y.bottomRightCorner(n1, t1).mean();
  Weights out;
  out.lambda = method == "sc" ? Eigen::VectorXd::Zero(t0)
                              : fitted_weights(collapsed.topRows(n0), cohort.zeta_lambda, true, min_decrease,
                                               std::move(lambda_start));
  out.omega = fitted_weights(collapsed.leftCols(t0).transpose(), cohort.zeta_omega, method == "sdid",
                             min_decrease, sum_normalized(omega_start));
  return out;
}

// The rows `donors`, then the rows `treated`, of y.
Eigen::MatrixXd rows_of(const Eigen::MatrixXd& y, const std::vector<Eigen::Index>& donors,
                        const std::vector<Eigen::Index>& treated) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(donors.size() + treated.size()), y.cols());
  Eigen::Index i = 0;
  for (const Eigen::Index r : donors) out.row(i++) = y.row(r);
  for (const Eigen::Index r : treated) out.row(i++) = y.row(r);
  return out;
}

std::vector<Eigen::Index> index_range(Eigen::Index first, Eigen::Index size) {
  std::vector<Eigen::Index> out(static_cast<std::size_t>(size));
  std::iota(out.begin(), out.end(), first);
  return out;
}

// The block of a cohort: every donor, then its units.
Eigen::MatrixXd cohort_block(const SynthdidFit& fit, const SynthdidCohort& cohort) {
  return rows_of(fit.y, index_range(0, static_cast<Eigen::Index>(fit.donors.size())),
                 index_range(cohort.first, cohort.size));
}

double contrast_of_all(const Eigen::MatrixXd& y, Eigen::Index donors, const Eigen::VectorXd& omega,
                       const Eigen::VectorXd& lambda) {
  return contrast(y, donors, omega, lambda, std::vector<bool>(static_cast<std::size_t>(y.rows()), true));
}

// The estimate re-fitted on the donor rows `donors` (all < N0) against each cohort's rows `treated`
// (empty: the cohort is left out), as placebo_se and bootstrap_se re-fit: each cohort's ω and λ
// re-solved from the fit's (ω restricted to `donors`), then the cohorts averaged by their shares of
// the treated unit-periods.
double refit(const SynthdidFit& fit, const std::vector<Eigen::Index>& donors,
             const std::vector<std::vector<Eigen::Index>>& treated) {
  const auto n0 = static_cast<Eigen::Index>(donors.size());
  const auto periods = static_cast<double>(fit.times.size());
  double total = 0, shares = 0;
  for (std::size_t a = 0; a < fit.cohorts.size(); ++a) {
    if (treated[a].empty()) continue;
    const SynthdidCohort& cohort = fit.cohorts[a];
    const Eigen::MatrixXd y = rows_of(fit.y, donors, treated[a]);
    Eigen::VectorXd omega_start(n0);
    for (Eigen::Index i = 0; i < n0; ++i) omega_start(i) = cohort.omega(donors[static_cast<std::size_t>(i)]);
    const Weights w = solve_weights(fit.method, cohort, y, n0, std::move(omega_start), cohort.lambda);
    const double share =
        static_cast<double>(treated[a].size()) * (periods - static_cast<double>(cohort.pre_periods));
    total += share * contrast_of_all(y, n0, w.omega, w.lambda);
    shares += share;
  }
  return total / shares;
}

// Cohort c fitted as a block design against every donor (synthdid_estimate on its block): σ̂ and ζ
// from the donors before it adopts, ω and λ from uniform starts, τ_a; its weight is N1_a·T1_a, not
// yet normalised.
SynthdidCohort fit_cohort(const SynthdidFit& fit, const AdoptionCohort& c, const std::string& time) {
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  const auto periods = static_cast<Eigen::Index>(fit.times.size());
  const Eigen::Index t0 = c.pre_periods;
  SynthdidCohort cohort;
  cohort.first = c.first;
  cohort.size = c.size;
  cohort.pre_periods = t0;
  cohort.adoption = fit.times[static_cast<std::size_t>(t0)];
  if (t0 < 2)
    throw InputError(
        fmt::format("{}: units adopting at {} = {} have one pre-period ({} = {}): the noise "
                    "level and the time weights need at least two periods before adoption",
                    kName, time, cohort.adoption, time, fit.times.front()));
  // The noise level: SD of the donors' period-to-period changes before this cohort adopts.
  const auto pre = fit.y.topLeftCorner(n0, t0);
  const Eigen::MatrixXd changes = pre.rightCols(t0 - 1) - pre.leftCols(t0 - 1);
  const double mean_change = changes.mean();
  cohort.noise_level =
      std::sqrt((changes.array() - mean_change).square().sum() / static_cast<double>(changes.size() - 1));
  cohort.zeta_lambda = 1e-6 * cohort.noise_level;
  cohort.zeta_omega = fit.method == "sdid"
                          ? std::pow(static_cast<double>(c.size * (periods - t0)), 0.25) * cohort.noise_level
                      : fit.method == "sc" ? 1e-6 * cohort.noise_level
                                           : 0.0;
  const Eigen::MatrixXd block = cohort_block(fit, cohort);
  const Weights weights = solve_weights(fit.method, cohort, block, n0, uniform(n0), uniform(t0));
  cohort.omega = weights.omega;
  cohort.lambda = weights.lambda;
  cohort.estimate = contrast_of_all(block, n0, cohort.omega, cohort.lambda);
  cohort.weight = static_cast<double>(c.size * (periods - t0));
  return cohort;
}

// The jackknife over units with every cohort's weights fixed, sqrt((n-1)/n · Σ (θ_(i) − θ̄)²): θ_(i)
// leaves unit i out of every block it is in, and a cohort's share counts the treated units left.
double fixed_weight_jackknife_se(const SynthdidFit& fit) {
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  const auto periods = static_cast<Eigen::Index>(fit.times.size());
  std::vector<Eigen::MatrixXd> blocks;
  for (const SynthdidCohort& cohort : fit.cohorts) blocks.push_back(cohort_block(fit, cohort));
  const Eigen::Index n = fit.y.rows();
  Eigen::VectorXd leave_one_out(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double total = 0, kept_shares = 0;
    for (std::size_t a = 0; a < fit.cohorts.size(); ++a) {
      const SynthdidCohort& cohort = fit.cohorts[a];
      std::vector<bool> keep(static_cast<std::size_t>(n0 + cohort.size), true);
      Eigen::Index kept = cohort.size;
      if (i < n0) {
        keep[static_cast<std::size_t>(i)] = false;
      } else if (i >= cohort.first && i < cohort.first + cohort.size) {
        keep[static_cast<std::size_t>(n0 + i - cohort.first)] = false;
        --kept;
      }
      const auto share = static_cast<double>(kept * (periods - cohort.pre_periods));
      total += share * contrast(blocks[a], n0, cohort.omega, cohort.lambda, keep);
      kept_shares += share;
    }
    leave_one_out(i) = total / kept_shares;
  }
  const double nn = static_cast<double>(n);
  return std::sqrt((nn - 1) / nn * (leave_one_out.array() - leave_one_out.mean()).square().sum());
}

// sqrt((R−1)/R)·sd of R replicates, replication r computed by estimate(seed, r) on any thread.
template <class Replicate>
double replicated_se(SynthdidFit& fit, const OptionValues& options, Replicate&& estimate) {
  const std::size_t replications = options.count("replications");
  const auto seed = static_cast<std::uint64_t>(options.count("seed"));
  fit.replicates.assign(replications, 0.0);
  ProgressLoop progress(replications, "replications");
  parallel_for(replications, static_cast<unsigned>(options.count("threads")), [&](std::size_t r) {
    fit.replicates[r] = estimate(seed, r);
    progress.step();
  });
  double mean = 0;
  for (const double v : fit.replicates) mean += v;
  mean /= static_cast<double>(replications);
  double squares = 0;
  for (const double v : fit.replicates) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(replications));
}

}  // namespace

Eigen::VectorXd simplex_weights(const Eigen::MatrixXd& y, double zeta, bool intercept, Eigen::VectorXd start,
                                double min_decrease, int max_iterations) {
  const Eigen::Index k = y.cols() - 1;
  Eigen::MatrixXd centred = y;
  if (intercept) centred.rowwise() -= y.colwise().mean();
  const auto a = centred.leftCols(k);
  const auto b = centred.col(k);
  const double rows = static_cast<double>(y.rows());
  const double eta = rows * zeta * zeta;
  Eigen::VectorXd w = std::move(start);
  double previous = std::numeric_limits<double>::infinity(), latest = previous;
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    if (iteration >= 2 && !(previous - latest > min_decrease * min_decrease)) break;
    // One step towards the vertex with the smallest gradient, by exact line search, clipped to [0, 1].
    const Eigen::VectorXd aw = a * w;
    const Eigen::VectorXd half_gradient = a.transpose() * (aw - b) + eta * w;
    Eigen::Index vertex = 0;
    half_gradient.minCoeff(&vertex);
    Eigen::VectorXd direction = -w;
    direction(vertex) = 1 - w(vertex);
    if (!direction.isZero(0)) {
      const Eigen::VectorXd error_change = a.col(vertex) - aw;
      const double curvature = error_change.squaredNorm() + eta * direction.squaredNorm();
      // A flat direction (ζ = 0 and the vertex fits as well as w) is not taken: no 0/0 step.
      const double step = curvature > 0 ? -half_gradient.dot(direction) / curvature : 0.0;
      w += std::clamp(step, 0.0, 1.0) * direction;
    }
    previous = latest;
    latest = zeta * zeta * w.squaredNorm() + (a * w - b).squaredNorm() / rows;
  }
  return w;
}

SynthdidFit synthdid_fit(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(), "use 2sls for instrumental variables");
  reject_argument(kName, "covariates", !args.covariates.empty(),
                  "synthdid weights units and periods on the outcome alone");
  reject_argument(kName, "cluster", !args.cluster.empty(), "its jackknife leaves out one unit at a time");
  const OptionValues options = read_options(kName, args);
  // --se may name the method too, as long as it agrees with option se.
  std::string se_method = options.text("se");
  if (args.se_type != "hc1") {
    if (args.se_type != "jackknife" && args.se_type != "placebo" && args.se_type != "bootstrap")
      throw InputError(
          fmt::format("{}: the standard error is the jackknife, placebo or bootstrap over units (se '{}' is "
                      "not available)",
                      kName, args.se_type));
    if (options.given("se") && se_method != args.se_type)
      throw InputError(fmt::format("{}: se '{}' and option se={} disagree", kName, args.se_type, se_method));
    se_method = args.se_type;
  }
  require_distinct_roles(args);
  const std::string unit = options.text("unit");
  const std::string time = options.text("time");
  BlockDesignPanel panel = read_block_design_panel(data, kName, args, unit, time, Adoption::staggered);

  SynthdidFit fit;
  fit.method = options.text("method");
  fit.se_method = se_method;
  fit.times = std::move(panel.times);
  fit.donors = std::move(panel.donors);
  fit.treated = std::move(panel.treated);
  fit.y = std::move(panel.y);
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  const auto n1 = static_cast<Eigen::Index>(fit.treated.size());
  double shares = 0;
  for (const AdoptionCohort& c : panel.cohorts) {
    fit.cohorts.push_back(fit_cohort(fit, c, time));
    shares += fit.cohorts.back().weight;
  }
  for (SynthdidCohort& cohort : fit.cohorts) {
    cohort.weight /= shares;
    fit.estimate += cohort.weight * cohort.estimate;
  }
  const bool staggered = fit.cohorts.size() > 1;

  if (fit.se_method == "placebo") {
    if (n0 <= n1)
      throw InputError(
          fmt::format("{}: se=placebo needs more donors than treated units ({} donors, {} treated), as "
                      "synthdid's placebo_se",
                      kName, n0, n1));
    fit.se = replicated_se(fit, options, [&](std::uint64_t seed, std::size_t r) {
      return synthdid_placebo_estimate(fit, synthdid_placebo_draw(seed, r, n0));
    });
    return fit;
  }
  if (n1 < 2)
    throw InputError(
        fmt::format("{}: one treated unit ({} = {}): the {} SE needs at least two (synthdid's "
                    "vcov returns NA); se=placebo works with one",
                    kName, unit, fit.treated.front(), fit.se_method));
  if (fit.se_method == "bootstrap") {
    fit.se = replicated_se(fit, options, [&](std::uint64_t seed, std::size_t r) {
      return synthdid_bootstrap_estimate(fit, synthdid_bootstrap_draw(seed, r, n0, n0 + n1));
    });
    return fit;
  }

  // The jackknife needs two treated units in every cohort and two donors with weight in each.
  for (const SynthdidCohort& cohort : fit.cohorts) {
    if (staggered && cohort.size < 2)
      throw InputError(fmt::format(
          "{}: one unit adopts at {} = {} ({} = {}): the jackknife SE needs at least two treated units in "
          "every cohort (as Stata's sdid); se=placebo or se=bootstrap work",
          kName, time, cohort.adoption, unit, fit.treated[static_cast<std::size_t>(cohort.first - n0)]));
    if ((cohort.omega.array() != 0).count() == 1)
      throw InputError(fmt::format(
          "{}: a single donor carries all the unit weight{}: the jackknife SE is undefined (synthdid's vcov "
          "returns NA); method=did weights every donor, se=placebo re-fits",
          kName,
          staggered ? fmt::format(" of the units adopting at {} = {}", time, cohort.adoption)
                    : std::string()));
  }
  fit.jackknife_se = fixed_weight_jackknife_se(fit);
  fit.se = fit.jackknife_se;
  return fit;
}

std::vector<Eigen::Index> synthdid_placebo_draw(std::uint64_t seed, std::size_t replication,
                                                Eigen::Index donors) {
  pcg64 generator;
  seed_from_key(generator, derive_seed(seed, replication));
  std::vector<Eigen::Index> order(static_cast<std::size_t>(donors));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  for (std::size_t j = 0; j + 1 < order.size(); ++j) {
    boost::random::uniform_int_distribution<std::size_t> draw(j, order.size() - 1);
    std::swap(order[j], order[draw(generator)]);
  }
  return order;
}

std::vector<Eigen::Index> synthdid_bootstrap_draw(std::uint64_t seed, std::size_t replication,
                                                  Eigen::Index donors, Eigen::Index units) {
  pcg64 generator;
  seed_from_key(generator, derive_seed(seed, replication));
  boost::random::uniform_int_distribution<Eigen::Index> draw(0, units - 1);
  std::vector<Eigen::Index> picked(static_cast<std::size_t>(units));
  for (;;) {
    for (auto& p : picked) p = draw(generator);
    std::sort(picked.begin(), picked.end());
    if (picked.front() < donors && picked.back() >= donors) return picked;
  }
}

double synthdid_placebo_estimate(const SynthdidFit& fit, const std::vector<Eigen::Index>& draw) {
  const auto placebo_donors = static_cast<std::ptrdiff_t>(draw.size() - fit.treated.size());
  const std::vector<Eigen::Index> donors(draw.begin(), draw.begin() + placebo_donors);
  std::vector<std::vector<Eigen::Index>> treated;
  auto next = draw.begin() + placebo_donors;
  for (const SynthdidCohort& cohort : fit.cohorts) {
    treated.emplace_back(next, next + cohort.size);
    next += cohort.size;
  }
  return refit(fit, donors, treated);
}

double synthdid_bootstrap_estimate(const SynthdidFit& fit, const std::vector<Eigen::Index>& draw) {
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  std::vector<Eigen::Index> donors;
  std::vector<std::vector<Eigen::Index>> treated(fit.cohorts.size());
  for (const Eigen::Index u : draw) {
    if (u < n0) {
      donors.push_back(u);
      continue;
    }
    for (std::size_t a = 0; a < fit.cohorts.size(); ++a)
      if (u < fit.cohorts[a].first + fit.cohorts[a].size) {
        treated[a].push_back(u);
        break;
      }
  }
  return refit(fit, donors, treated);
}

namespace {

// A cohort's treated average and its counterfactual: the synthetic control shifted by the
// λ-weighted pre-period gap (no shift for sc, where λ = 0), so that τ_a is their mean post-period gap.
struct Trajectory {
  Eigen::VectorXd treated, counterfactual;
  double pre_rmse = 0;  // over the pre-periods
};

Trajectory trajectory(const SynthdidFit& fit, const SynthdidCohort& cohort) {
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  const Eigen::Index t0 = cohort.pre_periods;
  Trajectory out;
  out.treated = fit.y.middleRows(cohort.first, cohort.size).colwise().mean().transpose();
  const Eigen::VectorXd synthetic = fit.y.topRows(n0).transpose() * cohort.omega;
  const double shift = cohort.lambda.dot(out.treated.head(t0) - synthetic.head(t0));
  out.counterfactual = synthetic.array() + shift;
  out.pre_rmse =
      std::sqrt((out.treated.head(t0) - out.counterfactual.head(t0)).squaredNorm() / static_cast<double>(t0));
  return out;
}

std::vector<double> values(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

}  // namespace

Estimate synthdid(const Dataset& data, const EstimatorArgs& args) {
  const SynthdidFit fit = synthdid_fit(data, args);
  Estimate out = to_estimate(z_test(fit.estimate, fit.se, args.confidence_level), data.rows());
  out.se_type = fit.se_method;
  out.diagnostics.erase("df");  // a normal reference, as synthdid's confidence interval
  const auto n0 = static_cast<Eigen::Index>(fit.donors.size());
  const auto n1 = static_cast<Eigen::Index>(fit.treated.size());
  const bool staggered = fit.cohorts.size() > 1;
  const std::string time = read_options(kName, args).text("time");
  out.diagnostics["cohorts"] = static_cast<double>(fit.cohorts.size());
  out.diagnostics["treated_units"] = static_cast<double>(n1);
  out.diagnostics["donors"] = static_cast<double>(n0);

  Table units{
      "unit_weights", fmt::format("Unit weights ω of the donors ({})", fit.method), {"unit", "weight"}, {}};
  Table times{"time_weights",
              fmt::format("Time weights λ of the pre-periods ({})", fit.method),
              {"period", "weight"},
              {}};
  Table cohorts{
      "cohorts",
      "Adoption cohorts, each against the never-treated donors, and their shares of the estimate",
      {"adoption", "treated_units", "post_periods", "weight", "estimate", "zeta", "noise_level", "pre_rmse"},
      {}};
  if (staggered) {
    units.columns.insert(units.columns.begin(), "adoption");
    times.columns.insert(times.columns.begin(), "adoption");
  }
  Plot plot{
      "synthdid",
      staggered
          ? fmt::format("Each cohort's treated average and its synthetic counterfactual ({})", fit.method)
          : fmt::format("Treated average and its synthetic counterfactual ({}; treatment from {})",
                        fit.method, fit.cohorts.front().adoption),
      "lines",
      "period",
      args.outcome,
      {},
      {},
      {}};
  for (const SynthdidCohort& cohort : fit.cohorts) {
    const Trajectory path = trajectory(fit, cohort);
    const Eigen::Index t0 = cohort.pre_periods;
    const auto post_periods = static_cast<double>(fit.times.size()) - static_cast<double>(t0);
    for (Eigen::Index u = 0; u < n0; ++u) {
      std::vector<TableCell> row{fit.donors[static_cast<std::size_t>(u)], cohort.omega(u)};
      if (staggered) row.insert(row.begin(), cohort.adoption);
      units.rows.push_back(std::move(row));
    }
    for (Eigen::Index t = 0; t < t0; ++t) {
      std::vector<TableCell> row{fit.times[static_cast<std::size_t>(t)], cohort.lambda(t)};
      if (staggered) row.insert(row.begin(), cohort.adoption);
      times.rows.push_back(std::move(row));
    }
    cohorts.rows.push_back({cohort.adoption, static_cast<double>(cohort.size), post_periods, cohort.weight,
                            cohort.estimate, cohort.zeta_omega, cohort.noise_level, path.pre_rmse});
    const std::string label = staggered ? fmt::format(" (adopting at {})", cohort.adoption) : std::string();
    plot.series.push_back({"treated average" + label, fit.times, values(path.treated), {}, {}});
    plot.series.push_back({"synthetic control (shifted by the weighted pre-period gap)" + label,
                           fit.times,
                           values(path.counterfactual),
                           {},
                           {}});
    if (!staggered) {
      out.diagnostics["zeta"] = cohort.zeta_omega;
      out.diagnostics["zeta_lambda"] = cohort.zeta_lambda;
      out.diagnostics["noise_level"] = cohort.noise_level;
      out.diagnostics["n_donors_with_weight"] = static_cast<double>((cohort.omega.array() != 0).count());
      out.diagnostics["n_periods_with_weight"] = static_cast<double>((cohort.lambda.array() != 0).count());
      out.diagnostics["pre_rmse"] = path.pre_rmse;
      out.diagnostics["pre_periods"] = static_cast<double>(t0);
      out.diagnostics["post_periods"] = post_periods;
    }
  }
  out.tables.push_back(std::move(units));
  out.tables.push_back(std::move(times));
  if (staggered) out.tables.push_back(std::move(cohorts));
  out.plots.push_back(std::move(plot));

  const std::string se_text =
      fit.se_method == "jackknife"
          ? std::string("jackknife SE over units with the weights held fixed")
          : fmt::format("{} SE from {} replications (synthdid's {}_se, weights re-fitted in each)",
                        fit.se_method, fit.replicates.size(), fit.se_method);
  if (staggered) {
    std::string adoptions;
    for (const SynthdidCohort& cohort : fit.cohorts)
      adoptions += fmt::format("{}{} unit(s) at {} = {}", adoptions.empty() ? "" : ", ", cohort.size, time,
                               cohort.adoption);
    out.notes.push_back(fmt::format(
        "staggered adoption in {} cohorts ({}): each is estimated against the {} never-treated donors over "
        "its own pre-periods, and the estimate averages them by their shares of the treated unit-periods "
        "(Arkhangelsky et al. 2021, appendix A; Stata's sdid); units adopting later are not used as "
        "controls; {}",
        fit.cohorts.size(), adoptions, n0, se_text));
  } else {
    const SynthdidCohort& cohort = fit.cohorts.front();
    out.notes.push_back(fmt::format(
        "{} treated unit(s) adopting together, {} donors, {} pre- and {} post-periods; {} of the donors "
        "carry "
        "weight; {}",
        n1, n0, cohort.pre_periods, fit.times.size() - static_cast<std::size_t>(cohort.pre_periods),
        static_cast<int>(out.diagnostics["n_donors_with_weight"]), se_text));
  }
  if (fit.se_method == "jackknife" && n0 + n1 < 20)
    out.notes.push_back(
        "few units: the jackknife SE can be unreliable (Arkhangelsky et al. 2021, section 5)");
  if (fit.se_method == "placebo")
    out.notes.push_back(
        "the placebo SE assumes the treated units' noise is like the donors' (Arkhangelsky et al. 2021, "
        "Algorithm 4)");
  return out;
}

}  // namespace casebook
