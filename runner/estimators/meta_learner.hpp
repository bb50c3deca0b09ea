#pragma once
// What the four meta-learners (s-learner, t-learner, x-learner, dr-learner) share: argument
// checks, covariates as forest features or a linear design, out-of-sample nuisance predictions,
// and the Estimate they all return.
//
// Options (EstimatorArgs::options): base_learner = forest (default) | linear; trees (default 500),
// seed (42), threads (0: every core; results do not depend on it), min_node_size (5),
// folds (5: cross-fitting folds of the linear learner and of the DR-learner's nuisances),
// top_share (0.3: the targeting share reported as top_share).
//
// Out of sample: every per-row prediction a learner uses for row i comes from a model that did not
// see row i — out-of-bag for a forest's training rows, cross-fitted for the linear learner, and
// from the whole model for rows outside its training set (e.g. control rows in μ̂₁). The uplift
// metrics are therefore computed on honest (not in-sample) CATE scores of the same data.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Core>

#include "core/input_error.hpp"

#include "estimators/estimator.hpp"
#include "forest/binned_matrix.hpp"
#include "forest/forest.hpp"

namespace casebook {

struct MetaLearnerSettings {
  bool forest = true;
  ForestOptions forest_options;
  std::size_t folds = 5;
  double top_share = 0.3;
};

struct MetaLearnerData {
  std::vector<double> y, t;
  std::vector<std::uint32_t> treated, control, all;
  Eigen::MatrixXd
      covariates;  // forest features: numeric covariates as they are, text ones one 0/1 column per level
  std::vector<std::string> feature_names;  // the columns of `covariates` ("education=college" for a level)
  BinnedMatrix binned;                     // forest features, binned
  std::vector<std::string> notes;          // for the reader, e.g. how text covariates entered
  Eigen::MatrixXd design;                  // intercept + covariates with dummies, for linear learners
};

// The forest and learner settings of `estimator` from its declared options (registry.cpp): the
// meta-learners' and grf's forests (causal-forest, regression-forest) read them alike.
MetaLearnerSettings meta_learner_settings(std::string_view estimator, const EstimatorArgs& args);

// Checks the arguments (outcome, 0/1 treatment with ≥ 2 rows per arm, ≥ 1 covariate, none
// constant, no missing values); InputError otherwise.
MetaLearnerData meta_learner_data(std::string_view estimator, const Dataset& data, const EstimatorArgs& args,
                                  const MetaLearnerSettings& settings);

// Covariates as forest features: numeric ones as they are, a text one as one 0/1 column per level
// (with a note saying so). The columns must exist and be complete; shared with regression-forest.
struct ForestFeatures {
  Eigen::MatrixXd matrix;
  std::vector<std::string> names;  // "education=college" for a level
  std::vector<std::string> notes;  // one per text covariate
};
ForestFeatures forest_features(const Dataset& data, const std::vector<std::string>& covariates);

// Predictions of `target` for every row, fitted on `rows` (out of sample as described above).
// `stream` keeps the random streams of different nuisance models apart.
std::vector<double> outcome_model(const MetaLearnerData& d, const MetaLearnerSettings& s,
                                  std::span<const double> target, std::span<const std::uint32_t> rows,
                                  std::uint64_t stream);
// P(T = 1 | X): logistic regression on the linear design, cross-fitted.
std::vector<double> propensity_model(const MetaLearnerData& d, const MetaLearnerSettings& s);

// The AIPW score ψ_i = μ̂₁ − μ̂₀ + T(Y − μ̂₁)/ê − (1 − T)(Y − μ̂₀)/(1 − ê).
std::vector<double> aipw_scores(const MetaLearnerData& d, std::span<const double> mu1,
                                std::span<const double> mu0, std::span<const double> propensity);

// The Estimate of a meta-learner: `ate` with se = sd(ψ)/√n (t with n − 1 df), per-row "cate",
// uplift diagnostics (auuc, auuc_random, qini, top_share, ate_aipw, cate_sd) and plots.
Estimate meta_learner_estimate(const MetaLearnerData& d, const MetaLearnerSettings& s,
                               const EstimatorArgs& args, std::vector<double> cate, double ate,
                               std::span<const double> scores, const std::string& label);

}  // namespace casebook
