// Refuters in the failing direction: for each refuter in the registry, an analysis built so that a
// correct refuter must fail it, next to one it must pass, and the numbers behind the verdict.
// A refuter that always passed (or always failed) fails here. Most breakages are test-only fake
// estimators that isolate the refuter's rule; where a real estimator can be broken by its data
// (one influential row, row-level SEs on clustered data, a before/after contrast, pre-trends), the
// real estimator is used. Data come from pcg64 with Boost's distributions, identical everywhere.
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/normal_distribution.hpp>
#include <pcg_random.hpp>

#include "data/csv.hpp"
#include "refute/refutation.hpp"
#include "refute/repetitions.hpp"

namespace casebook {
namespace {

using EstimatorFn = std::function<Estimate(const Dataset&, const EstimatorArgs&)>;

// A test-only estimator, built field by field so that fields added to EstimatorInfo keep defaults.
EstimatorInfo fake_estimator(std::string name, EstimatorFn run) {
  EstimatorInfo info;
  info.name = std::move(name);
  info.summary = "test-only estimator";
  info.required = {"outcome", "treatment"};
  info.run = std::move(run);
  return info;
}

// The real OLS with its reported SE multiplied by `factor` (ratios below 1 claim too much precision).
EstimatorInfo ols_with_se_times(double factor) {
  return fake_estimator("ols-se-scaled", [factor](const Dataset& d, const EstimatorArgs& a) {
    Estimate e = find_estimator("ols").run(d, a);
    e.se *= factor;
    return e;
  });
}

double mean_where(const Dataset& d, const std::string& value, const std::string& filter, double equals) {
  const auto& v = d.column(value).values;
  const auto& f = d.column(filter).values;
  double sum = 0, count = 0;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (f[i] == equals) {
      sum += v[i];
      ++count;
    }
  return sum / count;
}

double sample_sd(const std::vector<double>& v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

// Difference in means plus a fixed bias: a "method" that finds `bias` where there is nothing.
EstimatorInfo biased_difference(double bias) {
  return fake_estimator("biased-difference", [bias](const Dataset& d, const EstimatorArgs& a) {
    Estimate e;
    e.estimate = mean_where(d, a.outcome, a.treatment, 1) - mean_where(d, a.outcome, a.treatment, 0) + bias;
    e.se = 0.05;
    e.ci_low = e.estimate - 0.1;
    e.ci_high = e.estimate + 0.1;
    e.n = d.rows();
    return e;
  });
}

const Dataset& fixture() {
  static const Dataset d = read_csv(std::string(CASEBOOK_FIXTURES) + "/estimators_data.csv");
  return d;
}

EstimatorArgs fixture_args() {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.covariates = {"x1", "x2", "region"};
  return args;
}

RefutationResult refute(const std::string& refuter, const EstimatorInfo& estimator, const Dataset& data,
                        const EstimatorArgs& args, std::map<std::string, std::string> options = {},
                        std::size_t reps = 0) {
  RefuterInput input;
  input.data = &data;
  input.estimator = &estimator;
  input.args = args;
  input.original = estimator.run(data, args);
  input.analysis = "test";
  input.seed = 7;
  input.threads = 2;
  input.reps = reps;
  input.options = std::move(options);
  return run_refuter(find_refuter(refuter), input);
}

struct Noise {
  pcg64 generator;
  explicit Noise(std::uint64_t seed) : generator(seed) {}
  double operator()(double sd = 1) { return boost::random::normal_distribution<double>(0, sd)(generator); }
};

Dataset table(const std::map<std::string, std::vector<double>>& columns) {
  Dataset d("test data");
  for (const auto& [name, values] : columns) d.add_column(Column{name, values, {}});
  return d;
}

// y = t + cluster effect (SD 3) + noise, with t set per cluster: rows of a cluster are far from
// independent, so row-level (HC1) SEs are several times too small and CR1 SEs are right.
const Dataset& clustered() {
  static const Dataset d = [] {
    Noise noise(11);
    std::vector<double> cluster, t, y;
    for (int g = 0; g < 30; ++g) {
      const double effect = noise(3);
      for (int i = 0; i < 40; ++i) {
        cluster.push_back(g);
        t.push_back(g % 2);
        y.push_back(g % 2 + effect + noise());
      }
    }
    return table({{"cluster", cluster}, {"t", t}, {"y", y}});
  }();
  return d;
}

EstimatorArgs clustered_args(bool cluster_se) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  if (cluster_se) args.cluster = "cluster";
  return args;
}

// A panel of 200 units over periods 1..10; units 0..99 adopt in period 6 (effect 2). Every unit
// shares a period trend of 0.3; the adopters also have their own trend `pretrend` per period
// from the start, so with pretrend ≠ 0 parallel trends fail before adoption.
Dataset panel(double pretrend) {
  Noise noise(2024);
  std::vector<double> unit, period, group, post, d, y;
  for (int i = 0; i < 200; ++i) {
    const double unit_effect = noise();
    const double g = i < 100 ? 1 : 0;
    for (int p = 1; p <= 10; ++p) {
      unit.push_back(i);
      period.push_back(p);
      group.push_back(g);
      post.push_back(p >= 6 ? 1 : 0);
      d.push_back(g * post.back());
      y.push_back(unit_effect + 0.3 * p + 2 * d.back() + pretrend * g * p + noise());
    }
  }
  return table({{"unit", unit}, {"period", period}, {"group", group}, {"post", post}, {"d", d}, {"y", y}});
}

EstimatorArgs panel_args(const std::string& estimator) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  if (estimator == "did") args.options = {{"group", "group"}, {"post", "post"}};
  return args;
}

// ---------------------------------------------------------------------------------------------
// random-common-cause: fails when a χ² test at level 0.01 rejects "the root mean square move
// with the random covariate is at most tolerance_se × SE".

TEST(RandomCommonCauseFails, WhenTheEstimateShiftsWithAnyAddedCovariate) {
  // The estimate grows by 0.3 per covariate whatever its values: with SE 1 every repetition moves
  // by exactly 0.3, above the 0.1 × √(χ²(5) 0.99 quantile / 5) = 0.174 the test allows.
  const EstimatorInfo fragile = fake_estimator("fragile", [](const Dataset&, const EstimatorArgs& a) {
    Estimate e;
    e.estimate = 2 + 0.3 * static_cast<double>(a.covariates.size());
    e.se = 1;
    return e;
  });
  const RefutationResult r = refute("random-common-cause", fragile, fixture(), fixture_args());
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_NEAR(r.details.at("largest_move"), 0.3, 1e-12);
  EXPECT_NEAR(r.details.at("rms_move"), 0.3, 1e-12);
  EXPECT_NEAR(r.details.at("allowed_rms_move"), 0.1 * std::sqrt(15.08627247 / 5), 1e-9);
  EXPECT_NEAR(*r.p_value, 1.45087717e-8, 1e-15);  // 5 · 0.09 / 0.01 = 45 against χ²(5), as R pchisq
  EXPECT_EQ(*r.level, kRefuterLevel);
  EXPECT_DOUBLE_EQ(r.original_estimate, 2.9);
  EXPECT_NEAR(r.estimate, 3.2, 1e-12);
  EXPECT_NE(r.rule.find("0.3"), std::string::npos) << r.rule;  // the largest move, in words
  EXPECT_NE(r.reading_en.find("fragile"), std::string::npos) << r.reading_en;
  // The same move within a looser tolerance passes: the option is the threshold.
  const RefutationResult loose =
      refute("random-common-cause", fragile, fixture(), fixture_args(), {{"tolerance_se", "0.5"}});
  EXPECT_TRUE(loose.pass) << loose.rule;
  EXPECT_NEAR(loose.details.at("allowed_rms_move"), 0.5 * std::sqrt(15.08627247 / 5), 1e-9);
}

TEST(RandomCommonCauseFails, WhenTheEstimateFollowsTheRandomCovariate) {
  // The estimate is the mean of the last covariate (the random one, when added) scaled by 100: an
  // N(0, 1) mean over 1000 rows is about ±0.03, so the estimate moves by about 3 with SE 1.
  const EstimatorInfo follows = fake_estimator("follows", [](const Dataset& d, const EstimatorArgs& a) {
    Estimate e;
    double sum = 0;
    for (double v : d.column(a.covariates.back()).values) sum += v;
    e.estimate = 100 * sum / static_cast<double>(d.rows());
    e.se = 1;
    return e;
  });
  EstimatorArgs args = fixture_args();
  args.covariates = {"x2"};
  const RefutationResult r = refute("random-common-cause", follows, fixture(), args);
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_GT(r.details.at("largest_move"), 1);
}

TEST(RandomCommonCauseFails, WhenOlsOverfitsATinySample) {
  // Eight rows and five coefficients: one more regressor moves the treatment's coefficient by a
  // sizeable part of its SE.
  const Dataset& full = fixture();
  Dataset tiny("first 8 rows");
  for (const char* name : {"y", "t", "x1", "x2"}) {
    const auto& v = full.column(name).values;
    tiny.add_column(Column{name, std::vector<double>(v.begin(), v.begin() + 8), {}});
  }
  EstimatorArgs args = fixture_args();
  args.covariates = {"x1", "x2"};
  const RefutationResult r = refute("random-common-cause", find_estimator("ols"), tiny, args);
  EXPECT_FALSE(r.pass) << r.rule;
}

TEST(RandomCommonCausePasses, WhenTheEstimatorIgnoresTheAddedCovariate) {
  const EstimatorInfo steady = fake_estimator("steady", [](const Dataset&, const EstimatorArgs&) {
    Estimate e;
    e.estimate = 1.5;
    e.se = 0.01;
    return e;
  });
  const RefutationResult r = refute("random-common-cause", steady, fixture(), fixture_args());
  EXPECT_TRUE(r.pass) << r.rule;
  EXPECT_EQ(r.details.at("largest_move"), 0);
}

// ---------------------------------------------------------------------------------------------
// data-subsets: fails when some subset estimate lies more than band_se × SE × √(1/f − 1) from the
// full-data estimate.

TEST(DataSubsetsFails, WhenOneRowCarriesTheEstimate) {
  // y and t are independent noise except one row at t = y = 30: that row alone makes the OLS slope
  // about 0.8 with an iid SE of about 0.04 (it is a well-fitted, high-leverage point). A subset
  // without it finds a slope near 0, some 20 SEs away while the band is 4 × 0.5 = 2 SEs.
  Noise noise(5);
  std::vector<double> t{30}, y{30};
  for (int i = 0; i < 199; ++i) {
    t.push_back(noise());
    y.push_back(noise());
  }
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.se_type = "iid";
  const Dataset influential = table({{"t", t}, {"y", y}});
  const RefutationResult r = refute("data-subsets", find_estimator("ols"), influential, args, {}, 20);
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_GT(r.original_estimate, 0.5);
  ASSERT_TRUE(r.interval_low);
  EXPECT_LT(std::abs(*r.interval_low), 0.3);  // a subset without the row
  // Without that row the same analysis passes.
  const Dataset ordinary = table({{"t", std::vector<double>(t.begin() + 1, t.end())},
                                  {"y", std::vector<double>(y.begin() + 1, y.end())}});
  const RefutationResult sound = refute("data-subsets", find_estimator("ols"), ordinary, args, {}, 20);
  EXPECT_TRUE(sound.pass) << sound.rule;
}

TEST(DataSubsetsFails, WhenRowSEsIgnoreClustering) {
  // Subsets of whole clusters move the estimate as much as the clusters differ; the HC1 SE, which
  // treats the 40 rows of a cluster as independent, is far too small to explain it.
  const RefutationResult rows = refute("data-subsets", find_estimator("ols"), clustered(),
                                       clustered_args(false), {{"cluster", "cluster"}});
  EXPECT_FALSE(rows.pass) << rows.rule;
  EXPECT_NE(rows.rule.find("'cluster' groups"), std::string::npos) << rows.rule;
  // With cluster-robust SEs the same subsets are within the band.
  const RefutationResult clusters =
      refute("data-subsets", find_estimator("ols"), clustered(), clustered_args(true));
  EXPECT_TRUE(clusters.pass) << clusters.rule;
}

TEST(DataSubsetsFails, WhenTheReportedSEIsTooSmall) {
  // The real OLS estimate, but an SE 20 times too small: ordinary subsampling noise leaves the band.
  const RefutationResult r = refute("data-subsets", ols_with_se_times(0.05), fixture(), fixture_args());
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_GT(r.details.at("largest_move"), r.details.at("band_half_width"));
  EXPECT_NE(r.reading_en.find("more than sampling alone"), std::string::npos) << r.reading_en;
}

TEST(DataSubsets, HoldsTheTuningTheEstimatorChoseOnTheFullData) {
  // A "bandwidth" chosen as the number of rows: reselected on an 80% subset it would move the
  // estimate by 20%, hundreds of SEs; held at its full-data value (refit_options), it does not move.
  const EstimatorInfo tuned = fake_estimator("tuned", [](const Dataset& d, const EstimatorArgs& a) {
    Estimate e;
    const auto h = a.options.find("h");
    e.estimate = (h != a.options.end() ? std::stod(h->second) : static_cast<double>(d.rows())) / 1000;
    e.se = 0.001;
    if (h == a.options.end()) e.refit_options["h"] = std::to_string(d.rows());
    return e;
  });
  const RefutationResult r = refute("data-subsets", tuned, fixture(), fixture_args());
  EXPECT_TRUE(r.pass) << r.rule;
  EXPECT_EQ(r.details.at("largest_move"), 0);
}

TEST(DataSubsets, BandIsTheSubsamplingSpreadTimesBandSe) {
  const EstimatorInfo& ols = find_estimator("ols");
  const double se = ols.run(fixture(), fixture_args()).se;
  const RefutationResult r = refute("data-subsets", ols, fixture(), fixture_args());
  EXPECT_TRUE(r.pass) << r.rule;
  EXPECT_NEAR(r.details.at("expected_sd"), se * 0.5, 1e-12);  // √(1/0.8 − 1) = 0.5
  // By default 4, above the Bonferroni normal quantile for level 0.01 over the 10 subsets
  // (qnorm(1 − 0.0005) = 3.290527 in R), so that a sound analysis fails at most 1% of the time.
  EXPECT_EQ(r.details.at("band_se"), 4);
  EXPECT_NEAR(refute_detail::bonferroni_normal_critical_value(10), 3.290527, 1e-6);
  // 1000 subsets need more than 4: qnorm(1 − 0.000005) = 4.417173.
  EXPECT_NEAR(refute_detail::bonferroni_normal_critical_value(1000), 4.417173, 1e-6);
  EXPECT_NEAR(r.details.at("band_half_width"), r.details.at("band_se") * se * 0.5, 1e-12);
  ASSERT_TRUE(r.level);
  EXPECT_EQ(*r.level, kRefuterLevel);
  EXPECT_LE(r.details.at("largest_move"), r.details.at("band_half_width"));
  const RefutationResult half =
      refute("data-subsets", ols, fixture(), fixture_args(), {{"fraction", "0.5"}, {"band_se", "2"}});
  EXPECT_NEAR(half.details.at("expected_sd"), se, 1e-12);
  EXPECT_NEAR(half.details.at("band_half_width"), 2 * se, 1e-12);
  EXPECT_FALSE(half.level);  // a band set by hand is a tolerance, not a test with a level
}

// ---------------------------------------------------------------------------------------------
// bootstrap: fails when the 99% χ² interval of (bootstrap SE / reported SE) lies wholly outside
// [1 / ratio, ratio].

TEST(BootstrapFails, WhenTheReportedSEIsTooSmall) {
  const double se = find_estimator("ols").run(fixture(), fixture_args()).se;
  const RefutationResult r = refute("bootstrap", ols_with_se_times(0.1), fixture(), fixture_args());
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_NEAR(r.details.at("analytic_se"), 0.1 * se, 1e-12);
  EXPECT_NEAR(r.details.at("se_ratio"), r.details.at("bootstrap_se") / r.details.at("analytic_se"), 1e-12);
  EXPECT_GT(r.details.at("se_ratio"), 5);  // about 10
  EXPECT_NE(r.reading_en.find("too narrow"), std::string::npos) << r.reading_en;
}

TEST(BootstrapFails, WhenTheReportedSEIsTooLarge) {
  const RefutationResult r = refute("bootstrap", ols_with_se_times(10), fixture(), fixture_args());
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_LT(r.details.at("se_ratio"), 0.2);  // about 0.1
  EXPECT_NE(r.reading_en.find("too wide"), std::string::npos) << r.reading_en;
}

TEST(BootstrapFails, WhenTheReportedSEIsZero) {
  // No ratio can be formed: the refuter must not pass by default.
  const RefutationResult r = refute("bootstrap", ols_with_se_times(0), fixture(), fixture_args());
  EXPECT_FALSE(r.pass) << r.rule;
}

TEST(BootstrapFails, WhenRowSEsIgnoreClustering) {
  // The cluster bootstrap sees the spread between clusters that the HC1 SE misses.
  const RefutationResult rows = refute("bootstrap", find_estimator("ols"), clustered(), clustered_args(false),
                                       {{"cluster", "cluster"}});
  EXPECT_FALSE(rows.pass) << rows.rule;
  EXPECT_GT(rows.details.at("se_ratio"), 3);
  // 200 replicates: from the default 30, the bootstrap SE over 30 clusters is itself noisy (about
  // ±15%; this seed gives a ratio of 0.66 with 30).
  const RefutationResult clusters =
      refute("bootstrap", find_estimator("ols"), clustered(), clustered_args(true), {}, 200);
  EXPECT_TRUE(clusters.pass) << clusters.rule;
  EXPECT_NE(clusters.rule.find("cluster"), std::string::npos) << clusters.rule;
}

TEST(Bootstrap, RatioOptionIsTheThreshold) {
  // An SE 0.4 of the true one: ratio about 2.5, whose 99% interval from 30 replicates (about
  // [1.9, 3.7]) lies outside the default factor 1.5 and meets a factor 3.
  const RefutationResult strict = refute("bootstrap", ols_with_se_times(0.4), fixture(), fixture_args());
  EXPECT_FALSE(strict.pass) << strict.rule;
  const RefutationResult loose =
      refute("bootstrap", ols_with_se_times(0.4), fixture(), fixture_args(), {{"ratio", "3"}});
  EXPECT_TRUE(loose.pass) << loose.rule;
  EXPECT_DOUBLE_EQ(strict.details.at("se_ratio"), loose.details.at("se_ratio"));
}

// ---------------------------------------------------------------------------------------------
// placebo-treatment: fails when a t-test at level 0.01 rejects "the placebo estimates average 0".

TEST(PlaceboTreatmentFails, WhenTheMethodAddsABias) {
  // Difference in means + 0.5: with the treatment shuffled the difference is about 0 ± 0.1, so the
  // placebo mean is about 0.5, many Monte Carlo SEs from 0.
  const RefutationResult r = refute("placebo-treatment", biased_difference(0.5), fixture(), fixture_args());
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_NEAR(r.estimate, 0.5, 0.1);
  const double reps = static_cast<double>(r.reps - r.failed);
  EXPECT_EQ(r.reps, 20u);
  EXPECT_NEAR(r.details.at("monte_carlo_se"), r.details.at("placebo_sd") / std::sqrt(reps), 1e-12);
  EXPECT_GT(r.details.at("placebo_sd"), 0);
  EXPECT_NEAR(r.details.at("t_statistic"), r.estimate / r.details.at("monte_carlo_se"), 1e-12);
  // qt(0.995, 19) = 2.860935 (R): the critical value for 20 placebos at level 0.01.
  EXPECT_NEAR(r.details.at("t_critical"), 2.860935, 1e-6);
  EXPECT_GT(std::abs(r.details.at("t_statistic")), r.details.at("t_critical"));
  ASSERT_TRUE(r.p_value);
  EXPECT_LT(*r.p_value, kRefuterLevel);
  // The same method without the bias passes.
  const RefutationResult sound = refute("placebo-treatment", biased_difference(0), fixture(), fixture_args());
  EXPECT_TRUE(sound.pass) << sound.rule;
}

TEST(PlaceboTreatmentFails, WhenTheEstimateIgnoresTheTreatment) {
  // A constant estimate: every placebo equals the real one (permutation p-value 1) and their mean
  // is 0.8 with no spread (but rounding), so the t-test rejects with p about 0.
  const EstimatorInfo constant = fake_estimator("constant", [](const Dataset&, const EstimatorArgs&) {
    Estimate e;
    e.estimate = 0.8;
    e.se = 0.1;
    return e;
  });
  const RefutationResult r = refute("placebo-treatment", constant, fixture(), fixture_args(), {}, 9);
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_DOUBLE_EQ(r.estimate, 0.8);
  EXPECT_DOUBLE_EQ(r.details.at("permutation_p"), 1.0);  // (9 + 1) / (9 + 1)
  ASSERT_TRUE(r.p_value);
  EXPECT_LT(*r.p_value, 1e-12);
  EXPECT_NEAR(r.details.at("monte_carlo_se"), 0, 1e-12);
}

TEST(PlaceboTreatmentFails, ForABeforeAfterComparisonOnATrendingPanel) {
  // Before/after among the treated picks up the common trend (0.3 a period) as an "effect"; whole
  // units trading their treatment paths cannot remove it, since every unit shares the trend.
  const Dataset data = panel(0);
  EstimatorArgs args = panel_args("did");
  args.options["comparison"] = "before-after";
  const RefutationResult naive = refute("placebo-treatment", find_estimator("did"), data, args);
  EXPECT_FALSE(naive.pass) << naive.rule;
  // The trend 0.3 × (8 − 3), plus half the real effect 2: half the placebo group really adopted.
  EXPECT_NEAR(naive.estimate, 2.5, 0.3);
  EXPECT_NE(naive.rule.find("whole 'unit' groups"), std::string::npos) << naive.rule;
  // The difference in differences removes the trend, so its placebo finds nothing.
  const RefutationResult did = refute("placebo-treatment", find_estimator("did"), data, panel_args("did"));
  EXPECT_TRUE(did.pass) << did.rule;
}

// ---------------------------------------------------------------------------------------------
// dummy-outcome (noise): fails when a t-test at level 0.01 rejects "the mean estimate on N(0, SD
// of y) outcomes is 0". (negative control): fails when the CI of the effect on the column
// misses 0.

TEST(DummyOutcomeFails, WhenTheMethodAddsABias) {
  const RefutationResult r = refute("dummy-outcome", biased_difference(0.5), fixture(), fixture_args());
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_NEAR(r.estimate, 0.5, 0.2);
  EXPECT_GT(r.details.at("monte_carlo_se"), 0);
  EXPECT_NE(r.reading_en.find("still finds"), std::string::npos) << r.reading_en;
  const RefutationResult sound = refute("dummy-outcome", biased_difference(0), fixture(), fixture_args());
  EXPECT_TRUE(sound.pass) << sound.rule;
}

TEST(DummyOutcomeFails, WhenTheEstimateIgnoresTheOutcome) {
  // The share of treated rows, with a tight CI: the same on every noise outcome.
  const EstimatorInfo share = fake_estimator("treated-share", [](const Dataset& d, const EstimatorArgs& a) {
    Estimate e;
    for (double v : d.column(a.treatment).values) e.estimate += v;
    e.estimate /= static_cast<double>(d.rows());
    e.se = 0.001;
    e.ci_low = e.estimate - 0.002;
    e.ci_high = e.estimate + 0.002;
    return e;
  });
  const RefutationResult r = refute("dummy-outcome", share, fixture(), fixture_args());
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_NEAR(r.details.at("monte_carlo_se"), 0, 1e-12);
  EXPECT_GT(r.estimate, 0.1);
}

TEST(DummyOutcome, NoiseHasTheOutcomesSd) {
  // An "estimate" that is the SD of the outcome it is given: on the noise outcomes it is about the
  // real outcome's SD (reported in details), far from 0, so the refuter fails.
  const EstimatorInfo outcome_sd = fake_estimator("outcome-sd", [](const Dataset& d, const EstimatorArgs& a) {
    Estimate e;
    e.estimate = sample_sd(d.column(a.outcome).values);
    e.se = 0.01;
    return e;
  });
  const double sd = sample_sd(fixture().column("y").values);
  const RefutationResult r = refute("dummy-outcome", outcome_sd, fixture(), fixture_args());
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_NEAR(r.details.at("outcome_sd"), sd, 1e-12);
  EXPECT_NEAR(r.estimate, sd, 0.1 * sd);
  EXPECT_NE(r.original_estimate, r.estimate);  // the outcome really was replaced
}

TEST(DummyOutcomeFails, OnANegativeControlThatSharesTheConfounder) {
  // u drives the treatment, the outcome and a pre-treatment measure `before`, which the treatment
  // cannot affect. Ignoring u, OLS "finds" an effect on `before`; adjusting for u it does not.
  Noise noise(3);
  std::vector<double> u, t, before, y;
  for (int i = 0; i < 1000; ++i) {
    u.push_back(noise());
    t.push_back(u.back() + noise() > 0 ? 1 : 0);
    before.push_back(u.back() + noise());
    y.push_back(t.back() + u.back() + noise());
  }
  const Dataset data = table({{"u", u}, {"t", t}, {"before", before}, {"y", y}});
  EstimatorArgs naive;
  naive.outcome = "y";
  naive.treatment = "t";
  const RefutationResult confounded =
      refute("dummy-outcome", find_estimator("ols"), data, naive, {{"outcome", "before"}});
  EXPECT_FALSE(confounded.pass) << confounded.rule;
  ASSERT_TRUE(confounded.interval_low);
  EXPECT_GT(*confounded.interval_low, 0);
  EXPECT_NE(confounded.reading_en.find("confounded"), std::string::npos) << confounded.reading_en;
  EstimatorArgs adjusted = naive;
  adjusted.covariates = {"u"};
  const RefutationResult clean =
      refute("dummy-outcome", find_estimator("ols"), data, adjusted, {{"outcome", "before"}});
  EXPECT_TRUE(clean.pass) << clean.rule;
}

TEST(DummyOutcome, NegativeControlUsesTheConfidenceOption) {
  // Estimate 1, SE 0.45 (z = 2.2): the 95% CI misses 0, the 99% CI covers it. The estimator reads
  // the level from its arguments, as real ones do.
  const EstimatorInfo z22 = fake_estimator("z-2.2", [](const Dataset&, const EstimatorArgs& a) {
    const std::map<double, double> z = {{0.95, 1.959963984540054}, {0.99, 2.5758293035489}};
    Estimate e;
    e.estimate = 1;
    e.se = 0.45;
    e.ci_low = e.estimate - z.at(a.confidence_level) * e.se;
    e.ci_high = e.estimate + z.at(a.confidence_level) * e.se;
    return e;
  });
  const RefutationResult at99 = refute("dummy-outcome", z22, fixture(), fixture_args(), {{"outcome", "x2"}});
  EXPECT_TRUE(at99.pass) << at99.rule;  // the default level is 99%
  EXPECT_DOUBLE_EQ(at99.details.at("confidence_level"), 0.99);
  const RefutationResult at95 =
      refute("dummy-outcome", z22, fixture(), fixture_args(), {{"outcome", "x2"}, {"confidence", "0.95"}});
  EXPECT_FALSE(at95.pass) << at95.rule;
  ASSERT_TRUE(at95.interval_low);
  EXPECT_NEAR(*at95.interval_low, 1 - 1.959963984540054 * 0.45, 1e-12);
  EXPECT_NE(at95.rule.find("95%"), std::string::npos) << at95.rule;
}

// ---------------------------------------------------------------------------------------------
// placebo-date: fails when, on the pre-adoption periods with a pretend adoption date, the CI of
// the effect misses 0.

TEST(PlaceboDateFails, WhenTreatedUnitsTrendApartBeforeAdoption) {
  // Adopters gain 0.5 a period more than the others from period 1: on periods 1..5 with a pretend
  // adoption at 3, that trend is an "effect" of about 1 (0.5 × (4 − 1.5) for did; the mean of the
  // event study's lags 0..2 against period 2). With 0.25 the event study's CI, which rests on one
  // reference period, still covers 0.
  const Dataset trending = panel(0.5);
  const Dataset parallel = panel(0);
  for (const char* name : {"did", "twfe", "event-study"}) {
    const EstimatorInfo& estimator = find_estimator(name);
    const RefutationResult r =
        refute("placebo-date", estimator, trending, panel_args(name), {{"cluster", "unit"}});
    EXPECT_FALSE(r.pass) << name << ": " << r.rule;
    EXPECT_GT(r.estimate, 0.5) << name;
    EXPECT_DOUBLE_EQ(r.details.at("first_adoption"), 6) << name;
    EXPECT_DOUBLE_EQ(r.details.at("pre_periods"), 5) << name;
    EXPECT_DOUBLE_EQ(r.details.at("placebo_date"), 3) << name;  // the middle of periods 1..5
    EXPECT_NE(r.reading_en.find("parallel trends fail"), std::string::npos) << name << ": " << r.reading_en;
    const RefutationResult sound =
        refute("placebo-date", estimator, parallel, panel_args(name), {{"cluster", "unit"}});
    EXPECT_TRUE(sound.pass) << name << ": " << sound.rule;
  }
}

TEST(PlaceboDateFails, ForADidWhoseTreatmentIsTheGroupColumn) {
  // The same 2×2 analysis as with treatment = group × post; once adoption is read from group × post
  // (the did's post option), the pre-trend must make it fail.
  const Dataset trending = panel(0.5);
  EstimatorArgs args = panel_args("did");
  args.treatment = "group";
  const RefutationResult r =
      refute("placebo-date", find_estimator("did"), trending, args, {{"cluster", "unit"}});
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_DOUBLE_EQ(r.details.at("first_adoption"), 6);
}

// One daily series of 120 days with noise and a trend; from `kink` on, the pre-period bends upwards
// by `bend` a day (a curve the segmented line does not model).
Dataset series(double kink, double bend) {
  Noise noise(99);
  std::vector<double> day, y;
  for (int t = 1; t <= 120; ++t) {
    day.push_back(t);
    y.push_back(10 + 0.05 * t + (t >= kink ? bend * (t - kink) : 0.0) + 0.3 * noise());
  }
  return table({{"day", day}, {"y", y}});
}

EstimatorArgs series_args(int intervention) {
  EstimatorArgs args;
  args.outcome = "y";
  args.options = {{"time", "day"}, {"intervention", std::to_string(intervention)}, {"effect", "average"}};
  return args;
}

TEST(PlaceboDate, ASeriesRepeatsTheRealPostPeriodOneWindowEarlier) {
  const EstimatorInfo& its = find_estimator("its");
  // 100 days before day 101 and 20 from it: the placebo leaves the last 20 of the 100 as its post-period.
  const RefutationResult r = refute("placebo-date", its, series(0, 0), series_args(101));
  EXPECT_TRUE(r.pass) << r.rule;
  EXPECT_DOUBLE_EQ(r.details.at("placebo_date"), 81);
  EXPECT_DOUBLE_EQ(r.details.at("pre_periods"), 100);
  // 40 days before day 41 and 80 from it: two such windows do not fit, so the middle.
  EXPECT_DOUBLE_EQ(refute("placebo-date", its, series(0, 0), series_args(41)).details.at("placebo_date"), 21);
  // The option still wins.
  EXPECT_DOUBLE_EQ(refute("placebo-date", its, series(0, 0), series_args(101), {{"date", "50"}})
                       .details.at("placebo_date"),
                   50);
}

TEST(PlaceboDateFails, WhenASeriesBendsBeforeTheIntervention) {
  // The pre-period turns upwards at day 81, where the placebo puts its pretend intervention.
  const RefutationResult r = refute("placebo-date", find_estimator("its"), series(81, 0.2), series_args(101));
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_GT(r.estimate, 0.5);
  EXPECT_NE(r.reading_en.find("the model's counterfactual misses"), std::string::npos) << r.reading_en;
}

TEST(PlaceboDate, DateAndConfidenceOptionsAreUsed) {
  const Dataset trending = panel(0.5);
  const RefutationResult r = refute("placebo-date", find_estimator("twfe"), trending, panel_args("twfe"),
                                    {{"cluster", "unit"}, {"date", "5"}, {"confidence", "0.9"}});
  EXPECT_FALSE(r.pass) << r.rule;
  EXPECT_DOUBLE_EQ(r.details.at("placebo_date"), 5);
  EXPECT_NE(r.rule.find("90%"), std::string::npos) << r.rule;
  ASSERT_TRUE(r.interval_low && r.interval_high);
  // A 90% CI is estimate ± t(0.95, df) × SE, narrower than ±2 SEs.
  EXPECT_LT(*r.interval_high - *r.interval_low, 4 * r.details.at("se"));
  EXPECT_GT(*r.interval_high - *r.interval_low, 3 * r.details.at("se"));
}

}  // namespace
}  // namespace casebook
