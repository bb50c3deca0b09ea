#include "estimators/aipw.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>
#include <pcg_random.hpp>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "effect_summaries/doubly_robust_ate.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/propensity_score.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "aipw";

Eigen::VectorXd outcome_regression(const PropensityData& d, std::span<const std::uint32_t> rows,
                                   std::string_view arm) {
  try {
    return fit_linear(d.design, d.y, rows);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: outcome model of the {} rows: {}", kName, arm, e.what()));
  }
}

}  // namespace

std::vector<std::size_t> aipw_folds(std::size_t rows, std::size_t folds, std::uint64_t seed) {
  std::vector<std::size_t> fold(rows, 0);
  if (folds < 2) return fold;
  std::vector<std::uint32_t> order(rows);
  std::iota(order.begin(), order.end(), 0u);
  pcg32 rng;
  seed_from_key(rng, derive_seed(seed, 0x61697077));
  for (std::size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng(static_cast<std::uint32_t>(i))]);
  for (std::size_t r = 0; r < rows; ++r) fold[order[r]] = r % folds;
  return fold;
}

Estimate aipw_with_folds(const Dataset& data, const EstimatorArgs& args, std::span<const std::size_t> fold) {
  const OptionValues options = read_options(kName, args);
  const PropensityData d = propensity_data(kName, data, args);
  const bool att = options.text("estimand") == "att";
  const std::size_t n = d.y.size();
  if (fold.size() != n) throw std::logic_error("aipw_with_folds: one fold per row");
  const std::size_t folds = *std::max_element(fold.begin(), fold.end()) + 1;

  std::vector<double> mu1(n), mu0(n), e(n);
  for (std::size_t f = 0; f < folds; ++f) {
    std::vector<std::uint32_t> train, treated, control;
    for (const std::uint32_t i : d.all) {
      if (folds > 1 && fold[i] == f) continue;
      train.push_back(i);
      (d.t[i] == 1 ? treated : control).push_back(i);
    }
    const Eigen::VectorXd b1 = outcome_regression(d, treated, "treated");
    const Eigen::VectorXd b0 = outcome_regression(d, control, "control");
    const PropensityFit ps = fit_propensity(kName, args.treatment, d, train);
    for (std::size_t i = 0; i < n; ++i) {
      if (fold[i] != f) continue;
      const auto row = d.design.row(static_cast<Eigen::Index>(i));
      mu1[i] = row.dot(b1);
      mu0[i] = row.dot(b0);
      e[i] = ps.e[i];
    }
  }

  std::vector<double> scores(n);
  double estimate = 0, se = 0;
  if (!att) {
    // ψ as grf writes it: τ̂ + (T − ê)/(ê(1 − ê)) (Y − Ŷ − (T − ê) τ̂) with Ŷ = μ̂₀ + ê τ̂.
    std::vector<double> cate(n), y_hat(n);
    for (std::size_t i = 0; i < n; ++i) {
      cate[i] = mu1[i] - mu0[i];
      y_hat[i] = mu0[i] + e[i] * cate[i];
    }
    DoublyRobustEffect effect = doubly_robust_ate(d.y, d.t, y_hat, e, cate);
    estimate = effect.estimate;
    se = effect.se;
    scores = std::move(effect.scores);
  } else {
    const double treated = std::accumulate(d.t.begin(), d.t.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double residual = d.y[i] - mu0[i];
      estimate += d.t[i] == 1 ? residual : -e[i] / (1 - e[i]) * residual;
    }
    estimate /= treated;
    // Influence function of the ATT, divided by P(T = 1) (mean 0 by construction).
    const double share = treated / static_cast<double>(n);
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double residual = d.y[i] - mu0[i];
      scores[i] = (d.t[i] == 1 ? residual - estimate : -e[i] / (1 - e[i]) * residual) / share;
      mean += scores[i];
    }
    mean /= static_cast<double>(n);
    double squares = 0;
    for (const double s : scores) squares += (s - mean) * (s - mean);
    se = std::sqrt(squares / static_cast<double>(n - 1) / static_cast<double>(n));
  }

  Estimate out = to_estimate(z_test(estimate, se, args.confidence_level), n);
  out.se_type = "influence";
  // The balance of the inverse-probability weights inside the AIPW score.
  const WeightTarget target = att ? WeightTarget::att : WeightTarget::ate;
  std::vector<double> weights(n);
  for (std::size_t i = 0; i < n; ++i) weights[i] = balancing_weight(target, d.t[i], e[i]);
  report_weights(out, data, args, d.t, e, weights, target);
  out.notes.push_back(fmt::format(
      "estimate = augmented IPW (doubly robust) {} with linear outcome models per arm and a logistic "
      "propensity{}; SE = sd of the influence function / √n",
      att ? "ATT" : "ATE", folds > 1 ? fmt::format(", cross-fitted over {} folds", folds) : ""));
  out.row_outputs["propensity"] = std::move(e);
  out.row_outputs["mu1"] = std::move(mu1);
  out.row_outputs["mu0"] = std::move(mu0);
  out.row_outputs["score"] = std::move(scores);
  return out;
}

Estimate aipw(const Dataset& data, const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  return aipw_with_folds(data, args, aipw_folds(data.rows(), options.count("folds"), options.count("seed")));
}

}  // namespace casebook
