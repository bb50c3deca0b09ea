#include "simulate/estimand.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/input_error.hpp"

namespace casebook {
namespace {

// The mean of y1 - y0 over the units `include` selects; nullopt when it selects none.
template <class Include>
std::optional<double> mean_difference(const std::vector<double>& y1, const std::vector<double>& y0,
                                      Include include) {
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < y1.size(); ++i) {
    if (!include(i)) continue;
    sum += y1[i] - y0[i];
    ++count;
  }
  if (count == 0) return std::nullopt;
  return sum / static_cast<double>(count);
}

// Each unit's outcome with the treatment set to its treated and to its control value for
// everyone: the same units and noise as `factual`.
struct PotentialOutcomes {
  Dataset treated, control;
};

PotentialOutcomes potential_outcomes(const StructuralModel& model, const Dataset& factual,
                                     const EstimandSpec& estimand, std::uint64_t seed, unsigned threads) {
  return {model.simulate_intervened(factual, seed, {{estimand.treatment, estimand.treated_value}}, threads),
          model.simulate_intervened(factual, seed, {{estimand.treatment, estimand.control_value}}, threads)};
}

// The intercept at c of a local linear fit of `effect` on x - c with triangular weights over the
// tenth of the points nearest c (at least 3): the limit of E[effect | x] as x → c.
double local_linear_at(const std::vector<double>& x, const std::vector<double>& effect, double c) {
  std::vector<double> distance(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) distance[i] = std::abs(x[i] - c);
  std::vector<double> sorted = distance;
  const std::size_t k = std::min(sorted.size() - 1, std::max<std::size_t>(2, sorted.size() / 10));
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k), sorted.end());
  const double h = sorted[k] > 0 ? sorted[k] * (1 + 1e-12) : 1;
  double s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double w = std::max(0.0, 1 - distance[i] / h), u = x[i] - c;
    s0 += w, s1 += w * u, s2 += w * u * u, t0 += w * effect[i], t1 += w * u * effect[i];
  }
  const double det = s0 * s2 - s1 * s1;
  // All points at one x: no slope to fit, the weighted mean is the answer.
  if (!(std::abs(det) > 1e-12 * s0 * s2)) return t0 / s0;
  return (s2 * t0 - s1 * t1) / det;
}

double regression_discontinuity_truth(const StructuralModel& model, const Dataset& factual,
                                      const EstimandSpec& estimand, const std::vector<double>& y1,
                                      const std::vector<double>& y0, std::uint64_t seed, unsigned threads,
                                      const std::string& where) {
  if (model.is_panel()) throw InputError(where, "an rd estimand needs a cross-section, not a panel");
  if (!model.index_of(estimand.running))
    throw InputError(where,
                     fmt::format("running: '{}' is not a variable of the simulation", estimand.running));
  const double c = estimand.cutoff;
  const double below = c - 1e-9 * std::max(1.0, std::abs(c));
  const Dataset at = model.simulate_intervened(factual, seed, {{estimand.running, c}}, threads);
  const Dataset under = model.simulate_intervened(factual, seed, {{estimand.running, below}}, threads);
  const std::vector<double>& t_at = at.column(estimand.treatment).values;
  const std::vector<double>& t_under = under.column(estimand.treatment).values;
  const std::vector<double>& x = factual.column(estimand.running).values;
  std::vector<double> complier_x, complier_effect;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (t_at[i] != estimand.treated_value || t_under[i] != estimand.control_value) continue;
    complier_x.push_back(x[i]);
    complier_effect.push_back(y1[i] - y0[i]);
  }
  if (complier_x.size() < 3)
    throw InputError(where,
                     fmt::format("the effect at the cutoff is undefined: {} unit(s) switch {} from {} to {} "
                                 "when {} crosses {} (at least 3 are needed)",
                                 complier_x.size(), estimand.treatment, estimand.control_value,
                                 estimand.treated_value, estimand.running, c));
  return local_linear_at(complier_x, complier_effect, c);
}

// ½[(Y(1, M(1)) - Y(1, M(0))) + (Y(0, M(1)) - Y(0, M(0)))] averaged over the units, where
// Y(t, M(t')) is do(T = t) with the mediator held at its values under do(T = t').
double average_mediation_effect(const StructuralModel& model, const Dataset& factual,
                                const EstimandSpec& estimand, const PotentialOutcomes& potential,
                                std::uint64_t seed, unsigned threads) {
  const std::vector<double>& m1 = potential.treated.column(estimand.mediator).values;
  const std::vector<double>& m0 = potential.control.column(estimand.mediator).values;
  const auto outcome_with_mediator = [&](double t, const std::vector<double>& m) {
    Dataset base = factual;
    base.column(estimand.mediator).values = m;
    return model.simulate_intervened(base, seed, {{estimand.treatment, t}}, threads, {estimand.mediator})
        .column(estimand.outcome)
        .values;
  };
  const std::vector<double> y1_m0 = outcome_with_mediator(estimand.treated_value, m0);
  const std::vector<double> y0_m1 = outcome_with_mediator(estimand.control_value, m1);
  const auto all = [](std::size_t) { return true; };
  const double treated = *mean_difference(potential.treated.column(estimand.outcome).values, y1_m0, all);
  const double control = *mean_difference(y0_m1, potential.control.column(estimand.outcome).values, all);
  return (treated + control) / 2;
}

// The inverse of the empirical distribution of `values` at q (R's quantile type 1).
double empirical_quantile(std::vector<double> values, double q) {
  const double position = std::ceil(q * static_cast<double>(values.size()));
  const auto k = static_cast<std::ptrdiff_t>(std::max(1.0, position)) - 1;
  std::nth_element(values.begin(), values.begin() + k, values.end());
  return values[static_cast<std::size_t>(k)];
}

}  // namespace

double estimand_truth(const StructuralModel& model, const Dataset& factual, const EstimandSpec& estimand,
                      std::uint64_t seed, unsigned threads) {
  const std::string where =
      estimand.where.empty() ? fmt::format("estimand '{}'", estimand.id) : estimand.where;
  if (estimand.type == "cate") {
    const std::vector<double> effects = estimand_row_truth(model, factual, estimand, seed, threads);
    return *mean_difference(effects, std::vector<double>(effects.size(), 0.0),
                            [](std::size_t) { return true; });
  }
  if (estimand.type != "ate" && estimand.type != "att" && estimand.type != "late" && estimand.type != "rd" &&
      estimand.type != "qte" && estimand.type != "acme")
    throw InputError(where,
                     fmt::format("unknown estimand type '{}' (known: ate, att, late, cate, rd, qte, acme)",
                                 estimand.type));
  if (estimand.type == "qte" && !(estimand.quantile > 0 && estimand.quantile < 1))
    throw InputError(where, fmt::format("quantile: {} is not in (0, 1)", estimand.quantile));
  auto require_variable = [&](const char* field, const std::string& name) {
    if (!model.index_of(name))
      throw InputError(where, fmt::format("{}: '{}' is not a variable of the simulation", field, name));
  };
  require_variable("treatment", estimand.treatment);
  require_variable("outcome", estimand.outcome);
  if (estimand.type == "late") require_variable("instrument", estimand.instrument);
  if (estimand.type == "acme") require_variable("mediator", estimand.mediator);
  if (factual.rows() == 0) throw InputError(where, "the simulated data have no rows");
  if (estimand.type == "late") {
    // Compliers are defined by do(z = 1) against do(z = 0): any other value of z has no meaning here.
    const std::vector<double>& z = factual.column(estimand.instrument).values;
    for (std::size_t i = 0; i < z.size(); ++i)
      if (z[i] != 0 && z[i] != 1)
        throw InputError(where, fmt::format("instrument: the LATE compares do({0} = 1) with do({0} = 0), so "
                                            "'{0}' must be 0/1, but it is {1} at unit {2}",
                                            estimand.instrument, z[i], i + 1));
  }

  const PotentialOutcomes potential = potential_outcomes(model, factual, estimand, seed, threads);
  const std::vector<double>& y1 = potential.treated.column(estimand.outcome).values;
  const std::vector<double>& y0 = potential.control.column(estimand.outcome).values;

  if (estimand.type == "ate") return *mean_difference(y1, y0, [](std::size_t) { return true; });
  if (estimand.type == "qte") {
    if (model.is_panel()) throw InputError(where, "a qte estimand needs a cross-section, not a panel");
    return empirical_quantile(y1, estimand.quantile) - empirical_quantile(y0, estimand.quantile);
  }
  if (estimand.type == "rd")
    return regression_discontinuity_truth(model, factual, estimand, y1, y0, seed, threads, where);
  if (estimand.type == "acme")
    return average_mediation_effect(model, factual, estimand, potential, seed, threads);

  if (estimand.type == "att") {
    const std::vector<double>& t = factual.column(estimand.treatment).values;
    // In a panel the treated cells' own outcomes stand for Y(1): do(T = 1) in every period would
    // also switch on the treatment before adoption, which lag() could carry into later periods.
    const std::vector<double>& y_treated = model.is_panel() ? factual.column(estimand.outcome).values : y1;
    auto att = mean_difference(y_treated, y0, [&](std::size_t i) { return t[i] == estimand.treated_value; });
    if (!att)
      throw InputError(where, fmt::format("the ATT is undefined: no unit has {} = {} in the simulated data",
                                          estimand.treatment, estimand.treated_value));
    return *att;
  }

  // late: compliers take the treatment when the instrument is 1 and not when it is 0.
  const Dataset encouraged = model.simulate_intervened(factual, seed, {{estimand.instrument, 1}}, threads);
  const Dataset not_encouraged =
      model.simulate_intervened(factual, seed, {{estimand.instrument, 0}}, threads);
  const std::vector<double>& t1 = encouraged.column(estimand.treatment).values;
  const std::vector<double>& t0 = not_encouraged.column(estimand.treatment).values;
  for (std::size_t i = 0; i < t1.size(); ++i) {
    for (double t : {t1[i], t0[i]}) {
      if (t != estimand.treated_value && t != estimand.control_value)
        throw InputError(
            where, fmt::format("the LATE needs a binary treatment, but {} = {} at unit {} under do({} = "
                               "{}) (expected {} or {})",
                               estimand.treatment, t, i + 1, estimand.instrument, t == t1[i] ? 1 : 0,
                               estimand.treated_value, estimand.control_value));
    }
  }
  auto late = mean_difference(y1, y0, [&](std::size_t i) {
    return t1[i] == estimand.treated_value && t0[i] == estimand.control_value;
  });
  if (!late)
    throw InputError(where,
                     fmt::format("the LATE is undefined: no unit is a complier ({} = {} under do({} = 1) and "
                                 "{} under do({} = 0))",
                                 estimand.treatment, estimand.treated_value, estimand.instrument,
                                 estimand.control_value, estimand.instrument));
  return *late;
}

std::vector<double> estimand_row_truth(const StructuralModel& model, const Dataset& factual,
                                       const EstimandSpec& estimand, std::uint64_t seed, unsigned threads) {
  const std::string where =
      estimand.where.empty() ? fmt::format("estimand '{}'", estimand.id) : estimand.where;
  if (estimand.type != "cate")
    throw InputError(where,
                     fmt::format("per-unit truth is defined for cate estimands, not '{}'", estimand.type));
  for (const auto& [field, name] :
       {std::pair{"treatment", estimand.treatment}, std::pair{"outcome", estimand.outcome}})
    if (!model.index_of(name))
      throw InputError(where, fmt::format("{}: '{}' is not a variable of the simulation", field, name));
  if (factual.rows() == 0) throw InputError(where, "the simulated data have no rows");
  const PotentialOutcomes potential = potential_outcomes(model, factual, estimand, seed, threads);
  const std::vector<double>& y1 = potential.treated.column(estimand.outcome).values;
  const std::vector<double>& y0 = potential.control.column(estimand.outcome).values;
  std::vector<double> effects(y1.size());
  for (std::size_t i = 0; i < effects.size(); ++i) effects[i] = y1[i] - y0[i];
  return effects;
}

}  // namespace casebook
