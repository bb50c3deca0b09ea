#include "inference/sandwich_vcov.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "inference/design_matrix.hpp"
#include "inference/least_squares.hpp"

namespace casebook {
namespace {

using testing::near_relative;

struct OlsFixture {
  DesignMatrix design;
  LeastSquaresFit fit;
};

// y ~ t + x1 + x2 + region on the R fixture data, as the reference script fits it.
const OlsFixture& ols_fixture() {
  static const OlsFixture fixture = [] {
    const Dataset& data = testing::estimator_fixture_data();
    OlsFixture f{build_design_matrix(data, {"t", "x1", "x2", "region"}), {}};
    f.fit = fit_least_squares(f.design.x, numeric_column(data, "y", "outcome"), f.design.names);
    return f;
  }();
  return fixture;
}

void expect_matches_reference(const Eigen::VectorXd& coefficients, const Eigen::MatrixXd& vcov,
                              const std::vector<std::string>& names, const nlohmann::json& reference) {
  const auto& r_names = reference.at("coef_names");
  ASSERT_EQ(r_names.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(r_names[i].get<std::string>(), names[i]);  // the design matrix names columns as R
    EXPECT_TRUE(near_relative(coefficients(static_cast<Eigen::Index>(i)),
                              reference.at("coefficients")[i].get<double>()))
        << names[i];
  }
  const auto& r_vcov = reference.at("vcov");
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = 0; j < names.size(); ++j) {
      const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
      // Off-diagonal entries can be near zero: compare them on the scale of the variances.
      const double scale = std::sqrt(vcov(a, a) * vcov(b, b));
      EXPECT_TRUE(near_relative(vcov(a, b), r_vcov[i][j].get<double>(), 1e-6, scale))
          << names[i] << ", " << names[j];
    }
}

class SandwichMatchesR : public ::testing::TestWithParam<std::string> {};

TEST_P(SandwichMatchesR, OlsVcovAgreesWithSandwichVcovHC) {
  const OlsFixture& f = ols_fixture();
  const VarianceSpec spec{parse_variance_type(GetParam()), std::nullopt};
  const VarianceEstimate v = sandwich_vcov(f.design.x, f.fit.residuals, f.fit.bread, spec);
  EXPECT_EQ(v.df, 1000 - 7);
  expect_matches_reference(f.fit.coefficients, v.vcov, f.design.names,
                           testing::estimator_reference().at("ols_" + GetParam()));
}

INSTANTIATE_TEST_SUITE_P(AllTypes, SandwichMatchesR, ::testing::Values("iid", "hc0", "hc1", "hc2", "hc3"));

TEST(ClusterRobustVcov, AgreesWithEstimatrStataCR1) {
  const OlsFixture& f = ols_fixture();
  const VarianceSpec spec = make_variance_spec(testing::estimator_fixture_data(), "hc1", "g");
  ASSERT_EQ(spec.type, VarianceType::cr1);
  const VarianceEstimate v = sandwich_vcov(f.design.x, f.fit.residuals, f.fit.bread, spec);
  const auto& reference = testing::estimator_reference().at("ols_cr1");
  EXPECT_EQ(v.clusters, reference.at("clusters").get<Eigen::Index>());
  EXPECT_EQ(v.df, reference.at("df").get<double>());  // G - 1, as Stata
  expect_matches_reference(f.fit.coefficients, v.vcov, f.design.names, reference);
}

TEST(ClusterRobustVcov, SingletonClustersEqualHc1) {
  // With one row per cluster, G/(G-1)·(n-1)/(n-k) = n/(n-k): CR1 reduces to HC1.
  const OlsFixture& f = ols_fixture();
  ClusterIndex singletons{"row", {}, f.design.x.rows()};
  for (Eigen::Index i = 0; i < f.design.x.rows(); ++i) singletons.code.push_back(i);
  const Eigen::MatrixXd cr1 = cluster_robust_vcov(f.design.x, f.fit.residuals, f.fit.bread, singletons);
  const Eigen::MatrixXd hc1 =
      heteroskedasticity_robust_vcov(f.design.x, f.fit.residuals, f.fit.bread, VarianceType::hc1);
  EXPECT_TRUE(cr1.isApprox(hc1, 1e-12));
}

TEST(ClusterRobustVcov, OneClusterIsInputError) {
  Dataset data("one.csv");
  data.add_column({"g", {7, 7, 7}, {}});
  try {
    make_cluster_index(data, "g");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cluster column 'g' has 1 distinct value"), std::string::npos)
        << e.what();
  }
}

TEST(ClusterIndex, CategoricalAndNumericIdsGetDenseCodes) {
  Dataset data("c.csv");
  data.add_column({"school", {2, 0, 2, 1}, {"a", "b", "c"}});
  data.add_column({"id", {101, 7, 101, 7}, {}});
  const ClusterIndex schools = make_cluster_index(data, "school");
  EXPECT_EQ(schools.count, 3);
  EXPECT_EQ(schools.code, (std::vector<Eigen::Index>{0, 1, 0, 2}));
  EXPECT_EQ(make_cluster_index(data, "id").count, 2);
}

TEST(VarianceSpec, ParsesAndRejects) {
  EXPECT_EQ(parse_variance_type("HC3"), VarianceType::hc3);
  EXPECT_EQ(parse_variance_type("classical"), VarianceType::iid);
  EXPECT_EQ(parse_variance_type("stata"), VarianceType::cr1);
  try {
    parse_variance_type("hc9");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "unknown se_type 'hc9' (known: iid, hc0, hc1, hc2, hc3, cr1)");
  }
  Dataset data("d.csv");
  data.add_column({"g", {1, 2, 1}, {}});
  EXPECT_THROW(make_variance_spec(data, "hc3", "g"), InputError);
  EXPECT_THROW(make_variance_spec(data, "cr1", ""), InputError);
  EXPECT_EQ(make_variance_spec(data, "cr1", "g").clusters->count, 2);
}

TEST(HeteroskedasticityRobustVcov, LeverageOneIsInputError) {
  // Row 4 alone determines the dummy's coefficient, so HC2/HC3 divide by 1 - h = 0.
  Eigen::MatrixXd x(4, 2);
  x << 1, 0, 1, 0, 1, 0, 1, 1;
  const Eigen::VectorXd y = (Eigen::VectorXd(4) << 1, 2, 4, 3).finished();
  const LeastSquaresFit fit = fit_least_squares(x, y, {"intercept", "d"});
  EXPECT_THROW(heteroskedasticity_robust_vcov(x, fit.residuals, fit.bread, VarianceType::hc3), InputError);
  EXPECT_NO_THROW(heteroskedasticity_robust_vcov(x, fit.residuals, fit.bread, VarianceType::hc1));
}

}  // namespace
}  // namespace casebook
