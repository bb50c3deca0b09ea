// The RD plot's bins against rdplot's formulas written in plain R (tests/fixtures/make_rd_plot_fixture.R):
// the number of evenly spaced, variance-mimicking bins on each side (and the IMSE-optimal number), the
// bin midpoints, means and counts, the global polynomial fits, the mass-point switch to esmvpr; the
// plots; bad input as one-line errors.
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "estimators/rd_plot.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

using testing::near_relative;

const Dataset& plot_data() {
  static const Dataset data = read_csv(testing::fixture_path("rd_plot_data.csv"));
  return data;
}

const nlohmann::json& plot_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("rd_plot_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

void expect_side(const RdPlotSide& side, const nlohmann::json& bins, const nlohmann::json& coefficients) {
  ASSERT_EQ(side.bin.size(), bins.at("n").size());
  for (std::size_t k = 0; k < side.bin.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(side.bin[k].n, bins.at("n")[k].get<std::size_t>());
    EXPECT_TRUE(near_relative(side.bin[k].middle, bins.at("mid")[k], 1e-12, 1));
    if (side.bin[k].n == 0) {
      EXPECT_TRUE(bins.at("mean_y")[k].is_null());
      EXPECT_TRUE(std::isnan(side.bin[k].mean_y));
      continue;
    }
    EXPECT_TRUE(near_relative(side.bin[k].mean_x, bins.at("mean_x")[k], 1e-12, 1));
    EXPECT_TRUE(near_relative(side.bin[k].mean_y, bins.at("mean_y")[k], 1e-12, 1));
  }
  ASSERT_EQ(side.coefficients.size(), coefficients.size());
  // A least-squares fit by QR in both; the powers of (x − c) are well scaled here.
  for (std::size_t j = 0; j < side.coefficients.size(); ++j)
    EXPECT_TRUE(near_relative(side.coefficients[j], coefficients[j], 1e-8)) << j;
}

class RdPlotMatchesReference : public ::testing::TestWithParam<std::size_t> {};

TEST_P(RdPlotMatchesReference, BinsMeansAndFits) {
  const nlohmann::json& ref = plot_reference().at("cases").at(GetParam());
  SCOPED_TRACE(ref.at("name").get<std::string>());
  const auto& x = plot_data().column(ref.at("x").get<std::string>()).values;
  const auto& y = plot_data().column(ref.at("y").get<std::string>()).values;
  const nlohmann::json& r = ref.at("result");
  const RdPlot plot = rd_plot(x, y, ref.at("cutoff").get<double>(), ref.at("p").get<std::size_t>());
  EXPECT_EQ(plot.method, r.at("method").get<std::string>());
  EXPECT_EQ(plot.left.bins, r.at("J_left").get<std::size_t>());
  EXPECT_EQ(plot.right.bins, r.at("J_right").get<std::size_t>());
  EXPECT_EQ(plot.left.bins_imse, r.at("J_imse_left").get<std::size_t>());
  EXPECT_EQ(plot.right.bins_imse, r.at("J_imse_right").get<std::size_t>());
  EXPECT_TRUE(near_relative(plot.left.variance, r.at("V_left"), 1e-10));
  EXPECT_TRUE(near_relative(plot.right.variance, r.at("V_right"), 1e-10));
  expect_side(plot.left, r.at("bins_left"), r.at("coef_left"));
  expect_side(plot.right, r.at("bins_right"), r.at("coef_right"));
}

INSTANTIATE_TEST_SUITE_P(Cases, RdPlotMatchesReference, ::testing::Values(0u, 1u, 2u));

TEST(RdPlot, PlotsTheNonEmptyBinsAndBothCurves) {
  const auto& x = plot_data().column("x").values;
  const auto& y = plot_data().column("y").values;
  const RdPlot plot = rd_plot(x, y, 0.0, 4, "score", "bookings");
  EXPECT_EQ(plot.bins_plot.kind, "points");
  EXPECT_EQ(plot.fit_plot.kind, "lines");
  EXPECT_EQ(plot.bins_plot.x_label, "score");
  EXPECT_EQ(plot.fit_plot.y_label, "bookings");
  ASSERT_EQ(plot.bins_plot.series.size(), 2u);
  ASSERT_EQ(plot.fit_plot.series.size(), 2u);
  std::size_t non_empty = 0;
  for (const auto& bin : plot.left.bin) non_empty += bin.n > 0;
  EXPECT_EQ(plot.bins_plot.series[0].x.size(), non_empty);
  std::size_t total = 0;
  for (const auto* side : {&plot.left, &plot.right})
    for (const auto& bin : side->bin) total += bin.n;
  EXPECT_EQ(total, x.size());
  // The curves meet the cutoff from each side at the fitted intercepts; the jump shows there.
  EXPECT_DOUBLE_EQ(plot.fit_plot.series[0].x.back(), 0.0);
  EXPECT_NEAR(plot.fit_plot.series[0].y.back(), plot.left.coefficients[0], 1e-12);
  EXPECT_NEAR(plot.fit_plot.series[1].y.front(), plot.right.coefficients[0], 1e-12);
  EXPECT_GT(plot.right.coefficients[0] - plot.left.coefficients[0], 0.2);  // the simulated jump is 0.4
}

TEST(RdPlot, ConstantOutcomeGivesOneBinASide) {
  std::vector<double> x, y;
  for (int i = 0; i < 40; ++i) {
    x.push_back(-1 + 2.0 * i / 39.0);
    y.push_back(3);
  }
  const RdPlot plot = rd_plot(x, y, 0.0, 1);
  EXPECT_EQ(plot.left.bins, 1u);
  EXPECT_EQ(plot.right.bins, 1u);
  EXPECT_EQ(plot.left.bin.front().mean_y, 3);
}

std::string plot_error(const std::vector<double>& x, const std::vector<double>& y, double cutoff) {
  try {
    rd_plot(x, y, cutoff, 4, "score", "bookings");
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos);
    return message;
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

TEST(RdPlotBadInput, OneLineErrors) {
  std::vector<double> x, y;
  for (int i = 0; i < 30; ++i) {
    x.push_back(i < 3 ? -1.0 * (i + 1) : i);
    y.push_back(i);
  }
  EXPECT_CONTAINS(plot_error(x, y, 50), "RD plot: cutoff 50 is outside the range of 'score'");
  EXPECT_CONTAINS(plot_error(x, y, 0), "'score' has 3 distinct values below the cutoff 0");
  EXPECT_CONTAINS(plot_error(x, {1, 2}, 0), "30 values of 'score' but 2 of 'bookings'");
  y[4] = std::nan("");
  EXPECT_CONTAINS(plot_error(x, y, 0), "row 5 has a missing or infinite value");
}

}  // namespace
}  // namespace casebook
