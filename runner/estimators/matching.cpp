#include "estimators/matching.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <queue>
#include <string>

#include <fmt/format.h>
#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/balance_report.hpp"
#include "inference/design_matrix.hpp"
#include "inference/t_test.hpp"

namespace casebook {

namespace {

constexpr std::string_view kName = "matching";
// Match's defaults: distance.tolerance (ties) and tolerance = sqrt(.Machine$double.eps).
constexpr double kDistanceTolerance = 1e-5;
const double kTolerance = std::sqrt(DBL_EPSILON);

// A kd-tree over the candidate rows, coordinates row-major. Queries use the incremental lower
// bound of Arya and Mount (per-dimension offsets to the cell), so near-empty branches are skipped
// and a query costs about log n distance evaluations for a few covariates.
class KdTree {
 public:
  KdTree(const std::vector<double>& coords, std::size_t dims, std::vector<std::size_t> rows)
      : coords_(coords), dims_(dims), rows_(std::move(rows)) {
    nodes_.reserve(2 * rows_.size() / kLeaf + 2);
    build(0, rows_.size());
  }

  // The m-th smallest squared distance from q to a candidate (equal ones counted separately).
  double kth_distance(const double* q, std::size_t m) const {
    std::priority_queue<double> best;  // the m smallest so far, largest on top
    std::vector<double> offset(dims_, 0.0);
    knn(0, q, m, best, offset, 0.0);
    return best.top();
  }

  // Every candidate row within squared distance `radius` of q (in tree order).
  void within(const double* q, double radius, std::vector<std::size_t>& out) const {
    std::vector<double> offset(dims_, 0.0);
    range(0, q, radius, out, offset, 0.0);
  }

 private:
  static constexpr std::size_t kLeaf = 16;
  struct Node {
    std::size_t begin, end, dim = 0;
    double split = 0;
    std::size_t left = 0, right = 0;  // 0: a leaf (the root is never a child)
  };

  double coord(std::size_t row, std::size_t k) const { return coords_[row * dims_ + k]; }
  double distance(std::size_t row, const double* q) const {
    double d = 0;
    for (std::size_t k = 0; k < dims_; ++k) {
      const double diff = coord(row, k) - q[k];
      d += diff * diff;
    }
    return d;
  }

  std::size_t build(std::size_t begin, std::size_t end) {
    const std::size_t id = nodes_.size();
    nodes_.push_back({begin, end});
    if (end - begin <= kLeaf) return id;
    std::size_t dim = 0;
    double widest = -1;
    for (std::size_t k = 0; k < dims_; ++k) {
      double low = INFINITY, high = -INFINITY;
      for (std::size_t i = begin; i < end; ++i) {
        low = std::min(low, coord(rows_[i], k));
        high = std::max(high, coord(rows_[i], k));
      }
      if (high - low > widest) widest = high - low, dim = k;
    }
    if (widest <= 0) return id;  // all points equal: one leaf
    const std::size_t mid = begin + (end - begin) / 2;
    const auto first = rows_.begin() + static_cast<std::ptrdiff_t>(begin);
    std::nth_element(first, rows_.begin() + static_cast<std::ptrdiff_t>(mid),
                     rows_.begin() + static_cast<std::ptrdiff_t>(end),
                     [&](std::size_t a, std::size_t b) { return coord(a, dim) < coord(b, dim); });
    const double split = coord(rows_[mid], dim);
    const std::size_t left = build(begin, mid);
    const std::size_t right = build(mid, end);
    nodes_[id].dim = dim;
    nodes_[id].split = split;
    nodes_[id].left = left;
    nodes_[id].right = right;
    return id;
  }

  // Left holds coordinates <= split, right >= split: the far child's cell starts at the split.
  template <typename Visit>
  void descend(const Node& node, const double* q, std::vector<double>& offset, double bound, Visit&& visit,
               auto&& keep_going) const {
    const double gap = q[node.dim] - node.split;
    const std::size_t near = gap <= 0 ? node.left : node.right;
    const std::size_t far = gap <= 0 ? node.right : node.left;
    visit(near, bound);
    const double old = offset[node.dim];
    const double far_bound = bound - old * old + gap * gap;
    if (!keep_going(far_bound)) return;
    offset[node.dim] = gap;
    visit(far, far_bound);
    offset[node.dim] = old;
  }

  void knn(std::size_t id, const double* q, std::size_t m, std::priority_queue<double>& best,
           std::vector<double>& offset, double bound) const {
    const Node& node = nodes_[id];
    if (node.left == 0) {
      for (std::size_t i = node.begin; i < node.end; ++i) {
        const double d = distance(rows_[i], q);
        if (best.size() < m) {
          best.push(d);
        } else if (d < best.top()) {
          best.pop();
          best.push(d);
        }
      }
      return;
    }
    descend(
        node, q, offset, bound, [&](std::size_t child, double b) { knn(child, q, m, best, offset, b); },
        [&](double b) { return best.size() < m || b < best.top(); });
  }

  void range(std::size_t id, const double* q, double radius, std::vector<std::size_t>& out,
             std::vector<double>& offset, double bound) const {
    const Node& node = nodes_[id];
    if (node.left == 0) {
      for (std::size_t i = node.begin; i < node.end; ++i)
        if (distance(rows_[i], q) <= radius) out.push_back(rows_[i]);
      return;
    }
    descend(
        node, q, offset, bound, [&](std::size_t child, double b) { range(child, q, radius, out, offset, b); },
        [&](double b) { return b <= radius; });
  }

  const std::vector<double>& coords_;
  std::size_t dims_;
  std::vector<std::size_t> rows_;
  std::vector<Node> nodes_;
};

struct Settings {
  bool ate = false;
  bool atc = false;
  std::size_t m = 1;
  bool mahalanobis = false;
  bool bias_adjust = false;
};

Settings read_settings(const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  Settings s;
  const std::string estimand = options.text("estimand");
  s.ate = estimand == "ate";
  s.atc = estimand == "atc";
  s.m = options.count("m");
  if (s.m < 1) throw InputError(fmt::format("matching: option 'm' must be at least 1, got {}", s.m));
  s.mahalanobis = options.text("weight") == "mahalanobis";
  s.bias_adjust = options.flag("bias_adjust");
  return s;
}

// Match's scaling (MatchGenoudStage1caliper): each covariate centred and divided by its sample
// SD over the whole sample, computed as R does (sums in long double, as R's sum()).
Eigen::MatrixXd scaled_covariates(const Eigen::MatrixXd& x, const std::vector<std::string>& names) {
  const auto n = static_cast<double>(x.rows());
  Eigen::MatrixXd out(x.rows(), x.cols());
  for (Eigen::Index k = 0; k < x.cols(); ++k) {
    long double sum = 0, squares = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      sum += x(i, k);
      squares += x(i, k) * x(i, k);
    }
    const double mean = static_cast<double>(sum) / n;
    double sd = std::sqrt(std::max(kTolerance, static_cast<double>(squares)) / n - mean * mean);
    sd *= std::sqrt(n / (n - 1));
    if (!(sd >= kTolerance))
      throw InputError(
          fmt::format("matching: covariate '{}' is constant: it cannot inform the matching; drop it",
                      names[static_cast<std::size_t>(k)]));
    out.col(k) = (x.col(k).array() - mean) / sd;
  }
  return out;
}

// The coordinates whose squared Euclidean distance is Match's: the scaled covariates times the
// upper Cholesky factor of its Weight.matrix (identity, or the inverse of X'X/N of the scaled
// covariates for Mahalanobis; the identity when that is near singular, as RmatchLoop falls back).
Eigen::MatrixXd matching_coordinates(const Eigen::MatrixXd& scaled, bool mahalanobis, bool& fell_back) {
  fell_back = false;
  if (!mahalanobis) return scaled;
  const auto n = static_cast<double>(scaled.rows());
  const Eigen::MatrixXd s = scaled.transpose() * scaled / n;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(s, Eigen::EigenvaluesOnly);
  if (eigen.eigenvalues().minCoeff() <= 1e-7) {
    fell_back = true;
    return scaled;
  }
  const auto p = s.rows();
  const Eigen::MatrixXd weight = s.ldlt().solve(Eigen::MatrixXd::Identity(p, p));
  const Eigen::MatrixXd upper = weight.llt().matrixU();
  return scaled * upper.transpose();
}

// Abadie–Imbens' regression of the outcome on (1, covariates) over one arm, each unit weighted by
// how often it is used as a match (RmatchLoop's Alphac / Alphat): the slopes. As Match, a nearly
// singular system gets a ridge of tolerance × the largest column SD.
Eigen::VectorXd bias_slopes(const Eigen::MatrixXd& z, const std::vector<double>& y,
                            const std::vector<double>& usage, bool& ridged) {
  const Eigen::Index n = z.rows(), p = z.cols() + 1;
  Eigen::MatrixXd xw(n, p);
  Eigen::VectorXd yw(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double root = std::sqrt(usage[static_cast<std::size_t>(i)]);
    xw(i, 0) = root;
    xw.row(i).tail(p - 1) = root * z.row(i);
    yw[i] = root * y[static_cast<std::size_t>(i)];
  }
  Eigen::MatrixXd normal = xw.transpose() * xw;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(normal, Eigen::EigenvaluesOnly);
  ridged = eigen.eigenvalues().minCoeff() <= kTolerance;
  if (ridged) {
    double largest_sd = 0;
    for (Eigen::Index k = 0; k < p; ++k) {
      const double mean = xw.col(k).mean();
      largest_sd = std::max(
          largest_sd, std::sqrt((xw.col(k).array() - mean).square().sum() / static_cast<double>(n - 1)));
    }
    normal.diagonal().array() += kTolerance * largest_sd;
  }
  const Eigen::VectorXd coefficients = normal.ldlt().solve(xw.transpose() * yw);
  return coefficients.tail(p - 1);
}

}  // namespace

MatchedSets nearest_neighbour_sets(const Eigen::MatrixXd& points, const std::vector<std::size_t>& focal,
                                   const std::vector<std::size_t>& candidates, std::size_t m,
                                   double tolerance, NeighbourSearch search) {
  const auto dims = static_cast<std::size_t>(points.cols());
  std::vector<double> coords(static_cast<std::size_t>(points.rows()) * dims);
  for (Eigen::Index i = 0; i < points.rows(); ++i)
    for (Eigen::Index k = 0; k < points.cols(); ++k)
      coords[static_cast<std::size_t>(i) * dims + static_cast<std::size_t>(k)] = points(i, k);
  MatchedSets out;
  out.focal = focal;
  std::vector<std::size_t> found;
  if (search == NeighbourSearch::kd_tree) {
    const KdTree tree(coords, dims, candidates);
    for (const std::size_t row : focal) {
      const double* q = coords.data() + row * dims;
      found.clear();
      tree.within(q, tree.kth_distance(q, m) + tolerance, found);
      std::sort(found.begin(), found.end());
      out.rows.insert(out.rows.end(), found.begin(), found.end());
      out.offsets.push_back(out.rows.size());
    }
    return out;
  }
  std::vector<double> distance(candidates.size()), sorted;
  for (const std::size_t row : focal) {
    const double* q = coords.data() + row * dims;
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      double d = 0;
      for (std::size_t k = 0; k < dims; ++k) {
        const double diff = coords[candidates[j] * dims + k] - q[k];
        d += diff * diff;
      }
      distance[j] = d;
    }
    sorted = distance;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(m - 1), sorted.end());
    const double limit = sorted[m - 1] + tolerance;
    found.clear();
    for (std::size_t j = 0; j < candidates.size(); ++j)
      if (distance[j] <= limit) found.push_back(candidates[j]);
    std::sort(found.begin(), found.end());
    out.rows.insert(out.rows.end(), found.begin(), found.end());
    out.offsets.push_back(out.rows.size());
  }
  return out;
}

Estimate covariate_matching(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  const Settings settings = read_settings(args);
  reject_argument(kName, "instruments", !args.instruments.empty(), "matching matches on covariates only");
  reject_argument(kName, "cluster", !args.cluster.empty(),
                  "the Abadie–Imbens SE does not cluster; drop the cluster argument");
  if (args.covariates.empty()) throw InputError("matching: covariates are required to match on");
  require_distinct_roles(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_binary_column(data, kName, "treatment", args.treatment);
  for (const auto& covariate : args.covariates) require_column(data, kName, "covariate", covariate);
  require_complete(data, used_columns(args));
  require_not_constant(data, "treatment", args.treatment, "nothing to compare");
  const std::vector<double>& t = data.column(args.treatment).values;
  const std::vector<double>& y = data.column(args.outcome).values;
  const std::size_t n = t.size();

  // As RmatchLoop does for the ATC: flip the arms, estimate an ATT, flip the sign at the end.
  std::vector<double> tr(n);
  std::size_t n1 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    tr[i] = settings.atc ? 1 - t[i] : t[i];
    n1 += tr[i] == 1 ? 1 : 0;
  }
  const std::size_t n0 = n - n1;
  const std::size_t m = settings.ate ? std::min({settings.m, n1, n0}) : std::min(settings.m, n0);

  const DesignMatrix design = build_design_matrix(data, args.covariates, {.intercept = false});
  const Eigen::MatrixXd& z = design.x;  // Match's Z (= X): the raw covariates of the bias adjustment
  if (settings.bias_adjust) {
    const std::size_t needed = static_cast<std::size_t>(z.cols());
    const std::size_t have = settings.ate ? n : n1;
    if (have < needed)
      throw InputError(fmt::format(
          "matching: option 'bias_adjust' needs at least as many {} ({}) as covariate columns ({})",
          settings.ate   ? "units"
          : settings.atc ? "control units"
                         : "treated units",
          have, needed));
  }
  bool fell_back = false;
  const Eigen::MatrixXd coordinates =
      matching_coordinates(scaled_covariates(z, design.names), settings.mahalanobis, fell_back);

  std::vector<std::size_t> treated, control;
  for (std::size_t i = 0; i < n; ++i) (tr[i] == 1 ? treated : control).push_back(i);
  MatchedSets sets;
  if (!settings.ate) {
    sets = nearest_neighbour_sets(coordinates, treated, control, m, kDistanceTolerance);
  } else {
    // Every unit is focal, in row order: treated ones matched among the controls and vice versa.
    const MatchedSets of_treated =
        nearest_neighbour_sets(coordinates, treated, control, m, kDistanceTolerance);
    const MatchedSets of_control =
        nearest_neighbour_sets(coordinates, control, treated, m, kDistanceTolerance);
    std::size_t a = 0, b = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const MatchedSets& from = tr[i] == 1 ? of_treated : of_control;
      std::size_t& f = tr[i] == 1 ? a : b;
      sets.focal.push_back(i);
      sets.rows.insert(sets.rows.end(), from.rows.begin() + static_cast<std::ptrdiff_t>(from.offsets[f]),
                       from.rows.begin() + static_cast<std::ptrdiff_t>(from.offsets[f + 1]));
      sets.offsets.push_back(sets.rows.size());
      ++f;
    }
  }

  // EstFuncC: how often each unit is used as a match (Kcount, and KKcount with squared weights)
  // and each focal unit's effect against its matches' mean (YCAUS; ZCAUS for the covariates).
  const auto p = z.cols();
  std::vector<double> kcount(n, 0.0), kkcount(n, 0.0), ycaus(n, 0.0);
  Eigen::MatrixXd zcaus = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), p);
  std::size_t with_ties = 0;
  for (std::size_t f = 0; f < sets.focal.size(); ++f) {
    const std::size_t i = sets.focal[f];
    const std::size_t count = sets.offsets[f + 1] - sets.offsets[f];
    if (count > m) ++with_ties;
    const double w = 1.0 / static_cast<double>(count);
    double mean_y = 0;
    Eigen::RowVectorXd mean_z = Eigen::RowVectorXd::Zero(p);
    for (std::size_t r = sets.offsets[f]; r < sets.offsets[f + 1]; ++r) {
      const std::size_t j = sets.rows[r];
      kcount[j] += w;
      kkcount[j] += w * w;
      mean_y += y[j] * w;
      mean_z += z.row(static_cast<Eigen::Index>(j)) * w;
    }
    const double sign = tr[i] == 1 ? 1.0 : -1.0;
    ycaus[i] = sign * (y[i] - mean_y);
    zcaus.row(static_cast<Eigen::Index>(i)) = sign * (z.row(static_cast<Eigen::Index>(i)) - mean_z);
  }

  // The regression slopes of the bias adjustment: controls always, the treated for the ATE.
  Eigen::VectorXd alpha_c = Eigen::VectorXd::Zero(p), alpha_t = Eigen::VectorXd::Zero(p);
  bool ridged = false;
  if (settings.bias_adjust) {
    std::vector<double> usage(n);
    for (std::size_t i = 0; i < n; ++i) usage[i] = (1 - tr[i]) * kcount[i];
    alpha_c = bias_slopes(z, y, usage, ridged);
    if (settings.ate) {
      bool ridged_t = false;
      for (std::size_t i = 0; i < n; ++i) usage[i] = tr[i] * kcount[i];
      alpha_t = bias_slopes(z, y, usage, ridged_t);
      ridged = ridged || ridged_t;
    }
  }

  // Each matched pair's effect (Tau.i), adjusted: a control's outcome moved by the slopes times
  // the covariate gap to the focal unit (Yc + (Z_focal − Z_c)·αc), a treated one's likewise.
  std::vector<double> tau, tau_raw, pair_weight;
  tau.reserve(sets.rows.size());
  for (std::size_t f = 0; f < sets.focal.size(); ++f) {
    const std::size_t i = sets.focal[f];
    const double w = 1.0 / static_cast<double>(sets.offsets[f + 1] - sets.offsets[f]);
    for (std::size_t r = sets.offsets[f]; r < sets.offsets[f + 1]; ++r) {
      const std::size_t j = sets.rows[r];
      const std::size_t treated_row = tr[i] == 1 ? i : j, control_row = tr[i] == 1 ? j : i;
      double yt = y[treated_row], yc = y[control_row];
      tau_raw.push_back(yt - yc);
      if (settings.bias_adjust) {
        const auto focal_z = z.row(static_cast<Eigen::Index>(i));
        yc += (focal_z - z.row(static_cast<Eigen::Index>(control_row))).dot(alpha_c);
        yt += (focal_z - z.row(static_cast<Eigen::Index>(treated_row))).dot(alpha_t);
      }
      tau.push_back(yt - yc);
      pair_weight.push_back(w);
    }
  }
  const double sum_w = std::accumulate(pair_weight.begin(), pair_weight.end(), 0.0);
  const auto weighted_mean = [&](const std::vector<double>& v) {
    double s = 0;
    for (std::size_t r = 0; r < v.size(); ++r) s += pair_weight[r] * v[r];
    return s / sum_w;
  };
  const double est = weighted_mean(tau);
  const double est_raw = weighted_mean(tau_raw);

  // Abadie–Imbens' variance (RmatchLoop, Var.calc = 0, sample = FALSE): a conditional variance
  // σ² = ½ Σ w (τ − est)² / Σ w common to every unit, times (K² − K') for each control (plus 2K for
  // the ATE, where every unit is also focal), plus the spread of the focal units' effects.
  double sigma2 = 0, se_standard_sum = 0;
  for (std::size_t r = 0; r < tau.size(); ++r) {
    sigma2 += pair_weight[r] * (tau[r] - est) * (tau[r] - est);
    se_standard_sum += pair_weight[r] * (tau_raw[r] - est_raw) * (tau_raw[r] - est_raw);
  }
  sigma2 = 0.5 * sigma2 / sum_w;
  const double focal_count = settings.ate ? static_cast<double>(n) : static_cast<double>(n1);
  double var_pop = 0, dvar_pop = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double k = kcount[i], kk = kkcount[i];
    if (settings.ate)
      var_pop += sigma2 * (k * k + 2 * k - kk);
    else
      var_pop += sigma2 * (1 - tr[i]) * (k * k - kk);
    const bool focal = settings.ate || tr[i] == 1;
    if (!focal) continue;
    double effect = ycaus[i];
    if (settings.bias_adjust)
      effect -= zcaus.row(static_cast<Eigen::Index>(i)).dot(tr[i] == 1 ? alpha_c : alpha_t);
    dvar_pop += (effect - est) * (effect - est);
  }
  const double se = std::sqrt((var_pop + dvar_pop) / (focal_count * focal_count));
  const double se_standard = std::sqrt(se_standard_sum / (sum_w * sum_w));
  const double sign = settings.atc ? -1.0 : 1.0;

  // Each unit's weight in the matched sample: 1 as a focal unit plus how often it is a match.
  std::vector<double> unit_weight(kcount);
  for (const std::size_t i : sets.focal) unit_weight[i] += 1;
  double matched_treated = 0, matched_control = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (unit_weight[i] > 0) ++(t[i] == 1 ? matched_treated : matched_control);

  Estimate out = to_estimate(z_test(sign * est, se, args.confidence_level),
                             static_cast<std::size_t>(matched_treated + matched_control));
  out.se_type = "abadie-imbens";
  out.diagnostics["se_standard"] = se_standard;
  if (settings.bias_adjust) out.diagnostics["estimate_unadjusted"] = sign * est_raw;
  out.diagnostics["n_matched_treated"] = matched_treated;
  out.diagnostics["n_matched_control"] = matched_control;
  out.diagnostics["matched_pairs"] = static_cast<double>(sets.rows.size());
  out.diagnostics["wnobs"] = sum_w;
  out.diagnostics["focal_units_with_ties"] = static_cast<double>(with_ties);
  report_balance(out, data, args.covariates, t, unit_weight,
                 settings.ate   ? BalanceEstimand::ate
                 : settings.atc ? BalanceEstimand::atc
                                : BalanceEstimand::att,
                 "matching");
  if (m < settings.m)
    out.notes.push_back(fmt::format("option 'm' {} is more than the {} units available: matched to {} each",
                                    settings.m, settings.ate ? "smaller arm's" : "other arm's", m));
  if (fell_back)
    out.notes.push_back(
        "weight mahalanobis: the covariates are (nearly) collinear, so the inverse-variance metric was used "
        "instead (as Match does)");
  if (ridged)
    out.notes.push_back(
        "bias_adjust: the covariates are (nearly) collinear among the units used as matches; the regression "
        "got Match's small ridge");
  return out;
}

}  // namespace casebook
