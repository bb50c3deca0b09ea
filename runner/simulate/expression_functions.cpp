#include "simulate/expression_functions.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include <fmt/format.h>
#include <muParser.h>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/student_t_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <pcg_random.hpp>

#include "core/derived_seed.hpp"

namespace casebook::simulate_detail {
namespace {

// muParser calls plain function pointers, so the draws reach their generator through a
// thread-local: one per thread keeps parallel simulation free of shared state.
thread_local pcg64 draw_generator;

// Shared with the bootstrap and Monte Carlo (core/derived_seed.hpp).
using casebook::splitmix64;

// Boost asserts on bad parameters (or loops forever, as uniform(a, a) would); check first so
// a case author gets a message instead.
[[noreturn]] void bad_argument(const char* signature, const std::string& what) {
  throw FunctionArgumentError(fmt::format("{}: {}", signature, what));
}

void require_finite(const char* signature, std::initializer_list<double> arguments) {
  for (double a : arguments)
    if (!std::isfinite(a))
      bad_argument(signature, fmt::format("arguments must be finite numbers, got {}", a));
}

// The largest count poisson and binomial accept: their draws are ints.
constexpr double kMaxCount = 1e9;

double draw_normal(double mean, double sd) {
  require_finite("normal(mean, sd)", {mean, sd});
  if (sd < 0) bad_argument("normal(mean, sd)", fmt::format("sd must be at least 0, got {}", sd));
  return boost::random::normal_distribution<double>(mean, sd)(draw_generator);
}

double draw_bernoulli(double p) {
  require_finite("bernoulli(p)", {p});
  if (p < 0 || p > 1) bad_argument("bernoulli(p)", fmt::format("p must be between 0 and 1, got {}", p));
  return boost::random::bernoulli_distribution<double>(p)(draw_generator) ? 1.0 : 0.0;
}

double draw_uniform(double low, double high) {
  require_finite("uniform(a, b)", {low, high});
  if (low > high)
    bad_argument("uniform(a, b)", fmt::format("a must not exceed b, got a = {}, b = {}", low, high));
  if (low == high) return low;
  return boost::random::uniform_real_distribution<double>(low, high)(draw_generator);
}

double draw_poisson(double lambda) {
  require_finite("poisson(lambda)", {lambda});
  if (lambda < 0 || lambda > kMaxCount)
    bad_argument("poisson(lambda)",
                 fmt::format("lambda must be between 0 and {}, got {}", kMaxCount, lambda));
  if (lambda == 0) return 0;
  return boost::random::poisson_distribution<int, double>(lambda)(draw_generator);
}

double draw_binomial(double trials, double p) {
  require_finite("binomial(n, p)", {trials, p});
  if (trials < 0 || trials > kMaxCount || trials != std::floor(trials))
    bad_argument("binomial(n, p)",
                 fmt::format("n must be a whole number between 0 and {}, got {}", kMaxCount, trials));
  if (p < 0 || p > 1) bad_argument("binomial(n, p)", fmt::format("p must be between 0 and 1, got {}", p));
  if (trials == 0 || p == 0) return 0;
  if (p == 1) return trials;
  return boost::random::binomial_distribution<int, double>(static_cast<int>(trials), p)(draw_generator);
}

double draw_exponential(double rate) {
  require_finite("exponential(rate)", {rate});
  if (rate <= 0) bad_argument("exponential(rate)", fmt::format("rate must be above 0, got {}", rate));
  return boost::random::exponential_distribution<double>(rate)(draw_generator);
}

double draw_lognormal(double meanlog, double sdlog) {
  require_finite("lognormal(meanlog, sdlog)", {meanlog, sdlog});
  if (sdlog < 0)
    bad_argument("lognormal(meanlog, sdlog)", fmt::format("sdlog must be at least 0, got {}", sdlog));
  return boost::random::lognormal_distribution<double>(meanlog, sdlog)(draw_generator);
}

double draw_student_t(double df) {
  require_finite("student_t(df)", {df});
  if (df <= 0) bad_argument("student_t(df)", fmt::format("df must be above 0, got {}", df));
  return boost::random::student_t_distribution<double>(df)(draw_generator);
}

// categorical(p0, …, pk): the code 0..k, drawn with probabilities proportional to the weights.
double draw_categorical(const double* weights, int count) {
  constexpr const char* signature = "categorical(p0, p1, ...)";
  double total = 0;
  for (int k = 0; k < count; ++k) {
    if (!std::isfinite(weights[k]) || weights[k] < 0)
      bad_argument(signature, fmt::format("p{} must be a finite number at least 0, got {}", k, weights[k]));
    total += weights[k];
  }
  if (total <= 0) bad_argument(signature, "the probabilities sum to 0");
  const double u = boost::random::uniform_real_distribution<double>(0, total)(draw_generator);
  double cumulative = 0;
  int last_possible = 0;
  for (int k = 0; k < count; ++k) {
    if (weights[k] == 0) continue;
    cumulative += weights[k];
    last_possible = k;
    if (u < cumulative) return k;
  }
  return last_possible;  // u within rounding of the total
}

double logistic(double x) {
  // Two forms so that neither overflows: exp of a large positive number is never taken.
  if (x >= 0) return 1 / (1 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1 + e);
}

double logit(double p) {
  if (!(p > 0 && p < 1))
    bad_argument("logit(p)", fmt::format("p must be strictly between 0 and 1, got {}", p));
  return std::log(p / (1 - p));
}

double clamp(double x, double low, double high) {
  if (!(low <= high))
    bad_argument("clamp(x, lo, hi)", fmt::format("lo must not exceed hi, got lo = {}, hi = {}", low, high));
  return std::min(std::max(x, low), high);
}

// lag(x, d): the simulator rewrites the first argument to a placeholder that holds x in the
// unit's previous period, or NaN in period 1 (simulated values are always finite).
double lag_or_default(double previous, double first_period_default) {
  return std::isnan(previous) ? first_period_default : previous;
}

double floor_of(double x) { return std::floor(x); }
double ceil_of(double x) { return std::ceil(x); }
// Halves round away from zero (2.5 -> 3, -2.5 -> -3), unlike muParser's rint.
double round_of(double x) { return std::round(x); }

}  // namespace

void define_expression_functions(mu::Parser& parser) {
  constexpr bool kDrawsEveryTime = false;  // not optimizable: never folded into a constant
  parser.DefineFun("normal", draw_normal, kDrawsEveryTime);
  parser.DefineFun("bernoulli", draw_bernoulli, kDrawsEveryTime);
  parser.DefineFun("uniform", draw_uniform, kDrawsEveryTime);
  parser.DefineFun("poisson", draw_poisson, kDrawsEveryTime);
  parser.DefineFun("binomial", draw_binomial, kDrawsEveryTime);
  parser.DefineFun("exponential", draw_exponential, kDrawsEveryTime);
  parser.DefineFun("lognormal", draw_lognormal, kDrawsEveryTime);
  parser.DefineFun("student_t", draw_student_t, kDrawsEveryTime);
  parser.DefineFun("categorical", draw_categorical, kDrawsEveryTime);
  parser.DefineFun("logistic", logistic);
  parser.DefineFun("logit", logit);
  parser.DefineFun("clamp", clamp);
  parser.DefineFun("floor", floor_of);
  parser.DefineFun("ceil", ceil_of);
  parser.DefineFun("round", round_of);
  parser.DefineFun("lag", lag_or_default);
}

const std::vector<std::string>& expression_function_names() {
  static const std::vector<std::string> names = {
      "normal",      "bernoulli", "uniform", "poisson", "binomial", "exponential", "lognormal", "student_t",
      "categorical", "logistic",  "logit",   "clamp",   "floor",    "ceil",        "round",     "lag"};
  return names;
}

void seed_draws(std::uint64_t seed, std::size_t variable, std::size_t unit) {
  std::uint64_t key = splitmix64(seed);
  key = splitmix64(key ^ static_cast<std::uint64_t>(variable));
  key = splitmix64(key ^ static_cast<std::uint64_t>(unit));
  // The stream (increment) comes from the same key, so neighbouring units differ in both.
  draw_generator.seed(key, splitmix64(key ^ 0x6a09e667f3bcc909ULL));
}

void seed_draws(std::uint64_t seed, std::size_t variable, std::size_t unit, std::size_t period) {
  std::uint64_t key = splitmix64(seed);
  key = splitmix64(key ^ static_cast<std::uint64_t>(variable));
  key = splitmix64(key ^ static_cast<std::uint64_t>(unit));
  // A different constant from the stream's, so (unit, period) never collides with a plain unit key.
  key = splitmix64(key ^ static_cast<std::uint64_t>(period) ^ 0xbb67ae8584caa73bULL);
  draw_generator.seed(key, splitmix64(key ^ 0x6a09e667f3bcc909ULL));
}

double no_previous_period() { return std::nan(""); }

}  // namespace casebook::simulate_detail
