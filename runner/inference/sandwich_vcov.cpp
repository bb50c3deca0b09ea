#include "inference/sandwich_vcov.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "inference/row_chunks.hpp"

namespace casebook {

namespace {

// Rows per block of the meat computation: the block's weighted copy of X stays in cache, so X is
// streamed from memory once and no n × k temporary is allocated.
constexpr Eigen::Index kBlockRows = 2048;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void check_shapes(const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::VectorXd>& e,
                  const Eigen::Ref<const Eigen::MatrixXd>& bread) {
  if (e.size() != x.rows() || bread.rows() != x.cols() || bread.cols() != x.cols())
    throw std::logic_error("sandwich_vcov: regressors, residuals and bread do not conform");
}

}  // namespace

Eigen::MatrixXd sandwich(const Eigen::Ref<const Eigen::MatrixXd>& bread, const Eigen::MatrixXd& meat) {
  Eigen::MatrixXd v = bread * meat * bread;
  return (v + v.transpose()) / 2;
}

double meat_factor(VarianceType type, double n, double k, double clusters) {
  if (type == VarianceType::hc1) return n / (n - k);
  if (type == VarianceType::cr1) return clusters / (clusters - 1.0) * (n - 1.0) / (n - k);
  return 1.0;
}

void divide_by_leverage(VarianceType type, const Eigen::ArrayXd& leverage,
                        Eigen::Ref<Eigen::VectorXd> residuals) {
  if (type == VarianceType::hc2)
    residuals.array() /= (1.0 - leverage).sqrt();
  else if (type == VarianceType::hc3)
    residuals.array() /= 1.0 - leverage;
}

VarianceType parse_variance_type(std::string_view text) {
  const std::string name = lower(text);
  if (name == "iid" || name == "classical") return VarianceType::iid;
  if (name == "hc0") return VarianceType::hc0;
  if (name == "hc1" || name == "robust") return VarianceType::hc1;
  if (name == "hc2") return VarianceType::hc2;
  if (name == "hc3") return VarianceType::hc3;
  if (name == "cr1" || name == "stata") return VarianceType::cr1;
  throw InputError(fmt::format("unknown se_type '{}' (known: iid, hc0, hc1, hc2, hc3, cr1)", text));
}

std::string_view to_string(VarianceType type) {
  switch (type) {
    case VarianceType::iid:
      return "iid";
    case VarianceType::hc0:
      return "hc0";
    case VarianceType::hc1:
      return "hc1";
    case VarianceType::hc2:
      return "hc2";
    case VarianceType::hc3:
      return "hc3";
    case VarianceType::cr1:
      return "cr1";
  }
  return "?";
}

VarianceType variance_type_for(std::string_view se_type, const std::string& cluster) {
  const VarianceType type = parse_variance_type(se_type.empty() ? "hc1" : se_type);
  if (!cluster.empty()) {
    if (type != VarianceType::hc1 && type != VarianceType::cr1)
      throw InputError(
          fmt::format("se_type '{}' cannot be combined with cluster '{}': clustered standard "
                      "errors are CR1 (use se_type cr1 or leave it unset)",
                      se_type, cluster));
    return VarianceType::cr1;
  }
  if (type == VarianceType::cr1)
    throw InputError(fmt::format("se_type '{}' needs a cluster column (set cluster)", se_type));
  return type;
}

VarianceSpec make_variance_spec(const Dataset& data, std::string_view se_type, const std::string& cluster) {
  VarianceSpec spec;
  spec.type = variance_type_for(se_type, cluster);
  if (!cluster.empty()) spec.clusters = make_cluster_index(data, cluster);
  return spec;
}

Eigen::MatrixXd heteroskedasticity_robust_vcov(const Eigen::Ref<const Eigen::MatrixXd>& score_regressors,
                                               const Eigen::Ref<const Eigen::VectorXd>& residuals,
                                               const Eigen::Ref<const Eigen::MatrixXd>& bread,
                                               VarianceType type) {
  check_shapes(score_regressors, residuals, bread);
  const Eigen::Index n = score_regressors.rows();
  const Eigen::Index k = score_regressors.cols();
  const double residual_df = static_cast<double>(n - k);
  if (type == VarianceType::iid) {
    const double sigma2 = residuals.squaredNorm() / residual_df;
    return sigma2 * bread;
  }
  if (type == VarianceType::cr1) throw std::logic_error("heteroskedasticity_robust_vcov: cr1 needs clusters");

  const bool needs_leverage = type == VarianceType::hc2 || type == VarianceType::hc3;
  // One partial meat per fixed block, summed in block order: the same bits on any thread count.
  // A block reads its rows of X once; the weighted copy stays in cache for the rank update.
  const Eigen::Index blocks = (n + kBlockRows - 1) / kBlockRows;
  std::vector<Eigen::MatrixXd> partial(static_cast<std::size_t>(blocks));
  std::vector<Eigen::Index> leverage_one(static_cast<std::size_t>(blocks), -1);  // first such row
  for_each_row_chunk(n, kBlockRows, [&](Eigen::Index block, Eigen::Index start, Eigen::Index len) {
    const auto x_block = score_regressors.middleRows(start, len);
    // Buffers per thread, reused across blocks: no allocation (and page faults) per block.
    thread_local Eigen::VectorXd s;
    thread_local Eigen::MatrixXd w;
    s = residuals.segment(start, len);
    if (needs_leverage) {
      // h_i = x_i' B x_i, the diagonal of the hat matrix, one block at a time.
      const Eigen::ArrayXd leverage = ((x_block * bread).array() * x_block.array()).rowwise().sum();
      for (Eigen::Index i = 0; i < len; ++i)
        if (leverage(i) >= 1.0 - 1e-12) {
          leverage_one[static_cast<std::size_t>(block)] = start + i;
          return;  // reported after the pass (no exception may leave a worker thread)
        }
      // sqrt of the weight, since the block is squared in the rank update below.
      divide_by_leverage(type, leverage, s);
    }
    w = x_block.array().colwise() * s.array();
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(k, k);
    m.selfadjointView<Eigen::Lower>().rankUpdate(w.transpose());
    partial[static_cast<std::size_t>(block)] = std::move(m);
  });
  for (Eigen::Index row : leverage_one)
    if (row >= 0)
      throw InputError(
          fmt::format("{} standard errors are undefined: row {} has leverage 1 (it alone "
                      "determines a coefficient, e.g. a category with one row)",
                      to_string(type), row + 1));
  Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(k, k);
  for (const auto& m : partial) meat += m;
  meat = meat.selfadjointView<Eigen::Lower>();
  meat *= meat_factor(type, static_cast<double>(n), static_cast<double>(k));
  return sandwich(bread, meat);
}

Eigen::MatrixXd cluster_robust_vcov(const Eigen::Ref<const Eigen::MatrixXd>& score_regressors,
                                    const Eigen::Ref<const Eigen::VectorXd>& residuals,
                                    const Eigen::Ref<const Eigen::MatrixXd>& bread,
                                    const ClusterIndex& clusters) {
  check_shapes(score_regressors, residuals, bread);
  const Eigen::Index n = score_regressors.rows();
  const Eigen::Index k = score_regressors.cols();
  if (static_cast<Eigen::Index>(clusters.code.size()) != n)
    throw std::logic_error("cluster_robust_vcov: one cluster code per row expected");
  if (clusters.count < 2)
    throw InputError(fmt::format("cluster column '{}' has fewer than 2 clusters", clusters.column));
  // Score sums per cluster, column by column so X is read in storage order.
  Eigen::MatrixXd cluster_scores = Eigen::MatrixXd::Zero(clusters.count, k);
  for (Eigen::Index j = 0; j < k; ++j) {
    auto sums = cluster_scores.col(j);
    const auto x = score_regressors.col(j);
    for (Eigen::Index i = 0; i < n; ++i) sums(clusters.code[i]) += x(i) * residuals(i);
  }
  Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(k, k);
  meat.selfadjointView<Eigen::Lower>().rankUpdate(cluster_scores.transpose());
  meat = meat.selfadjointView<Eigen::Lower>();
  const auto g = static_cast<double>(clusters.count);
  const auto rows = static_cast<double>(n);
  meat *= meat_factor(VarianceType::cr1, rows, static_cast<double>(k), g);
  return sandwich(bread, meat);
}

VarianceEstimate sandwich_vcov(const Eigen::Ref<const Eigen::MatrixXd>& score_regressors,
                               const Eigen::Ref<const Eigen::VectorXd>& residuals,
                               const Eigen::Ref<const Eigen::MatrixXd>& bread, const VarianceSpec& spec) {
  VarianceEstimate out;
  out.type = spec.type;
  if (spec.type == VarianceType::cr1) {
    if (!spec.clusters) throw std::logic_error("sandwich_vcov: cr1 without a cluster index");
    out.vcov = cluster_robust_vcov(score_regressors, residuals, bread, *spec.clusters);
    out.clusters = spec.clusters->count;
    out.df = static_cast<double>(spec.clusters->count - 1);
  } else {
    out.vcov = heteroskedasticity_robust_vcov(score_regressors, residuals, bread, spec.type);
    out.df = static_cast<double>(score_regressors.rows() - score_regressors.cols());
  }
  return out;
}

}  // namespace casebook
