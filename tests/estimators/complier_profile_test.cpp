// 2sls's complier diagnostics against R on the same data (tests/fixtures/make_compliers_fixture.R):
// compliance shares, Abadie's κ-weighted complier means (and the closed form they differ from by a
// known amount), the ITT and first stage (estimatr::difference_in_means), the CACE (AER::ivreg +
// sandwich) and Montiel Olea & Pflueger's effective F; one-sided and two-sided noncompliance; an
// instrument that lowers take-up, or does not move it at all.
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>
#include <variant>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "estimators/complier_profile.hpp"
#include "estimators/estimator.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

using testing::near_relative;

const Dataset& compliers_data() {
  static const Dataset data = read_csv(testing::fixture_path("compliers_data.csv"));
  return data;
}

const nlohmann::json& compliers_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("compliers_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

EstimatorArgs compliers_args(const std::string& treatment) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = treatment;
  args.instruments = {"z"};
  args.covariates = {"age", "new_user", "region"};
  return args;
}

Estimate run_2sls(const std::string& treatment) {
  return find_estimator("2sls").run(compliers_data(), compliers_args(treatment));
}

const Table& table_named(const Estimate& e, const std::string& id) {
  for (const auto& t : e.tables)
    if (t.id == id) return t;
  throw std::runtime_error("no table " + id);
}

double number(const TableCell& cell) { return std::get<double>(cell); }

class CompliersMatchR : public ::testing::TestWithParam<std::string> {
 protected:
  std::string treatment() const { return GetParam() == "two_sided" ? "d" : "d_one_sided"; }
  const nlohmann::json& expected() const { return compliers_reference().at(GetParam()); }
};

TEST_P(CompliersMatchR, SharesIttFirstStageAndCace) {
  const Estimate e = run_2sls(treatment());
  const auto& shares = expected().at("shares");
  EXPECT_TRUE(near_relative(e.diagnostics.at("complier_share"), shares.at("compliers").get<double>(), 1e-12));
  EXPECT_TRUE(
      near_relative(e.diagnostics.at("never_taker_share"), shares.at("never_takers").get<double>(), 1e-12));
  EXPECT_NEAR(e.diagnostics.at("always_taker_share"), shares.at("always_takers").get<double>(), 1e-12);
  EXPECT_NEAR(e.diagnostics.at("complier_share") + e.diagnostics.at("always_taker_share") +
                  e.diagnostics.at("never_taker_share"),
              1.0, 1e-12);

  EXPECT_TRUE(near_relative(e.diagnostics.at("itt"), expected().at("itt").at("estimate").get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("itt_se"), expected().at("itt").at("se").get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("itt_treatment"),
                            expected().at("itt_treatment").at("estimate").get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("itt_treatment_se"),
                            expected().at("itt_treatment").at("se").get<double>()));
  EXPECT_TRUE(near_relative(e.estimate, expected().at("cace").at("estimate").get<double>()));
  EXPECT_TRUE(near_relative(e.se, expected().at("cace").at("se").get<double>()));

  const Table& side_by_side = table_named(e, "itt_first_stage_cace");
  ASSERT_EQ(side_by_side.rows.size(), 3u);
  EXPECT_EQ(std::get<std::string>(side_by_side.rows[0][0]), "itt");
  EXPECT_EQ(number(side_by_side.rows[0][1]), e.diagnostics.at("itt"));
  EXPECT_EQ(number(side_by_side.rows[1][1]), e.diagnostics.at("itt_treatment"));
  EXPECT_EQ(number(side_by_side.rows[2][1]), e.estimate);
  EXPECT_EQ(number(side_by_side.rows[2][2]), e.se);
}

TEST_P(CompliersMatchR, KappaWeightedComplierMeans) {
  const Estimate e = run_2sls(treatment());
  const Table& profile = table_named(e, "complier_profile");
  ASSERT_EQ(profile.columns, (std::vector<std::string>{"covariate", "population", "compliers",
                                                       "always_takers", "never_takers"}));
  ASSERT_EQ(profile.rows.size(), expected().at("population").size());
  for (const auto& row : profile.rows) {
    const auto name = std::get<std::string>(row[0]);
    SCOPED_TRACE(name);
    EXPECT_TRUE(near_relative(number(row[1]), expected().at("population").at(name).get<double>(), 1e-12));
    const double kappa = expected().at("complier_kappa").at(name).get<double>();
    EXPECT_TRUE(near_relative(number(row[2]), kappa, 1e-10));
    // Cross-check with the closed form: the two differ by exactly (mean X − mean X|Z=1) / first stage.
    EXPECT_NEAR(number(row[2]) - expected().at("complier_closed_form").at(name).get<double>(),
                expected().at("kappa_minus_closed_form").at(name).get<double>(), 1e-10);
    EXPECT_EQ(e.diagnostics.at("complier_mean_" + name), number(row[2]));
    EXPECT_NEAR(e.diagnostics.at("complier_minus_population_" + name), number(row[2]) - number(row[1]),
                1e-12);
    EXPECT_TRUE(near_relative(number(row[4]), expected().at("never_takers").at(name).get<double>(), 1e-12));
    if (expected().at("always_takers").is_null())
      EXPECT_EQ(std::get<std::string>(row[3]), "");  // one-sided: there are no always-takers
    else
      EXPECT_TRUE(
          near_relative(number(row[3]), expected().at("always_takers").at(name).get<double>(), 1e-12));
    // The population mean is the shares' mixture of the three types' means.
    const double always = std::holds_alternative<double>(row[3]) ? number(row[3]) : 0.0;
    EXPECT_NEAR(e.diagnostics.at("complier_share") * number(row[2]) +
                    e.diagnostics.at("always_taker_share") * always +
                    e.diagnostics.at("never_taker_share") * number(row[4]),
                number(row[1]), 1e-10);
  }
}

INSTANTIATE_TEST_SUITE_P(Noncompliance, CompliersMatchR, ::testing::Values("two_sided", "one_sided"));

TEST(CompliersMatchR, FirstStageRobustFAndEffectiveF) {
  const Estimate e = run_2sls("d");
  const double robust = compliers_reference().at("two_sided").at("first_stage_F_robust").get<double>();
  EXPECT_TRUE(near_relative(e.diagnostics.at("first_stage_F_robust"), robust));
  const double effective = compliers_reference().at("effective_F_one_instrument").get<double>();
  EXPECT_TRUE(near_relative(e.diagnostics.at("effective_F"), effective));
  // With one instrument the effective F is the robust F (Andrews, Stock & Sun 2019).
  EXPECT_TRUE(near_relative(effective, robust, 1e-10));
}

TEST(CompliersMatchR, EffectiveFWithTwoInstruments) {
  EstimatorArgs args;
  args.outcome = "y_iv";
  args.treatment = "d";
  args.instruments = {"z_bin", "z_cont"};
  args.covariates = {"x1", "x2", "region"};
  const Estimate e = find_estimator("2sls").run(testing::estimator_fixture_data(), args);
  const double effective = compliers_reference().at("effective_F_two_instruments").get<double>();
  EXPECT_TRUE(near_relative(e.diagnostics.at("effective_F"), effective));
  // With two instruments it is not the robust F (a plain comparison: near_relative would log the gap
  // as a disagreement with R).
  const double robust = e.diagnostics.at("first_stage_F_robust");
  EXPECT_GT(std::abs(effective - robust), 1e-3 * robust);
  // A continuous instrument: no compliance types to report.
  EXPECT_EQ(e.diagnostics.count("complier_share"), 0u);
}

TEST(CompliersMatchR, WithoutCovariatesNoProfileButShares) {
  EstimatorArgs args = compliers_args("d");
  args.covariates.clear();
  const Estimate e = find_estimator("2sls").run(compliers_data(), args);
  EXPECT_EQ(e.diagnostics.count("complier_share"), 1u);
  EXPECT_EQ(e.tables.size(), 1u);
  EXPECT_EQ(e.tables.front().id, "itt_first_stage_cace");
  // Without covariates the CACE is the ratio of the two ITTs.
  EXPECT_NEAR(e.estimate, e.diagnostics.at("itt") / e.diagnostics.at("itt_treatment"), 1e-10);
}

// z alternates; take-up is the given pattern over each block of four rows; x is the block's number,
// so that z, d and x net of one another stay as balanced as z and d.
Dataset four_row_blocks(const std::vector<double>& take_up) {
  std::vector<double> y, d, z, x;
  for (int i = 0; i < 400; ++i) {
    z.push_back(i % 2);
    d.push_back(take_up[static_cast<std::size_t>(i % 4)]);
    x.push_back(i / 4);
    y.push_back(d.back() + x.back() + std::cos(1.3 * i));
  }
  Dataset data("iv.csv");
  data.add_column({"y", y, {}});
  data.add_column({"d", d, {}});
  data.add_column({"z", z, {}});
  data.add_column({"x", x, {}});
  return data;
}

TEST(CompliersBadInput, InstrumentThatDoesNotMoveTheTreatmentIsOneLine) {
  // Rows (z, d): (0, 0), (1, 0), (0, 1), (1, 1): take-up is one half in both arms.
  EstimatorArgs args = compliers_args("d");
  args.covariates = {"x"};
  const std::string message = testing::input_error("2sls", four_row_blocks({0, 0, 1, 1}), args);
  EXPECT_CONTAINS(message, "do not move the treatment 'd' at all");
  args.covariates.clear();
  EXPECT_CONTAINS(testing::input_error("2sls", four_row_blocks({0, 0, 1, 1}), args), "'z'");
}

TEST(CompliersBadInput, InstrumentThatLowersTakeUpGivesANoteNotNaN) {
  // Rows (z, d): (0, 1), (1, 0), (0, 1), (1, 1): take-up 1 without and 1/2 with the instrument.
  EstimatorArgs args = compliers_args("d");
  args.covariates = {"x"};
  const Estimate e = find_estimator("2sls").run(four_row_blocks({1, 0, 1, 1}), args);
  EXPECT_TRUE(std::isfinite(e.estimate));
  EXPECT_EQ(e.diagnostics.count("complier_share"), 0u);
  EXPECT_TRUE(e.tables.empty());
  bool noted = false;
  for (const auto& note : e.notes) noted = noted || note.find("no compliers") != std::string::npos;
  EXPECT_TRUE(noted);
  for (const auto& [name, value] : e.diagnostics) EXPECT_TRUE(std::isfinite(value)) << name;
}

TEST(AbadieKappa, AveragesToTheComplierShare) {
  const std::vector<double> z{0, 0, 0, 0, 1, 1, 1, 1};
  const std::vector<double> d{0, 0, 0, 1, 0, 1, 1, 1};
  const std::vector<double> kappa = abadie_kappa(z, d);
  // p = 1/2: κ = 1 − 2·D(1−Z) − 2·(1−D)Z.
  EXPECT_EQ(kappa, (std::vector<double>{1, 1, 1, -1, -1, 1, 1, 1}));
  const ComplianceShares shares = compliance_shares(z, d);
  EXPECT_DOUBLE_EQ(shares.compliers, 0.5);
  EXPECT_DOUBLE_EQ(shares.always_takers, 0.25);
  EXPECT_DOUBLE_EQ(shares.never_takers, 0.25);
  double mean = 0;
  for (double k : kappa) mean += k / 8;
  EXPECT_DOUBLE_EQ(mean, shares.compliers);
}

}  // namespace
}  // namespace casebook
