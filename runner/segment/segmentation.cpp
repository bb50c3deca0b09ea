#include "segment/segmentation.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "inference/design_matrix.hpp"
#include "segment/kmeans.hpp"
#include "segment/pam.hpp"
#include "segment/silhouette.hpp"

namespace casebook {
namespace {

// The units to segment: rows, or the clusters of the level column with their covariate means.
struct Units {
  Eigen::MatrixXd covariates;            // units × columns
  std::vector<std::size_t> row_to_unit;  // one per data row
  std::string noun;                      // "rows" or "clusters of 'schoolid'"
};

Units units_of(const Dataset& data, const SegmentationSpec& spec, const DesignMatrix& design) {
  const std::size_t n = data.rows();
  Units units;
  units.row_to_unit.resize(n);
  if (spec.level.empty()) {
    units.covariates = design.x;
    for (std::size_t i = 0; i < n; ++i) units.row_to_unit[i] = i;
    units.noun = "rows";
    return units;
  }
  if (!data.has(spec.level))
    throw InputError(
        data.source(),
        fmt::format("{}: option level names column '{}', which is not in the data", spec.owner, spec.level));
  require_complete(data, {spec.level});
  std::map<double, std::size_t> index;  // cluster value → unit, in increasing order of the value
  for (const double v : data.column(spec.level).values) index.emplace(v, 0);
  std::size_t next = 0;
  for (auto& [value, unit] : index) unit = next++;
  units.covariates = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(index.size()), design.x.cols());
  Eigen::VectorXd counts = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(index.size()));
  const std::vector<double>& level = data.column(spec.level).values;
  for (std::size_t i = 0; i < n; ++i) {
    const auto u = static_cast<Eigen::Index>(index.at(level[i]));
    units.row_to_unit[i] = static_cast<std::size_t>(u);
    units.covariates.row(u) += design.x.row(static_cast<Eigen::Index>(i));
    counts(u) += 1;
  }
  units.covariates.array().colwise() /= counts.array();
  units.noun = fmt::format("clusters of '{}'", spec.level);
  return units;
}

std::vector<std::size_t> cluster_at(const Eigen::MatrixXd& z, const Eigen::MatrixXd* distances,
                                    const SegmentationSpec& spec, std::size_t k) {
  if (spec.method == SegmentMethod::pam) return pam(*distances, k).clustering;
  return kmeans(z, k, spec.starts, spec.seed).cluster;
}

}  // namespace

Eigen::MatrixXd standardise_columns(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd z = x.rowwise() - x.colwise().mean();
  const auto n = static_cast<double>(x.rows());
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    const double sd = n > 1 ? std::sqrt(z.col(j).squaredNorm() / (n - 1)) : 0.0;
    if (sd > 0) z.col(j) /= sd;
  }
  return z;
}

Segmentation segment_units(const Dataset& data, const SegmentationSpec& spec) {
  if (spec.covariates.empty())
    throw InputError(data.source(),
                     fmt::format("{}: no covariates to segment by (option segment_covariates or "
                                 "the covariates)",
                                 spec.owner));
  const DesignMatrix design = build_design_matrix(data, spec.covariates, {.intercept = false});
  const Units units = units_of(data, spec, design);
  const auto count = static_cast<std::size_t>(units.covariates.rows());
  if (spec.k > count)
    throw InputError(data.source(), fmt::format("{}: option k = {} is more than the {} {} to segment",
                                                spec.owner, spec.k, count, units.noun));
  if (spec.k == 0 && count < 3)
    throw InputError(data.source(),
                     fmt::format("{}: choosing k by silhouette needs at least 3 {}, got {}; give "
                                 "option k",
                                 spec.owner, units.noun, count));
  const bool need_distances = spec.method == SegmentMethod::pam || spec.k == 0;
  if (need_distances && count > kMaxDistanceUnits)
    throw InputError(
        data.source(),
        fmt::format("{}: {} {} are too many for pairwise distances (PAM, silhouette; at most {}): "
                    "segment at a cluster level (option level) or use segments=kmeans with option k",
                    spec.owner, count, units.noun, kMaxDistanceUnits));

  const Eigen::MatrixXd z = standardise_columns(units.covariates);
  Eigen::MatrixXd distances;
  // The silhouette of a given k is reported when the distances fit in memory.
  const bool silhouette = need_distances || count <= kMaxDistanceUnits;
  if (silhouette) distances = euclidean_distances(z);

  Segmentation out;
  out.units = count;
  std::vector<std::size_t> unit_segment;
  if (spec.k > 0) {
    out.k = spec.k;
    unit_segment = cluster_at(z, &distances, spec, spec.k);
    if (spec.k >= 2 && silhouette)
      out.silhouettes.push_back({spec.k, average_silhouette(distances, unit_segment)});
  } else {
    const std::size_t kmax = std::min(spec.kmax, count - 1);
    double best = 0;
    for (std::size_t k = 2; k <= kmax; ++k) {
      std::vector<std::size_t> clustering = cluster_at(z, &distances, spec, k);
      const double average = average_silhouette(distances, clustering);
      out.silhouettes.push_back({k, average});
      if (out.k == 0 || average > best) {  // the smallest k among equally good ones
        best = average;
        out.k = k;
        unit_segment = std::move(clustering);
      }
    }
  }

  out.row_segment.resize(data.rows());
  for (std::size_t i = 0; i < data.rows(); ++i) out.row_segment[i] = unit_segment[units.row_to_unit[i]];
  out.units_per_segment.assign(out.k, 0);
  out.profile_columns = design.names;
  out.profile = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(out.k), units.covariates.cols());
  for (std::size_t u = 0; u < count; ++u) {
    out.units_per_segment[unit_segment[u]] += 1;
    out.profile.row(static_cast<Eigen::Index>(unit_segment[u])) +=
        units.covariates.row(static_cast<Eigen::Index>(u));
  }
  for (std::size_t s = 0; s < out.k; ++s)
    if (out.units_per_segment[s] > 0)
      out.profile.row(static_cast<Eigen::Index>(s)) /= static_cast<double>(out.units_per_segment[s]);
  return out;
}

}  // namespace casebook
