#include "estimators/entropy_balancing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <Eigen/Cholesky>
#include <Eigen/LU>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/balance_report.hpp"
#include "estimators/propensity_score.hpp"
#include "inference/design_matrix.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "entropy-balancing";

enum class Target { att, atc, ate };

// The moments balanced, one column each, centred and scaled by their full-sample mean and SD: the
// dual is then well conditioned, and a gradient entry is the moment's gap in full-sample SDs.
struct Moments {
  Eigen::MatrixXd c;                  // rows × moments
  std::vector<std::string> names;     // "x1", "x1^2", "regionnorth"
  std::vector<std::string> constant;  // constant in the whole sample: balanced by any weights
};

Moments moment_columns(const PropensityData& d, const Dataset& data, const EstimatorArgs& args,
                       std::size_t moments) {
  std::vector<std::string> names;  // the design's columns after the intercept, as R names them
  for (const auto& covariate : args.covariates)
    for (auto& name : expanded_names(data.column(covariate))) names.push_back(std::move(name));
  const Eigen::Index n = d.design.rows();
  Moments out;
  std::vector<Eigen::VectorXd> columns;
  auto standardise = [&](Eigen::VectorXd v, std::string name) -> bool {
    v.array() -= v.mean();
    const double sd = std::sqrt(v.squaredNorm() / static_cast<double>(n - 1));
    if (!(sd > 0)) {
      out.constant.push_back(std::move(name));
      return false;
    }
    columns.push_back(v / sd);
    out.names.push_back(std::move(name));
    return true;
  };
  for (std::size_t j = 0; j < names.size(); ++j) {
    const auto x = d.design.col(static_cast<Eigen::Index>(j) + 1);
    const bool binary = (x.array() == 0.0 || x.array() == 1.0).all();
    if (!standardise(x, names[j]) || binary) continue;
    // Powers of the standardised covariate span the same space as x², x³ with the lower moments
    // (so the weights are the same), far better conditioned than raw powers.
    const Eigen::ArrayXd z = columns.back().array();
    for (std::size_t power = 2; power <= moments; ++power)
      standardise(z.pow(static_cast<double>(power)).matrix(), fmt::format("{}^{}", names[j], power));
  }
  out.c.resize(n, static_cast<Eigen::Index>(columns.size()));
  for (std::size_t j = 0; j < columns.size(); ++j) out.c.col(static_cast<Eigen::Index>(j)) = columns[j];
  return out;
}

// Columns that are not a linear combination of earlier ones and a constant among these rows (nor
// constant there): the others would make the dual's Hessian singular. They are still checked after
// weighting, so an inconsistent one is reported, not ignored.
std::vector<Eigen::Index> independent_columns(const Eigen::MatrixXd& c) {
  const Eigen::MatrixXd z = c.rowwise() - c.colwise().mean();
  const Eigen::MatrixXd s = z.transpose() * z / static_cast<double>(c.rows());
  std::vector<Eigen::Index> kept;
  for (Eigen::Index j = 0; j < c.cols(); ++j) {
    double residual = s(j, j);
    if (!kept.empty()) {
      const Eigen::MatrixXd skk = s(kept, kept);
      const Eigen::VectorXd skj = s(kept, j);
      residual -= skj.dot(skk.ldlt().solve(skj));
    }
    // Variance below 1e-14 of the full sample's is a constant; 1 − R² below 1e-10 is collinear.
    if (s(j, j) > 1e-14 && residual > 1e-10 * s(j, j)) kept.push_back(j);
  }
  return kept;
}

// The dual (Hainmueller 2012, eq. 7 with uniform base weights): minimise log mean exp(λ'cᵢ) − λ'm.
// Its gradient is the weighted moments minus the target; its Hessian their weighted covariance.
struct DualState {
  double objective = 0;
  Eigen::VectorXd p;  // the weights, summing to 1
  Eigen::VectorXd gradient;
};

DualState evaluate_dual(const Eigen::MatrixXd& c, const Eigen::VectorXd& target,
                        const Eigen::VectorXd& lambda) {
  const Eigen::VectorXd eta = c * lambda;
  const double top = eta.maxCoeff();  // shifted so exp never overflows
  const Eigen::ArrayXd e = (eta.array() - top).exp();
  const double sum = e.sum();
  DualState s;
  s.p = (e / sum).matrix();
  s.objective = top + std::log(sum / static_cast<double>(c.rows())) - lambda.dot(target);
  s.gradient = c.transpose() * s.p - target;
  return s;
}

// Cᵀ diag(w) C summed over blocks of rows: at a million rows an n × k temporary costs more in page
// faults than the product itself.
Eigen::MatrixXd weighted_gram(const Eigen::MatrixXd& c, const Eigen::VectorXd& w) {
  constexpr Eigen::Index kBlock = 4096;
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(c.cols(), c.cols());
  for (Eigen::Index start = 0; start < c.rows(); start += kBlock) {
    const Eigen::Index rows = std::min(kBlock, c.rows() - start);
    const auto block = c.middleRows(start, rows);
    out.noalias() += block.transpose() * (w.segment(start, rows).asDiagonal() * block);
  }
  return out;
}

// The columns `kept` of `c`: `c` itself when that is all of them, else a copy held in `storage`.
const Eigen::MatrixXd& kept_columns(const Eigen::MatrixXd& c, const std::vector<Eigen::Index>& kept,
                                    Eigen::MatrixXd& storage) {
  if (static_cast<Eigen::Index>(kept.size()) == c.cols()) return c;
  storage = c(Eigen::all, kept);
  return storage;
}

Eigen::VectorXd newton_step(const Eigen::MatrixXd& c, const DualState& s) {
  // The Hessian: the weighted covariance of the moments.
  Eigen::MatrixXd hessian = weighted_gram(c, s.p);
  const Eigen::VectorXd weighted_mean = c.transpose() * s.p;
  hessian -= weighted_mean * weighted_mean.transpose();
  return -hessian.ldlt().solve(s.gradient);
}

double largest_gap(const DualState& s) { return s.gradient.lpNorm<Eigen::Infinity>(); }

struct Dual {
  std::vector<Eigen::Index> kept;  // the moment columns used as constraints
  Eigen::VectorXd p;               // the arm's weights, summing to 1
  Eigen::VectorXd gaps;            // |weighted − target| of every moment column, in SDs
  int iterations = 0;
};

Dual solve_dual(const Eigen::MatrixXd& arm, const Eigen::VectorXd& target, int max_iterations,
                double tolerance) {
  Dual out;
  out.kept = independent_columns(arm);
  Eigen::MatrixXd storage;
  const Eigen::MatrixXd& c = kept_columns(arm, out.kept, storage);
  const Eigen::VectorXd m = target(out.kept);
  Eigen::VectorXd lambda = Eigen::VectorXd::Zero(c.cols());
  DualState s = evaluate_dual(c, m, lambda);
  for (;;) {
    const double gap = largest_gap(s);
    if (gap <= tolerance) {
      // Newton converges quadratically: one more full step takes the gap to rounding, so the
      // weights do not depend on where the tolerance happened to cut.
      const Eigen::VectorXd step = newton_step(c, s);
      if (step.allFinite()) {
        DualState next = evaluate_dual(c, m, lambda + step);
        if (largest_gap(next) < gap) s = std::move(next);
      }
      break;
    }
    if (out.iterations >= max_iterations) break;
    ++out.iterations;
    const Eigen::VectorXd step = newton_step(c, s);
    if (!step.allFinite()) break;  // the Hessian is singular: the weights sit on a face of the hull
    // Backtracking (Armijo), with slack for rounding in the objective near the optimum.
    const double slope = s.gradient.dot(step);
    const double slack = 8 * std::numeric_limits<double>::epsilon() * (1 + std::abs(s.objective));
    bool moved = false;
    for (double alpha = 1; alpha > 1e-12; alpha /= 2) {
      DualState next = evaluate_dual(c, m, lambda + alpha * step);
      if (std::isfinite(next.objective) && next.objective <= s.objective + 1e-4 * alpha * slope + slack) {
        lambda += alpha * step;
        s = std::move(next);
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  out.p = s.p;
  out.gaps = (arm.transpose() * s.p - target).cwiseAbs();
  return out;
}

std::string arm_label(bool treated) { return treated ? "the treated" : "the controls"; }

// One line naming the moments still apart. A moment whose target lies outside the arm's range can
// never be met (whatever the others): those are named alone; otherwise the gaps, largest first.
[[noreturn]] void throw_unbalanced(const Moments& m, const Eigen::MatrixXd& arm,
                                   const Eigen::VectorXd& target, const Dual& dual, bool treated,
                                   Target target_kind, double tolerance) {
  std::vector<Eigen::Index> apart, outside;
  for (Eigen::Index j = 0; j < dual.gaps.size(); ++j) {
    if (dual.gaps[j] <= tolerance) continue;
    apart.push_back(j);
    if (!(target[j] > arm.col(j).minCoeff() && target[j] < arm.col(j).maxCoeff())) outside.push_back(j);
  }
  std::stable_sort(apart.begin(), apart.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return dual.gaps[a] > dual.gaps[b]; });
  const std::vector<Eigen::Index>& named = outside.empty() ? apart : outside;
  std::vector<std::string> listed;
  for (std::size_t i = 0; i < std::min<std::size_t>(named.size(), 5); ++i) {
    const Eigen::Index j = named[i];
    listed.push_back(
        outside.empty()
            ? fmt::format("{} (gap {:.3g} SD)", m.names[static_cast<std::size_t>(j)], dual.gaps[j])
            : fmt::format("{} (gap {:.3g} SD; the target is outside {}' range)",
                          m.names[static_cast<std::size_t>(j)], dual.gaps[j], arm_label(treated)));
  }
  if (named.size() > listed.size())
    listed.push_back(fmt::format("and {} more", named.size() - listed.size()));
  const std::string to = target_kind == Target::ate ? "the full sample" : arm_label(!treated);
  throw InputError(fmt::format(
      "{}: could not balance {} to {}'s moments within tolerance {} after {} Newton iterations: {}; the "
      "target lies outside (or at the edge of) what reweighting {} can reach: use fewer moments or "
      "covariates, or restrict the sample to where the arms overlap",
      kName, arm_label(treated), to, tolerance, dual.iterations, fmt::join(listed, ", "),
      arm_label(treated)));
}

// One arm of the comparison: its rows, and the entropy-balancing solution when it is reweighted.
struct Arm {
  bool treated = false;
  bool reweighted = false;
  std::vector<Eigen::Index> rows;
  Eigen::MatrixXd c;  // its rows of the moment matrix (reweighted arms only)
  Dual dual;
  double weight_sum = 0, mean = 0;  // Σw and the weighted mean outcome
};

// SE of μ̂₁ − μ̂₀ by M-estimation (Stefanski & Boos 2002): the stacked estimating equations of the
// target moments m (ψ = gᵢ(cᵢ − m), g the target population), each reweighted arm's dual
// (ψ = wᵢ(cᵢ − m), wᵢ ∝ exp(λ'cᵢ)) and the weighted means (ψ = wᵢ(yᵢ − μ)); sandwich A⁻¹BA⁻ᵀ with
// A = −Σ∂ψ/∂θ. Var = Σᵢ(ψᵢ·u)² with u = A⁻ᵀ(0, …, 1, −1), so no n × parameters matrix is formed.
double m_estimation_se(const Moments& m, const std::vector<double>& y, const std::vector<char>& in_target,
                       const Eigen::VectorXd& target, const std::vector<double>& weight,
                       const Arm (&arms)[2]) {
  const Eigen::Index k = m.c.cols();
  Eigen::Index size = k;
  Eigen::Index offset[2] = {0, 0};
  for (int a = 0; a < 2; ++a)
    if (arms[a].reweighted) {
      offset[a] = size;
      size += static_cast<Eigen::Index>(arms[a].dual.kept.size());
    }
  const Eigen::Index mu[2] = {size, size + 1};
  size += 2;
  Eigen::MatrixXd a_matrix = Eigen::MatrixXd::Zero(size, size);
  const double in_target_count = static_cast<double>(std::count(in_target.begin(), in_target.end(), 1));
  a_matrix.topLeftCorner(k, k).diagonal().setConstant(in_target_count);
  for (int a = 0; a < 2; ++a) {
    const Arm& arm = arms[a];
    a_matrix(mu[a], mu[a]) = arm.weight_sum;
    if (!arm.reweighted) continue;
    const auto& kept = arm.dual.kept;
    const auto kk = static_cast<Eigen::Index>(kept.size());
    Eigen::MatrixXd storage;
    const Eigen::MatrixXd& ck = kept_columns(arm.c, kept, storage);
    Eigen::VectorXd w(ck.rows()), residual(ck.rows());
    for (Eigen::Index i = 0; i < ck.rows(); ++i) {
      const auto row = static_cast<std::size_t>(arm.rows[static_cast<std::size_t>(i)]);
      w[i] = weight[row];
      residual[i] = y[row] - arm.mean;
    }
    // Σᵢ wᵢ (cᵢ − m) cᵢᵀ = Cᵀ diag(w) C − m (Cᵀw)ᵀ.
    const Eigen::VectorXd weighted_sum = ck.transpose() * w;
    a_matrix.block(offset[a], offset[a], kk, kk) =
        -(weighted_gram(ck, w) - target(kept) * weighted_sum.transpose());
    for (Eigen::Index j = 0; j < kk; ++j)
      a_matrix(offset[a] + j, kept[static_cast<std::size_t>(j)]) = arm.weight_sum;
    a_matrix.block(mu[a], offset[a], 1, kk) = -(w.array() * residual.array()).matrix().transpose() * ck;
  }
  Eigen::VectorXd contrast = Eigen::VectorXd::Zero(size);
  contrast[mu[1]] = 1;
  contrast[mu[0]] = -1;
  const Eigen::VectorXd u = a_matrix.transpose().partialPivLu().solve(contrast);

  // ψᵢ·u, row by row.
  const Eigen::VectorXd moment_part = m.c * u.head(k);
  const double moment_shift = target.dot(u.head(k));
  double variance = 0;
  for (int a = 0; a < 2; ++a) {
    const Arm& arm = arms[a];
    Eigen::VectorXd dual_part;
    double dual_shift = 0;
    if (arm.reweighted) {
      const auto kk = static_cast<Eigen::Index>(arm.dual.kept.size());
      Eigen::MatrixXd storage;
      dual_part = kept_columns(arm.c, arm.dual.kept, storage) * u.segment(offset[a], kk);
      dual_shift = target(arm.dual.kept).dot(u.segment(offset[a], kk));
    }
    for (std::size_t i = 0; i < arm.rows.size(); ++i) {
      const auto row = arm.rows[i];
      const auto r = static_cast<std::size_t>(row);
      double score = weight[r] * (y[r] - arm.mean) * u[mu[a]];
      if (in_target[r]) score += moment_part[row] - moment_shift;
      if (arm.reweighted) score += weight[r] * (dual_part[static_cast<Eigen::Index>(i)] - dual_shift);
      variance += score * score;
    }
  }
  return std::sqrt(variance);
}

}  // namespace

Estimate entropy_balancing(const Dataset& data, const EstimatorArgs& args) {
  if (args.covariates.empty())
    throw InputError(fmt::format("{} needs covariates: their moments are what it balances", kName));
  const OptionValues options = read_options(kName, args);
  const std::size_t moments = options.count("moments");
  if (moments < 1 || moments > 3)
    throw InputError(
        fmt::format("{}: option 'moments' must be 1 (means), 2 (and variances) or 3 (and skewness), got {}",
                    kName, options.text("moments")));
  const double tolerance = options.number("tolerance");
  if (!(tolerance > 0))
    throw InputError(
        fmt::format("{}: option 'tolerance' must be above 0, got {}", kName, options.text("tolerance")));
  const int max_iterations =
      static_cast<int>(std::min<std::size_t>(options.count("max_iterations"), 1000000));
  const std::string estimand = options.text("estimand");
  const Target target_kind =
      estimand == "atc" ? Target::atc : (estimand == "ate" ? Target::ate : Target::att);

  const PropensityData d = propensity_data(kName, data, args);
  const Moments m = moment_columns(d, data, args, moments);
  if (m.c.cols() == 0)
    throw InputError(data.source(),
                     fmt::format("{}: every covariate is constant; there is nothing to balance", kName));
  const std::size_t n = d.y.size();

  // The target population's moments: the treated (att), the controls (atc) or everyone (ate).
  std::vector<char> in_target(n);
  Eigen::VectorXd target = Eigen::VectorXd::Zero(m.c.cols());
  double target_count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    in_target[i] = target_kind == Target::ate || (d.t[i] == 1) == (target_kind == Target::att);
    if (!in_target[i]) continue;
    target += m.c.row(static_cast<Eigen::Index>(i)).transpose();
    ++target_count;
  }
  target /= target_count;

  Arm arms[2];
  std::vector<double> weight(n, 1.0);
  std::vector<std::string> notes;
  int iterations = 0;
  double max_gap = 0, max_share = 0, max_weight = 1;
  for (int a = 0; a < 2; ++a) {
    Arm& arm = arms[a];
    arm.treated = a == 1;
    arm.reweighted = target_kind == Target::ate || (target_kind == Target::att) != arm.treated;
    for (std::size_t i = 0; i < n; ++i)
      if ((d.t[i] == 1) == arm.treated) arm.rows.push_back(static_cast<Eigen::Index>(i));
    if (arm.reweighted) {
      arm.c = m.c(arm.rows, Eigen::all);
      arm.dual = solve_dual(arm.c, target, max_iterations, tolerance);
      if (!(arm.dual.gaps.maxCoeff() <= tolerance))
        throw_unbalanced(m, arm.c, target, arm.dual, arm.treated, target_kind, tolerance);
      iterations = std::max(iterations, arm.dual.iterations);
      max_gap = std::max(max_gap, arm.dual.gaps.maxCoeff());
      max_share = std::max(max_share, arm.dual.p.maxCoeff());
      // Mean 1 within the arm, as WeightIt scales them.
      const double size = static_cast<double>(arm.rows.size());
      max_weight = std::max(max_weight, arm.dual.p.maxCoeff() * size);
      for (std::size_t i = 0; i < arm.rows.size(); ++i)
        weight[static_cast<std::size_t>(arm.rows[i])] = arm.dual.p[static_cast<Eigen::Index>(i)] * size;
      if (arm.dual.kept.size() < m.names.size()) {
        std::vector<std::string> dropped;
        for (Eigen::Index j = 0; j < m.c.cols(); ++j)
          if (std::find(arm.dual.kept.begin(), arm.dual.kept.end(), j) == arm.dual.kept.end())
            dropped.push_back(m.names[static_cast<std::size_t>(j)]);
        notes.push_back(fmt::format(
            "{} not used as a constraint for {}: constant there or a linear combination of the other "
            "moments; checked after weighting all the same (balanced)",
            fmt::join(dropped, ", "), arm_label(arm.treated)));
      }
    }
    double weighted = 0;
    for (const auto row : arm.rows) {
      const auto r = static_cast<std::size_t>(row);
      arm.weight_sum += weight[r];
      weighted += weight[r] * d.y[r];
    }
    arm.mean = weighted / arm.weight_sum;
  }

  const double se = m_estimation_se(m, d.y, in_target, target, weight, arms);
  Estimate out = to_estimate(z_test(arms[1].mean - arms[0].mean, se, args.confidence_level), n);
  out.se_type = "influence";
  // lm(y ~ t, weights) with HC0: the weights taken as known.
  double naive = 0;
  for (const Arm& arm : arms)
    for (const auto row : arm.rows) {
      const auto r = static_cast<std::size_t>(row);
      const double score = weight[r] * (d.y[r] - arm.mean) / arm.weight_sum;
      naive += score * score;
    }
  out.diagnostics["se_weights_known"] = std::sqrt(naive);
  out.diagnostics["iterations"] = iterations;
  out.diagnostics["constraints"] = static_cast<double>(m.names.size());
  out.diagnostics["max_moment_gap"] = max_gap;
  out.diagnostics["max_weight"] = max_weight;
  out.diagnostics["max_weight_share"] = max_share;
  const BalanceEstimand balance_estimand = target_kind == Target::att   ? BalanceEstimand::att
                                           : target_kind == Target::atc ? BalanceEstimand::atc
                                                                        : BalanceEstimand::ate;
  report_balance(out, data, args.covariates, d.t, weight, balance_estimand, "entropy balancing");
  static constexpr const char* kMoments[] = {"", "mean", "mean and second moment", "first three moments"};
  out.notes.push_back(fmt::format(
      "estimate = weighted difference in means with entropy-balancing weights (Hainmueller 2012): the {} of "
      "each covariate (of a 0/1 one its mean) equal in {} and {} to tolerance; SE by M-estimation, "
      "accounting for the estimated weights (se_weights_known treats them as fixed)",
      kMoments[moments], target_kind == Target::ate ? "each arm" : "the reweighted arm",
      target_kind == Target::ate ? "the full sample" : "the other arm"));
  for (auto& note : notes) out.notes.push_back(std::move(note));
  if (!m.constant.empty())
    out.notes.push_back(
        fmt::format("{} constant in the whole sample: nothing to balance", fmt::join(m.constant, ", ")));
  out.row_outputs["weight"] = std::move(weight);
  return out;
}

}  // namespace casebook
