// heckman against the published formulas in plain R (tests/fixtures/make_heckman_fixture.R; the
// sampleSelection package is not in Debian): two-step estimates, corrected SEs, σ, ρ and the probit
// equation; maximum likelihood estimates and Hessian SEs; the two-step on the Mroz data against
// micEcon's published heckit output for Greene's example 22.8; bad input as one-line errors.
#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

using testing::near_relative;

const std::vector<std::string> kOutcomeCovariates{"educ", "exper", "region"};
const std::string kSelectionCovariates = "training,educ,exper,age,kids,other_income,region";

EstimatorArgs heckman_args(const std::string& selection_covariates, const std::string& method) {
  return testing::example_args(
      "log_wage", "training", kOutcomeCovariates,
      {{"selection", "works"}, {"selection_covariates", selection_covariates}, {"method", method}});
}

const testing::RegisterExample kHeckman{
    "heckman", {"heckman_data.csv", heckman_args(kSelectionCovariates, "twostep"), true}};

const Dataset& heckman_data() {
  static const Dataset data = read_csv(testing::fixture_path("heckman_data.csv"));
  return data;
}

const nlohmann::json& heckman_reference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(testing::fixture_path("heckman_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

std::string join(const nlohmann::json& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ",") + item.get<std::string>();
  return out;
}

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

// Every coefficient of an equation table against R's names, estimates and SEs.
void expect_equation(const Table& t, const nlohmann::json& ref, double estimate_tolerance,
                     double se_tolerance) {
  ASSERT_EQ(t.rows.size(), ref.at("names").size()) << t.id;
  for (std::size_t j = 0; j < t.rows.size(); ++j) {
    const std::string name = ref.at("names")[j].get<std::string>();
    EXPECT_EQ(std::get<std::string>(t.rows[j][0]), name) << t.id;
    EXPECT_TRUE(
        near_relative(cell(t, j, "estimate"), ref.at("estimate")[j].get<double>(), estimate_tolerance))
        << t.id << " " << name;
    EXPECT_TRUE(near_relative(cell(t, j, "std.error"), ref.at("std_error")[j].get<double>(), se_tolerance))
        << t.id << " " << name << " SE";
  }
}

// Two-step: the same probit IRLS as R's glm and closed forms after it, so agreement is to rounding.
constexpr double kTwoStep = 1e-8;
// ML: our Newton on the analytic Hessian and R's BFGS + Newton polish reach the same maximum (estimates
// agree to ~3e-12), so 1e-9. R's SEs come from optimHess, central differences of the analytic gradient
// with step 1e-5, whose truncation and rounding errors are ~1e-7 of an SE (measured: 1.0e-7), so 1e-6.
constexpr double kMlEstimate = 1e-9;
constexpr double kMlSe = 1e-6;

class HeckmanMatchesR : public ::testing::TestWithParam<std::string> {};

TEST_P(HeckmanMatchesR, EquationsSigmaRho) {
  const nlohmann::json& ref = heckman_reference().at(GetParam());
  const bool ml = ref.at("method") == "ml";
  const double est_tol = ml ? kMlEstimate : kTwoStep;
  const double se_tol = ml ? kMlSe : kTwoStep;
  const Estimate e = find_estimator("heckman").run(
      heckman_data(),
      heckman_args(join(ref.at("selection_covariates")), ref.at("method").get<std::string>()));

  expect_equation(table(e, "selection"), ref.at("selection"), est_tol, se_tol);
  expect_equation(table(e, "outcome"), ref.at("outcome"), est_tol, se_tol);
  const auto& outcome = ref.at("outcome");
  ASSERT_EQ(e.terms.size(), outcome.at("names").size());
  for (std::size_t j = 0; j < e.terms.size(); ++j) {
    EXPECT_EQ(e.terms[j].term, outcome.at("names")[j].get<std::string>());
    EXPECT_TRUE(near_relative(e.terms[j].estimate, outcome.at("estimate")[j].get<double>(), est_tol));
    EXPECT_TRUE(near_relative(e.terms[j].std_error, outcome.at("std_error")[j].get<double>(), se_tol));
  }
  EXPECT_EQ(e.terms[1].term, "training");
  EXPECT_DOUBLE_EQ(e.estimate, e.terms[1].estimate);
  EXPECT_DOUBLE_EQ(e.se, e.terms[1].std_error);
  if (!ml) {  // t tests on the outcome regression's df, as lm and micEcon's heckit
    EXPECT_EQ(e.terms.back().term, "invMillsRatio");
    EXPECT_EQ(e.diagnostics.at("df"), outcome.at("df").get<double>());
    for (std::size_t j = 0; j < e.terms.size(); ++j)
      EXPECT_TRUE(near_relative(e.terms[j].p_value, outcome.at("p_value")[j].get<double>(), 1e-6));
  }
  EXPECT_EQ(e.se_type, ml ? "mle" : "heckman");

  const auto& d = e.diagnostics;
  EXPECT_TRUE(near_relative(d.at("sigma"), ref.at("sigma").get<double>(), est_tol)) << "sigma";
  EXPECT_TRUE(near_relative(d.at("rho"), ref.at("rho").get<double>(), est_tol)) << "rho";
  EXPECT_TRUE(near_relative(d.at("inverse_mills"), ref.at("inverse_mills").get<double>(), est_tol));
  EXPECT_TRUE(near_relative(d.at("inverse_mills_se"), ref.at("inverse_mills_se").get<double>(), se_tol));
  EXPECT_EQ(d.at("n_selected"), ref.at("n_selected").get<double>());
  EXPECT_EQ(d.at("n_censored"), ref.at("n_censored").get<double>());
  EXPECT_EQ(e.n, heckman_data().rows());
  if (ml) {
    EXPECT_TRUE(near_relative(d.at("sigma_se"), ref.at("sigma_se").get<double>(), kMlSe));
    EXPECT_TRUE(near_relative(d.at("rho_se"), ref.at("rho_se").get<double>(), kMlSe));
    EXPECT_TRUE(near_relative(d.at("loglik"), ref.at("loglik").get<double>(), 1e-10));
  }
}

INSTANTIATE_TEST_SUITE_P(Fixture, HeckmanMatchesR,
                         ::testing::Values("twostep", "ml", "twostep_no_exclusion", "ml_no_exclusion"));

TEST(Heckman, InverseMillsRatioOfEveryRow) {
  const Estimate e =
      find_estimator("heckman").run(heckman_data(), heckman_args(kSelectionCovariates, "twostep"));
  const auto& lambda = e.row_outputs.at("inverse_mills_ratio");
  const auto& ref = heckman_reference().at("inverse_mills_ratio");
  ASSERT_EQ(lambda.size(), ref.size());
  for (std::size_t i = 0; i < lambda.size(); ++i)
    ASSERT_TRUE(near_relative(lambda[i], ref[i].get<double>(), kTwoStep)) << "row " << i + 1;
}

TEST(Heckman, CorrectionMovesTheEstimateFromTheNaiveRegression) {
  // The fixture's selection favours the trained, so OLS on workers alone is biased; the corrected
  // estimate differs from it and both are reported.
  const Estimate e =
      find_estimator("heckman").run(heckman_data(), heckman_args(kSelectionCovariates, "twostep"));
  EXPECT_NE(e.diagnostics.at("estimate_selected_ols"), e.estimate);
  EXPECT_TRUE(e.notes.empty()) << e.notes.front();
}

TEST(Heckman, NoExclusionRestrictionIsNoted) {
  const Estimate e =
      find_estimator("heckman").run(heckman_data(), heckman_args("training,educ,exper,region", "twostep"));
  ASSERT_FALSE(e.notes.empty());
  EXPECT_CONTAINS(e.notes.front(), "no exclusion restriction");
  // Here the two-step ρ̂ leaves [-1, 1] (R: 1.18), which sampleSelection reports as computed.
  ASSERT_GT(std::abs(e.diagnostics.at("rho")), 1);
  EXPECT_CONTAINS(e.notes.back(), "lies outside [-1, 1]");
}

// Greene (2003) example 22.8 on the Mroz data: wage ~ exper + exper² + educ + city, selection
// lfp ~ age + age² + faminc + kids + educ; educ is the treatment.
TEST(Heckman, MrozTwoStepMatchesPublishedHeckit) {
  const Dataset mroz = read_csv(testing::fixture_path("heckman_mroz.csv"));
  const Estimate e = find_estimator("heckman").run(
      mroz,
      testing::example_args("wage", "educ", {"exper", "exper2", "city"},
                            {{"selection", "lfp"}, {"selection_covariates", "age,age2,faminc,kids,educ"}}));
  const nlohmann::json& ref = heckman_reference().at("mroz");
  // Against the same formulas in R, to rounding.
  std::map<std::string, const Term*> terms;
  for (const auto& t : e.terms) terms[t.term] = &t;
  const auto& outcome = ref.at("outcome");
  for (std::size_t j = 0; j < outcome.at("names").size(); ++j) {
    const Term& t = *terms.at(outcome.at("names")[j].get<std::string>());
    EXPECT_TRUE(near_relative(t.estimate, outcome.at("estimate")[j].get<double>(), kTwoStep)) << t.term;
    EXPECT_TRUE(near_relative(t.std_error, outcome.at("std_error")[j].get<double>(), kTwoStep)) << t.term;
  }
  // Against micEcon's printed output (6 decimals; σ and ρ to 5): estimates within half a unit of the
  // last digit; SEs within one, since micEcon took the probit's variance from glm, which evaluates the
  // information at its last iterate but one (here 2.8e-7 of the intercept's SE, 5.7e-7 absolute).
  const auto& published = ref.at("published");
  for (const auto& [name, value] : published.at("estimate").items())
    EXPECT_NEAR(terms.at(name)->estimate, value.get<double>(), 5e-7) << name;
  for (const auto& [name, value] : published.at("std_error").items())
    EXPECT_NEAR(terms.at(name)->std_error, value.get<double>(), 1e-6) << name << " SE";
  EXPECT_NEAR(e.diagnostics.at("sigma"), published.at("sigma").get<double>(), 5e-6);
  EXPECT_NEAR(e.diagnostics.at("rho"), published.at("rho").get<double>(), 5e-6);
  EXPECT_DOUBLE_EQ(e.estimate, terms.at("educ")->estimate);
}

// ---- bad input ---------------------------------------------------------------------------------

Dataset with_column(Dataset data, const std::string& name, std::vector<double> values) {
  data.add_column({name, std::move(values), {}});
  return data;
}

std::string heckman_error(const Dataset& data, const EstimatorArgs& args) {
  return testing::input_error("heckman", data, args);
}

TEST(HeckmanBadInput, SelectionNotBinary) {
  EstimatorArgs args = heckman_args(kSelectionCovariates, "twostep");
  args.options["selection"] = "kids";
  args.options["selection_covariates"] = "training,educ,exper,age,other_income";
  EXPECT_CONTAINS(heckman_error(heckman_data(), args), "selection 'kids' must be 0/1 for heckman; row");
}

TEST(HeckmanBadInput, SelectionOptionsMissing) {
  EstimatorArgs args = heckman_args(kSelectionCovariates, "twostep");
  args.options.erase("selection");
  EXPECT_CONTAINS(heckman_error(heckman_data(), args), "heckman needs option selection=<column>");
  args = heckman_args(kSelectionCovariates, "twostep");
  args.options.erase("selection_covariates");
  EXPECT_CONTAINS(heckman_error(heckman_data(), args), "heckman needs option selection_covariates=");
}

TEST(HeckmanBadInput, PerfectSeparationInTheSelectionEquation) {
  std::vector<double> separating;
  for (const double s : heckman_data().column("works").values) separating.push_back(3 * s - 1);
  const Dataset data = with_column(heckman_data(), "hours_positive", separating);
  EXPECT_CONTAINS(heckman_error(data, heckman_args("kids,hours_positive", "twostep")),
                  "perfect separation in the selection equation: 'hours_positive' is at most -1 on every row "
                  "with works = 0 and at least 2 on every row with works = 1");
  // Separated by a combination only (a + b > 0 exactly when works = 1): the probit's own failure.
  std::vector<double> a, b;
  const auto& works = heckman_data().column("works").values;
  for (std::size_t i = 0; i < works.size(); ++i) {
    const double u = std::sin(1.3 * static_cast<double>(i)) * 3;
    a.push_back(u);
    b.push_back((works[i] == 1 ? 1.0 : -1.0) - u + 0.01 * std::cos(static_cast<double>(i)));
  }
  const Dataset combined = with_column(with_column(heckman_data(), "a", a), "b", b);
  EXPECT_CONTAINS(heckman_error(combined, heckman_args("kids,a,b", "twostep")),
                  "perfect separation in the selection equation: the probit of 'works' on kids, a, b");
}

TEST(HeckmanBadInput, NoSelectedRows) {
  const Dataset data = with_column(heckman_data(), "nobody", std::vector<double>(heckman_data().rows(), 0.0));
  EstimatorArgs args = heckman_args(kSelectionCovariates, "twostep");
  args.options["selection"] = "nobody";
  EXPECT_CONTAINS(heckman_error(data, args),
                  "heckman: no row has nobody = 1, so the outcome 'log_wage' is observed");
  const Dataset all =
      with_column(heckman_data(), "everybody", std::vector<double>(heckman_data().rows(), 1.0));
  args.options["selection"] = "everybody";
  EXPECT_CONTAINS(heckman_error(all, args), "every row has everybody = 1");
}

TEST(HeckmanBadInput, OutcomeMissingOnSelectedRows) {
  Dataset data = heckman_data();
  auto& wage = data.column("log_wage").values;
  const auto& works = data.column("works").values;
  std::size_t first = 0;
  while (works[first] != 1) ++first;
  wage[first] = NAN;
  EXPECT_CONTAINS(heckman_error(data, heckman_args(kSelectionCovariates, "twostep")),
                  "heckman_data.csv: outcome 'log_wage' is missing on 1 row with works = 1 (first at row " +
                      std::to_string(first + 1) +
                      "); heckman needs it wherever works = 1 (it may be NA where works = 0)");
}

TEST(HeckmanBadInput, SelectionCovariateMissingOrTheOutcome) {
  EXPECT_CONTAINS(heckman_error(heckman_data(), heckman_args("kids,nope", "twostep")),
                  "selection covariate column 'nope' not found");
  EXPECT_CONTAINS(heckman_error(heckman_data(), heckman_args("kids,log_wage", "twostep")),
                  "selection covariate 'log_wage' is the outcome");
}

TEST(HeckmanBadInput, MaximumLikelihoodOutOfIterations) {
  EstimatorArgs args = heckman_args(kSelectionCovariates, "ml");
  args.options["max_iterations"] = "1";
  EXPECT_CONTAINS(heckman_error(heckman_data(), args), "maximum likelihood did not converge in 1 iterations");
}

TEST(HeckmanBadInput, InstrumentsAndClusterRejected) {
  EstimatorArgs args = heckman_args(kSelectionCovariates, "twostep");
  args.instruments = {"kids"};
  EXPECT_CONTAINS(heckman_error(heckman_data(), args), "heckman does not take instruments");
  args = heckman_args(kSelectionCovariates, "twostep");
  args.cluster = "region";
  EXPECT_CONTAINS(heckman_error(heckman_data(), args), "heckman does not take a cluster column");
}

}  // namespace
}  // namespace casebook
