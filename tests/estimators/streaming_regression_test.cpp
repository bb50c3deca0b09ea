// `estimate ols|2sls --streaming` gives the in-memory estimators' numbers to 1e-10 relative for
// every variance type, whether it keeps the parsed columns or reads the file twice, cut into many
// blocks or few; its sums are the same bits on any thread count; and it refuses what it cannot
// do with the file, line and column.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "data/csv.hpp"
#include "estimators/estimator.hpp"
#include "estimators/streaming_regression.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

// A confounded binary treatment moved by two instruments, a covariate w2 whose mean is `w2_mean`
// with spread 10 (the shift that keeps the streamed sums precise has work to do), heteroskedastic
// errors and 37 clusters.
Dataset simulated(std::size_t n, double w2_mean = 50) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  std::bernoulli_distribution coin(0.5);
  Column y{"y", {}, {}}, d{"d", {}, {}}, z{"z", {}, {}}, z2{"z2", {}, {}}, w1{"w1", {}, {}}, w2{"w2", {}, {}},
      g{"g", {}, {}}, post{"post", {}, {}}, zp{"zp", {}, {}};
  for (std::size_t i = 0; i < n; ++i) {
    const double u = normal(rng), zi = coin(rng) ? 1.0 : 0.0, z2i = normal(rng), w1i = normal(rng);
    const double w2i = w2_mean + 10 * normal(rng);
    const double di = 0.9 * zi + 0.4 * z2i + 0.3 * w1i + u + normal(rng) > 0.5 ? 1.0 : 0.0;
    const double gi = static_cast<double>((i * 7919) % 37);
    y.values.push_back(1 + 2 * di + 0.5 * w1i - 0.01 * (w2i - w2_mean) + u + (1 + di) * normal(rng) +
                       0.1 * gi);
    d.values.push_back(di);
    z.values.push_back(zi);
    z2.values.push_back(z2i);
    w1.values.push_back(w1i);
    w2.values.push_back(w2i);
    g.values.push_back(gi);
    post.values.push_back(static_cast<double>(i % 2));  // did: group z, post, treated z × post
    zp.values.push_back(zi * static_cast<double>(i % 2));
  }
  Dataset data("simulated");
  for (Column* c : {&y, &d, &z, &z2, &w1, &w2, &g, &post, &zp}) data.add_column(std::move(*c));
  return data;
}

class StreamingRegression : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = std::filesystem::temp_directory_path() /
            ("streaming_regression_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             ".csv");
    write_csv(simulated(3000), path_);
    data_ = new Dataset(read_csv(path_));  // what the in-memory path reads from the same file
  }
  static void TearDownTestSuite() {
    std::filesystem::remove(path_);
    delete data_;
  }
  static EstimatorArgs did_args() {
    EstimatorArgs a;
    a.outcome = "y";
    a.treatment = "zp";
    a.options = {{"group", "z"}, {"post", "post"}};
    return a;
  }
  static EstimatorArgs args(bool iv) {
    EstimatorArgs a;
    a.outcome = "y";
    a.treatment = "d";
    a.covariates = {"w1", "w2"};
    if (iv) a.instruments = {"z", "z2"};
    return a;
  }
  static std::filesystem::path path_;
  static const Dataset* data_;
};
std::filesystem::path StreamingRegression::path_;
const Dataset* StreamingRegression::data_ = nullptr;

::testing::AssertionResult near(double streamed, double in_memory, double tolerance = 1e-10) {
  const double scale = std::max(std::abs(in_memory), 1e-300);
  if (std::abs(streamed - in_memory) <= tolerance * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << streamed << " vs " << in_memory << " (relative " << std::abs(streamed - in_memory) / scale << ")";
}

TEST_F(StreamingRegression, MatchesTheInMemoryEstimatorsForEveryVarianceType) {
  for (const std::string estimator : {"ols", "2sls", "did"}) {
    for (const std::string se_type : {"iid", "hc0", "hc1", "hc2", "hc3", "cr1"}) {
      EstimatorArgs a = estimator == "did" ? did_args() : args(estimator == "2sls");
      a.se_type = se_type;
      if (se_type == "cr1") a.cluster = "g";
      const Estimate expected = find_estimator(estimator).run(*data_, a);
      // Kept columns and a second read; 4 KB blocks make about 60 of them.
      for (const double keep_bytes : {1e12, 0.0}) {
        SCOPED_TRACE(estimator + " " + se_type + (keep_bytes > 0 ? " kept" : " read twice"));
        StreamingOptions options;
        options.block_bytes = 4096;
        options.keep_bytes = keep_bytes;
        const Estimate e = streaming_least_squares(path_, estimator, a, options);
        EXPECT_EQ(e.n, expected.n);
        EXPECT_EQ(e.se_type, expected.se_type);
        EXPECT_TRUE(near(e.estimate, expected.estimate));
        EXPECT_TRUE(near(e.se, expected.se));
        EXPECT_TRUE(near(e.ci_low, expected.ci_low));
        EXPECT_TRUE(near(e.ci_high, expected.ci_high));
        EXPECT_TRUE(near(e.p_value, expected.p_value, 1e-8));
        ASSERT_EQ(e.terms.size(), expected.terms.size());
        for (std::size_t t = 0; t < e.terms.size(); ++t) {
          SCOPED_TRACE(expected.terms[t].term);
          EXPECT_EQ(e.terms[t].term, expected.terms[t].term);
          EXPECT_TRUE(near(e.terms[t].estimate, expected.terms[t].estimate));
          EXPECT_TRUE(near(e.terms[t].std_error, expected.terms[t].std_error));
          EXPECT_TRUE(near(e.terms[t].conf_low, expected.terms[t].conf_low));
          EXPECT_TRUE(near(e.terms[t].conf_high, expected.terms[t].conf_high));
        }
        // Every diagnostic the streamed fit reports, the in-memory one reports the same.
        for (const auto& [key, value] : e.diagnostics) {
          SCOPED_TRACE(key);
          ASSERT_TRUE(expected.diagnostics.contains(key));
          EXPECT_TRUE(near(value, expected.diagnostics.at(key), key == "first_stage_F_p" ? 1e-8 : 1e-10));
        }
        const std::vector<std::string> keys =
            estimator == "ols"    ? std::vector<std::string>{"params", "r2", "residual_se"}
            : estimator == "2sls" ? std::vector<std::string>{"first_stage_F_robust", "effective_F"}
                                  : std::vector<std::string>{"mean_treated_post", "n_control_pre"};
        for (const auto& key : keys) EXPECT_TRUE(e.diagnostics.contains(key)) << key;
      }
    }
  }
}

TEST_F(StreamingRegression, SameBitsOnAnyThreadCountKeptOrReadAgain) {
  for (const std::string estimator : {"ols", "2sls"}) {
    EstimatorArgs a = args(estimator == "2sls");
    a.cluster = "g";
    std::vector<Estimate> runs;
    for (const unsigned threads : {1u, 2u, 3u})
      for (const double keep_bytes : {1e12, 0.0}) {
        StreamingOptions options;
        options.block_bytes = 4096;
        options.threads = threads;
        options.keep_bytes = keep_bytes;
        runs.push_back(streaming_least_squares(path_, estimator, a, options));
      }
    for (const Estimate& e : runs) {
      EXPECT_EQ(std::memcmp(&e.estimate, &runs[0].estimate, sizeof(double)), 0) << estimator;
      EXPECT_EQ(std::memcmp(&e.se, &runs[0].se, sizeof(double)), 0) << estimator;
    }
  }
}

// A column whose mean is 10⁵ times its spread: the in-memory sandwich, which squares the raw
// columns, loses about six digits of the SEs there (an exact computation in 80-digit decimals
// agreed with the streamed SEs to 1e-15 and differed from the in-memory ones by 1e-6). The
// streamed fit, on shifted columns, matches the in-memory fit of the same data with w2 shifted by
// its mean exactly (w2 − 10⁶ is exact in doubles), whose slopes and their SEs are the same.
TEST_F(StreamingRegression, StaysPreciseWhereAColumnsMeanDwarfsItsSpread) {
  const auto far = std::filesystem::temp_directory_path() / "streaming_regression_far.csv";
  Dataset data = simulated(3000, 1e6);
  write_csv(data, far);
  data = read_csv(far);
  for (double& v : data.column("w2").values) v -= 1e6;
  for (const std::string se_type : {"hc0", "hc3", "cr1"}) {
    SCOPED_TRACE(se_type);
    EstimatorArgs a = args(false);
    a.se_type = se_type;
    if (se_type == "cr1") a.cluster = "g";
    const Estimate centred = find_estimator("ols").run(data, a);
    const Estimate streamed = streaming_least_squares(far, "ols", a);
    for (std::size_t t = 1; t < centred.terms.size(); ++t) {  // the slopes
      SCOPED_TRACE(centred.terms[t].term);
      EXPECT_TRUE(near(streamed.terms[t].estimate, centred.terms[t].estimate, 1e-9));
      EXPECT_TRUE(near(streamed.terms[t].std_error, centred.terms[t].std_error, 1e-9));
    }
  }
  std::filesystem::remove(far);
}

class StreamingRegressionRefuses : public StreamingRegression {
 protected:
  std::string error(const std::string& csv, const std::string& estimator, const EstimatorArgs& a) {
    const auto path = std::filesystem::temp_directory_path() / "streaming_regression_refuses.csv";
    std::ofstream(path) << csv;
    std::string message;
    try {
      streaming_least_squares(path, estimator, a);
      ADD_FAILURE() << "expected an InputError";
    } catch (const InputError& e) {
      message = e.what();
    }
    std::filesystem::remove(path);
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    return message;
  }
};

TEST_F(StreamingRegressionRefuses, WhatItCannotEstimateNamingTheLineAndColumn) {
  EstimatorArgs a = args(false);
  EXPECT_CONTAINS(
      error("y,d,w1,w2\n1,0,1,2\n2,1,3,4\n3,0,x,6\n", "ols", a),
      "line 4: column 'w1' holds 'x', not a finite number (--streaming reads numeric columns only)");
  EXPECT_CONTAINS(error("y,d,w1,w2\n1,0,1,2\n2,1,3,NA\n", "ols", a), "line 3: column 'w2' is missing");
  // w2 = 2 w1: the design is rank-deficient, named as the in-memory path names it.
  EXPECT_CONTAINS(error("y,d,w1,w2\n1,0,1,2\n2,1,3,6\n3,0,2,4\n5,1,5,10\n4,0,7,14\n6,1,1,2\n", "ols", a),
                  "design is rank-deficient: 'w2' is a linear combination of 'w1'");
  EXPECT_CONTAINS(error("y,d,w1,w2\n1,1,1,2\n2,1,3,4\n3,1,2,5\n5,1,5,1\n4,1,7,3\n6,1,1,2\n", "ols", a),
                  "treatment 'd' is constant: nothing to compare");
  EXPECT_CONTAINS(error("y,d,w1,w2\n1,1,1,2\n", "ols", a), "too few rows: 1 rows for 4 coefficients");
  EXPECT_CONTAINS(error("y,d,w1,w2\n", "ols", a), "no data rows");
  EXPECT_CONTAINS(error("y,d,w1\n1,0,1\n", "ols", a), "no column 'w2' (columns: y, d, w1)");
  a.cluster = "g";
  EXPECT_CONTAINS(error("y,d,w1,w2,g\n1,0,1,2,a\n2,1,3,4,a\n", "ols", a), "column 'g' holds 'a'");
  EXPECT_CONTAINS(error("y,d,w1,w2,g\n1,0,1,2,1\n2,1,3,4,1\n3,0,2,5,1\n5,1,5,1,1\n4,0,7,3,1\n", "ols", a),
                  "cluster column 'g' has fewer than 2 clusters");
  a = args(true);
  a.instruments = {"z"};
  EXPECT_CONTAINS(error("y,d,w1,w2,z\n1,0,1,2,1\n2,1,3,4,1\n3,0,2,5,1\n5,1,5,1,1\n4,0,7,3,1\n", "2sls", a),
                  "instrument 'z' is constant");
  const EstimatorArgs did = did_args();
  EXPECT_CONTAINS(error("y,zp,z,post\n1,0,0,0\n2,0,1,0\n3,0,0,1\n4,1,2,1\n", "did", did),
                  "line 5: group 'z' and post 'post' must be 0/1, not 2 and 1");
  EXPECT_CONTAINS(error("y,zp,z,post\n1,0,0,0\n2,0,1,0\n3,0,0,1\n4,0,1,1\n", "did", did),
                  "line 5: treatment 'zp' is not z × post (0 vs 1)");
  EXPECT_CONTAINS(error("y,zp,z,post\n1,0,0,0\n2,0,1,0\n3,0,0,1\n4,0,0,1\n5,0,1,0\n", "did", did),
                  "no rows with z = 1 and post = 1 (the treated_post cell)");
  EstimatorArgs naive = did;
  naive.options["comparison"] = "before-after";
  EXPECT_CONTAINS(error("y,zp,z,post\n1,0,0,0\n", "did", naive), "--streaming runs did's 2×2 comparison");
  EXPECT_CONTAINS(error("y,d,w1,w2\n1,0,1,2\n", "causal-forest", args(false)),
                  "--streaming is available for ols, 2sls and did, not causal-forest");
}

}  // namespace
}  // namespace casebook
