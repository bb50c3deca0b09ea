// Each kind of bad input is an InputError with one line that names the column at fault.
#include <cmath>
#include <functional>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "estimators/estimator.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

// 40 rows of deterministic, unpatterned data with every kind of column the checks need.
Dataset bad_data() {
  constexpr std::size_t n = 40;
  std::vector<double> y, t, x, x_dup, z, z_const, t_const, t_three, t_single, y_gap, cat, g, g_one;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = static_cast<double>(i);
    y.push_back(std::sin(1.7 * u) + 0.1 * u);
    t.push_back(static_cast<double>((i * 7) % 3 == 0));
    x.push_back(std::cos(2.3 * u));
    x_dup.push_back(2 * std::cos(2.3 * u) + 1);
    z.push_back(static_cast<double>((i * 5) % 2));
    z_const.push_back(1);
    t_const.push_back(1);
    t_three.push_back(static_cast<double>(i % 3));
    t_single.push_back(i == 4 ? 1 : 0);
    y_gap.push_back(i == 6 ? NAN : u);
    cat.push_back(static_cast<double>(i % 2));
    g.push_back(static_cast<double>(i % 8));
    g_one.push_back(3);
  }
  Dataset data("bad.csv");
  data.add_column({"y", y, {}});
  data.add_column({"t", t, {}});
  data.add_column({"x", x, {}});
  data.add_column({"x_dup", x_dup, {}});
  data.add_column({"z", z, {}});
  data.add_column({"z_const", z_const, {}});
  data.add_column({"t_const", t_const, {}});
  data.add_column({"t_three", t_three, {}});
  data.add_column({"t_single", t_single, {}});
  data.add_column({"y_gap", y_gap, {}});
  data.add_column({"cat", cat, {"control", "treated"}});
  data.add_column({"g", g, {}});
  data.add_column({"g_one", g_one, {}});
  return data;
}

EstimatorArgs base_args() {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  return args;
}

// Runs the estimator on bad_data() and returns the InputError's message ("" if none was thrown).
std::string input_error(const std::string& estimator, const EstimatorArgs& args) {
  return testing::input_error(estimator, bad_data(), args);
}

const std::vector<std::string> kAll{"difference-in-means", "ols", "2sls"};

EstimatorArgs with_instrument(EstimatorArgs args, const std::string& estimator) {
  if (estimator == "2sls") args.instruments = {"z"};
  return args;
}

TEST(BadInput, TreatmentColumnMissing) {
  for (const auto& estimator : kAll) {
    EstimatorArgs args = with_instrument(base_args(), estimator);
    args.treatment = "nope";
    EXPECT_CONTAINS(input_error(estimator, args),
                    "bad.csv: treatment column 'nope' not found (columns: y, t,");
  }
}

TEST(BadInput, TreatmentNotSet) {
  for (const auto& estimator : kAll) {
    EstimatorArgs args = with_instrument(base_args(), estimator);
    args.treatment.clear();
    EXPECT_CONTAINS(input_error(estimator, args), "needs a treatment column (treatment is empty)");
  }
}

TEST(BadInput, TreatmentCategorical) {
  for (const auto& estimator : kAll) {
    EstimatorArgs args = with_instrument(base_args(), estimator);
    args.treatment = "cat";
    EXPECT_CONTAINS(input_error(estimator, args),
                    "treatment 'cat' is categorical (levels: control, treated)");
  }
}

TEST(BadInput, TreatmentConstant) {
  for (const auto& estimator : kAll) {
    EstimatorArgs args = with_instrument(base_args(), estimator);
    args.treatment = "t_const";
    EXPECT_EQ(input_error(estimator, args),
              "bad.csv: treatment 't_const' is constant (all 1): nothing to compare");
  }
}

TEST(BadInput, OutcomeMissingValues) {
  for (const auto& estimator : kAll) {
    EstimatorArgs args = with_instrument(base_args(), estimator);
    args.outcome = "y_gap";
    EXPECT_CONTAINS(input_error(estimator, args), "column 'y_gap' has 1 missing value (first at row 7)");
  }
}

TEST(BadInput, CovariateMissingValues) {
  for (const std::string estimator : {"ols", "2sls"}) {
    EstimatorArgs args = with_instrument(base_args(), estimator);
    args.covariates = {"x", "y_gap"};
    args.outcome = "x_dup";
    EXPECT_CONTAINS(input_error(estimator, args), "column 'y_gap' has 1 missing value");
  }
}

TEST(BadInput, ConfidenceLevelOutsideUnitInterval) {
  for (const auto& estimator : kAll) {
    for (double level : {0.0, 1.0, 95.0}) {
      EstimatorArgs args = with_instrument(base_args(), estimator);
      args.confidence_level = level;
      EXPECT_CONTAINS(input_error(estimator, args), "confidence_level");
    }
  }
}

TEST(BadInput, TreatmentAlsoCovariate) {
  EstimatorArgs args = base_args();
  args.covariates = {"x", "t"};
  EXPECT_CONTAINS(input_error("ols", args), "treatment 't' is also listed as a covariate");
}

TEST(BadInput, DifferenceInMeansArmWithOneRow) {
  EstimatorArgs args = base_args();
  args.treatment = "t_single";
  EXPECT_CONTAINS(input_error("difference-in-means", args),
                  "treatment 't_single' has only 1 row with t_single = 1");
}

TEST(BadInput, DifferenceInMeansTreatmentNotBinary) {
  EstimatorArgs args = base_args();
  args.treatment = "t_three";
  EXPECT_CONTAINS(input_error("difference-in-means", args), "treatment 't_three' must be 0/1");
}

TEST(BadInput, DifferenceInMeansRejectsCovariatesAndCluster) {
  EstimatorArgs args = base_args();
  args.covariates = {"x"};
  EXPECT_CONTAINS(input_error("difference-in-means", args), "does not take covariates");
  args = base_args();
  args.cluster = "g";
  EXPECT_CONTAINS(input_error("difference-in-means", args), "does not take a cluster column");
}

TEST(BadInput, OlsRankDeficientNamesColumns) {
  EstimatorArgs args = base_args();
  args.covariates = {"x", "x_dup"};
  EXPECT_EQ(
      input_error("ols", args),
      "design is rank-deficient: 'x_dup' is a linear combination of '(Intercept)', 'x'; drop or recode one "
      "of these columns");
}

TEST(BadInput, OlsCovariateMissingAndClusterProblems) {
  EstimatorArgs args = base_args();
  args.covariates = {"w"};
  EXPECT_CONTAINS(input_error("ols", args), "covariate column 'w' not found");
  args = base_args();
  args.cluster = "g_one";
  EXPECT_CONTAINS(input_error("ols", args), "cluster column 'g_one' has 1 distinct value");
  args = base_args();
  args.cluster = "g";
  args.se_type = "hc3";
  EXPECT_CONTAINS(input_error("ols", args), "se_type 'hc3' cannot be combined with cluster 'g'");
  args = base_args();
  args.se_type = "hc7";
  EXPECT_CONTAINS(input_error("ols", args), "unknown se_type 'hc7'");
  args = base_args();
  args.instruments = {"z"};
  EXPECT_CONTAINS(input_error("ols", args), "ols does not take instruments");
}

TEST(BadInput, TwoStageLeastSquaresWithoutInstruments) {
  EXPECT_CONTAINS(input_error("2sls", base_args()), "2sls needs at least one instrument");
}

TEST(BadInput, TwoStageLeastSquaresInstrumentMissing) {
  EstimatorArgs args = base_args();
  args.instruments = {"z_nope"};
  EXPECT_CONTAINS(input_error("2sls", args), "instrument column 'z_nope' not found");
}

TEST(BadInput, TwoStageLeastSquaresInstrumentAlsoCovariate) {
  EstimatorArgs args = base_args();
  args.instruments = {"z"};
  args.covariates = {"x", "z"};
  EXPECT_CONTAINS(input_error("2sls", args), "instrument 'z' is also listed as a covariate");
}

TEST(BadInput, TwoStageLeastSquaresInstrumentIsTreatment) {
  EstimatorArgs args = base_args();
  args.instruments = {"t"};
  EXPECT_CONTAINS(input_error("2sls", args), "instrument 't' is the treatment itself");
}

TEST(BadInput, TwoStageLeastSquaresConstantInstrument) {
  EstimatorArgs args = base_args();
  args.instruments = {"z", "z_const"};
  EXPECT_EQ(input_error("2sls", args),
            "bad.csv: instrument 'z_const' is constant (all 1): it cannot move the treatment");
}

TEST(BadInput, TwoStageLeastSquaresCollinearInstrumentsNamed) {
  EstimatorArgs args = base_args();
  args.instruments = {"x_dup"};
  args.covariates = {"x"};
  EXPECT_EQ(
      input_error("2sls", args),
      "design is rank-deficient: 'x_dup' is a linear combination of '(Intercept)', 'x'; drop or recode one "
      "of these columns");
}

TEST(Registry, UnknownEstimatorListsKnownOnes) {
  try {
    find_estimator("olz");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    // Other estimators join the registry over time (new ones right after ols): check the start of
    // the list and that a later one is in it.
    const std::string message = e.what();
    EXPECT_TRUE(message.starts_with("unknown estimator 'olz' (known: difference-in-means, ols, ")) << message;
    EXPECT_NE(message.find(", 2sls, "), std::string::npos) << message;
  }
  for (const auto& info : estimator_registry()) {
    EXPECT_EQ(&find_estimator(info.name), &info);
    EXPECT_FALSE(info.summary.empty());
    EXPECT_TRUE(info.run);
  }
  EXPECT_EQ(find_estimator("2sls").required,
            (std::vector<std::string>{"outcome", "treatment", "instruments"}));
}

TEST(Notes, WeakInstrumentIsFlagged) {
  EstimatorArgs args = base_args();
  args.instruments = {"x"};  // unrelated to t by construction
  const Estimate estimate = find_estimator("2sls").run(bad_data(), args);
  ASSERT_LT(estimate.diagnostics.at("first_stage_F"), 10);
  ASSERT_FALSE(estimate.notes.empty());
  EXPECT_CONTAINS(estimate.notes.front(), "weak instrument: first-stage F");
}

TEST(CategoricalCovariate, ExpandsToDummies) {
  // A two-level categorical covariate equals its 0/1 coding as a numeric covariate.
  Dataset data = bad_data();
  Column coded{"cat_numeric", data.column("cat").values, {}};
  data.add_column(coded);
  EstimatorArgs args = base_args();
  args.covariates = {"x", "cat"};
  const Estimate categorical = find_estimator("ols").run(data, args);
  args.covariates = {"x", "cat_numeric"};
  const Estimate numeric = find_estimator("ols").run(data, args);
  EXPECT_DOUBLE_EQ(categorical.estimate, numeric.estimate);
  EXPECT_DOUBLE_EQ(categorical.se, numeric.se);
  EXPECT_EQ(categorical.diagnostics.at("params"), 4);
}

}  // namespace
}  // namespace casebook
