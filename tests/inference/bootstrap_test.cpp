// The bootstrap against analytic references: R's sandwich / estimatr standard errors of the
// fixture regression (tests/fixtures/make_estimator_fixtures.R) and the standard error of a mean.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "inference/bootstrap.hpp"
#include "inference/design_matrix.hpp"
#include "inference/least_squares.hpp"

namespace casebook {
namespace {

using testing::estimator_fixture_data;
using testing::estimator_reference;

// The treatment coefficient of y ~ t + x1 + x2 + region, the fixture regression.
double ols_estimate(const Dataset& data) {
  const DesignMatrix design = build_design_matrix(data, {"t", "x1", "x2", "region"});
  const LeastSquaresFit fit = fit_least_squares(design.x, numeric_column(data, "y", "outcome"), design.names);
  return fit.coefficients(fit.index_of("t"));
}

double mean_of(const Dataset& data, const std::string& column) {
  require_complete(data, {column});
  const auto& y = data.column(column).values;
  double sum = 0;
  for (double v : y) sum += v;
  return sum / static_cast<double>(y.size());
}

double mean_y(const Dataset& data) { return mean_of(data, "y"); }

// Monte Carlo error of a bootstrap SE from R replicates is about SE / sqrt(2R): 1.6% at R = 2000.
// The tolerances below are about three of those plus the O(1/n) or O(1/G) gap between the
// bootstrap and the analytic variance.
constexpr std::size_t kReps = 2000;

TEST(Bootstrap, PairsSeOfOlsCoefficientAgreesWithHc0FromR) {
  BootstrapOptions options;
  options.reps = kReps;
  options.seed = 20240601;
  const BootstrapResult b = bootstrap(ols_estimate, estimator_fixture_data(), options);
  const double r_hc0 = estimator_reference()["ols_hc0"]["se"].get<double>();
  EXPECT_NEAR(b.estimate, estimator_reference()["ols_hc0"]["estimate"].get<double>(), 1e-9);
  EXPECT_NEAR(b.se / r_hc0, 1.0, 0.05) << "bootstrap SE " << b.se << " vs HC0 " << r_hc0;
  EXPECT_EQ(b.kind, "pairs");
  EXPECT_EQ(b.replicates.size(), kReps);
  EXPECT_EQ(b.failed, 0u);
}

TEST(Bootstrap, ClusterSeOfOlsCoefficientAgreesWithCr1FromEstimatr) {
  BootstrapOptions options;
  options.reps = kReps;
  options.seed = 7;
  options.cluster = "g";
  const BootstrapResult b = bootstrap(ols_estimate, estimator_fixture_data(), options);
  const auto& reference = estimator_reference()["ols_cr1"];
  EXPECT_EQ(b.kind, "cluster");
  EXPECT_EQ(b.clusters, reference["clusters"].get<std::size_t>());
  EXPECT_NEAR(b.se / reference["se"].get<double>(), 1.0, 0.08) << "cluster bootstrap SE " << b.se;
  // Clustering matters in this fixture: the cluster bootstrap is visibly wider than the pairs one.
  BootstrapOptions pairs = options;
  pairs.cluster.clear();
  EXPECT_GT(b.se, 1.1 * bootstrap(ols_estimate, estimator_fixture_data(), pairs).se);
}

TEST(Bootstrap, SeOfMeanAgreesWithAnalyticStandardError) {
  const Dataset& data = estimator_fixture_data();
  const auto& y = data.column("y").values;
  const auto n = static_cast<double>(y.size());
  double mean = 0, squares = 0;
  for (double v : y) mean += v / n;
  for (double v : y) squares += (v - mean) * (v - mean);
  const double analytic = std::sqrt(squares / n) / std::sqrt(n);  // the bootstrap's plug-in SE
  BootstrapOptions options;
  options.reps = kReps;
  options.seed = 3;
  const BootstrapResult b = bootstrap(mean_y, data, options);
  EXPECT_NEAR(b.se / analytic, 1.0, 0.05) << b.se << " vs " << analytic;
}

TEST(Bootstrap, IdenticalForAnyThreadCount) {
  BootstrapOptions options;
  options.reps = 101;  // not a multiple of the thread counts
  options.seed = 11;
  options.threads = 1;
  const BootstrapResult one = bootstrap(ols_estimate, estimator_fixture_data(), options);
  for (unsigned threads : {2u, 3u, 8u}) {
    options.threads = threads;
    const BootstrapResult many = bootstrap(ols_estimate, estimator_fixture_data(), options);
    EXPECT_EQ(many.replicates, one.replicates) << threads << " threads";
    EXPECT_EQ(many.se, one.se);
    EXPECT_EQ(many.percentile_low, one.percentile_low);
    EXPECT_EQ(many.percentile_high, one.percentile_high);
  }
  options.seed = 12;
  EXPECT_NE(bootstrap(ols_estimate, estimator_fixture_data(), options).replicates, one.replicates);
}

TEST(Bootstrap, IntervalsAreOrderedAndNormalIntervalIsSymmetric) {
  BootstrapOptions options;
  options.reps = 500;
  options.seed = 5;
  options.confidence_level = 0.9;
  const BootstrapResult b = bootstrap(ols_estimate, estimator_fixture_data(), options);
  EXPECT_LT(b.percentile_low, b.estimate);
  EXPECT_GT(b.percentile_high, b.estimate);
  EXPECT_NEAR(b.estimate - b.normal_low, b.normal_high - b.estimate, 1e-12);
  EXPECT_NEAR(b.normal_high - b.normal_low, 2 * 1.6448536269514722 * b.se, 1e-9);
  // A 95% interval contains the 90% one.
  options.confidence_level = 0.95;
  const BootstrapResult wider = bootstrap(ols_estimate, estimator_fixture_data(), options);
  EXPECT_EQ(wider.replicates, b.replicates);
  EXPECT_LT(wider.percentile_low, b.percentile_low);
  EXPECT_GT(wider.percentile_high, b.percentile_high);
}

TEST(Bootstrap, QuantileIsRType7) {
  // R: quantile(1:10, c(0.025, 0.5, 0.975)) = 1.225 5.5 9.775
  const std::vector<double> values{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(sorted_quantile(values, 0.025), 1.225);
  EXPECT_DOUBLE_EQ(sorted_quantile(values, 0.5), 5.5);
  EXPECT_DOUBLE_EQ(sorted_quantile(values, 0.975), 9.775);
  EXPECT_DOUBLE_EQ(sorted_quantile(values, 1.0), 10);
}

TEST(Bootstrap, BadInputIsAnInputErrorBeforeAnyReplicate) {
  Dataset data("data.csv");
  data.add_column({"y", {1, 2, std::numeric_limits<double>::quiet_NaN(), 4}, {}});
  data.add_column({"t", {0, 1, 0, 1}, {}});
  data.add_column({"one", {5, 5, 5, 5}, {}});
  std::atomic<int> calls{0};
  auto counting = [&](const Dataset& d) {
    ++calls;
    return mean_of(d, "t");
  };
  BootstrapOptions options;
  options.reps = 10;
  options.columns = {"y", "t"};
  EXPECT_THROW(
      try { bootstrap(counting, data, options); } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("column 'y' has 1 missing value"), std::string::npos)
            << e.what();
        throw;
      },
      InputError);
  EXPECT_EQ(calls, 0);

  options.columns = {"t"};  // y is not read: its missing value does not matter
  options.cluster = "one";
  EXPECT_THROW(
      try { bootstrap(counting, data, options); } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("cluster column 'one' has 1 distinct value"), std::string::npos)
            << e.what();
        throw;
      },
      InputError);
  options.cluster.clear();
  options.reps = 0;
  EXPECT_THROW(bootstrap(counting, data, options), InputError);
  EXPECT_EQ(calls, 0);
  // With the options right, the estimate on the data comes before any replicate.
  options.reps = 10;
  std::atomic<int> estimates{0};
  bootstrap(counting, data, options, [&] {
    EXPECT_EQ(calls, 0);
    ++estimates;
    return 0.5;
  });
  EXPECT_EQ(estimates, 1);
  EXPECT_EQ(calls, 10);
}

TEST(Bootstrap, ReplicatesTheEstimatorRejectsAreCountedNotFatal) {
  // With 3 treated rows in 40, some resamples draw no treated row: the mean of t is still fine,
  // but an estimator that needs both groups rejects them.
  Dataset data("data.csv");
  std::vector<double> t(40, 0.0), y(40);
  t[0] = t[1] = t[2] = 1;
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<double>(i % 7);
  data.add_column({"y", y, {}});
  data.add_column({"t", t, {}});
  auto needs_treated = [](const Dataset& d) {
    double treated = 0;
    for (double v : d.column("t").values) treated += v;
    if (treated == 0) throw InputError("no treated row");
    return treated;
  };
  BootstrapOptions options;
  options.reps = 400;
  options.seed = 2;
  const BootstrapResult b = bootstrap(needs_treated, data, options);
  // P(no treated row) = (37/40)^40 ≈ 4.4%: about 18 of 400.
  EXPECT_GT(b.failed, 5u);
  EXPECT_LT(b.failed, 40u);
  EXPECT_EQ(b.replicates.size() + b.failed, 400u);
}

}  // namespace
}  // namespace casebook
