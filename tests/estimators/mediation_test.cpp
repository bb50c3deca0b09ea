// mediation against statsmodels (tests/fixtures/make_mediation_fixture.py): the closed-form effects,
// both models' coefficients, the Baron–Kenny product with its Sobel SE and the ρ-sensitivity curve of
// Imai, Keele & Yamamoto (2010) against the same formulas on statsmodels' OLS fits, to rounding;
// statsmodels' Mediation (simulation means and percentile intervals) within its Monte Carlo error;
// the bootstrap against the quasi-Bayesian spread; bad input as one-line errors.
#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

using testing::near_relative;

const std::vector<std::string> kCovariates{"x1", "region"};
const std::vector<std::string> kEffects{"acme_control", "acme_treated", "ade_control", "ade_treated",
                                        "total_effect", "acme",         "ade"};

const testing::RegisterExample kMediation{
    "mediation",
    {"mediation_data.csv", testing::example_args("y", "t", kCovariates, {{"mediator", "m"}}), false}};

const Dataset& mediation_data() {
  static const Dataset data = read_csv(testing::fixture_path("mediation_data.csv"));
  return data;
}

const nlohmann::json& mediation_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("mediation_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

EstimatorArgs args_for(const nlohmann::json& ref, std::map<std::string, std::string> more = {}) {
  std::map<std::string, std::string> options{
      {"mediator", ref.at("mediator").get<std::string>()},
      {"interaction", ref.at("interaction").get<bool>() ? "true" : "false"},
      {"treat_value", fmt::format("{}", ref.at("treat_value").get<double>())},
      {"control_value", fmt::format("{}", ref.at("control_value").get<double>())}};
  for (auto& [k, v] : more) options[k] = v;
  return testing::example_args(ref.at("outcome").get<std::string>(), ref.at("treatment").get<std::string>(),
                               kCovariates, options);
}

Estimate run(const EstimatorArgs& args) { return find_estimator("mediation").run(mediation_data(), args); }

const Table& table(const Estimate& e, const std::string& id) {
  for (const auto& t : e.tables)
    if (t.id == id) return t;
  throw std::runtime_error("no table " + id);
}

double cell(const Table& t, std::size_t row, const std::string& column) {
  for (std::size_t j = 0; j < t.columns.size(); ++j)
    if (t.columns[j] == column) return std::get<double>(t.rows[row][j]);
  throw std::runtime_error("no column " + column);
}

// Every coefficient by name (patsy orders a categorical's dummies first; ours follow R's lm).
void expect_model(const Table& t, const nlohmann::json& ref) {
  ASSERT_EQ(t.rows.size(), ref.at("names").size()) << t.id;
  std::map<std::string, std::size_t> row_of;
  for (std::size_t j = 0; j < t.rows.size(); ++j) row_of[std::get<std::string>(t.rows[j][0])] = j;
  for (std::size_t j = 0; j < t.rows.size(); ++j) {
    const std::string name = ref.at("names")[j].get<std::string>();
    ASSERT_TRUE(row_of.contains(name)) << t.id << " has no term " << name;
    const std::size_t row = row_of.at(name);
    EXPECT_TRUE(near_relative(cell(t, row, "estimate"), ref.at("estimate")[j].get<double>(), 1e-8)) << name;
    EXPECT_TRUE(near_relative(cell(t, row, "std.error"), ref.at("std_error")[j].get<double>(), 1e-8)) << name;
  }
}

// Closed forms are exact: the same OLS fits and formulas, so agreement is to rounding.
class MediationClosedForms : public ::testing::TestWithParam<std::string> {};

TEST_P(MediationClosedForms, MatchStatsmodelsOlsFits) {
  const nlohmann::json& ref = mediation_reference().at(GetParam());
  const Estimate e = run(args_for(ref));
  const auto& d = e.diagnostics;
  for (const std::string key :
       {"acme_control", "acme_treated", "ade_control", "ade_treated", "total_effect", "acme", "ade",
        "prop_mediated", "a_path", "b_path", "product_of_coefficients", "product_of_coefficients_se"})
    EXPECT_TRUE(near_relative(d.at(key), ref.at(key).get<double>(), 1e-8)) << key;
  EXPECT_DOUBLE_EQ(e.estimate, d.at("acme"));
  EXPECT_EQ(e.se_type, "quasi-bayesian");
  EXPECT_EQ(e.n, mediation_data().rows());
  expect_model(table(e, "mediator_model"), ref.at("mediator_model"));
  expect_model(table(e, "outcome_model"), ref.at("outcome_model"));
  // Every interval holds its estimate, from draws of the same models.
  for (const auto& key : kEffects) {
    EXPECT_LT(d.at(key + "_ci_low"), d.at(key)) << key;
    EXPECT_GT(d.at(key + "_ci_high"), d.at(key)) << key;
  }

  if (ref.at("interaction").get<bool>()) {
    EXPECT_FALSE(d.contains("rho_at_zero"));
    EXPECT_TRUE(e.plots.empty());
    return;
  }
  // Without interaction the ACME is the same in both arms and is the Baron–Kenny product.
  EXPECT_NEAR(d.at("acme_control"), d.at("acme_treated"), 1e-12);
  EXPECT_NEAR(d.at("acme"), d.at("product_of_coefficients"), 1e-12);
  const auto& sens = ref.at("sensitivity");
  EXPECT_TRUE(near_relative(d.at("rho_at_zero"), sens.at("rho_at_zero").get<double>(), 1e-8));
  const Table& curve = table(e, "sensitivity");
  ASSERT_EQ(curve.rows.size(), sens.at("rho").size());
  const double scale = std::abs(ref.at("acme").get<double>());
  for (std::size_t g = 0; g < curve.rows.size(); ++g) {
    EXPECT_NEAR(cell(curve, g, "rho"), sens.at("rho")[g].get<double>(), 1e-12);
    EXPECT_TRUE(near_relative(cell(curve, g, "acme"), sens.at("acme")[g].get<double>(), 1e-8, scale))
        << "rho " << sens.at("rho")[g];
    EXPECT_LE(cell(curve, g, "conf.low"), cell(curve, g, "acme"));
    EXPECT_GE(cell(curve, g, "conf.high"), cell(curve, g, "acme"));
  }
  // At ρ = 0 the published formula gives back the ACME.
  EXPECT_TRUE(near_relative(cell(curve, 19, "acme"), d.at("acme"), 1e-10));
  ASSERT_EQ(e.plots.size(), 1u);
  EXPECT_EQ(e.plots[0].id, "acme_sensitivity");
  EXPECT_EQ(e.plots[0].series[0].x.size(), curve.rows.size());
}

INSTANTIATE_TEST_SUITE_P(Fixture, MediationClosedForms,
                         ::testing::Values("binary", "binary_interaction", "dose", "dose_interaction"));

// statsmodels' estimates are means over its 1000 simulations: our closed forms (the expectations of
// those simulations) lie within 4 Monte Carlo SEs (sd / √n_rep) of them.
TEST(Mediation, ClosedFormsWithinStatsmodelsMonteCarloError) {
  const auto& sm = mediation_reference().at("statsmodels");
  for (const std::string run_id :
       {"binary", "binary_interaction", "binary_mean_mediator", "binary_interaction_mean_mediator"}) {
    const auto& ref = sm.at(run_id);
    const bool interaction = run_id.find("interaction") != std::string::npos;
    const Estimate e = run(args_for(mediation_reference().at(interaction ? "binary_interaction" : "binary")));
    const double reps = ref.at("n_rep").get<double>();
    for (const auto& key : kEffects) {
      const double mc_se = ref.at(key).at("sd").get<double>() / std::sqrt(reps);
      EXPECT_NEAR(e.diagnostics.at(key), ref.at(key).at("estimate").get<double>(), 4 * mc_se)
          << run_id << " " << key;
    }
  }
}

// Percentile intervals against statsmodels' with the mediator draw at its mean (the parameter draws
// alone, as ours): within 4 Monte Carlo SEs of the difference of two 2.5% quantiles, each
// ≈ 2.67 sd / √R (√(p(1 − p))/φ(z_p) for a normal at p = 0.025).
TEST(Mediation, IntervalsWithinStatsmodelsMonteCarloError) {
  const auto& sm = mediation_reference().at("statsmodels");
  constexpr double kSims = 20000;
  for (const std::string run_id : {"binary_mean_mediator", "binary_interaction_mean_mediator"}) {
    const auto& ref = sm.at(run_id);
    const bool interaction = run_id.find("interaction") != std::string::npos;
    const Estimate e = run(args_for(mediation_reference().at(interaction ? "binary_interaction" : "binary"),
                                    {{"sims", "20000"}, {"seed", "7"}}));
    const double reps = ref.at("n_rep").get<double>();
    for (const auto& key : kEffects) {
      const double sd = ref.at(key).at("sd").get<double>();
      const double tolerance = 4 * 2.67 * sd * std::sqrt(1 / reps + 1 / kSims);
      EXPECT_NEAR(e.diagnostics.at(key + "_ci_low"), ref.at(key).at("ci_low").get<double>(), tolerance)
          << run_id << " " << key;
      EXPECT_NEAR(e.diagnostics.at(key + "_ci_high"), ref.at(key).at("ci_high").get<double>(), tolerance)
          << run_id << " " << key;
    }
    // Our SE (the sd of the draws) against statsmodels' sd: the SD of an SD estimate is ≈ sd/√(2R).
    EXPECT_NEAR(e.se, ref.at("acme").at("sd").get<double>(),
                4 * ref.at("acme").at("sd").get<double>() * std::sqrt(1 / (2 * reps) + 1 / (2 * kSims)));
  }
}

// Option rho reports one point of the curve: the grid's ρ = 0.35 (row 26) against the published formula.
TEST(Mediation, AcmeAtAGivenRho) {
  const nlohmann::json& ref = mediation_reference().at("binary");
  const Estimate e = run(args_for(ref, {{"rho", "0.35"}}));
  const auto& sens = ref.at("sensitivity");
  ASSERT_NEAR(sens.at("rho")[26].get<double>(), 0.35, 1e-12);
  EXPECT_TRUE(near_relative(e.diagnostics.at("acme_at_rho"), sens.at("acme")[26].get<double>(), 1e-8,
                            std::abs(ref.at("acme").get<double>())));
  const Table& curve = table(e, "sensitivity");
  EXPECT_EQ(curve.rows.size(), sens.at("rho").size());  // the extra ρ is not added to the grid
  EXPECT_DOUBLE_EQ(e.diagnostics.at("acme_at_rho_ci_low"), cell(curve, 26, "conf.low"));
  EXPECT_DOUBLE_EQ(e.diagnostics.at("acme_at_rho_ci_high"), cell(curve, 26, "conf.high"));
}

TEST(Mediation, SameSeedSameDrawsOtherSeedOtherDraws) {
  const nlohmann::json& ref = mediation_reference().at("binary_interaction");
  const Estimate a = run(args_for(ref, {{"seed", "5"}}));
  const Estimate b = run(args_for(ref, {{"seed", "5"}}));
  const Estimate c = run(args_for(ref, {{"seed", "6"}}));
  EXPECT_EQ(a.diagnostics, b.diagnostics);
  EXPECT_EQ(a.ci_low, b.ci_low);
  EXPECT_NE(a.ci_low, c.ci_low);
  EXPECT_EQ(a.estimate, c.estimate);  // the closed form does not depend on the draws
}

// The bootstrap's spread estimates the same sampling SD as the quasi-Bayesian draws: with 2000 of
// each, their SDs agree within 10% (each is off by ≈ 1/√(2 · 2000) ≈ 1.6%, plus the two methods'
// finite-sample difference). The point estimates are the same closed forms.
TEST(Mediation, BootstrapAgreesWithQuasiBayesianSpread) {
  const nlohmann::json& ref = mediation_reference().at("binary_interaction");
  const Estimate qb = run(args_for(ref, {{"sims", "2000"}}));
  const Estimate boot = run(args_for(ref, {{"sims", "2000"}, {"ci", "bootstrap"}}));
  EXPECT_EQ(boot.se_type, "bootstrap");
  EXPECT_DOUBLE_EQ(boot.estimate, qb.estimate);
  EXPECT_NEAR(boot.se / qb.se, 1, 0.1);
  EXPECT_EQ(boot.diagnostics.at("failed_sims"), 0);
  for (const auto& key : kEffects) {
    const double width_qb = qb.diagnostics.at(key + "_ci_high") - qb.diagnostics.at(key + "_ci_low");
    const double width_boot = boot.diagnostics.at(key + "_ci_high") - boot.diagnostics.at(key + "_ci_low");
    EXPECT_NEAR(width_boot / width_qb, 1, 0.15) << key;
  }
  const Estimate again = run(args_for(ref, {{"sims", "2000"}, {"ci", "bootstrap"}}));
  EXPECT_EQ(again.diagnostics, boot.diagnostics);
}

// ---- bad input ---------------------------------------------------------------------------------

std::string mediation_error(const Dataset& data, const EstimatorArgs& args) {
  return testing::input_error("mediation", data, args);
}

EstimatorArgs binary_args() { return args_for(mediation_reference().at("binary")); }

TEST(MediationBadInput, MediatorIsTheOutcomeOrTheTreatment) {
  EstimatorArgs args = binary_args();
  args.options["mediator"] = "y";
  EXPECT_CONTAINS(mediation_error(mediation_data(), args), "option mediator 'y' is the outcome itself");
  args.options["mediator"] = "t";
  EXPECT_CONTAINS(mediation_error(mediation_data(), args), "option mediator 't' is the treatment itself");
  args.options.erase("mediator");
  EXPECT_CONTAINS(mediation_error(mediation_data(), args), "mediation needs option mediator=<column>");
  args.options["mediator"] = "x1";
  EXPECT_CONTAINS(mediation_error(mediation_data(), args), "mediator 'x1' is also listed as a covariate");
}

TEST(MediationBadInput, ConstantOrMissingMediator) {
  Dataset data = mediation_data();
  data.add_column({"flat", std::vector<double>(data.rows(), 2.5), {}});
  EstimatorArgs args = binary_args();
  args.options["mediator"] = "flat";
  EXPECT_CONTAINS(mediation_error(data, args), "mediator 'flat' is constant (all 2.5)");
  args.options["mediator"] = "opens";
  EXPECT_CONTAINS(mediation_error(data, args), "mediator column 'opens' not found");
}

TEST(MediationBadInput, RhoOutsideTheOpenInterval) {
  EstimatorArgs args = binary_args();
  args.options["rho"] = "1";
  EXPECT_CONTAINS(mediation_error(mediation_data(), args), "option rho 1 must lie strictly between -1 and 1");
}

TEST(MediationBadInput, TreatmentNotBinaryWithoutLevels) {
  EstimatorArgs args = testing::example_args("y_dose", "dose", kCovariates, {{"mediator", "m_dose"}});
  EXPECT_CONTAINS(mediation_error(mediation_data(), args), "treatment 'dose' is not 0/1 (row 1 has");
  EXPECT_CONTAINS(mediation_error(mediation_data(), args), "give options treat_value and control_value");
  args.options["treat_value"] = "1";
  args.options["control_value"] = "1";
  EXPECT_CONTAINS(mediation_error(mediation_data(), args), "treat_value and control_value are both 1");
}

}  // namespace
}  // namespace casebook
