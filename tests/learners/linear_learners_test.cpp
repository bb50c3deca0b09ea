// Logistic and probit regression by IRLS against R's glm(family = binomial / binomial("probit")) on
// tests/fixtures/logistic_data.csv (make_logistic_fixture.R); linear least squares on an exact fit.
#include <cmath>
#include <fstream>
#include <numeric>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {
namespace {

struct GlmFixture {
  Eigen::MatrixXd x;
  std::vector<double> t;
  std::vector<std::uint32_t> rows;
  nlohmann::json reference;
};

const GlmFixture& glm_fixture() {
  static const GlmFixture fixture = [] {
    const Dataset data = read_csv(std::string(CASEBOOK_FIXTURES) + "/logistic_data.csv");
    std::ifstream in(std::string(CASEBOOK_FIXTURES) + "/logistic_reference.json");
    GlmFixture f;
    f.reference = nlohmann::json::parse(in);
    const std::size_t n = data.rows();
    f.x.resize(static_cast<Eigen::Index>(n), 4);
    for (std::size_t i = 0; i < n; ++i) {
      const auto r = static_cast<Eigen::Index>(i);
      f.x(r, 0) = 1;
      f.x(r, 1) = data.column("x1").values[i];
      f.x(r, 2) = data.column("x2").values[i];
      f.x(r, 3) = data.column("x3").values[i];
    }
    f.t = data.column("t").values;
    f.rows.resize(n);
    std::iota(f.rows.begin(), f.rows.end(), 0u);
    return f;
  }();
  return fixture;
}

void expect_glm(const BinomialFit& fit, const nlohmann::json& expected_fit, double tolerance) {
  const auto expected = expected_fit.at("coefficients").get<std::vector<double>>();
  ASSERT_EQ(static_cast<std::size_t>(fit.coefficients.size()), expected.size());
  for (std::size_t j = 0; j < expected.size(); ++j)
    EXPECT_NEAR(fit.coefficients[static_cast<Eigen::Index>(j)], expected[j],
                tolerance * std::abs(expected[j]));
  EXPECT_NEAR(fit.deviance, expected_fit.at("deviance").get<double>(),
              tolerance * expected_fit.at("deviance").get<double>());
  EXPECT_EQ(fit.iterations, expected_fit.at("iterations").get<std::size_t>());
}

TEST(Logistic, AgreesWithRGlmTo1e6) {
  const GlmFixture& f = glm_fixture();
  expect_glm(fit_logistic(f.x, f.t, f.rows), f.reference, 1e-6);
}

// glm(family = binomial("probit")): the same IRLS with R's probit clamps; same iterations.
TEST(Probit, AgreesWithRGlmTo1e10) {
  const GlmFixture& f = glm_fixture();
  const BinomialFit fit = fit_binomial_glm(f.x, f.t, f.rows, BinomialLink::probit);
  expect_glm(fit, f.reference.at("probit"), 1e-10);
  EXPECT_NEAR(binomial_mean(BinomialLink::probit, 0), 0.5, 1e-16);
  // R's linkinv clamps eta at ±qnorm(eps), so a probability never reaches 0 or 1.
  EXPECT_GT(binomial_mean(BinomialLink::probit, -40), 0);
  EXPECT_LT(binomial_mean(BinomialLink::probit, 40), 1);
}

TEST(Logistic, SeparatedDataIsAnInputError) {
  Eigen::MatrixXd x(6, 2);
  x << 1, -3, 1, -2, 1, -1, 1, 1, 1, 2, 1, 3;
  const std::vector<double> t{0, 0, 0, 1, 1, 1};
  const std::vector<std::uint32_t> rows{0, 1, 2, 3, 4, 5};
  EXPECT_THROW(fit_logistic(x, t, rows), InputError);
  EXPECT_THROW(fit_binomial_glm(x, t, rows, BinomialLink::probit), InputError);
}

TEST(Linear, RecoversAnExactFitAndCrossFitsOnOtherFolds) {
  const std::size_t n = 50;
  Eigen::MatrixXd x(n, 2);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x(static_cast<Eigen::Index>(i), 0) = 1;
    x(static_cast<Eigen::Index>(i), 1) = static_cast<double>(i);
    y[i] = 2 + 0.5 * static_cast<double>(i);
  }
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0u);
  const Eigen::VectorXd b = fit_linear(x, y, rows);
  EXPECT_NEAR(b[0], 2, 1e-10);
  EXPECT_NEAR(b[1], 0.5, 1e-10);
  const std::vector<double> p = linear_predictions(x, y, rows, false, 5, 1);
  for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(p[i], y[i], 1e-9);
  // A collinear design is refused with a message, not a NaN.
  Eigen::MatrixXd collinear(n, 2);
  collinear.col(0) = x.col(0);
  collinear.col(1) = 3 * x.col(0);
  EXPECT_THROW(fit_linear(collinear, y, rows), InputError);
}

// Folds past the number of rows hold no row: leave-one-out, and 10^7 folds cost no 10^7 fits.
TEST(Linear, MoreFoldsThanRowsIsLeaveOneOut) {
  const std::size_t n = 30;
  Eigen::MatrixXd x(n, 2);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x(static_cast<Eigen::Index>(i), 0) = 1;
    x(static_cast<Eigen::Index>(i), 1) = std::sin(static_cast<double>(i));
    y[i] = std::cos(3.0 * static_cast<double>(i));
  }
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0u);
  const std::vector<double> leave_one_out = linear_predictions(x, y, rows, false, n, 7);
  EXPECT_EQ(linear_predictions(x, y, rows, false, 10'000'000, 7), leave_one_out);
  std::vector<std::uint32_t> others;
  for (std::uint32_t r = 1; r < n; ++r) others.push_back(r);
  EXPECT_NEAR(leave_one_out[0], x.row(0).dot(fit_linear(x, y, others)), 1e-12);
}

}  // namespace
}  // namespace casebook
