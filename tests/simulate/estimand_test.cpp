// The truth of ATE, ATT, LATE, the RD effect at the cutoff and the QTE against models whose answers are known
// in closed form.
#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "model_builder.hpp"
#include "simulate/estimand.hpp"

namespace casebook {
namespace {

using testing::model_of;
using testing::variable;

EstimandSpec estimand_of(const std::string& type, const std::string& instrument = "") {
  return EstimandSpec{.id = type,
                      .type = type,
                      .treatment = std::string("t"),
                      .outcome = std::string("y"),
                      .instrument = instrument,
                      .where = std::string("cases/x/case.json: estimands[0]")};
}

// Compliance type from u ~ U(0, 1): compliers u < 0.3, always-takers 0.3 <= u < 0.5 (when
// `two_sided`), never-takers otherwise. The effect 1 + 2u grows with u, so
//   ATE = 1 + 2 E[u] = 2,   LATE = 1 + 2 E[u | u < 0.3] = 1.3,   complier share = 0.3.
StructuralModel noncompliance_model(bool two_sided) {
  return model_of({
      variable("u", "uniform(0, 1)", Role::latent),
      variable("x", "normal(0, 1)"),
      variable("z", "bernoulli(0.5)", Role::instrument),
      variable("t", two_sided ? "u < 0.3 ? z : (u < 0.5 ? 1 : 0)" : "u < 0.3 ? z : 0", Role::treatment),
      variable("y", "0.5 * x + t * (1 + 2 * u) + normal(0, 1)", Role::outcome),
  });
}

// The sample mean of 1 + 2u over the units `include` selects, and how many it selects.
template <class Include>
std::pair<double, std::size_t> mean_effect(const Dataset& data, Include include) {
  const auto& u = data.column("u").values;
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < u.size(); ++i)
    if (include(i)) {
      sum += 1 + 2 * u[i];
      ++count;
    }
  return {sum / static_cast<double>(count), count};
}

constexpr std::size_t kLargeN = 200000;

TEST(EstimandTruth, AteEqualsTheSampleMeanOfTheEffectAndItsExpectation) {
  const auto model = noncompliance_model(false);
  const Dataset factual = model.simulate(31, kLargeN);
  const double ate = estimand_truth(model, factual, estimand_of("ate"), 31);
  const auto [sample_ate, count] = mean_effect(factual, [](std::size_t) { return true; });
  EXPECT_NEAR(ate, sample_ate, 1e-12);  // exact for the sample, up to summation order
  const double se = (2 / std::sqrt(12.0)) / std::sqrt(static_cast<double>(kLargeN));
  EXPECT_NEAR(ate, 2.0, 4 * se);
}

TEST(EstimandTruth, LateWithOneSidedNoncompliance) {
  const auto model = noncompliance_model(false);
  const Dataset factual = model.simulate(32, kLargeN);
  const double late = estimand_truth(model, factual, estimand_of("late", "z"), 32);

  const auto& u = factual.column("u").values;
  const auto [sample_late, compliers] = mean_effect(factual, [&](std::size_t i) { return u[i] < 0.3; });
  EXPECT_NEAR(late, sample_late, 1e-12);

  const double share = static_cast<double>(compliers) / static_cast<double>(kLargeN);
  EXPECT_NEAR(share, 0.3, 4 * std::sqrt(0.3 * 0.7 / static_cast<double>(kLargeN)));
  // Effect among compliers: 1 + 2u with u ~ U(0, 0.3), sd 0.6 / sqrt(12).
  const double se = (0.6 / std::sqrt(12.0)) / std::sqrt(static_cast<double>(compliers));
  EXPECT_NEAR(late, 1.3, 4 * se);

  // One-sided: the treated are exactly the compliers with z = 1, so ATT = the same 1.3.
  const double att = estimand_truth(model, factual, estimand_of("att"), 32);
  const auto& t = factual.column("t").values;
  EXPECT_NEAR(att, mean_effect(factual, [&](std::size_t i) { return t[i] == 1; }).first, 1e-12);
  EXPECT_NEAR(att, 1.3, 6 * se);
}

TEST(EstimandTruth, LateWithAlwaysTakersCountsOnlyCompliers) {
  const auto model = noncompliance_model(true);
  const Dataset factual = model.simulate(33, kLargeN);
  const double late = estimand_truth(model, factual, estimand_of("late", "z"), 33);
  const auto& u = factual.column("u").values;
  EXPECT_NEAR(late, mean_effect(factual, [&](std::size_t i) { return u[i] < 0.3; }).first, 1e-12);
  const double att = estimand_truth(model, factual, estimand_of("att"), 33);
  // The treated: compliers with z = 1 and every always-taker (0.3 <= u < 0.5).
  const auto& t = factual.column("t").values;
  EXPECT_NEAR(att, mean_effect(factual, [&](std::size_t i) { return t[i] == 1; }).first, 1e-12);
  EXPECT_GT(att, late);
}

TEST(EstimandTruth, ConstantEffectIsExact) {
  const auto model = model_of({
      variable("z", "bernoulli(0.5)", Role::instrument),
      // Noise on a grid of 1/1024 keeps the arithmetic exact, so the truth is exactly 2.
      variable("x", "round(1024 * normal(0, 1)) / 1024"),
      variable("t", "bernoulli(logistic(x + 2 * z - 1))", Role::treatment),
      // z also moves y directly: the LATE truth is the effect of t, not the IV estimand.
      variable("y", "2 * t + 5 * z + x + round(1024 * normal(0, 1)) / 1024", Role::outcome),
  });
  const Dataset factual = model.simulate(34, 5000);
  EXPECT_EQ(estimand_truth(model, factual, estimand_of("ate"), 34), 2.0);
  EXPECT_EQ(estimand_truth(model, factual, estimand_of("att"), 34), 2.0);
  EXPECT_EQ(estimand_truth(model, factual, estimand_of("late", "z"), 34), 2.0);
}

void expect_input_error(const std::function<void()>& call, const std::string& fragment) {
  try {
    call();
    FAIL() << "expected InputError containing: " << fragment;
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cases/x/case.json: estimands[0]"), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(EstimandTruth, UndefinedEstimandsAreInputErrors) {
  const auto never_treated = model_of({
      variable("z", "bernoulli(0.5)", Role::instrument),
      variable("t", "0 * z", Role::treatment),
      variable("y", "t + normal(0, 1)", Role::outcome),
  });
  const Dataset factual = never_treated.simulate(1, 100);
  expect_input_error([&] { estimand_truth(never_treated, factual, estimand_of("att"), 1); },
                     "no unit has t = 1");
  expect_input_error([&] { estimand_truth(never_treated, factual, estimand_of("late", "z"), 1); },
                     "no unit is a complier");
  expect_input_error([&] { estimand_truth(never_treated, factual, estimand_of("qtx"), 1); },
                     "unknown estimand type 'qtx'");
  expect_input_error([&] { estimand_truth(never_treated, factual, estimand_of("late", "w"), 1); }, "'w'");
  auto bad_outcome = estimand_of("ate");
  bad_outcome.outcome = "revenue";
  expect_input_error([&] { estimand_truth(never_treated, factual, bad_outcome, 1); }, "'revenue'");

  const auto dose = model_of({
      variable("z", "bernoulli(0.5)", Role::instrument),
      variable("t", "2 * z + normal(0, 1)", Role::treatment),
      variable("y", "t + normal(0, 1)", Role::outcome),
  });
  const Dataset dose_data = dose.simulate(1, 100);
  expect_input_error([&] { estimand_truth(dose, dose_data, estimand_of("late", "z"), 1); },
                     "binary treatment");
  EXPECT_NEAR(estimand_truth(dose, dose_data, estimand_of("ate"), 1), 1.0, 1e-12);

  // A continuous covariate is no instrument for a LATE: compliers are defined by z = 1 against z = 0.
  const auto continuous = model_of({
      variable("x", "normal(0, 1)"),
      variable("t", "bernoulli(logistic(x))", Role::treatment),
      variable("y", "t + normal(0, 1)", Role::outcome),
  });
  const Dataset continuous_data = continuous.simulate(1, 100);
  expect_input_error([&] { estimand_truth(continuous, continuous_data, estimand_of("late", "x"), 1); },
                     "'x' must be 0/1, but it is");
}

EstimandSpec rd_estimand(double cutoff) {
  EstimandSpec e = estimand_of("rd");
  e.running = "x";
  e.cutoff = cutoff;
  return e;
}

// Sharp design, effect linear in the running variable: the local linear limit is exact.
TEST(EstimandTruth, RdSharpWithAnEffectLinearInTheRunningVariableIsExact) {
  const auto model = model_of({
      variable("x", "uniform(-1, 1)"),
      variable("t", "x >= 0.25", Role::treatment),
      variable("y", "x + x * x + t * (2 + 3 * (x - 0.25)) + normal(0, 1)", Role::outcome),
  });
  const Dataset factual = model.simulate(41, 20000);
  EXPECT_NEAR(estimand_truth(model, factual, rd_estimand(0.25), 41), 2.0, 1e-9);
}

// A curved effect 2 + 4x²: the fit over the nearest tenth (h ≈ 0.1) leaves an O(h²) bias,
// 4·E_K[u²] ≈ 4·h²/6 ≈ 0.007 for triangular weights over |u| < h.
TEST(EstimandTruth, RdSharpWithACurvedEffectIsCloseToTheLimit) {
  const auto model = model_of({
      variable("x", "uniform(-1, 1)"),
      variable("t", "x >= 0", Role::treatment),
      variable("y", "x + t * (2 + 4 * x * x) + normal(0, 1)", Role::outcome),
  });
  const Dataset factual = model.simulate(42, 20000);
  EXPECT_NEAR(estimand_truth(model, factual, rd_estimand(0), 42), 2.0, 0.01);
}

// Fuzzy design: the threshold moves only units with 0.2 <= u < 0.8, whose mean effect
// 1 + 2·E[u² | 0.2 <= u < 0.8] = 1 + 2·0.28 = 1.56 differs from the population's 1 + 2/3.
TEST(EstimandTruth, RdFuzzyIsTheEffectAmongThoseTheThresholdMoves) {
  const auto model = model_of({
      variable("u", "uniform(0, 1)", Role::latent),
      variable("x", "uniform(-1, 1)"),
      variable("t", "x >= 0 ? u < 0.8 : u < 0.2", Role::treatment),
      variable("y", "x + t * (1 + 2 * u * u) + normal(0, 1)", Role::outcome),
  });
  const Dataset factual = model.simulate(43, kLargeN);
  // The sd of 2u² over U(0.2, 0.8) is about 0.35; about 12,000 compliers carry the fit, whose
  // intercept has roughly twice the variance of their mean: SE ≈ 0.35·2/√12000 ≈ 0.0064.
  EXPECT_NEAR(estimand_truth(model, factual, rd_estimand(0), 43), 1.56, 4 * 0.0064);
}

TEST(EstimandTruth, RdWithoutUnitsMovedByTheThresholdIsAnError) {
  const auto model = model_of({
      variable("x", "uniform(-1, 1)"),
      variable("t", "bernoulli(0.5)", Role::treatment),
      variable("y", "x + t + normal(0, 1)", Role::outcome),
  });
  const Dataset factual = model.simulate(44, 1000);
  expect_input_error([&] { estimand_truth(model, factual, rd_estimand(0), 44); },
                     "the effect at the cutoff is undefined: 0 unit(s) switch t from 0 to 1 when x "
                     "crosses 0");
}

EstimandSpec qte_estimand(double quantile) {
  EstimandSpec e = estimand_of("qte");
  e.quantile = quantile;
  return e;
}

// R's quantile(values, q, type = 1), written out: the ceil(q n)-th smallest value.
double type1_quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1];
}

// Y(0) = z and Y(1) = 1 + 2z keep every unit's rank, so the q-quantile of Y(1) is 1 + 2 times
// that of Y(0): the QTE is 1 + Q_z(q), larger in the upper tail.
TEST(EstimandTruth, QteIsTheDifferenceOfThePotentialOutcomesQuantiles) {
  const auto model = model_of({
      variable("z", "normal(0, 1)", Role::latent),
      variable("t", "bernoulli(0.5)", Role::treatment),
      variable("y", "z + t * (1 + z)", Role::outcome),
  });
  const Dataset factual = model.simulate(45, 5001);
  const std::vector<double>& z = factual.column("z").values;
  for (double q : {0.1, 0.5, 0.9}) {
    EXPECT_NEAR(estimand_truth(model, factual, qte_estimand(q), 45), 1 + type1_quantile(z, q), 1e-12)
        << "q = " << q;
  }
  EXPECT_NEAR(estimand_truth(model, factual, qte_estimand(0.9), 45), 1 + 1.2816, 0.06);
}

// Y(1) = -z reverses every unit's rank but leaves the distribution as it was (z is symmetric):
// the QTE at q = 0.9 is about 0, while the 0.9-quantile of the unit effects -2z is about
// +2·1.28. The estimand is the former.
TEST(EstimandTruth, QteIsNotAQuantileOfTheUnitEffects) {
  const auto model = model_of({
      variable("z", "normal(0, 1)", Role::latent),
      variable("t", "bernoulli(0.5)", Role::treatment),
      variable("y", "z - t * 2 * z", Role::outcome),
  });
  const Dataset factual = model.simulate(46, 5000);
  EXPECT_NEAR(estimand_truth(model, factual, qte_estimand(0.9), 46), 0, 0.1);
}

TEST(EstimandTruth, QteOutsideTheUnitIntervalIsAnError) {
  const auto model = model_of({
      variable("t", "bernoulli(0.5)", Role::treatment),
      variable("y", "t + normal(0, 1)", Role::outcome),
  });
  const Dataset factual = model.simulate(47, 100);
  expect_input_error([&] { estimand_truth(model, factual, qte_estimand(1.5), 47); },
                     "quantile: 1.5 is not in (0, 1)");
}

// ACME = ½[δ(1) + δ(0)] with δ(t) = E[Y(t, M(1)) − Y(t, M(0))]. M(1) − M(0) = 2 for every unit
// and Y moves by 0.5 + 0.3t per unit of M (through w, which reads the held mediator), so
// δ(0) = 1, δ(1) = 1.6 and the ACME is 1.3 exactly; the direct path t → y adds nothing to it.
TEST(EstimandTruth, AcmeHoldsTheMediatorAtItsValueUnderTheOtherArm) {
  const auto model = model_of({
      variable("t", "bernoulli(0.5)", Role::treatment),
      variable("m", "1 + 2 * t + normal(0, 1)"),
      variable("w", "0.5 * m + normal(0, 1)"),
      variable("y", "w + t + 0.3 * t * m + normal(0, 1)", Role::outcome),
  });
  const Dataset factual = model.simulate(48, 2000);
  EstimandSpec acme = estimand_of("acme");
  acme.mediator = "m";
  EXPECT_NEAR(estimand_truth(model, factual, acme, 48), 1.3, 1e-12);
  acme.mediator = "w";  // the part through w is all of it; t's direct path and t·m are not
  EXPECT_NEAR(estimand_truth(model, factual, acme, 48), 1.0, 1e-12);
  acme.mediator = "nowhere";
  expect_input_error([&] { estimand_truth(model, factual, acme, 48); },
                     "mediator: 'nowhere' is not a variable");
}

}  // namespace
}  // namespace casebook
