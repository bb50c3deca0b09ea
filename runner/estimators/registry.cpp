// The estimator registry: each estimator's whole description (see estimator.hpp). Adding an
// estimator adds one entry here and touches no other stage.
#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/aipw.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/causal_forest.hpp"
#include "estimators/causal_impact.hpp"
#include "estimators/coarsened_exact_matching.hpp"
#include "estimators/cuped.hpp"
#include "estimators/difference_in_differences.hpp"
#include "estimators/difference_in_means.hpp"
#include "estimators/entropy_balancing.hpp"
#include "estimators/estimator.hpp"
#include "estimators/event_study.hpp"
#include "estimators/heckman.hpp"
#include "estimators/instrumental_forest.hpp"
#include "estimators/interrupted_time_series.hpp"
#include "estimators/iptw.hpp"
#include "estimators/matching.hpp"
#include "estimators/mediation.hpp"
#include "estimators/meta_learners.hpp"
#include "estimators/ordinary_least_squares.hpp"
#include "estimators/overlap_weights.hpp"
#include "estimators/propensity_score_matching.hpp"
#include "estimators/quantile_regression.hpp"
#include "estimators/rd_density.hpp"
#include "estimators/regression_discontinuity.hpp"
#include "estimators/regression_forest.hpp"
#include "estimators/segment_effects.hpp"
#include "estimators/subclassification.hpp"
#include "estimators/sun_abraham.hpp"
#include "estimators/synthdid.hpp"
#include "estimators/synthetic_control.hpp"
#include "estimators/two_stage_least_squares.hpp"
#include "estimators/two_way_fixed_effects.hpp"

namespace casebook {
namespace {

using Family = EstimatorFamily;
using Criterion = IdentificationCriterion;
using Type = OptionType;

const std::vector<std::string> kResampleRefuters = {"placebo-treatment", "data-subsets"};
// Nearest-neighbour matching is not smooth in the data: a subset or a bootstrap sample re-pairs
// units, so its spread is not the SE's (Abadie & Imbens 2008). data-subsets, whose band comes from
// the SE, failed 12–15% of valid airbnb psm runs (level 1%; bench/refuter_size.sh), and a made-up
// covariate re-pairs units too (random-common-cause). The placebo tests what matters here.
const std::vector<std::string> kMatchingRefuters = {"placebo-treatment"};
// Estimators that adjust for covariates can also take a random one.
const std::vector<std::string> kCovariateRefuters = {"placebo-treatment", "data-subsets",
                                                     "random-common-cause"};

const DiagnosticSpec kDf{"df", "degrees of freedom of the t distribution behind the CI and p-value"};
const DiagnosticSpec kClusters{"clusters", "number of clusters of the cluster-robust SE"};

// Panels: which columns identify units, periods and adoption.
const OptionSpec kUnit{"unit", Type::column, "unit", "the column identifying units", {}, ColumnRole::unit};
const OptionSpec kTime{"time", Type::column, "period", "the column of periods", {}, ColumnRole::time};
const OptionSpec kAdoption{
    "adoption", Type::column,
    "",         "the column of each unit's adoption period (default: read off the treatment)",
    {},         ColumnRole::adoption};
const OptionSpec kReference{"reference", Type::whole, "-1", "the relative period left out as the baseline"};

std::vector<OptionSpec> forest_options(std::string_view trees_default) {
  return {
      {"trees", Type::positive, std::string(trees_default), "number of trees"},
      {"seed", Type::count, "42", "seed of the forest's subsamples (results do not depend on threads)"},
      {"threads", Type::count, "0", "threads (0: one per core; results are the same on any count)"},
      {"min_node_size", Type::count, "5", "minimum rows in a leaf"},
      {"mtry", Type::count, "0", "covariates tried per split (0: grf's min(⌈√p + 20⌉, p))"},
      {"honesty", Type::boolean, "true", "split on one half of each subsample, estimate on the other"},
  };
}

std::vector<OptionSpec> meta_learner_options() {
  std::vector<OptionSpec> options = {
      {"base_learner", Type::choice, "forest", "the outcome and propensity models", {"forest", "linear"}}};
  for (auto& option : forest_options("500")) options.push_back(std::move(option));
  options.push_back(
      {"folds", Type::positive, "5", "cross-fitting folds (linear learner, DR-learner's nuisances)"});
  options.push_back({"top_share", Type::share, "0.3", "share of rows ranked highest for top{k}_share"});
  return options;
}

std::vector<OptionSpec> grf_options(std::vector<OptionSpec> own) {
  std::vector<OptionSpec> options = forest_options("2000");
  options.push_back(
      {"ci_group_size", Type::positive, "2", "trees per little bag (≥ 2 gives per-row variances)"});
  for (auto& option : own) options.push_back(std::move(option));
  return options;
}

const std::vector<DiagnosticSpec> kUpliftDiagnostics = {
    kDf,
    {"ate_aipw", "mean of the AIPW scores (the estimate)"},
    {"auuc", "area under the uplift (gain) curve of the CATE ranking"},
    {"auuc_random", "the same area for a random ranking"},
    {"qini", "Qini coefficient of the CATE ranking"},
    {"top{percent}_share", "share of the total uplift captured by the top-ranked rows (option top_share)"},
    {"cate_sd", "standard deviation of the per-row CATE"},
};

const std::vector<DiagnosticSpec> kEventStudyDiagnostics = {
    kDf,
    kClusters,
    {"units", "number of units"},
    {"reference", "the relative period left out as the baseline"},
    {"coef_{period}", "effect at a period relative to adoption"},
    {"se_{period}", "its cluster-robust SE"},
    {"pretrend_F", "Wald F statistic of the joint test that every pre-period effect is 0"},
    {"pretrend_df1",
     "its numerator degrees of freedom: the leads tested, fewer than the leads when the clustered variance "
     "cannot separate them all (Stata's test drops the rest; a note says so)"},
    {"pretrend_p", "its p-value (small: the pre-trends differ)"},
};

// What the propensity-score estimators report about their weights.
const std::vector<DiagnosticSpec> kWeightDiagnostics = {
    kDf,
    {"min_propensity", "smallest estimated propensity (after any truncation)"},
    {"max_propensity", "largest estimated propensity (after any truncation)"},
    {"ess_treated", "Kish effective sample size (Σw)²/Σw² of the weighted treated rows"},
    {"ess_control", "Kish effective sample size (Σw)²/Σw² of the weighted control rows"},
    {"max_weight", "largest weight of a row"},
    {"max_abs_smd", "largest |standardised mean difference| of a covariate after weighting"},
    {"max_abs_smd_before", "the same before weighting"},
};
const DiagnosticSpec kSeIgnoringPs{
    "se_ignoring_ps",
    "SE with the weights taken as known (weighted regression, HC0), ignoring the propensity fit"};

std::vector<DiagnosticSpec> with(std::vector<DiagnosticSpec> base, std::vector<DiagnosticSpec> more) {
  for (auto& d : more) base.push_back(std::move(d));
  return base;
}

// The mediation effects, each with its interval and p-value from the draws.
std::vector<DiagnosticSpec> mediation_diagnostics() {
  const std::vector<std::pair<std::string, std::string>> effects = {
      {"acme", "ACME averaged over the two treatment levels (the estimate; mediate's d.avg)"},
      {"acme_control", "ACME(t0): the effect of moving the mediator from M(t0) to M(t1) at T = t0"},
      {"acme_treated", "ACME(t1): the same at T = t1"},
      {"ade_control", "ADE(t0): the effect of the treatment with the mediator held at M(t0)"},
      {"ade_treated", "ADE(t1): the same with the mediator held at M(t1)"},
      {"ade", "ADE averaged over the two treatment levels"},
      {"total_effect", "total effect ACME(t1) + ADE(t0)"},
      {"prop_mediated", "ACME / total effect"}};
  std::vector<DiagnosticSpec> out;
  for (const auto& [name, meaning] : effects) {
    out.push_back({name, meaning});
    out.push_back({name + "_ci_low", "lower bound of its interval (percentile of the draws)"});
    out.push_back({name + "_ci_high", "upper bound of its interval"});
    out.push_back({name + "_p", "its p-value 2 min(#draws ≥ 0, #draws ≤ 0)/draws, as mediate's"});
  }
  for (DiagnosticSpec spec : std::vector<DiagnosticSpec>{
           {"a_path", "the treatment's coefficient in the mediator model"},
           {"b_path", "the mediator's coefficient in the outcome model"},
           {"interaction_coef", "the treatment × mediator coefficient (option interaction)"},
           {"product_of_coefficients", "Baron–Kenny a·b·(t1 − t0), outcome model without interaction"},
           {"product_of_coefficients_se", "its delta-method (Sobel) SE"},
           {"product_of_coefficients_p", "its Sobel test p-value"},
           {"rho_at_zero",
            "the error correlation ρ at which the ACME is 0 (Imai, Keele & Yamamoto 2010; no interaction)"},
           {"acme_at_rho", "the ACME if the two models' errors correlate by option rho"},
           {"acme_at_rho_ci_low", "lower bound of its interval (the draws at that ρ)"},
           {"acme_at_rho_ci_high", "upper bound of its interval"},
           {"treat_value", "the treatment level t1"},
           {"control_value", "the treatment level t0"},
           {"sims", "quasi-Bayesian draws or bootstrap resamples"},
           {"failed_sims", "bootstrap resamples that could not be fitted"}})
    out.push_back(std::move(spec));
  return out;
}

// Every entry checks its options and its columns' magnitudes before it runs, and its result after,
// however it is called (a case, `casebook estimate`, a refuter's refit, the bootstrap), so an
// undeclared option never passes unnoticed and a NaN never leaves an estimator.
std::vector<EstimatorInfo> checked(std::vector<EstimatorInfo> registry) {
  for (auto& info : registry)
    info.run = [run = info.run, name = info.name, options = info.options](const Dataset& data,
                                                                          const EstimatorArgs& args) {
      check_options(name, options, args.options);
      require_squarable_values(data, name, args);
      Estimate result = run(data, args);
      require_finite_result(data, name, result);
      return result;
    };
  return registry;
}

}  // namespace

const std::vector<EstimatorInfo>& estimator_registry() {
  static const std::vector<EstimatorInfo> registry = checked({
      {.name = "difference-in-means",
       .summary =
           "Difference in mean outcome between treated and control, Neyman SE with Welch df (estimatr)",
       .required = {"outcome", "treatment"},
       .run = difference_in_means,
       .diagnostics = {kDf,
                       {"mean_treated", "mean outcome of the treated"},
                       {"mean_control", "mean outcome of the controls"},
                       {"n_treated", "treated rows"},
                       {"n_control", "control rows"}},
       .default_refuters = kResampleRefuters,
       .sensitivity = {SensitivityAnalysis::e_value}},
      {.name = "ols",
       .summary =
           "Linear regression of the outcome on the treatment and covariates; HC1 (Stata robust) or CR1 "
           "cluster-robust SE",
       .required = {"outcome", "treatment"},
       .run = ordinary_least_squares,
       .diagnostics = {kDf,
                       kClusters,
                       {"r2", "R²"},
                       {"adj_r2", "adjusted R²"},
                       {"residual_se", "residual standard error"},
                       {"params", "number of coefficients"}},
       .default_refuters = kCovariateRefuters,
       .sensitivity = {SensitivityAnalysis::robustness_value, SensitivityAnalysis::e_value}},
      {.name = "quantile-regression",
       .summary =
           "Linear quantile regression as quantreg::rq (the exact vertex solution) at one or several tau; "
           "summary.rq's nid, iid or ker SE or an xy-pair bootstrap; the quantile process plot; with "
           "effect=unconditional, Firpo's unconditional quantile treatment effect (IPW marginal quantiles) "
           "with "
           "bootstrap intervals",
       .required = {"outcome", "treatment"},
       .run = quantile_regression,
       .options =
           {{"tau", Type::text, "0.5",
             "quantile(s) between 0 and 1, comma-separated; the estimate is at the first"},
            {"effect",
             Type::choice,
             "conditional",
             "conditional: the treatment's coefficient in the quantile regression; unconditional: the "
             "difference of the arms' (propensity-weighted) marginal quantiles (Firpo 2007; binary "
             "treatment)",
             {"conditional", "unconditional"}},
            {"se",
             Type::choice,
             "",
             "standard errors as summary.rq: nid (Hendricks–Koenker sandwich; default from 1001 rows), "
             "iid (default below), ker (Powell kernel) or boot (xy-pair bootstrap; the only one with "
             "effect=unconditional)",
             {"nid", "iid", "ker", "boot"}},
            {"bandwidth",
             Type::choice,
             "hall-sheather",
             "bandwidth of the nid, iid and ker density estimates (bandwidth.rq's hs = TRUE or FALSE)",
             {"hall-sheather", "bofinger"}},
            {"replications", Type::positive, "200", "bootstrap replications (se=boot, effect=unconditional)"},
            {"seed", Type::count, "42", "seed of the bootstrap resamples (the same on any thread count)"},
            {"threads", Type::count, "0", "bootstrap threads (0: one per core)"},
            {"process", Type::boolean, "true",
             "with one tau, also fit tau = 0.05, 0.10, …, 0.95 for the quantile process plot"}},
       .diagnostics = {kDf,
                       {"tau", "the quantile of the estimate"},
                       {"params", "number of coefficients"},
                       {"objective", "the minimised check loss Σ ρ_τ(residual) at that tau"},
                       {"nonunique",
                        "1 when another vertex fits as well (rq's \"Solution may be nonunique\")"},
                       {"bandwidth", "the density estimate's bandwidth on the tau scale (nid, iid, ker)"},
                       {"sparsity", "the estimated sparsity 1/f(F⁻¹(τ)) (se=iid)"},
                       {"nonpositive_fis", "rows whose nid density estimate was not positive"},
                       {"replications", "bootstrap replications asked for"},
                       {"failed_replications", "bootstrap resamples that could not be fitted"},
                       {"q_treated", "treated arm's weighted marginal quantile (effect=unconditional)"},
                       {"q_control", "control arm's weighted marginal quantile (effect=unconditional)"},
                       {"n_treated", "treated rows (effect=unconditional)"},
                       {"n_control", "control rows (effect=unconditional)"},
                       {"min_propensity", "smallest estimated propensity (effect=unconditional, covariates)"},
                       {"max_propensity", "largest estimated propensity (effect=unconditional, covariates)"}},
       .default_refuters = kCovariateRefuters,
       .quick_refit = false},
      {.name = "2sls",
       .summary =
           "Two-stage least squares with one endogenous treatment and one or more instruments; HC1 or CR1 "
           "SE, first-stage and effective F; with a 0/1 instrument and treatment, the ITT, compliance shares "
           "and the compliers' covariate means (Abadie's kappa)",
       .required = {"outcome", "treatment", "instruments"},
       .run = two_stage_least_squares,
       .identification = Criterion::instrument,
       .diagnostics =
           {kDf,
            kClusters,
            {"first_stage_F", "first-stage F of the excluded instruments (weak below 10)"},
            {"first_stage_F_p", "its p-value"},
            {"first_stage_F_robust", "the same F with the estimate's robust or cluster variance"},
            {"partial_r2", "first-stage partial R² of the excluded instruments"},
            {"excluded_instruments", "number of excluded instruments"},
            {"params", "number of second-stage coefficients"},
            {"wald_estimate", "the Wald ratio (one binary instrument, no covariates)"},
            {"effective_F",
             "Montiel Olea & Pflueger's effective first-stage F (the robust F with one instrument)"},
            {"itt", "intention-to-treat effect on the outcome (0/1 instrument and treatment)"},
            {"itt_se", "its Neyman standard error"},
            {"itt_treatment", "first stage: the instrument's effect on take-up, P(D=1|Z=1) − P(D=1|Z=0)"},
            {"itt_treatment_se", "its Neyman standard error"},
            {"complier_share", "share of compliers (monotonicity), the first stage"},
            {"always_taker_share", "share of always-takers, P(D=1|Z=0)"},
            {"never_taker_share", "share of never-takers, P(D=0|Z=1)"},
            {"complier_mean_{covariate}", "a covariate's mean among compliers (Abadie's κ weighting)"},
            {"complier_minus_population_{covariate}",
             "compliers' mean of a covariate minus the whole sample's"}},
       .default_refuters = kCovariateRefuters,
       .sensitivity = {SensitivityAnalysis::anderson_rubin, SensitivityAnalysis::e_value}},
      {.name = "mediation",
       .summary =
           "Causal mediation with linear mediator and outcome models (Imai, Keele & Tingley 2010, as R's "
           "mediate): ACME, ADE, total effect and proportion mediated by closed forms, intervals by "
           "quasi-Bayesian draws or the bootstrap; Baron–Kenny product with Sobel SE; sensitivity to the "
           "error correlation ρ",
       .required = {"outcome", "treatment"},
       .run = mediation,
       .options = {{"mediator", Type::column, "",
                    "the mediator column (required; numeric, not the outcome "
                    "or the treatment)"},
                   {"interaction", Type::boolean, "false",
                    "add treatment × mediator to the outcome model (ACME and ADE then differ by arm)"},
                   {"ci",
                    Type::choice,
                    "quasi-bayesian",
                    "intervals from draws of both models' coefficients from their asymptotic normal, or "
                    "from the nonparametric bootstrap (rows resampled, both models refitted)",
                    {"quasi-bayesian", "bootstrap"}},
                   {"sims", Type::positive, "1000", "draws (quasi-Bayesian) or resamples (bootstrap)"},
                   {"seed", Type::count, "42", "seed of the draws or resamples"},
                   {"treat_value", Type::number, "1",
                    "the treatment level t1 (give both for a non-0/1 treatment)"},
                   {"control_value", Type::number, "0", "the treatment level t0"},
                   {"rho", Type::number, "",
                    "also report the ACME at this correlation of the two models' errors (acme_at_rho; "
                    "interaction=false)"}},
       .diagnostics = mediation_diagnostics(),
       .default_refuters = kCovariateRefuters},
      {.name = "heckman",
       .summary =
           "Sample-selection correction (Heckman 1979) for an outcome seen only where option selection is 1 "
           "(NA "
           "elsewhere): probit selection equation, then the outcome on the treatment, covariates and the "
           "inverse "
           "Mills ratio with Heckman's corrected SE (method twostep, as sampleSelection's heckit), or full "
           "maximum likelihood (method ml); sigma, rho",
       .required = {"outcome", "treatment"},
       .run = heckman_selection,
       .options = {{"selection", Type::column, "",
                    "the 0/1 column marking rows whose outcome is observed (required; the outcome may be NA "
                    "where it is 0)"},
                   {"selection_covariates", Type::columns, "",
                    "columns of the probit selection equation (required; a constant is added), including at "
                    "least one left out of the outcome equation (the exclusion restriction)"},
                   {"method",
                    Type::choice,
                    "twostep",
                    "twostep: Heckman's two-step with the corrected SE; ml: full-information maximum "
                    "likelihood (Newton from the two-step estimates, SE from the Hessian)",
                    {"twostep", "ml"}},
                   {"max_iterations", Type::positive, "100", "Newton iterations of method ml at the most"}},
       .diagnostics =
           {kDf,
            {"sigma", "σ: standard deviation of the outcome equation's error"},
            {"rho", "ρ: correlation of the selection and outcome errors (two-step: β_λ/σ, not truncated)"},
            {"inverse_mills", "coefficient of the inverse Mills ratio (β_λ = ρσ)"},
            {"inverse_mills_se", "its standard error (0 coefficient: no selection bias)"},
            {"n_selected", "rows with selection 1 (outcome observed)"},
            {"n_censored", "rows with selection 0 (outcome not observed)"},
            {"estimate_selected_ols",
             "the treatment's coefficient of OLS on the selected rows, without the correction"},
            {"sigma_se", "SE of σ (method ml)"},
            {"rho_se", "SE of ρ (method ml)"},
            {"loglik", "maximised log likelihood (method ml)"},
            {"iterations", "Newton iterations (method ml)"}},
       .row_outputs = {"inverse_mills_ratio"},
       .default_refuters = kCovariateRefuters},
      {.name = "cuped",
       .summary = "Difference in means of the outcome adjusted by its slope on pre-period metrics "
                  "(CUPED, Deng et al. 2013; CUPAC with adjustment=cupac)",
       .required = {"outcome", "treatment", "covariates"},
       .run = cuped,
       .options = {{"slope",
                    Type::choice,
                    "pooled",
                    "θ pooled across arms (= OLS y ~ t + x) or fitted by arm (= estimatr::lm_lin)",
                    {"pooled", "by-arm"}},
                   {"adjustment",
                    Type::choice,
                    "linear",
                    "adjust by the metrics (linear) or by one cross-fitted linear prediction of the "
                    "outcome from them (cupac)",
                    {"linear", "cupac"}},
                   {"folds", Type::positive, "5", "cross-fitting folds of the CUPAC prediction"},
                   {"seed", Type::count, "42", "seed of the CUPAC folds"}},
       .diagnostics = {kDf,
                       {"mean_treated", "mean adjusted outcome of the treated"},
                       {"mean_control", "mean adjusted outcome of the controls"},
                       {"n_treated", "treated rows"},
                       {"n_control", "control rows"},
                       {"estimate_unadjusted", "the plain difference in means"},
                       {"se_unadjusted", "its Neyman standard error"},
                       {"variance_reduction",
                        "1 - (SE / unadjusted SE)²: the variance the adjustment removes"},
                       {"r2_covariates",
                        "within-arm R² of the outcome on the metrics (pooled slope): "
                        "the variance reduction to expect, ρ² with one metric"},
                       {"theta", "the pooled slope θ (one metric)"}},
       .default_refuters = kResampleRefuters},
      {.name = "iptw",
       .summary =
           "Inverse probability of treatment weighting: Hajek weighted difference in means with weights from "
           "a logistic propensity model (estimand ate, att or atc; stabilize, trim); M-estimation SE",
       .required = {"outcome", "treatment", "covariates"},
       .run = iptw,
       .options = {{"estimand", Type::choice, "ate", "the population weighted to", {"ate", "att", "atc"}},
                   {"stabilize", Type::boolean, "false",
                    "multiply each arm's weights by its share (the estimate and SE do not change)"},
                   {"trim", Type::share, "",
                    "truncate propensities to [trim, 1 - trim], 0 < trim < 0.5 (default: no truncation)"}},
       .diagnostics =
           with(kWeightDiagnostics,
                {kSeIgnoringPs, {"n_trimmed", "rows whose propensity was truncated (option trim)"}}),
       .row_outputs = {"weight", "propensity"},
       .default_refuters = kCovariateRefuters},
      {.name = "overlap-weights",
       .summary = "Overlap weights (Li, Morgan & Zaslavsky 2018): treated 1 - e, control e from a logistic "
                  "propensity "
                  "model; weighted difference in means estimates the ATO; M-estimation SE",
       .required = {"outcome", "treatment", "covariates"},
       .run = overlap_weights_estimate,
       .diagnostics = with(kWeightDiagnostics, {kSeIgnoringPs}),
       .row_outputs = {"weight", "propensity"},
       .default_refuters = kCovariateRefuters},
      {.name = "entropy-balancing",
       .summary =
           "Entropy balancing (Hainmueller 2012): weights closest to uniform that equal the covariates' "
           "moments across arms (estimand att, atc or ate; moments 1-3); weighted difference in means; "
           "M-estimation SE",
       .required = {"outcome", "treatment", "covariates"},
       .run = entropy_balancing,
       .options = {{"estimand",
                    Type::choice,
                    "att",
                    "att: reweight the controls to the treated; atc: the treated to the controls; ate: each "
                    "arm to the full sample",
                    {"att", "atc", "ate"}},
                   {"moments", Type::positive, "1",
                    "1: means; 2: and second moments; 3: and third (0/1 covariates: the mean only)"},
                   {"max_iterations", Type::positive, "200", "Newton iterations on the dual at the most"},
                   {"tolerance", Type::number, "1e-8",
                    "largest |moment difference| left, in full-sample SDs (above it: an error)"}},
       .diagnostics = {kDf,
                       {"iterations", "Newton iterations on the dual (the larger arm's with ate)"},
                       {"constraints", "moments balanced (covariates × moments; 0/1 ones once)"},
                       {"max_moment_gap", "largest |moment difference| after weighting, in full-sample SDs"},
                       {"max_abs_smd",
                        "largest |standardised mean difference| of a covariate after weighting"},
                       {"max_abs_smd_before", "the same before weighting"},
                       {"ess_treated", "Kish effective sample size (Σw)²/Σw² of the weighted treated rows"},
                       {"ess_control", "Kish effective sample size (Σw)²/Σw² of the weighted control rows"},
                       {"max_weight", "largest weight of a row (weights average 1 in a reweighted arm)"},
                       {"max_weight_share", "largest share of its arm's total weight one row carries"},
                       {"se_weights_known",
                        "SE with the weights taken as known (lm(y ~ t, weights) with HC0), for comparison"}},
       .row_outputs = {"weight"},
       .default_refuters = kCovariateRefuters},
      {.name = "aipw",
       .summary = "Augmented IPW (doubly robust): linear outcome models per arm and a logistic propensity, "
                  "optionally cross-fitted (folds, seed); estimand ate or att; influence-function SE",
       .required = {"outcome", "treatment", "covariates"},
       .run = aipw,
       .options = {{"estimand", Type::choice, "ate", "the average effect estimated", {"ate", "att"}},
                   {"folds", Type::positive, "1", "cross-fitting folds (1: nuisances fitted on all rows)"},
                   {"seed", Type::count, "42", "seed of the fold assignment (folds ≥ 2)"}},
       .diagnostics = kWeightDiagnostics,
       .row_outputs = {"propensity", "mu1", "mu0", "score"},
       .default_refuters = kCovariateRefuters},
      {.name = "cem",
       .summary =
           "Coarsened exact matching as MatchIt's matchit(method = \"cem\"): numeric covariates cut "
           "into equal-width bins (Sturges, or option cutpoints), text ones exact; strata without both "
           "arms dropped, stratum weights for estimand att|atc|ate; weighted regression, HC3 SE; "
           "balance table",
       .required = {"outcome", "treatment", "covariates"},
       .run = coarsened_exact_matching_estimate,
       .options = {{"estimand",
                    Type::choice,
                    "att",
                    "the population the strata are weighted to",
                    {"att", "atc", "ate"}},
                   {"cutpoints", Type::text, "",
                    "bins per numeric covariate: k for all, or column:k pairs (x1:4,age:0) with the others "
                    "at Sturges' number; 0 matches a column exactly (default: Sturges for all)"}},
       .diagnostics = {kDf,
                       {"strata", "strata holding both arms (MatchIt's subclasses)"},
                       {"n_matched_treated", "treated rows in a kept stratum"},
                       {"n_matched_control", "control rows in a kept stratum"},
                       {"n_unmatched", "rows in strata without both arms (dropped)"},
                       {"max_abs_smd",
                        "largest |standardised mean difference| of a covariate after matching"},
                       {"max_abs_smd_before", "the same before matching"},
                       {"ess_treated", "effective sample size (Σw)²/Σw² of the matched treated"},
                       {"ess_control", "effective sample size (Σw)²/Σw² of the matched controls"}},
       .row_outputs = {"weight", "subclass"},
       // A made-up covariate splits the strata, which changes who is matched: resampling refuters
       // test what matters here, as for psm.
       .default_refuters = kResampleRefuters,
       .sensitivity = {SensitivityAnalysis::e_value}},
      {.name = "subclassification",
       .summary = "Propensity-score subclassification as MatchIt's matchit(method = \"subclass\"): "
                  "subclasses at quantiles of a logistic score (options subclasses, min_n, estimand "
                  "att|atc|ate), stratum weights (MMWS); weighted regression, HC3 SE; balance table",
       .required = {"outcome", "treatment", "covariates"},
       .run = subclassification_estimate,
       .options = {{"estimand",
                    Type::choice,
                    "att",
                    "the population weighted to; also whose score quantiles cut the subclasses (treated, "
                    "controls or all)",
                    {"att", "atc", "ate"}},
                   {"subclasses", Type::positive, "6", "number of subclasses (at least 2)"},
                   {"min_n", Type::count, "1",
                    "fewest units of each arm per subclass, moving units from neighbouring subclasses (0: "
                    "drop subclasses lacking an arm)"}},
       .diagnostics = {kDf,
                       {"subclasses", "subclasses formed (fewer than asked when quantiles tie)"},
                       {"n_moved", "rows moved to a neighbouring subclass to satisfy min_n"},
                       {"n_matched_treated", "treated rows in a kept subclass"},
                       {"n_matched_control", "control rows in a kept subclass"},
                       {"n_unmatched", "rows in no kept subclass"},
                       {"min_propensity", "smallest estimated propensity score"},
                       {"max_propensity", "largest estimated propensity score"},
                       {"max_abs_smd",
                        "largest |standardised mean difference| of a covariate after subclassification"},
                       {"max_abs_smd_before", "the same before subclassification"},
                       {"ess_treated", "effective sample size (Σw)²/Σw² of the weighted treated"},
                       {"ess_control", "effective sample size (Σw)²/Σw² of the weighted controls"}},
       .row_outputs = {"weight", "subclass", "propensity"},
       .default_refuters = kCovariateRefuters,
       .sensitivity = {SensitivityAnalysis::e_value}},
      {.name = "did",
       .summary =
           "2×2 difference in differences: the group×post coefficient (options group, post; comparison "
           "post-difference or before-after for the naive contrasts); HC1 or CR1 SE",
       .required = {"outcome", "treatment"},
       .run = difference_in_differences,
       .family = Family::panel,
       .identification = Criterion::parallel_trends,
       .options =
           {{"group",
             Type::column,
             "",
             "the 0/1 column saying whether a unit is in the treated group",
             {},
             ColumnRole::group},
            {"post",
             Type::column,
             "",
             "the 0/1 column saying whether a row is after the change",
             {},
             ColumnRole::post},
            {"comparison",
             Type::choice,
             "did",
             "did, or a naive contrast: the treated-control post difference or the treated before-after",
             {"did", "post-difference", "before-after"}}},
       .diagnostics = {kDf,
                       kClusters,
                       {"mean_{cell}",
                        "mean outcome of a cell (control_pre, control_post, treated_pre, treated_post)"},
                       {"n_{cell}", "rows in that cell"}},
       .default_refuters = kResampleRefuters},
      {.name = "its",
       .summary = "Interrupted time series: segmented regression of one series on its trend, a level and a "
                  "slope change at the intervention time (options time, intervention, effect "
                  "level|slope|average, seasonality, covariates); least squares with Newey–West HAC SE "
                  "(hac_lag, automatic by default) or iid, or GLS with AR(1) errors by REML (model=ar1, "
                  "as nlme::gls with corAR1); fitted and counterfactual lines",
       .required = {"outcome"},
       .run = interrupted_time_series,
       .identification = Criterion::parallel_trends,
       .options =
           {kTime,
            {"intervention", Type::number, "",
             "the time of the intervention: the first post-period time (post = time >= it)"},
            {"effect",
             Type::choice,
             "level",
             "the estimate: the level change at the intervention, the slope change, or the average "
             "post-period gap between the fitted and the counterfactual line",
             {"level", "slope", "average"}},
            {"model",
             Type::choice,
             "ols",
             "ols: least squares, with the SE of option se; ar1: generalised least squares with AR(1) "
             "errors, corr(e_s, e_t) = phi^|s - t| over whole-number times (gaps allowed), phi by REML "
             "as nlme::gls(correlation = corAR1(), method = \"REML\"), SEs given phi as summary.gls. "
             "Its intervals keep their level better than Newey–West's on persistent errors "
             "(bench/README.md), but they rest on the segmented line being right: an effect that builds "
             "up pulls GLS away",
             {"ols", "ar1"}},
            {"se",
             Type::choice,
             "newey-west",
             "standard errors with model=ols: Newey–West HAC as sandwich::NeweyWest(adjust = FALSE), or "
             "iid (lm's, for comparison)",
             {"newey-west", "iid"}},
            {"prewhite", Type::boolean, "true",
             "VAR(1) prewhitening of the scores before the Newey–West weights, as NeweyWest's default "
             "(Andrews & Monahan 1992): it keeps the SE from falling short when errors are persistent; "
             "false is NeweyWest(prewhite = FALSE)"},
            {"hac_lag", Type::count, "",
             "Newey–West lag (default: NeweyWest's automatic floor(bwNeweyWest(prewhite)))"},
            {"seasonality", Type::count, "0",
             "season period k: k - 1 dummies of time mod k (0: none; needs whole-number times)"}},
       .diagnostics = {kDf,
                       {"n_pre", "time points before the intervention"},
                       {"n_post", "time points from the intervention on"},
                       {"intervention", "the intervention time"},
                       {"level_change", "the level change at the intervention (coefficient post)"},
                       {"level_change_se", "its SE"},
                       {"slope_change", "the change in slope (coefficient post:trend)"},
                       {"slope_change_se", "its SE"},
                       {"average_effect",
                        "mean post-period gap between the fitted and the counterfactual line"},
                       {"average_effect_se", "its SE (a linear combination of the coefficients)"},
                       {"r_squared", "R² of the segmented regression: 1 - Σ(y - fitted)² / Σ(y - ȳ)²"},
                       {"hac_lag", "the Newey–West lag used (model=ols)"},
                       {"nw_bandwidth", "bwNeweyWest's automatic bandwidth (before flooring; model=ols)"},
                       {"ar1_phi", "phi, the errors' AR(1) coefficient (model=ar1; nlme's Phi)"},
                       {"sigma", "the errors' standard deviation (model=ar1; nlme's sigma)"},
                       {"residual_autocorrelation",
                        "lag-1 autocorrelation of the residuals (with model=ar1, of the whitened ones: near "
                        "0 when AR(1) describes the errors)"}},
       .treatment_option = "intervention"},
      {.name = "causal-impact",
       .summary =
           "CausalImpact: Bayesian structural time series (local level, optional local linear trend and "
           "season; spike-and-slab regression on the control series in --covariates) fitted by Gibbs "
           "sampling on the pre-period (options time, post_start, niter, seed); estimate = average "
           "post-period effect with its 95% posterior interval; cumulative and relative effects, "
           "tail-area probability, inclusion probabilities; the three-panel plot",
       .required = {"outcome"},
       .run = causal_impact,
       .identification = Criterion::parallel_trends,
       .options =
           {{"time",
             Type::column,
             "",
             "the column of time points (rows in time order)",
             {},
             ColumnRole::time},
            {"post_start", Type::number, "",
             "the first post-period time: rows with time >= it are the post-period"},
            {"niter", Type::positive, "1000", "MCMC iterations (CausalImpact's niter)"},
            {"burn", Type::count, "",
             "iterations dropped as burn-in (default: 10%, bsts's SuggestBurn(0.1))"},
            {"expected_model_size", Type::number, "3",
             "expected number of regressors (intercept included) in the spike-and-slab prior "
             "(CausalImpact's 3)"},
            {"prior_level_sd", Type::number, "0.01",
             "prior guess of the local level's sd, in sds of y (CausalImpact's prior.level.sd)"},
            {"trend",
             Type::choice,
             "none",
             "a local level (none) or a local linear trend (local_linear, bsts's AddLocalLinearTrend)",
             {"none", "local_linear"}},
            {"season", Type::count, "0", "number of seasons (CausalImpact's nseasons; 0: none)"},
            {"standardize", Type::boolean, "true",
             "standardise y and the controls on the pre-period (CausalImpact's standardize.data)"},
            {"seed", Type::count, "1", "seed of the sampler (results do not depend on threads)"}},
       .diagnostics = {{"actual_average", "mean observed outcome over the post-period"},
                       {"predicted_average", "mean posterior-mean counterfactual over the post-period"},
                       {"predicted_average_ci_low", "its posterior interval's lower end"},
                       {"predicted_average_ci_high", "its posterior interval's upper end"},
                       {"cumulative_effect", "observed minus predicted, summed over the post-period"},
                       {"cumulative_ci_low", "its posterior interval's lower end"},
                       {"cumulative_ci_high", "its posterior interval's upper end"},
                       {"cumulative_se", "its posterior sd"},
                       {"relative_effect", "the average effect over the predicted average"},
                       {"relative_ci_low",
                        "its interval's lower end (CausalImpact's AbsEffect.lower / Pred)"},
                       {"relative_ci_high", "its interval's upper end"},
                       {"tail_probability",
                        "CausalImpact's one-sided posterior tail-area probability p of the post-period sum"},
                       {"posterior_probability_of_effect", "1 - p"},
                       {"n_pre", "pre-period time points"},
                       {"n_post", "post-period time points"},
                       {"post_start", "the first post-period time"},
                       {"niter", "MCMC iterations"},
                       {"burn", "iterations dropped as burn-in"},
                       {"sigma_obs", "posterior mean of the observation noise sd (in y's units)"},
                       {"sigma_level", "posterior mean of the local level's innovation sd (in y's units)"},
                       {"inclusion_{column}", "posterior inclusion probability of a control series"}},
       .quick_refit = false,
       .treatment_option = "post_start"},
      {.name = "twfe",
       .summary =
           "Two-way fixed effects: outcome on the treatment with unit and time effects absorbed (options "
           "unit, time); CR1 SE by unit",
       .required = {"outcome", "treatment"},
       .run = two_way_fixed_effects,
       .family = Family::panel,
       .identification = Criterion::parallel_trends,
       .options = {kUnit, kTime, kAdoption},
       .diagnostics = {kDf,
                       kClusters,
                       {"units", "number of units"},
                       {"periods", "number of periods"},
                       {"fixed_effect_rank", "rank of the absorbed unit and period effects"},
                       {"treated_cells", "treated unit-periods"},
                       {"adoption_cohorts", "number of adoption periods"}},
       .default_refuters = kCovariateRefuters},
      {.name = "rdd",
       .summary =
           "Regression discontinuity as rdrobust: local polynomial of order p on each side of the cutoff of "
           "option running, bias correction of order q, bandwidths as rdbwselect (mserd, msetwo, msesum, "
           "cerrd, certwo, cersum) or given h and b, nn or hc0-hc3 variance (CR1 with --cluster), "
           "covariates; fuzzy when --treatment is given; estimate and SE conventional, CI robust "
           "bias-corrected",
       .required = {"outcome"},
       .run = regression_discontinuity,
       // Continuity at the cutoff is a design assumption that the causal graph cannot check, as the
       // trends of its: its diagnostics (density test, placebo cutoffs) check it.
       .identification = Criterion::parallel_trends,
       .options =
           {{"running",
             Type::column,
             "",
             "the running variable's column (required)",
             {},
             ColumnRole::running},
            {"cutoff", Type::number, "0", "the cutoff: treated from running >= cutoff"},
            {"p", Type::positive, "1", "order of the local polynomial of the estimate"},
            {"q", Type::positive, "", "order of the local polynomial of the bias correction (default p + 1)"},
            {"kernel",
             Type::choice,
             "triangular",
             "kernel weights in (running - cutoff)/h",
             {"triangular", "epanechnikov", "uniform"}},
            {"bwselect",
             Type::choice,
             "mserd",
             "bandwidth selector as rdbwselect: MSE-optimal common (mserd), per side (msetwo), for "
             "the sum (msesum), or their coverage-error-optimal versions (cerrd, certwo, cersum)",
             {"mserd", "msetwo", "msesum", "cerrd", "certwo", "cersum"}},
            {"h", Type::number, "", "bandwidth of the estimate on both sides (default: selected)"},
            {"b", Type::number, "", "bandwidth of the bias correction (with h; default h)"},
            {"vce",
             Type::choice,
             "nn",
             "variance: nearest-neighbour residuals (rdrobust's default) or hc0-hc3; with --cluster nn "
             "and hc1 give rdrobust's CR1",
             {"nn", "hc0", "hc1", "hc2", "hc3"}},
            {"nnmatch", Type::positive, "3", "neighbours of the nn variance"},
            {"masspoints",
             Type::choice,
             "adjust",
             "repeated running values: adjust as rdrobust (pilot bandwidth by distinct values, at least "
             "10 distinct values within each bandwidth), or off",
             {"adjust", "off"}},
            {"scaleregul", Type::number, "1", "scale of the bandwidths' regularisation term (0: none)"},
            {"bandwidth_plot", Type::boolean, "true",
             "also refit at 0.5, 0.75, 1.5 and 2 times h (b scaled alike) and plot the estimates with "
             "their robust CIs against h"}},
       .diagnostics = {kClusters,
                       {"h_left", "bandwidth of the estimate left of the cutoff"},
                       {"h_right", "bandwidth of the estimate right of the cutoff"},
                       {"b_left", "bandwidth of the bias correction left of the cutoff"},
                       {"b_right", "bandwidth of the bias correction right of the cutoff"},
                       {"n_h_left", "rows left of the cutoff with positive weight at h"},
                       {"n_h_right", "rows right of the cutoff with positive weight at h"},
                       {"n_left", "rows left of the cutoff"},
                       {"n_right", "rows at or right of the cutoff"},
                       {"estimate_bc",
                        "the bias-corrected estimate (rdrobust's Bias-Corrected and Robust rows)"},
                       {"se_robust", "the robust SE of the bias-corrected estimate"},
                       {"p_conventional", "p-value of the conventional row (p_value is the robust row's)"},
                       {"first_stage", "fuzzy: the treatment's jump at the cutoff"},
                       {"first_stage_F", "fuzzy: the squared z of that jump (weak below 10)"}},
       .default_refuters = {"placebo-cutoff", "data-subsets"}},
      {.name = "event-study",
       .summary = "Event study: effects by period relative to adoption with unit and time effects, CR1 SE, "
                  "pre-trend Wald test; estimate = average post-period effect",
       .required = {"outcome", "treatment"},
       .run = event_study,
       .family = Family::panel,
       .identification = Criterion::parallel_trends,
       .options = {kUnit,
                   kTime,
                   kAdoption,
                   kReference,
                   {"min_relative", Type::whole, "",
                    "earliest relative period kept (earlier ones are binned)"},
                   {"max_relative", Type::whole, "", "latest relative period kept (later ones are binned)"}},
       .diagnostics = kEventStudyDiagnostics,
       .default_refuters = kCovariateRefuters},
      {.name = "rd-density",
       .summary =
           "Manipulation test at a regression-discontinuity cutoff (Cattaneo, Jansson & Ma's "
           "local-polynomial "
           "density, as rddensity): estimate = density right minus left of the cutoff, robust bias-corrected "
           "T and p-value, jackknife or plug-in SE; density plot with bands",
       // Only the running variable, an option: a case's analysis names an outcome and a treatment
       // (the schema requires them), which the test accepts and does not use.
       .required = {},
       .run = rd_density,
       .options =
           {{"running", Type::column, "", "the running variable (required)"},
            {"cutoff", Type::number, "0", "the cutoff; left of it means x < cutoff"},
            {"p", Type::positive, "2",
             "order of the local polynomial of the CDF (1-7); the test uses order p + 1 (rddensity's q)"},
            {"kernel",
             Type::choice,
             "triangular",
             "kernel of the local fits",
             {"triangular", "uniform", "epanechnikov"}},
            {"bwselect",
             Type::choice,
             "comb",
             "bandwidths (rdbwdensity, MSE-optimal): each side's own (each), one for the difference "
             "(diff) or the sum (sum) of the densities, or per side the median of the three (comb)",
             {"comb", "each", "diff", "sum"}},
            {"h", Type::number, "", "one bandwidth for both sides instead of bwselect"},
            {"vce",
             Type::choice,
             "jackknife",
             "variance: jackknife (leave-one-out) or the asymptotic plug-in formula",
             {"jackknife", "plugin"}}},
       .diagnostics = {{"f_left", "density just left of the cutoff (order q = p + 1 fit, rddensity's hat)"},
                       {"f_right", "density just right of the cutoff (order q fit)"},
                       {"se_left", "SE of f_left"},
                       {"se_right", "SE of f_right"},
                       {"T", "robust bias-corrected test statistic of f_right = f_left (standard normal)"},
                       {"p_value",
                        "its two-sided p-value (small: the density jumps, a sign of manipulation)"},
                       {"f_left_p", "the order-p (conventional) density left of the cutoff"},
                       {"f_right_p", "the order-p (conventional) density right of the cutoff"},
                       {"T_p", "conventional test statistic (order p; not valid at MSE-optimal h)"},
                       {"p_value_p", "its two-sided p-value"},
                       {"h_left", "bandwidth left of the cutoff"},
                       {"h_right", "bandwidth right of the cutoff"},
                       {"n_h_left", "observations within h_left below the cutoff"},
                       {"n_h_right", "observations within h_right at or above the cutoff"},
                       {"n_left", "observations below the cutoff"},
                       {"n_right", "observations at or above the cutoff"},
                       {"p", "order of the local polynomial"},
                       {"q", "order of the bias-corrected fit behind the test (p + 1)"},
                       {"h_each_left", "MSE-optimal bandwidth of the left density (rdbwdensity)"},
                       {"h_each_right", "MSE-optimal bandwidth of the right density"},
                       {"h_diff", "MSE-optimal bandwidth of the density difference"},
                       {"h_sum", "MSE-optimal bandwidth of the density sum"}}},
      {.name = "sun-abraham",
       .summary =
           "Sun & Abraham interaction-weighted event study, robust to effects that differ by adoption cohort "
           "(options unit, time, adoption, reference, control never|last); estimate = post-period ATT; CR1 "
           "SE by the delta method; naive TWFE beside it",
       .required = {"outcome", "treatment"},
       .run = sun_abraham,
       .family = Family::panel,
       .identification = Criterion::parallel_trends,
       .options = {kUnit,
                   kTime,
                   kAdoption,
                   kReference,
                   {"control",
                    Type::choice,
                    "never",
                    "the comparison cohort: the never treated, or the last to adopt",
                    {"never", "last"}}},
       .diagnostics = with(kEventStudyDiagnostics,
                           {{"cohorts", "number of adoption cohorts"},
                            {"cells", "cohort × relative-period cells estimated"},
                            {"twfe_estimate", "the naive TWFE estimate on the same data"},
                            {"twfe_se", "its SE"},
                            {"twfe_minus_robust", "TWFE minus the interaction-weighted estimate"}}),
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "synthdid",
       .summary =
           "Synthetic difference in differences (Arkhangelsky et al. 2021) with synthdid's defaults: unit "
           "weights ω and time weights λ by Frank–Wolfe with sparsification (options unit, time, method "
           "sdid|sc|did); staggered adoption cohort by cohort against the never-treated, averaged by treated "
           "unit-periods; SE by jackknife, placebo or bootstrap over units (option se)",
       .required = {"outcome", "treatment"},
       .run = synthdid,
       .family = Family::panel,
       .identification = Criterion::parallel_trends,
       .options = {kUnit,
                   kTime,
                   {"method",
                    Type::choice,
                    "sdid",
                    "synthetic DiD, synthetic control (no intercept, λ = 0) or DiD (uniform weights)",
                    {"sdid", "sc", "did"}},
                   {"se",
                    Type::choice,
                    "jackknife",
                    "jackknife (weights fixed), placebo (Algorithm 4: donors as placebo treated units; works "
                    "with one treated unit) or bootstrap over units",
                    {"jackknife", "placebo", "bootstrap"}},
                   {"replications", Type::positive, "200", "placebo or bootstrap replications"},
                   {"seed", Type::count, "42", "seed of the placebo or bootstrap draws"},
                   {"threads", Type::count, "0",
                    "threads (0: one per core; results are the same on any count)"}},
       .diagnostics = {{"cohorts",
                        "adoption cohorts (1: a block design; more: staggered adoption, with each "
                        "cohort's ζ, σ̂ and pre_rmse in the table cohorts instead of the ones below)"},
                       {"zeta", "ridge ζ of the unit weights ((N1·T1)^(1/4)·σ̂ for sdid, 1e-6·σ̂ for sc)"},
                       {"zeta_lambda", "ridge ζ of the time weights (1e-6·σ̂)"},
                       {"noise_level", "σ̂: SD of the donors' period-to-period changes before adoption"},
                       {"n_donors_with_weight", "donors with a nonzero unit weight ω"},
                       {"n_periods_with_weight", "pre-periods with a nonzero time weight λ"},
                       {"pre_rmse",
                        "root mean square gap between the treated average and its counterfactual "
                        "over the pre-periods"},
                       {"treated_units", "number of treated units"},
                       {"donors", "number of never-treated units"},
                       {"pre_periods", "periods before adoption"},
                       {"post_periods", "periods from adoption on"}},
       .default_refuters = kResampleRefuters},
      {.name = "synthetic-control",
       .summary =
           "Synthetic control (Abadie, Diamond & Hainmueller 2010) as Synth fits it: donor weights W on "
           "the simplex matching the predictors, predictor weights V minimising the pre-period MSPE "
           "(options unit, time, predictors, outcome_lags); in-space placebo p-value on post/pre RMSPE "
           "ratios",
       .required = {"outcome", "treatment"},
       .run = synthetic_control,
       .family = Family::panel,
       .identification = Criterion::parallel_trends,
       .options =
           {kUnit,
            kTime,
            {"predictors", Type::columns, "",
             "columns whose pre-period means per unit are matched (default: every pre-period outcome)"},
            {"outcome_lags", Type::text, "",
             "pre-periods whose outcome is a predictor too, e.g. 2001,2005 (default: all of them when no "
             "predictors are named, none otherwise)"},
            {"threads", Type::count, "0",
             "threads for the placebo fits (0: one per core; results are the same on any count)"}},
       .diagnostics =
           {{"pre_rmspe", "root mean square gap between treated and synthetic over the pre-periods"},
            {"post_rmspe", "root mean square gap over the post-periods"},
            {"rmspe_ratio", "post_rmspe / pre_rmspe"},
            {"p_value_placebo",
             "share of the J + 1 units (treated and each donor as a placebo) whose RMSPE ratio is at "
             "least the treated one's"},
            {"donors_with_weight", "donors with a nonzero weight W"},
            {"treated_units", "number of treated units (averaged into one series)"},
            {"donors", "number of never-treated units"},
            {"predictors", "number of predictors matched"},
            {"pre_periods", "periods before adoption"},
            {"post_periods", "periods from adoption on"}},
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "s-learner",
       .summary =
           "S-learner: one outcome model with the treatment as a feature; per-row CATE (options "
           "base_learner forest|linear, trees, seed, threads); uplift diagnostics auuc, qini, top30_share; "
           "AIPW-score SE",
       .required = {"outcome", "treatment", "covariates"},
       .run = s_learner,
       .family = Family::learner,
       .options = meta_learner_options(),
       .diagnostics = kUpliftDiagnostics,
       .row_outputs = {"cate"},
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "t-learner",
       .summary =
           "T-learner: one outcome model per arm, CATE = difference (options base_learner forest|linear, "
           "trees, seed, threads); uplift diagnostics; AIPW-score SE",
       .required = {"outcome", "treatment", "covariates"},
       .run = t_learner,
       .family = Family::learner,
       .options = meta_learner_options(),
       .diagnostics = kUpliftDiagnostics,
       .row_outputs = {"cate"},
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "x-learner",
       .summary = "X-learner: imputed effects per arm blended by the propensity (options base_learner "
                  "forest|linear, trees, seed, threads); uplift diagnostics; AIPW-score SE",
       .required = {"outcome", "treatment", "covariates"},
       .run = x_learner,
       .family = Family::learner,
       .options = meta_learner_options(),
       .diagnostics = kUpliftDiagnostics,
       .row_outputs = {"cate"},
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "dr-learner",
       .summary =
           "DR-learner: cross-fitted AIPW scores regressed on the covariates; estimate = AIPW ATE with "
           "influence-function SE (options base_learner, trees, seed, threads, folds); uplift diagnostics",
       .required = {"outcome", "treatment", "covariates"},
       .run = dr_learner,
       .family = Family::learner,
       .options = meta_learner_options(),
       .diagnostics = kUpliftDiagnostics,
       .row_outputs = {"cate"},
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "causal-forest",
       .summary =
           "Causal forest (grf's causal_forest defaults): out-of-bag CATE and its little-bag variance per "
           "row; estimate = doubly robust (AIPW) ATE, cluster-robust with --cluster; ATT, effects by CATE "
           "quantile and by subgroup, best linear projection, RATE/TOC",
       .required = {"outcome", "treatment", "covariates"},
       .run = causal_forest_estimate,
       .family = Family::learner,
       .options = grf_options(
           {{"groups", Type::positive, "5", "number of CATE quantile groups for effects by group"},
            {"subgroups", Type::columns, "", "columns whose levels get a doubly robust effect each"},
            {"blp", Type::columns, "", "columns of the best linear projection of the CATE"},
            {"rate_reps", Type::count, "200", "bootstrap replicates of the RATE (AUTOC) SE"}}),
       .diagnostics = {kDf,
                       kClusters,
                       {"cate_mean", "mean out-of-bag CATE"},
                       {"propensity_min", "smallest estimated propensity"},
                       {"propensity_max", "largest estimated propensity"},
                       {"calibration_mean",
                        "calibration test: coefficient of the mean forest prediction (1: "
                        "well calibrated)"},
                       {"calibration_mean_p", "its one-sided p-value"},
                       {"calibration_differential",
                        "calibration test: coefficient of the differential "
                        "prediction (> 0: heterogeneity found)"},
                       {"calibration_differential_p", "its one-sided p-value"},
                       {"att", "doubly robust average effect on the treated"},
                       {"att_se", "its SE"},
                       {"cate_q{group}_effect", "doubly robust effect in a quantile group of the CATE"},
                       {"cate_q{group}_effect_se", "its SE"},
                       {"cate_q{group}_mean_cate", "mean predicted CATE in that group"},
                       {"effect_{column}_{level}", "doubly robust effect in a level of a subgroups column"},
                       {"effect_{column}_{level}_se", "its SE"},
                       {"blp_{term}", "best linear projection coefficient of a blp term (blp_intercept too)"},
                       {"blp_{term}_se", "its SE (HC3, clustered HC3 with a cluster)"},
                       {"blp_{term}_p", "its p-value"},
                       {"blp_{term}_ci_low", "lower end of its confidence interval"},
                       {"blp_{term}_ci_high", "upper end of its confidence interval"},
                       {"autoc", "rank-weighted average treatment effect (AUTOC) of the CATE ranking"},
                       {"autoc_se", "its half-sample bootstrap SE"},
                       {"auuc", "area under the uplift (gain) curve of the CATE ranking"},
                       {"auuc_random", "the same area for a random ranking"},
                       {"qini", "Qini coefficient of the CATE ranking"},
                       {"top{percent}_share", "share of the total uplift captured by the top-ranked rows"},
                       {"cate_sd", "standard deviation of the per-row CATE"},
                       {"ate_aipw", "mean of the doubly robust scores"}},
       .row_outputs = {"cate", "cate_variance", "y_hat", "w_hat"},
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "instrumental-forest",
       .summary =
           "Instrumental forest (grf's instrumental_forest defaults): out-of-bag conditional LATE τ(x) and "
           "its "
           "little-bag variance per row for one 0/1 instrument; estimate = grf's doubly robust average of "
           "τ(X) "
           "with a compliance forest, cluster-robust with --cluster; best linear projection; weak-instrument "
           "warning",
       .required = {"outcome", "treatment", "instruments", "covariates"},
       .run = instrumental_forest_estimate,
       .family = Family::learner,
       .identification = Criterion::instrument,
       .options = grf_options(
           {{"compliance_trees", Type::positive, "500",
             "trees of the compliance forest behind the doubly robust scores (grf's num.trees.for.weights)"},
            {"blp", Type::columns, "", "columns of the best linear projection of the CATE"}}),
       .diagnostics = {kClusters,
                       {"cate_mean", "mean out-of-bag CATE"},
                       {"cate_sd", "standard deviation of the out-of-bag CATE"},
                       {"first_stage_F",
                        "robust first-stage F of W − Ŵ on Z − Ẑ (weak below 10: a warning in the notes)"},
                       {"compliance_min",
                        "smallest compliance score Δ̂(x), the instrument's effect on take-up"},
                       {"compliance_max", "largest compliance score"},
                       {"compliance_mean", "mean compliance score"},
                       {"instrument_propensity_min", "smallest estimated P(Z = 1 | X)"},
                       {"instrument_propensity_max", "largest estimated P(Z = 1 | X)"},
                       {"blp_{term}", "best linear projection coefficient of a blp term (blp_intercept too)"},
                       {"blp_{term}_se", "its SE (HC3, clustered HC3 with a cluster)"},
                       {"blp_{term}_p", "its p-value"},
                       {"blp_{term}_ci_low", "lower end of its confidence interval"},
                       {"blp_{term}_ci_high", "upper end of its confidence interval"}},
       .row_outputs = {"cate", "cate_variance", "y_hat", "w_hat", "z_hat", "compliance_score"},
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "regression-forest",
       .summary =
           "Regression forest (grf's regression_forest defaults): the outcome predicted from the covariates, "
           "out of bag per row with its little-bag variance (no treatment); estimate = mean of the outcome "
           "(not causal); oob_r2, oob_mse",
       .required = {"outcome", "covariates"},
       .run = regression_forest_estimate,
       .family = Family::learner,
       .options = grf_options({}),
       .diagnostics = {kDf,
                       kClusters,
                       {"oob_mse", "out-of-bag mean squared error"},
                       {"oob_r2", "out-of-bag R²"},
                       {"variance_mean", "mean per-row variance of the prediction"},
                       {"rows_without_variance", "rows whose little bags gave no variance"}},
       .row_outputs = {"prediction", "variance"},
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "psm",
       .summary =
           "Nearest-neighbour matching as MatchIt's matchit(method = \"nearest\") on a logit or probit "
           "propensity score or the Mahalanobis distance (options distance, estimand att|atc, ratio, "
           "replace, "
           "caliper, m_order, exact, discard); effect by weighted regression with CR1 SE by matched set (HC3 "
           "with replacement); balance table; per row weights, subclass, distance",
       .required = {"outcome", "treatment", "covariates"},
       .run = propensity_score_matching_estimate,
       .options =
           {{"distance",
             Type::choice,
             "logit",
             "what units are matched on: a logit or probit propensity score (MatchIt's distance = \"glm\", "
             "link = \"logit\" / \"probit\"), or the Mahalanobis distance of the covariates (scaled, "
             "pooled within-arm covariance; no score, so no caliper, discard, m_order largest|smallest, "
             "propensity diagnostics or overlap plot)",
             {"logit", "probit", "mahalanobis"}},
            {"estimand",
             Type::choice,
             "att",
             "att: match controls to the treated; atc: treated to the controls (MatchIt has no ATE for "
             "nearest)",
             {"att", "atc", "ate"}},
            {"ratio", Type::positive, "1", "matches per focal unit (k:1)"},
            {"replace", Type::boolean, "false", "a unit of the other arm may be matched more than once"},
            {"caliper", Type::number, "",
             "largest score distance of a match, in SDs of the propensity score (not with mahalanobis)"},
            {"m_order",
             Type::choice,
             "",
             "order focal units are matched in (default: largest score first for att, smallest for atc; "
             "data order with mahalanobis, which takes only data or random)",
             {"largest", "smallest", "random", "data"}},
            {"seed", Type::count, "42", "seed of m_order random (not R's random numbers)"},
            {"exact", Type::columns, "", "columns whose values a match must share"},
            {"discard",
             Type::choice,
             "none",
             "drop units outside the other arm's score range: none, both, treated or control (none with "
             "mahalanobis)",
             {"none", "both", "treated", "control"}}},
       .diagnostics = {kDf,
                       kClusters,
                       {"max_abs_smd",
                        "largest |standardised mean difference| of a covariate after matching"},
                       {"max_abs_smd_before", "the same before matching"},
                       {"n_matched_treated", "treated rows with a positive matching weight"},
                       {"n_matched_control", "control rows with a positive matching weight"},
                       {"n_discarded", "rows dropped by option discard"},
                       {"ess_treated", "effective sample size (Σw)²/Σw² of the matched treated"},
                       {"ess_control", "effective sample size (Σw)²/Σw² of the matched controls"},
                       {"min_propensity", "smallest estimated propensity score (not with mahalanobis)"},
                       {"max_propensity", "largest estimated propensity score (not with mahalanobis)"}},
       // As MatchIt's match.data names them: the matching weight (0 = unmatched); the matched set,
       // numbered as MatchIt does, NA when unmatched and absent with replacement (sets overlap);
       // the propensity score, absent with distance mahalanobis.
       .row_outputs = {"weights", "subclass", "distance"},
       .default_refuters = kMatchingRefuters,
       .sensitivity = {SensitivityAnalysis::e_value}},
      {.name = "segment-effects",
       .summary =
           "Effects by segment (Lips, Camacho & van de Velden 2023): units split by k-means or PAM on "
           "standardised covariates (optionally at a cluster level; k by silhouette), by a column, or by "
           "quantiles of a causal forest's CATE; the effect within each segment by psm, iptw or "
           "difference-in-means; size-weighted overall effect, Wald test of equal effects, profiles",
       .required = {"outcome", "treatment"},
       .run = segment_effects,
       .options =
           {{"segments",
             Type::choice,
             "kmeans",
             "how units are segmented: kmeans or pam on the segment covariates, the levels of option column, "
             "or quantile groups of a causal forest's out-of-bag CATE",
             {"kmeans", "pam", "column", "cate"}},
            {"k", Type::count, "0",
             "number of segments (0: kmeans/pam choose k in 2..kmax by the largest average silhouette; cate: "
             "5)"},
            {"kmax", Type::positive, "8", "largest k tried when k is chosen by silhouette"},
            {"starts", Type::positive, "10",
             "k-means++ starts (the one with the least within-segment variance kept)"},
            {"seed", Type::count, "42",
             "seed of the k-means++ starts and of the causal forest (segments=cate)"},
            {"segment_covariates", Type::columns, "",
             "covariates the segments are formed on (default: the covariates)"},
            {"level", Type::column, "",
             "a cluster column (schools): segment the clusters by their covariate means, every row taking "
             "its "
             "cluster's segment; with segments=cate the forest is clustered by it"},
            {"column", Type::column, "", "the column whose levels are the segments (segments=column)"},
            {"within",
             Type::choice,
             "psm",
             "the estimator run within each segment (with its default options)",
             {"psm", "iptw", "difference-in-means"}},
            {"exact", Type::columns, "",
             "within=psm: columns a match must share (psm's exact), e.g. the school when students are "
             "randomised within schools"},
            {"estimand",
             Type::choice,
             "att",
             "att or ate within each segment (psm: att only; difference-in-means: the difference whatever it "
             "is)",
             {"att", "ate"}},
            {"trees", Type::positive, "1000", "trees of the causal forest (segments=cate)"}},
       .diagnostics = {{"segments", "number of segments"},
                       {"segments_not_estimable",
                        "segments without a treated or a control row, or where the inner "
                        "estimator could not run"},
                       {"k", "k of a kmeans or pam segmentation"},
                       {"average_silhouette", "average silhouette width of the segmentation used"},
                       {"equal_effects_chi2",
                        "Wald statistic of the test that every segment has the same effect"},
                       {"equal_effects_df", "its degrees of freedom (estimable segments − 1)"},
                       {"equal_effects_p", "its chi-square p-value"},
                       {"segment{number}_effect", "the effect within a segment (1-based, the table's order)"},
                       {"segment{number}_se", "its SE"},
                       {"segment{number}_ci_low", "lower bound of its interval"},
                       {"segment{number}_ci_high", "upper bound of its interval"}},
       .row_outputs = {"segment", "segment_target"},
       .default_refuters = kResampleRefuters,
       .quick_refit = false},
      {.name = "matching",
       .summary =
           "Abadie–Imbens nearest-neighbour covariate matching as Matching's Match() (with replacement, ties "
           "kept; options estimand att|ate|atc, m, weight inverse_variance|mahalanobis, bias_adjust); "
           "Abadie–Imbens SE (se_type abadie-imbens) and Match's se_standard; balance table",
       .required = {"outcome", "treatment", "covariates"},
       .run = covariate_matching,
       .options =
           {{"estimand",
             Type::choice,
             "att",
             "att: match each treated unit to controls; atc: each control to treated units; ate: both",
             {"att", "ate", "atc"}},
            {"m", Type::positive, "1", "matches per focal unit (Match's M; ties within 1e-5 are all kept)"},
            {"weight",
             Type::choice,
             "inverse_variance",
             "distance metric: inverse_variance (covariates scaled by their SDs; Match's Weight = 1) or "
             "mahalanobis (Weight = 2)",
             {"inverse_variance", "mahalanobis"}},
            {"bias_adjust", Type::boolean, "false",
             "Abadie–Imbens (2011) regression bias adjustment on the covariates (Match's BiasAdjust)"}},
       .diagnostics =
           {kDf,
            {"se_standard",
             "Match's se.standard: the usual SE of the mean of matched differences, "
             "ignoring that units are reused"},
            {"estimate_unadjusted", "the estimate without bias adjustment (Match's est.noadj)"},
            {"n_matched_treated", "treated units in the matched sample"},
            {"n_matched_control", "control units in the matched sample"},
            {"matched_pairs", "matched pairs, ties counted (Match's length(index.treated))"},
            {"wnobs", "focal units matched (Match's wnobs, the sum of the pair weights)"},
            {"focal_units_with_ties", "focal units with more than m matches because of distance ties"},
            {"max_abs_smd", "largest |standardised mean difference| of a covariate after matching"},
            {"max_abs_smd_before", "the same before matching"},
            {"ess_treated", "effective sample size (Σw)²/Σw² of the matched treated"},
            {"ess_control", "effective sample size (Σw)²/Σw² of the matched controls"}},
       .default_refuters = kMatchingRefuters,
       .sensitivity = {SensitivityAnalysis::e_value}},
  });
  return registry;
}

const EstimatorInfo& find_estimator(std::string_view name) {
  const auto& registry = estimator_registry();
  for (const auto& info : registry)
    if (info.name == name) return info;
  std::vector<std::string> known;
  for (const auto& info : registry) known.push_back(info.name);
  throw InputError(fmt::format("unknown estimator '{}' (known: {})", name, fmt::join(known, ", ")));
}

OptionValues read_options(std::string_view estimator, const EstimatorArgs& args) {
  return OptionValues(std::string(estimator), find_estimator(estimator).options, args.options);
}

bool diagnostic_name_matches(std::string_view pattern, std::string_view name) {
  const std::size_t open = pattern.find('{');
  if (open == std::string_view::npos) return pattern == name;
  if (name.substr(0, open) != pattern.substr(0, open)) return false;
  const std::size_t close = pattern.find('}', open);
  const std::string_view rest = pattern.substr(close == std::string_view::npos ? pattern.size() : close + 1);
  for (std::size_t end = open + 1; end <= name.size(); ++end)  // the placeholder takes ≥ 1 character
    if (diagnostic_name_matches(rest, name.substr(end))) return true;
  return false;
}

std::string to_string(IdentificationCriterion criterion) {
  switch (criterion) {
    case IdentificationCriterion::backdoor:
      return "backdoor";
    case IdentificationCriterion::instrument:
      return "instrument";
    case IdentificationCriterion::frontdoor:
      return "frontdoor";
    case IdentificationCriterion::parallel_trends:
      return "parallel-trends";
  }
  return "backdoor";
}

std::string to_string(EstimatorFamily family) {
  switch (family) {
    case EstimatorFamily::closed_form:
      return "closed-form";
    case EstimatorFamily::panel:
      return "panel";
    case EstimatorFamily::learner:
      return "learner";
  }
  return "closed-form";
}

}  // namespace casebook
