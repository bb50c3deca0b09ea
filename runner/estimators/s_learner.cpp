// S-learner: a single outcome model with the treatment as one more feature.
#include <numeric>
#include <optional>

#include "core/derived_seed.hpp"
#include "estimators/meta_learner.hpp"
#include "estimators/meta_learners.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {

Estimate s_learner(const Dataset& data, const EstimatorArgs& args) {
  constexpr std::string_view kName = "s-learner";
  const MetaLearnerSettings s = meta_learner_settings(kName, args);
  const MetaLearnerData d = meta_learner_data(kName, data, args, s);
  const std::size_t n = d.y.size();
  std::vector<double> mu1(n), mu0(n);
  std::optional<double> common_effect;  // the linear S-learner's single θ̂
  if (s.forest) {
    Eigen::MatrixXd features(d.covariates.rows(), d.covariates.cols() + 1);
    features << d.covariates, Eigen::Map<const Eigen::VectorXd>(d.t.data(), static_cast<Eigen::Index>(n));
    const BinnedMatrix binned = BinnedMatrix::fit(features);
    const std::size_t treatment_column = binned.cols() - 1;
    const BinnedMatrix all_treated = binned.with_column_set(treatment_column, 1);
    const BinnedMatrix all_control = binned.with_column_set(treatment_column, 0);
    // Row i of both queries is training row i with its treatment switched: out of bag for row i.
    const ForestQuery queries[] = {{&all_treated, true, false}, {&all_control, true, false}};
    ForestOptions options = s.forest_options;
    options.seed = derive_seed(s.forest_options.seed, 1);
    const RegressionRule rule(d.y);
    const ForestPredictions p = predict_while_growing(binned, d.all, rule, options, queries);
    mu1 = p[0].estimates;
    mu0 = p[1].estimates;
  } else {
    // Linear: Y = x'β + θT, so τ̂ = θ̂ for everyone (the S-learner cannot find heterogeneity here).
    Eigen::MatrixXd design(d.design.rows(), d.design.cols() + 1);
    design << d.design, Eigen::Map<const Eigen::VectorXd>(d.t.data(), static_cast<Eigen::Index>(n));
    const Eigen::VectorXd b = fit_linear(design, d.y, d.all);
    const double theta = b[b.size() - 1];
    common_effect = theta;
    const Eigen::VectorXd base = d.design * b.head(b.size() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      mu0[i] = base[static_cast<Eigen::Index>(i)];
      mu1[i] = mu0[i] + theta;
    }
  }
  std::vector<double> cate(n);
  for (std::size_t i = 0; i < n; ++i) cate[i] = common_effect ? *common_effect : mu1[i] - mu0[i];
  const double ate = std::accumulate(cate.begin(), cate.end(), 0.0) / static_cast<double>(n);
  const std::vector<double> scores = aipw_scores(d, mu1, mu0, propensity_model(d, s));
  Estimate out = meta_learner_estimate(d, s, args, std::move(cate), ate, scores, "S-learner");
  out.notes.push_back(
      "estimate = mean of the per-row CATE; SE = sd(ψ)/√n of the AIPW scores ψ built on the S-learner's own "
      "μ̂(x,1), "
      "μ̂(x,0) and a logistic propensity (the AIPW ATE is diagnostic ate_aipw)");
  return out;
}

}  // namespace casebook
