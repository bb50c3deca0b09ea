// DR-learner (Kennedy 2023): cross-fitted AIPW scores, regressed on the covariates.
#include <numeric>

#include <fmt/format.h>

#include <pcg_random.hpp>

#include "core/derived_seed.hpp"
#include "estimators/meta_learner.hpp"
#include "estimators/meta_learners.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {

Estimate dr_learner(const Dataset& data, const EstimatorArgs& args) {
  constexpr std::string_view kName = "dr-learner";
  const MetaLearnerSettings s = meta_learner_settings(kName, args);
  const MetaLearnerData d = meta_learner_data(kName, data, args, s);
  const std::size_t n = d.y.size();

  // Folds from a seeded permutation; the nuisances of a fold's rows are fitted on the other folds.
  std::vector<std::uint32_t> order = d.all;
  pcg32 rng;
  seed_from_key(rng, derive_seed(s.forest_options.seed, 0x666f6c64));
  for (std::size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng(static_cast<std::uint32_t>(i))]);
  std::vector<std::size_t> fold(n);
  for (std::size_t r = 0; r < n; ++r) fold[order[r]] = r % s.folds;

  std::vector<double> mu1(n), mu0(n), e(n);
  for (std::size_t f = 0; f < s.folds; ++f) {
    std::vector<std::uint32_t> treated, control, others;
    for (const std::uint32_t i : d.all) {
      if (fold[i] == f) continue;
      others.push_back(i);
      (d.t[i] == 1 ? treated : control).push_back(i);
    }
    // Rows of fold f are outside every training set here, so their predictions use whole models.
    const std::vector<double> m1 = outcome_model(d, s, d.y, treated, 10 + 3 * f);
    const std::vector<double> m0 = outcome_model(d, s, d.y, control, 11 + 3 * f);
    const std::vector<double> p = linear_predictions(d.design, d.t, others, true, 0, 0);
    for (std::size_t i = 0; i < n; ++i)
      if (fold[i] == f) {
        mu1[i] = m1[i];
        mu0[i] = m0[i];
        e[i] = p[i];
      }
  }
  const std::vector<double> scores = aipw_scores(d, mu1, mu0, e);
  std::vector<double> cate = outcome_model(d, s, scores, d.all, 2);
  const double ate = std::accumulate(scores.begin(), scores.end(), 0.0) / static_cast<double>(n);
  Estimate out = meta_learner_estimate(d, s, args, std::move(cate), ate, scores, "DR-learner");
  out.notes.push_back(
      fmt::format("estimate = the AIPW ATE mean(ψ) with {}-fold cross-fitted μ̂₁, μ̂₀ and logistic propensity; "
                  "SE = sd(ψ)/√n "
                  "(influence function); CATE = regression of ψ on the covariates (out of sample)",
                  s.folds));
  return out;
}

}  // namespace casebook
