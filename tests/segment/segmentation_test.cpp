// The segmentation stage against R on the same data (tests/fixtures/make_segmentation_fixture.R):
// scale(), kmeans(algorithm = "Lloyd") from given centres, cluster::pam and cluster::silhouette;
// then what R has no single call for: k-means++ starts, k chosen by silhouette, cluster-level
// segmentation and profiles, and bad input.
#include <fstream>
#include <numeric>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "segment/kmeans.hpp"
#include "segment/pam.hpp"
#include "segment/segmentation.hpp"
#include "segment/silhouette.hpp"

namespace casebook {
namespace {

using testing::near_relative;

const Dataset& data() {
  static const Dataset d = read_csv(testing::fixture_path("segmentation_data.csv"));
  return d;
}

const nlohmann::json& reference() {
  static const nlohmann::json r = [] {
    std::ifstream in(testing::fixture_path("segmentation_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return r;
}

Eigen::MatrixXd raw_covariates() {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(data().rows()), 3);
  for (Eigen::Index j = 0; j < 3; ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      x(i, j) = data().column("x" + std::to_string(j + 1)).values[static_cast<std::size_t>(i)];
  return x;
}

const Eigen::MatrixXd& z() {
  static const Eigen::MatrixXd scaled = standardise_columns(raw_covariates());
  return scaled;
}

std::vector<std::size_t> labels(const nlohmann::json& values) {
  return values.get<std::vector<std::size_t>>();
}

SegmentationSpec pam_spec() {
  SegmentationSpec spec;
  spec.owner = "test";
  spec.method = SegmentMethod::pam;
  spec.covariates = {"x1", "x2", "x3"};
  return spec;
}

void expect_widths(const std::vector<double>& mine, const nlohmann::json& theirs) {
  ASSERT_EQ(mine.size(), theirs.size());
  for (std::size_t i = 0; i < mine.size(); ++i)
    EXPECT_TRUE(near_relative(mine[i], theirs[i].get<double>(), 1e-9, 1)) << "object " << i;
}

TEST(Segmentation, StandardisesAsRScale) {
  const auto& scaled = reference().at("scaled");
  for (Eigen::Index i = 0; i < z().rows(); ++i)
    for (Eigen::Index j = 0; j < z().cols(); ++j)
      EXPECT_TRUE(near_relative(z()(i, j), scaled[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)],
                                1e-10, 1));
}

TEST(Segmentation, LloydFromGivenCentresAgreesWithRKmeans) {
  for (const auto& fit : reference().at("kmeans")) {
    const auto starts = labels(fit.at("starts"));
    SCOPED_TRACE(fmt::format("k = {}", starts.size()));
    Eigen::MatrixXd centres(static_cast<Eigen::Index>(starts.size()), z().cols());
    for (std::size_t s = 0; s < starts.size(); ++s)
      centres.row(static_cast<Eigen::Index>(s)) = z().row(static_cast<Eigen::Index>(starts[s]));
    const KMeansFit mine = kmeans_lloyd(z(), centres, 50);
    EXPECT_EQ(mine.cluster, labels(fit.at("cluster")));
    EXPECT_EQ(mine.iterations, fit.at("iter").get<std::size_t>());
    EXPECT_TRUE(mine.converged);
    EXPECT_TRUE(near_relative(mine.tot_withinss, fit.at("tot_withinss").get<double>(), 1e-10));
    for (std::size_t c = 0; c < starts.size(); ++c) {
      EXPECT_TRUE(near_relative(mine.withinss[c], fit.at("withinss")[c].get<double>(), 1e-10));
      for (Eigen::Index j = 0; j < z().cols(); ++j)
        EXPECT_TRUE(near_relative(mine.centres(static_cast<Eigen::Index>(c), j),
                                  fit.at("centres")[c][static_cast<std::size_t>(j)].get<double>(), 1e-10, 1));
    }
    expect_widths(silhouette_widths(euclidean_distances(z()), mine.cluster), fit.at("silhouette"));
  }
}

TEST(Segmentation, PamAgreesWithClusterPam) {
  const Eigen::MatrixXd d = euclidean_distances(z());
  for (const auto& fit : reference().at("pam")) {
    const auto k = fit.at("k").get<std::size_t>();
    SCOPED_TRACE(fmt::format("k = {}", k));
    const PamFit mine = pam(d, k);
    EXPECT_EQ(mine.medoids, labels(fit.at("medoids")));
    EXPECT_EQ(mine.clustering, labels(fit.at("clustering")));
    EXPECT_TRUE(near_relative(mine.objective_build, fit.at("objective_build").get<double>(), 1e-10));
    EXPECT_TRUE(near_relative(mine.objective_swap, fit.at("objective_swap").get<double>(), 1e-10));
    expect_widths(silhouette_widths(d, mine.clustering), fit.at("silhouette"));
    EXPECT_TRUE(near_relative(average_silhouette(d, mine.clustering),
                              fit.at("average_silhouette").get<double>(), 1e-10));
  }
}

TEST(Segmentation, KMeansPlusPlusStartsAreSeededAndTheBestStartIsKept) {
  const KMeansFit a = kmeans(z(), 3, 10, 7), b = kmeans(z(), 3, 10, 7);
  EXPECT_EQ(a.cluster, b.cluster);
  EXPECT_EQ(a.tot_withinss, b.tot_withinss);
  // Each start's centres are data rows, and the best of ten starts is no worse than any one of them.
  for (std::uint64_t s = 0; s < 10; ++s) {
    const Eigen::MatrixXd centres = kmeans_plus_plus(z(), 3, derive_seed(7, s));
    for (Eigen::Index c = 0; c < 3; ++c) {
      bool is_row = false;
      for (Eigen::Index i = 0; i < z().rows(); ++i) is_row = is_row || z().row(i) == centres.row(c);
      EXPECT_TRUE(is_row);
    }
    EXPECT_LE(a.tot_withinss, kmeans_lloyd(z(), centres, 100).tot_withinss + 1e-12);
  }
  // Different seeds draw different starts.
  EXPECT_NE(kmeans_plus_plus(z(), 3, derive_seed(7, 0)), kmeans_plus_plus(z(), 3, derive_seed(8, 0)));
}

TEST(Segmentation, ChoosesTheKWithTheLargestAverageSilhouette) {
  SegmentationSpec spec = pam_spec();
  spec.kmax = 5;
  const Segmentation s = segment_units(data(), spec);
  ASSERT_EQ(s.silhouettes.size(), 4u);
  std::size_t best = 0;
  for (std::size_t i = 0; i < s.silhouettes.size(); ++i) {
    const auto& fit = reference().at("pam")[i];
    EXPECT_EQ(s.silhouettes[i].k, fit.at("k").get<std::size_t>());
    EXPECT_TRUE(near_relative(s.silhouettes[i].average, fit.at("average_silhouette").get<double>(), 1e-10));
    if (s.silhouettes[i].average > s.silhouettes[best].average) best = i;
  }
  EXPECT_EQ(s.k, s.silhouettes[best].k);
  EXPECT_EQ(s.row_segment, labels(reference().at("pam")[best].at("clustering")));
  // Profiles: the covariate means of each segment, in the covariates' own units.
  for (std::size_t seg = 0; seg < s.k; ++seg) {
    double sum = 0, count = 0;
    for (std::size_t i = 0; i < data().rows(); ++i)
      if (s.row_segment[i] == seg) {
        sum += data().column("x3").values[i];
        count += 1;
      }
    EXPECT_NEAR(s.profile(static_cast<Eigen::Index>(seg), 2), sum / count, 1e-9);
    EXPECT_EQ(s.units_per_segment[seg], static_cast<std::size_t>(count));
  }
}

// Every row repeated in a cluster of its own (with a second row per cluster holding the same
// means): segmenting the clusters gives each row its original unit's segment.
TEST(Segmentation, ClusterLevelSegmentsTheClusterMeansAndMapsRowsBack) {
  Dataset grouped("grouped");
  std::vector<double> x1, x2, x3, school;
  for (std::size_t i = 0; i < data().rows(); ++i)
    for (const double shift : {-1.0, 1.0}) {
      x1.push_back(data().column("x1").values[i] + shift);
      x2.push_back(data().column("x2").values[i] - shift);
      x3.push_back(data().column("x3").values[i]);
      school.push_back(static_cast<double>(1000 - i));  // cluster ids in decreasing order of the rows
    }
  grouped.add_column({"x1", x1, {}});
  grouped.add_column({"x2", x2, {}});
  grouped.add_column({"x3", x3, {}});
  grouped.add_column({"school", school, {}});
  SegmentationSpec spec = pam_spec();
  spec.k = 3;
  const Segmentation unit = segment_units(data(), spec);
  spec.level = "school";
  const Segmentation clustered = segment_units(grouped, spec);
  EXPECT_EQ(clustered.units, data().rows());
  ASSERT_EQ(clustered.row_segment.size(), 2 * data().rows());
  // Same partition (labels may be numbered differently: clusters are ordered by id, not by row).
  for (std::size_t i = 0; i < data().rows(); ++i)
    for (std::size_t j = 0; j < data().rows(); ++j)
      EXPECT_EQ(unit.row_segment[i] == unit.row_segment[j],
                clustered.row_segment[2 * i] == clustered.row_segment[2 * j + 1]);
  EXPECT_NEAR(clustered.silhouettes.at(0).average, unit.silhouettes.at(0).average, 1e-12);
}

TEST(Segmentation, BadInputNamesTheOption) {
  SegmentationSpec spec;
  spec.owner = "segment-effects";
  spec.covariates = {"x1", "x2"};
  spec.k = 91;
  try {
    segment_units(data(), spec);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("option k = 91 is more than the 90 rows"), std::string::npos)
        << e.what();
  }
  spec.k = 3;
  spec.level = "school";
  EXPECT_THROW(segment_units(data(), spec), InputError);
  spec.level = "";
  spec.covariates = {"x1", "nope"};
  EXPECT_THROW(segment_units(data(), spec), InputError);
}

}  // namespace
}  // namespace casebook
