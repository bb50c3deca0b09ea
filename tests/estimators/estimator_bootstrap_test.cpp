// Bootstrapping an estimator: the estimate on the data runs with the analysis's own arguments,
// the replicates read only the columns the analysis uses and run without its cluster argument.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <mutex>
#include <set>

#include "estimators/estimator_bootstrap.hpp"

namespace casebook {
namespace {

TEST(EstimatorBootstrap, ReplicatesReadOnlyUsedColumnsWithoutTheCluster) {
  Dataset data("data.csv");
  data.add_column({"y", {1, 4, 2, 8, 5, 7, 3, 6}, {}});
  data.add_column({"t", {0, 1, 0, 1, 0, 1, 0, 1}, {}});
  data.add_column({"unused", {1, std::numeric_limits<double>::quiet_NaN(), 3, 4, 5, 6, 7, 8}, {}});
  data.add_column({"g", {1, 1, 2, 2, 3, 3, 4, 4}, {}});
  data.add_column({"unit", {1, 2, 3, 4, 5, 6, 7, 8}, {}});
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.cluster = "g";
  args.se_type = "cr1";
  args.options = {{"unit", "unit"}, {"reference", "-1"}};

  std::mutex mutex;
  std::set<std::size_t> replicate_widths;
  std::set<std::string> replicate_clusters, replicate_se_types;
  int originals = 0;
  auto estimator = [&](const Dataset& d, const EstimatorArgs& a) {
    const std::lock_guard lock(mutex);
    if (d.cols() == data.cols()) {
      ++originals;
      EXPECT_EQ(a.cluster, "g");
      EXPECT_EQ(a.se_type, "cr1");
    } else {
      replicate_widths.insert(d.cols());
      replicate_clusters.insert(a.cluster);
      replicate_se_types.insert(a.se_type);
      EXPECT_EQ(d.names(), (std::vector<std::string>{"y", "t", "unit"}));
    }
    Estimate e;
    e.estimate = d.column("y").values[0];
    return e;
  };
  BootstrapOptions options;
  options.reps = 20;
  options.threads = 2;
  const BootstrapResult b = bootstrap(estimator, data, args, options);
  EXPECT_EQ(originals, 1);
  EXPECT_EQ(b.estimate, 1);
  EXPECT_EQ(b.replicates.size(), 20u);
  EXPECT_EQ(replicate_widths, std::set<std::size_t>{3});
  EXPECT_EQ(replicate_clusters, std::set<std::string>{""});
  EXPECT_EQ(replicate_se_types, std::set<std::string>{"hc1"});
}

}  // namespace
}  // namespace casebook
