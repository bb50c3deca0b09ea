// synthdid against the R package synthdid itself (Arkhangelsky, Athey, Hirshberg, Imbens & Wager
// 2021), default arguments: tests/fixtures/synthdid_panel.csv and synthdid_reference.json are copies
// of /work/shared/references/synthdid/{panel_simulated.csv, synthdid_reference.json}, computed by the
// package's own code (not in this project) — 40 units × 30 periods, the last 3 units treated for the
// last 8 periods. Estimates, jackknife SEs (vcov(method = "jackknife")), ω and λ of synthdid_estimate,
// sc_estimate and did_estimate to 1e-10 (the same algorithm: the differences seen are ~1e-14, printed
// at the end of the run); and the bad-input errors. The placebo and bootstrap SEs (option se) use
// casebook's draws, not R's, so they are checked by what holds exactly: each replicate re-computed
// from its draw, did's placebo replicates against a DiD computed here, 0 when every donor is alike,
// the same numbers on any thread count.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/synthdid.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

const std::map<std::string, std::string> kPanelOptions{{"unit", "unit"}, {"time", "time"}};

const testing::RegisterExample kExample{
    "synthdid", {"synthdid_panel.csv", testing::example_args("y", "treated", {}, kPanelOptions), false}};

using testing::near_relative;

const Dataset& panel() {
  static const Dataset data = read_csv(testing::fixture_path("synthdid_panel.csv"));
  return data;
}

const nlohmann::json& reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(testing::fixture_path("synthdid_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return ref;
}

EstimatorArgs args_with(const std::string& method) {
  EstimatorArgs args = testing::example_args("y", "treated", {}, kPanelOptions);
  args.options["method"] = method;
  return args;
}

// Weights are compared on the absolute scale (they sum to 1; many are exactly 0).
void expect_weights(const Eigen::VectorXd& actual, const std::vector<std::string>& names,
                    const nlohmann::json& expected) {
  ASSERT_EQ(static_cast<std::size_t>(actual.size()), expected.size());
  ASSERT_EQ(names.size(), expected.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    SCOPED_TRACE(names[k]);
    EXPECT_TRUE(
        near_relative(actual(static_cast<Eigen::Index>(k)), expected.at(names[k]).get<double>(), 1e-6, 1));
  }
}

TEST(Synthdid, MatchesTheRPackageForEveryMethod) {
  for (const std::string method : {"sdid", "sc", "did"}) {
    SCOPED_TRACE(method);
    const SynthdidFit fit = synthdid_fit(panel(), args_with(method));
    EXPECT_EQ(fit.donors.size(), 37u);
    EXPECT_EQ(fit.treated, (std::vector<std::string>{"u38", "u39", "u40"}));
    ASSERT_EQ(fit.cohorts.size(), 1u);
    const SynthdidCohort& block = fit.cohorts.front();
    EXPECT_EQ(block.pre_periods, 22);
    EXPECT_EQ(block.weight, 1.0);
    EXPECT_EQ(block.estimate, fit.estimate);
    EXPECT_TRUE(near_relative(block.noise_level, reference()["noise_level"].get<double>(), 1e-10));
    EXPECT_TRUE(near_relative(fit.estimate, reference()["estimates"][method].get<double>(), 1e-10));
    EXPECT_TRUE(near_relative(fit.jackknife_se, reference()["jackknife_se"][method].get<double>(), 1e-10));
    if (method == "did") {
      EXPECT_TRUE(block.omega.isApprox(Eigen::VectorXd::Constant(37, 1.0 / 37)));
      EXPECT_TRUE(block.lambda.isApprox(Eigen::VectorXd::Constant(22, 1.0 / 22)));
      continue;
    }
    expect_weights(block.omega, fit.donors, reference()[method + "_omega"]);
    if (method == "sdid") {
      std::vector<std::string> periods;
      for (Eigen::Index t = 0; t < block.pre_periods; ++t)
        periods.push_back(fmt::format("{}", fit.times[static_cast<std::size_t>(t)]));
      expect_weights(block.lambda, periods, reference()["sdid_lambda"]);
    } else {
      EXPECT_TRUE(block.lambda.isZero(0));
    }
  }
}

TEST(Synthdid, ReportsWeightsDiagnosticsAndThePlot) {
  const Estimate e = find_estimator("synthdid").run(panel(), args_with("sdid"));
  EXPECT_EQ(e.se_type, "jackknife");
  EXPECT_EQ(e.n, 1200u);
  EXPECT_TRUE(near_relative(e.estimate, reference()["estimates"]["sdid"].get<double>(), 1e-8));
  EXPECT_NEAR(e.ci_low, e.estimate - 1.959963984540054 * e.se, 1e-12);  // normal, as synthdid's CI
  EXPECT_EQ(e.diagnostics.at("donors"), 37);
  EXPECT_EQ(e.diagnostics.at("treated_units"), 3);
  EXPECT_EQ(e.diagnostics.at("n_periods_with_weight"), 2);
  // ζ = (N1·T1)^(1/4)·σ̂ = 24^(1/4)·σ̂.
  EXPECT_NEAR(e.diagnostics.at("zeta"), std::pow(24.0, 0.25) * reference()["noise_level"].get<double>(),
              1e-9);
  EXPECT_GT(e.diagnostics.at("pre_rmse"), 0);
  ASSERT_EQ(e.tables.size(), 2u);
  EXPECT_EQ(e.tables[0].id, "unit_weights");
  EXPECT_EQ(e.tables[0].rows.size(), 37u);
  EXPECT_EQ(e.tables[1].id, "time_weights");
  ASSERT_EQ(e.plots.size(), 1u);
  EXPECT_EQ(e.plots[0].kind, "lines");
  ASSERT_EQ(e.plots[0].series.size(), 2u);
  // The estimate is the mean post-period gap between the treated average and its counterfactual.
  const auto& treated = e.plots[0].series[0].y;
  const auto& counterfactual = e.plots[0].series[1].y;
  double gap = 0;
  for (std::size_t t = 22; t < 30; ++t) gap += (treated[t] - counterfactual[t]) / 8;
  EXPECT_NEAR(gap, e.estimate, 1e-10);
}

TEST(Synthdid, ExactlyParallelDonorsGiveNumbersOrOneLine) {
  // Every unit moves by the same amount each period: the noise level and so ζ are 0 and every donor
  // fits the treated average exactly up to a constant. sdid and did still give finite numbers; sc's
  // solver (no intercept) puts all the weight on one donor, where the jackknife is undefined.
  Dataset data = panel();
  auto& y = data.column("y").values;
  for (std::size_t row = 0; row < y.size(); ++row) y[row] = static_cast<double>(row / 30 + row % 30);
  for (const std::string method : {"sdid", "did"}) {
    SCOPED_TRACE(method);
    const Estimate e = find_estimator("synthdid").run(data, args_with(method));
    EXPECT_EQ(e.diagnostics.at("noise_level"), 0);
    EXPECT_NEAR(e.estimate, 0, 1e-12);
    EXPECT_TRUE(std::isfinite(e.se) && std::isfinite(e.ci_low) && std::isfinite(e.p_value));
  }
  const std::string message = testing::input_error("synthdid", data, args_with("sc"));
  EXPECT_CONTAINS(message, "a single donor carries all the unit weight");
}

Dataset modified(const std::function<void(Dataset&)>& change) {
  Dataset data = panel();
  change(data);
  return data;
}

// Rows of the fixture: unit k (0-based) has rows 30k .. 30k+29, periods 2001..2030.
Dataset without_rows(const Dataset& data, std::size_t from, std::size_t to) {
  Dataset out(data.source());
  for (const auto& column : data.columns()) {
    Column kept{column.name, {}, column.levels};
    for (std::size_t row = 0; row < column.values.size(); ++row)
      if (row < from || row >= to) kept.values.push_back(column.values[row]);
    out.add_column(std::move(kept));
  }
  return out;
}

TEST(Synthdid, BadInputIsOneLine) {
  const EstimatorArgs args = args_with("sdid");
  // Unit u39 (rows 1140..1169) adopts one period later than u38 and u40: a cohort of one.
  const Dataset staggered = modified([](Dataset& d) { d.column("treated").values[1140 + 22] = 0; });
  EXPECT_CONTAINS(testing::input_error("synthdid", staggered, args),
                  "one unit adopts at time = 2024 (unit = u39): the jackknife SE needs at least two treated "
                  "units in every cohort");
  // u39 leaves treatment in 2025.
  const Dataset switching = modified([](Dataset& d) { d.column("treated").values[1140 + 24] = 0; });
  EXPECT_CONTAINS(testing::input_error("synthdid", switching, args),
                  "treatment 'treated' switches off again at row 1165");
  EXPECT_CONTAINS(testing::input_error("synthdid", without_rows(panel(), 65, 66), args),
                  "the panel is unbalanced: unit unit = u03 has 29 of the 30 periods");
  // Only u01 and the treated units left.
  EXPECT_CONTAINS(testing::input_error("synthdid", without_rows(panel(), 30, 1110), args),
                  "a donor pool of one (unit unit = u01)");
  const Dataset missing = modified([](Dataset& d) { d.column("y").values[1175] = NAN; });
  EXPECT_CONTAINS(testing::input_error("synthdid", missing, args),
                  "outcome 'y' is missing for unit unit = u40 in time = 2006 (row 1176)");
  const Dataset no_pre = modified([](Dataset& d) {
    for (std::size_t row = 1110; row < 1200; ++row) d.column("treated").values[row] = 1;
  });
  EXPECT_CONTAINS(testing::input_error("synthdid", no_pre, args), "no pre-periods");
  const Dataset one_pre = modified([](Dataset& d) {
    for (std::size_t row = 1110; row < 1200; ++row) d.column("treated").values[row] = row % 30 >= 1 ? 1 : 0;
  });
  EXPECT_CONTAINS(testing::input_error("synthdid", one_pre, args), "one pre-period");
  EXPECT_CONTAINS(testing::input_error("synthdid", without_rows(panel(), 1140, 1200), args),
                  "one treated unit (unit = u38): the jackknife SE needs at least two");
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), args_with("synth")), "method");
  EstimatorArgs covariates = args;
  covariates.covariates = {"time"};
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), covariates), "covariates");
  EstimatorArgs wrong_time = args;
  wrong_time.options["time"] = "period";
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), wrong_time), "'period' not found");
}

EstimatorArgs with_se(const std::string& method, const std::string& se,
                      const std::string& replications = "20") {
  EstimatorArgs args = args_with(method);
  args.options["se"] = se;
  args.options["replications"] = replications;
  args.options["seed"] = "5";
  return args;
}

double spread(const std::vector<double>& replicates) {  // sqrt((R−1)/R)·sd
  double mean = 0, squares = 0;
  for (const double v : replicates) mean += v / static_cast<double>(replicates.size());
  for (const double v : replicates) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(replicates.size()));
}

TEST(Synthdid, PlaceboSeIsTheSpreadOfItsReplicatesRecomputedFromTheirDraws) {
  for (const std::string method : {"sdid", "sc", "did"}) {
    SCOPED_TRACE(method);
    const SynthdidFit fit = synthdid_fit(panel(), with_se(method, "placebo"));
    ASSERT_EQ(fit.replicates.size(), 20u);
    for (std::size_t r = 0; r < 20; ++r) {
      const std::vector<Eigen::Index> draw = synthdid_placebo_draw(5, r, 37);
      std::vector<Eigen::Index> sorted = draw;
      std::sort(sorted.begin(), sorted.end());
      for (Eigen::Index i = 0; i < 37; ++i)
        ASSERT_EQ(sorted[static_cast<std::size_t>(i)], i);  // a permutation
      EXPECT_EQ(fit.replicates[r], synthdid_placebo_estimate(fit, draw));
      if (method != "did") continue;
      // did: the plain DiD of the last three donors of the draw against the other 34.
      auto change = [&](Eigen::Index u) {
        return fit.y.row(u).tail(8).mean() - fit.y.row(u).head(22).mean();
      };
      double placebo_treated = 0, placebo_controls = 0;
      for (Eigen::Index i = 0; i < 37; ++i)
        (i < 34 ? placebo_controls : placebo_treated) +=
            change(draw[static_cast<std::size_t>(i)]) / (i < 34 ? 34 : 3);
      EXPECT_NEAR(fit.replicates[r], placebo_treated - placebo_controls, 1e-11);
    }
    EXPECT_NEAR(fit.se, spread(fit.replicates), 1e-15);
    const Estimate e = find_estimator("synthdid").run(panel(), with_se(method, "placebo"));
    EXPECT_EQ(e.se_type, "placebo");
    EXPECT_EQ(e.se, fit.se);
    EXPECT_TRUE(near_relative(e.estimate, reference()["estimates"][method].get<double>(), 1e-10));
  }
}

TEST(Synthdid, BootstrapSeIsTheSpreadOfItsReplicatesRecomputedFromTheirDraws) {
  const SynthdidFit fit = synthdid_fit(panel(), with_se("sdid", "bootstrap"));
  ASSERT_EQ(fit.replicates.size(), 20u);
  for (std::size_t r = 0; r < 20; ++r) {
    const std::vector<Eigen::Index> draw = synthdid_bootstrap_draw(5, r, 37, 40);
    ASSERT_EQ(draw.size(), 40u);
    EXPECT_TRUE(std::is_sorted(draw.begin(), draw.end()));
    EXPECT_LT(draw.front(), 37);  // a donor and a treated unit in every draw
    EXPECT_GE(draw.back(), 37);
    EXPECT_EQ(fit.replicates[r], synthdid_bootstrap_estimate(fit, draw));
  }
  EXPECT_NEAR(fit.se, spread(fit.replicates), 1e-15);
  EXPECT_GT(fit.se, 0);
  // With three donors and one treated unit most draws miss the treated unit: they are redrawn.
  const std::vector<Eigen::Index> small = synthdid_bootstrap_draw(1, 0, 3, 4);
  EXPECT_EQ(small.back(), 3);
}

TEST(Synthdid, ResamplingSesAreTheSameOnAnyThreadCountAndFollowTheSeed) {
  for (const std::string se : {"placebo", "bootstrap"}) {
    SCOPED_TRACE(se);
    EstimatorArgs one = with_se("sdid", se), two = one;
    one.options["threads"] = "1";
    two.options["threads"] = "2";
    const SynthdidFit a = synthdid_fit(panel(), one);
    const SynthdidFit b = synthdid_fit(panel(), two);
    EXPECT_EQ(a.replicates, b.replicates);
    EXPECT_EQ(a.se, b.se);
    EstimatorArgs other = one;
    other.options["seed"] = "6";
    EXPECT_NE(synthdid_fit(panel(), other).se, a.se);
  }
}

TEST(Synthdid, PlaceboSeWorksWithOneTreatedUnitAndIsZeroWhenEveryDonorIsAlike) {
  // Every donor follows the same path; the one treated unit (u38) its own: each placebo compares
  // identical series, so every replicate and the SE are 0.
  Dataset data = without_rows(panel(), 1140, 1200);
  auto& y = data.column("y").values;
  for (std::size_t row = 0; row < 1110; ++row)
    y[row] = std::sin(0.7 * static_cast<double>(row % 30)) + 0.1 * static_cast<double>(row % 30);
  for (const std::string method : {"sdid", "sc", "did"}) {
    SCOPED_TRACE(method);
    const SynthdidFit fit = synthdid_fit(data, with_se(method, "placebo"));
    for (const double r : fit.replicates) EXPECT_NEAR(r, 0, 1e-12);
    EXPECT_NEAR(fit.se, 0, 1e-12);
    EXPECT_TRUE(std::isfinite(fit.estimate));
  }
  // The real panel with one treated unit: placebo works where the jackknife and bootstrap cannot.
  const Dataset one = without_rows(panel(), 1140, 1200);
  const Estimate e = find_estimator("synthdid").run(one, with_se("sdid", "placebo"));
  EXPECT_GT(e.se, 0);
  EXPECT_CONTAINS(testing::input_error("synthdid", one, with_se("sdid", "bootstrap")),
                  "one treated unit (unit = u38): the bootstrap SE needs at least two");
}

TEST(Synthdid, ResamplingSeBadInputIsOneLine) {
  // u01..u03 and the three treated units: no more donors than treated units.
  EXPECT_CONTAINS(
      testing::input_error("synthdid", without_rows(panel(), 90, 1110), with_se("sdid", "placebo")),
      "se=placebo needs more donors than treated units (3 donors, 3 treated)");
  EstimatorArgs disagree = with_se("sdid", "placebo");
  disagree.se_type = "bootstrap";
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), disagree),
                  "se 'bootstrap' and option se=placebo disagree");
  EstimatorArgs flag = args_with("sdid");
  flag.se_type = "placebo";
  flag.options["replications"] = "5";
  EXPECT_EQ(find_estimator("synthdid").run(panel(), flag).se_type, "placebo");
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), with_se("sdid", "placebo", "0")), "replications");
  EXPECT_CONTAINS(testing::input_error("synthdid", panel(), with_se("sdid", "wild")), "se");
}

// Staggered adoption on the fixture: u34 and u35 (0-based units 33, 34) adopt in 2019, u38–u40 in
// 2023 as before, u36 and u37 (35, 36) in 2026; u01–u33 stay donors.
const std::vector<std::pair<std::vector<std::size_t>, std::size_t>> kCohorts{
    {{33, 34}, 18}, {{37, 38, 39}, 22}, {{35, 36}, 25}};  // units, pre-periods

const Dataset& staggered_panel() {
  static const Dataset data = [] {
    Dataset d = panel();
    auto& treated = d.column("treated").values;
    for (const auto& [units, t0] : kCohorts)
      for (const std::size_t k : units)
        for (std::size_t t = 0; t < 30; ++t) treated[30 * k + t] = t >= t0 ? 1 : 0;
    return d;
  }();
  return data;
}

// The donors and the units of cohort a alone.
Dataset cohort_panel(std::size_t a) {
  const Dataset& data = staggered_panel();
  Dataset out(data.source());
  const auto& units = kCohorts[a].first;
  for (const auto& column : data.columns()) {
    Column kept{column.name, {}, column.levels};
    for (std::size_t row = 0; row < column.values.size(); ++row)
      if (row / 30 < 33 || std::find(units.begin(), units.end(), row / 30) != units.end())
        kept.values.push_back(column.values[row]);
    out.add_column(std::move(kept));
  }
  return out;
}

// τ with the weights held fixed and some units left out (keep), from the published formula: the
// treated units' mean of Y·(−λ, 1/T1) minus the donors' ω-weighted one, ω renormalised over the
// donors kept.
double fixed_weight_contrast(const Eigen::MatrixXd& y, Eigen::Index n0, const Eigen::VectorXd& omega,
                             const Eigen::VectorXd& lambda, const std::vector<bool>& keep) {
  const Eigen::Index t0 = lambda.size(), t1 = y.cols() - t0;
  Eigen::VectorXd c(y.cols());
  c << -lambda, Eigen::VectorXd::Constant(t1, 1.0 / static_cast<double>(t1));
  const Eigen::VectorXd by_unit = y * c;
  double treated = 0, treated_n = 0, donors = 0, donor_weight = 0;
  for (Eigen::Index u = 0; u < y.rows(); ++u) {
    if (!keep[static_cast<std::size_t>(u)]) continue;
    if (u >= n0) {
      treated += by_unit(u);
      treated_n += 1;
    } else {
      donors += omega(u) * by_unit(u);
      donor_weight += omega(u);
    }
  }
  return treated / treated_n - donors / donor_weight;
}

TEST(Synthdid, StaggeredAdoptionAveragesEachCohortAgainstTheDonorsByItsTreatedUnitPeriods) {
  for (const std::string method : {"sdid", "sc", "did"}) {
    SCOPED_TRACE(method);
    const SynthdidFit fit = synthdid_fit(staggered_panel(), args_with(method));
    ASSERT_EQ(fit.cohorts.size(), 3u);
    EXPECT_EQ(fit.donors.size(), 33u);
    EXPECT_EQ(fit.treated, (std::vector<std::string>{"u34", "u35", "u38", "u39", "u40", "u36", "u37"}));
    // Shares of the treated unit-periods: 2·12, 3·8 and 2·5 of 58.
    const std::vector<double> shares{24.0 / 58, 24.0 / 58, 10.0 / 58};
    double average = 0;
    std::vector<SynthdidFit> blocks;
    for (std::size_t a = 0; a < 3; ++a) {
      SCOPED_TRACE(a);
      const SynthdidCohort& cohort = fit.cohorts[a];
      EXPECT_EQ(cohort.pre_periods, static_cast<Eigen::Index>(kCohorts[a].second));
      EXPECT_EQ(cohort.adoption, 2001.0 + static_cast<double>(kCohorts[a].second));
      EXPECT_NEAR(cohort.weight, shares[a], 1e-15);
      // Each cohort is the block design of the donors and its units alone.
      blocks.push_back(synthdid_fit(cohort_panel(a), args_with(method)));
      const SynthdidCohort& alone = blocks.back().cohorts.front();
      EXPECT_TRUE(cohort.omega.isApprox(alone.omega, 1e-12));
      EXPECT_TRUE(cohort.lambda.isApprox(alone.lambda, 1e-12) || cohort.lambda.isZero(0));
      EXPECT_NEAR(cohort.estimate, alone.estimate, 1e-12);
      EXPECT_NEAR(cohort.zeta_omega, alone.zeta_omega, 1e-15);
      average += shares[a] * alone.estimate;
    }
    EXPECT_NEAR(fit.estimate, average, 1e-12);
    if (method == "sc") continue;  // one donor may carry all of an sc cohort's weight

    // The jackknife leaves out each unit with every cohort's weights fixed; a cohort's share counts
    // the treated units left in.
    const Eigen::Index n0 = 33, n = 40;
    Eigen::VectorXd leave_one_out(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      double total = 0, kept_shares = 0;
      for (std::size_t a = 0; a < 3; ++a) {
        const SynthdidFit& block = blocks[a];
        const auto size = static_cast<Eigen::Index>(kCohorts[a].first.size());
        std::vector<bool> keep(static_cast<std::size_t>(n0 + size), true);
        double kept = static_cast<double>(size);
        if (i < n0) keep[static_cast<std::size_t>(i)] = false;
        const Eigen::Index first = fit.cohorts[a].first;
        if (i >= first && i < first + size) {
          keep[static_cast<std::size_t>(n0 + i - first)] = false;
          kept -= 1;
        }
        const double share = kept * (30.0 - static_cast<double>(kCohorts[a].second));
        total +=
            share * fixed_weight_contrast(block.y, n0, block.cohorts[0].omega, block.cohorts[0].lambda, keep);
        kept_shares += share;
      }
      leave_one_out(i) = total / kept_shares;
    }
    const double jackknife =
        std::sqrt(39.0 / 40.0 * (leave_one_out.array() - leave_one_out.mean()).square().sum());
    EXPECT_TRUE(near_relative(fit.jackknife_se, jackknife, 1e-10));
  }
}

TEST(Synthdid, StaggeredPlaceboAndBootstrapReplicatesAreTheCohortsReplicatesAveraged) {
  const SynthdidFit placebo = synthdid_fit(staggered_panel(), with_se("sdid", "placebo"));
  const SynthdidFit bootstrap = synthdid_fit(staggered_panel(), with_se("sdid", "bootstrap"));
  std::vector<SynthdidFit> blocks;
  for (std::size_t a = 0; a < 3; ++a) blocks.push_back(synthdid_fit(cohort_panel(a), args_with("sdid")));
  const std::vector<double> post{12, 8, 5};
  for (std::size_t r = 0; r < 20; ++r) {
    SCOPED_TRACE(r);
    // Placebo: the last 7 donors of the shuffle play the cohorts (2, 3 and 2 of them, in order).
    const std::vector<Eigen::Index> shuffled = synthdid_placebo_draw(5, r, 33);
    double total = 0, shares = 0;
    std::size_t next = 26;
    for (std::size_t a = 0; a < 3; ++a) {
      std::vector<Eigen::Index> draw(shuffled.begin(), shuffled.begin() + 26);
      for (std::size_t k = 0; k < kCohorts[a].first.size(); ++k) draw.push_back(shuffled[next++]);
      const double share = static_cast<double>(kCohorts[a].first.size()) * post[a];
      total += share * synthdid_placebo_estimate(blocks[a], draw);
      shares += share;
    }
    EXPECT_NEAR(placebo.replicates[r], total / shares, 1e-12);

    // Bootstrap: each cohort's draw is the drawn donors and its own drawn units; a cohort no draw
    // reaches is left out.
    const std::vector<Eigen::Index> resample = synthdid_bootstrap_draw(5, r, 33, 40);
    total = shares = 0;
    for (std::size_t a = 0; a < 3; ++a) {
      const Eigen::Index first = placebo.cohorts[a].first, size = placebo.cohorts[a].size;
      std::vector<Eigen::Index> draw;
      double drawn = 0;
      for (const Eigen::Index u : resample) {
        if (u < 33) draw.push_back(u);
        if (u >= first && u < first + size) {
          draw.push_back(33 + u - first);
          drawn += 1;
        }
      }
      if (drawn == 0) continue;
      total += drawn * post[a] * synthdid_bootstrap_estimate(blocks[a], draw);
      shares += drawn * post[a];
    }
    EXPECT_NEAR(bootstrap.replicates[r], total / shares, 1e-12);
  }
}

TEST(Synthdid, StaggeredAdoptionReportsItsCohorts) {
  const Estimate e = find_estimator("synthdid").run(staggered_panel(), args_with("sdid"));
  EXPECT_EQ(e.diagnostics.at("cohorts"), 3);
  EXPECT_EQ(e.diagnostics.at("treated_units"), 7);
  EXPECT_FALSE(e.diagnostics.contains("zeta"));  // per cohort, in the table
  ASSERT_EQ(e.tables.size(), 3u);
  EXPECT_EQ(e.tables[0].columns, (std::vector<std::string>{"adoption", "unit", "weight"}));
  EXPECT_EQ(e.tables[0].rows.size(), 3u * 33u);
  EXPECT_EQ(e.tables[1].rows.size(), 18u + 22u + 25u);
  EXPECT_EQ(e.tables[2].id, "cohorts");
  EXPECT_EQ(e.tables[2].rows.size(), 3u);
  ASSERT_EQ(e.plots.size(), 1u);
  EXPECT_EQ(e.plots[0].series.size(), 6u);
  EXPECT_CONTAINS(e.plots[0].series[0].name, "adopting at 2019");
  EXPECT_CONTAINS(e.notes.front(), "staggered adoption in 3 cohorts (2 unit(s) at time = 2019");
  // A cohort of one cannot have a jackknife; the placebo still works.
  const Dataset one = modified([](Dataset& d) {
    for (std::size_t t = 0; t < 30; ++t) d.column("treated").values[30 * 37 + t] = t >= 25 ? 1 : 0;
  });
  EXPECT_CONTAINS(testing::input_error("synthdid", one, args_with("sdid")), "one unit adopts at time = 2026");
  EXPECT_GT(find_estimator("synthdid").run(one, with_se("sdid", "placebo")).se, 0);
}

}  // namespace
}  // namespace casebook
