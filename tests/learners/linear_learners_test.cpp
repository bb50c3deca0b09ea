// Logistic regression by IRLS against R's glm(family = binomial) on
// tests/fixtures/logistic_data.csv (make_logistic_fixture.R); linear least squares on an exact fit.
#include <fstream>
#include <numeric>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {
namespace {

TEST(Logistic, AgreesWithRGlmTo1e6) {
  const Dataset data = read_csv(std::string(CASEBOOK_FIXTURES) + "/logistic_data.csv");
  std::ifstream in(std::string(CASEBOOK_FIXTURES) + "/logistic_reference.json");
  const auto reference = nlohmann::json::parse(in);
  const std::size_t n = data.rows();
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), 4);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    x(r, 0) = 1;
    x(r, 1) = data.column("x1").values[i];
    x(r, 2) = data.column("x2").values[i];
    x(r, 3) = data.column("x3").values[i];
  }
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0u);
  const LogisticFit fit = fit_logistic(x, data.column("t").values, rows);
  const auto expected = reference.at("coefficients").get<std::vector<double>>();
  for (std::size_t j = 0; j < expected.size(); ++j)
    EXPECT_NEAR(fit.coefficients[static_cast<Eigen::Index>(j)], expected[j], 1e-6 * std::abs(expected[j]));
  EXPECT_NEAR(fit.deviance, reference.at("deviance").get<double>(),
              1e-6 * reference.at("deviance").get<double>());
  EXPECT_EQ(fit.iterations, reference.at("iterations").get<std::size_t>());
}

TEST(Logistic, SeparatedDataIsAnInputError) {
  Eigen::MatrixXd x(6, 2);
  x << 1, -3, 1, -2, 1, -1, 1, 1, 1, 2, 1, 3;
  const std::vector<double> t{0, 0, 0, 1, 1, 1};
  const std::vector<std::uint32_t> rows{0, 1, 2, 3, 4, 5};
  EXPECT_THROW(fit_logistic(x, t, rows), InputError);
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

}  // namespace
}  // namespace casebook
