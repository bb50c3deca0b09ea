#include "simulate/structural_model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <muParser.h>

#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "simulate/expression_functions.hpp"

namespace casebook {
namespace {

using simulate_detail::FunctionArgumentError;

// "cases/x/case.json: simulation.variables[3] (y)"
std::string variable_where(const SimulationSpec& spec, std::size_t index) {
  const std::string& name = spec.variables[index].name;
  std::string location =
      name.empty() ? fmt::format("variables[{}]", index) : fmt::format("variables[{}] ({})", index, name);
  return spec.where.empty() ? location : spec.where + "." + location;
}

std::unique_ptr<mu::Parser> parser_with_functions() {
  auto parser = std::make_unique<mu::Parser>();
  simulate_detail::define_expression_functions(*parser);
  return parser;
}

// Names a variable may not take: every function (muParser's and ours) and constant (_pi, _e).
const std::set<std::string>& reserved_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> out;
    auto parser = parser_with_functions();
    for (const auto& [name, callback] : parser->GetFunDef()) out.insert(name);
    for (const auto& [name, value] : parser->GetConst()) out.insert(name);
    return out;
  }();
  return names;
}

bool is_function_name(const std::string& name) {
  static const std::set<std::string> functions = [] {
    std::set<std::string> out;
    auto parser = parser_with_functions();
    for (const auto& [function, callback] : parser->GetFunDef()) out.insert(function);
    return out;
  }();
  return functions.contains(name);
}

// lag(x, d) is parsed as lag(__lag_x, d), where __lag_x holds x in the previous period.
constexpr std::string_view kLagPrefix = "__lag_";

bool is_identifier_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

void check_name(const SimulationSpec& spec, std::size_t index, std::map<std::string, std::size_t>& seen) {
  const std::string& name = spec.variables[index].name;
  const std::string where = variable_where(spec, index);
  if (name.empty()) throw InputError(where, "the variable has no name");
  if (!is_identifier_start(name.front()) || !std::all_of(name.begin(), name.end(), is_identifier_char))
    throw InputError(where, fmt::format("'{}' is not a valid variable name: use letters, digits and _, "
                                        "starting with a letter or _",
                                        name));
  if (reserved_names().contains(name))
    throw InputError(
        where, fmt::format("'{}' is the name of a built-in function or constant; choose another name", name));
  if (spec.periods > 0 && (name == kUnitColumn || name == kPeriodColumn))
    throw InputError(where,
                     fmt::format("'{}' is a panel's index column (unit 1..n, period 1..periods), which "
                                 "every expression can read; choose another name",
                                 name));
  if (name.starts_with(kLagPrefix))
    throw InputError(where, fmt::format("names starting with '{}' are reserved for lag()", kLagPrefix));
  auto [earlier, inserted] = seen.emplace(name, index);
  if (!inserted)
    throw InputError(where, fmt::format("duplicate name '{}' (also variables[{}])", name, earlier->second));
}

// Checks muParser would pass but a model must not have, or would report less clearly:
// - an unknown name followed by '(' (muParser reads it as a variable, then a misplaced '(');
// - an assignment 'x = 1', which would overwrite another variable's value within the unit;
// - several expressions 'a, b' at the top level, of which muParser silently keeps the last.
void check_expression_tokens(const std::string& expr, const std::string& where) {
  std::size_t i = 0;
  int depth = 0;
  auto next_is = [&](char wanted) { return i + 1 < expr.size() && expr[i + 1] == wanted; };
  while (i < expr.size()) {
    const char c = expr[i];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {  // skip a number, exponent included
      while (i < expr.size() && (std::isdigit(static_cast<unsigned char>(expr[i])) || expr[i] == '.')) ++i;
      if (i < expr.size() && (expr[i] == 'e' || expr[i] == 'E')) {
        ++i;
        if (i < expr.size() && (expr[i] == '+' || expr[i] == '-')) ++i;
        while (i < expr.size() && std::isdigit(static_cast<unsigned char>(expr[i]))) ++i;
      }
    } else if (is_identifier_start(c)) {
      const std::size_t start = i;
      while (i < expr.size() && is_identifier_char(expr[i])) ++i;
      const std::string name = expr.substr(start, i - start);
      std::size_t next = i;
      while (next < expr.size() && std::isspace(static_cast<unsigned char>(expr[next]))) ++next;
      if (next < expr.size() && expr[next] == '(' && !is_function_name(name))
        throw InputError(where, fmt::format("unknown function '{}' in '{}'", name, expr));
    } else if ((c == '=' || c == '<' || c == '>' || c == '!') && next_is('=')) {
      i += 2;  // a comparison: ==, <=, >=, !=
    } else if (c == '=') {
      throw InputError(where, fmt::format("'=' assigns in '{}'; an expression may only read other variables "
                                          "(compare with '==')",
                                          expr));
    } else {
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if (c == ',' && depth == 0)
        throw InputError(where,
                         fmt::format("'{}' holds several expressions separated by ','; write one", expr));
      ++i;
    }
  }
}

// Rewrites every lag(x, d) to lag(__lag_x, d) and returns the lagged names. Throws InputError
// for lag in a cross-section, lag without a default, or a first argument that is not a name.
std::string rewrite_lags(const std::string& expr, bool panel, const std::string& where,
                         std::vector<std::string>& lagged) {
  std::string out;
  std::size_t i = 0;
  auto skip_spaces = [&](std::size_t k) {
    while (k < expr.size() && std::isspace(static_cast<unsigned char>(expr[k]))) ++k;
    return k;
  };
  while (i < expr.size()) {
    const char c = expr[i];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {  // a number, exponent included
      const std::size_t start = i;
      while (i < expr.size() && (std::isalnum(static_cast<unsigned char>(expr[i])) || expr[i] == '.')) ++i;
      if (i < expr.size() && (expr[i] == '+' || expr[i] == '-') &&
          (expr[i - 1] == 'e' || expr[i - 1] == 'E')) {
        ++i;
        while (i < expr.size() && std::isdigit(static_cast<unsigned char>(expr[i]))) ++i;
      }
      out += expr.substr(start, i - start);
    } else if (is_identifier_start(c)) {
      const std::size_t start = i;
      while (i < expr.size() && is_identifier_char(expr[i])) ++i;
      const std::string name = expr.substr(start, i - start);
      out += name;
      std::size_t open = skip_spaces(i);
      if (name != "lag" || open >= expr.size() || expr[open] != '(') continue;
      if (!panel)
        throw InputError(where, fmt::format("lag() in '{}' needs a panel: give the simulation units and "
                                            "periods instead of n",
                                            expr));
      std::size_t arg = skip_spaces(open + 1);
      std::size_t arg_end = arg;
      while (arg_end < expr.size() && is_identifier_char(expr[arg_end])) ++arg_end;
      const std::size_t after = skip_spaces(arg_end);
      if (arg_end == arg || !is_identifier_start(expr[arg]) || after >= expr.size() ||
          (expr[after] != ',' && expr[after] != ')'))
        throw InputError(where, fmt::format("the first argument of lag() in '{}' must be a variable name, as "
                                            "in lag(x, 0)",
                                            expr));
      if (expr[after] == ')')
        throw InputError(where, fmt::format("lag() in '{}' needs the value for period 1, which has no "
                                            "previous period: write lag(x, default), e.g. lag(x, 0)",
                                            expr));
      const std::string target = expr.substr(arg, arg_end - arg);
      lagged.push_back(target);
      out += "(" + std::string(kLagPrefix) + target + ",";
      i = after + 1;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

struct CompiledVariable {
  std::string expression;                // as muParser reads it (lags rewritten)
  std::vector<std::size_t> parents;      // read in the same row, sorted
  std::vector<std::size_t> lag_parents;  // read in the previous period, sorted
};

// Parses variable `index` against the variables before it (and, in a panel, unit, period and the
// lags of unit-period variables) and returns what it reads.
CompiledVariable compile_variable(const SimulationSpec& spec, std::size_t index,
                                  const std::map<std::string, std::size_t>& index_by_name) {
  const VariableSpec& variable = spec.variables[index];
  const std::string where = variable_where(spec, index);
  const bool panel = spec.periods > 0;
  if (std::all_of(variable.expr.begin(), variable.expr.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
    throw InputError(where, "the expression is empty");
  check_expression_tokens(variable.expr, where);
  CompiledVariable compiled;
  std::vector<std::string> lagged;
  compiled.expression = rewrite_lags(variable.expr, panel, where, lagged);
  for (const auto& name : lagged) {
    auto found = index_by_name.find(name);
    if (found == index_by_name.end())
      throw InputError(where, fmt::format("unknown variable '{}' in lag() in '{}'", name, variable.expr));
    if (variable.level == Level::unit)
      throw InputError(where, fmt::format("'{}' is unit-level (drawn once per unit), so it cannot use lag() "
                                          "in '{}'; make it unit-period",
                                          variable.name, variable.expr));
    if (spec.variables[found->second].level == Level::unit)
      throw InputError(where, fmt::format("'{}' is unit-level, constant over periods: use '{}' instead of "
                                          "lag({}, ...) in '{}'",
                                          name, name, name, variable.expr));
    compiled.lag_parents.push_back(found->second);
  }

  auto parser = parser_with_functions();
  std::vector<double> placeholders(spec.variables.size() * 2 + 2, 0.0);
  mu::varmap_type used;
  try {
    // muParser rejects some names the loader lets through (e.g. too long): an error, not an abort.
    for (std::size_t j = 0; j < index; ++j) parser->DefineVar(spec.variables[j].name, &placeholders[j]);
    if (panel) {
      parser->DefineVar(kUnitColumn, &placeholders[2 * spec.variables.size()]);
      parser->DefineVar(kPeriodColumn, &placeholders[2 * spec.variables.size() + 1]);
      for (std::size_t j : compiled.lag_parents)
        parser->DefineVar(std::string(kLagPrefix) + spec.variables[j].name,
                          &placeholders[spec.variables.size() + j]);
    }
    parser->SetExpr(compiled.expression);
    used = parser->GetUsedVar();  // parses fully, collecting names it does not know too
  } catch (const mu::ParserError& e) {
    throw InputError(where, fmt::format("cannot parse '{}': {}", variable.expr, e.GetMsg()));
  } catch (const FunctionArgumentError& e) {  // a helper on constants, folded while parsing
    throw InputError(where, fmt::format("in '{}': {}", variable.expr, e.what()));
  }

  std::vector<std::size_t>& parents = compiled.parents;
  for (const auto& [name, address] : used) {
    if (panel && name == kPeriodColumn && variable.level == Level::unit)
      throw InputError(where,
                       fmt::format("'{}' is unit-level (drawn once per unit), so it cannot use period in "
                                   "'{}'; make it unit-period",
                                   variable.name, variable.expr));
    if (panel && (name == kUnitColumn || name == kPeriodColumn || name.starts_with(kLagPrefix))) continue;
    auto found = index_by_name.find(name);
    if (found == index_by_name.end())
      throw InputError(where, fmt::format("unknown variable '{}' in '{}'", name, variable.expr));
    if (found->second == index)
      throw InputError(where, fmt::format("'{}' uses itself in '{}'", name, variable.expr));
    if (found->second > index)
      throw InputError(where,
                       fmt::format("'{}' is defined later, at variables[{}]: variables must come after "
                                   "the ones they use",
                                   name, found->second));
    if (panel && variable.level == Level::unit && spec.variables[found->second].level == Level::unit_period)
      throw InputError(where, fmt::format("'{}' is unit-level (drawn once per unit), so it cannot read the "
                                          "unit-period variable '{}' in '{}'",
                                          variable.name, name, variable.expr));
    parents.push_back(found->second);
  }
  std::sort(parents.begin(), parents.end());
  std::sort(compiled.lag_parents.begin(), compiled.lag_parents.end());
  compiled.lag_parents.erase(std::unique(compiled.lag_parents.begin(), compiled.lag_parents.end()),
                             compiled.lag_parents.end());
  return compiled;
}

// Where each variable's values come from in one simulation.
enum class Source { expression, intervention, factual };

struct Plan {
  std::vector<Source> source;
  std::vector<double> fixed_value;                  // for Source::intervention
  std::vector<const std::vector<double>*> factual;  // for Source::factual
  std::vector<std::size_t> factual_inputs;          // factual variables some expression reads
};

// The values a categorical variable may take are its codes 0..k-1.
bool is_level_code(double value, std::size_t level_count) {
  return value >= 0 && value < static_cast<double>(level_count) && value == std::floor(value);
}

// One thread's parsers, bound to that thread's buffer of current-unit values.
class UnitEvaluator {
 public:
  UnitEvaluator(const SimulationSpec& spec, const std::vector<CompiledVariable>& compiled, const Plan& plan)
      : spec_(spec),
        compiled_(compiled),
        plan_(plan),
        values_(spec.variables.size(), 0.0),
        lag_values_(spec.variables.size(), 0.0),
        parsers_(spec.variables.size()) {
    for (std::size_t i = 0; i < spec.variables.size(); ++i) {
      if (plan.source[i] == Source::intervention) values_[i] = plan.fixed_value[i];
      if (plan.source[i] != Source::expression) continue;
      parsers_[i] = parser_with_functions();
      for (std::size_t j : compiled[i].parents) parsers_[i]->DefineVar(spec.variables[j].name, &values_[j]);
      if (spec.periods > 0) {
        parsers_[i]->DefineVar(kUnitColumn, &unit_value_);
        parsers_[i]->DefineVar(kPeriodColumn, &period_value_);
        for (std::size_t j : compiled[i].lag_parents)
          parsers_[i]->DefineVar(std::string(kLagPrefix) + spec.variables[j].name, &lag_values_[j]);
      }
      parsers_[i]->SetExpr(compiled[i].expression);
    }
  }

  // Evaluates units [begin, end), writing each expression variable's value to output[i][row].
  void run(std::uint64_t seed, std::size_t begin, std::size_t end, std::vector<std::vector<double>>& output) {
    if (spec_.periods > 0) return run_panel(seed, begin, end, output);
    for (std::size_t unit = begin; unit < end; ++unit) {
      for (std::size_t j : plan_.factual_inputs) values_[j] = (*plan_.factual[j])[unit];
      for (std::size_t i = 0; i < values_.size(); ++i) {
        if (plan_.source[i] != Source::expression) continue;
        simulate_detail::seed_draws(seed, i, unit);
        const double value = evaluate(i, unit, std::nullopt);
        values_[i] = value;
        output[i][unit] = value;
      }
    }
  }

 private:
  bool is_unit_level(std::size_t i) const { return spec_.variables[i].level == Level::unit; }

  // Unit-level variables first (they read unit-level variables only), then period by period the
  // unit-period ones, each period seeing the previous period's values through lag().
  void run_panel(std::uint64_t seed, std::size_t begin, std::size_t end,
                 std::vector<std::vector<double>>& output) {
    const std::size_t periods = spec_.periods;
    const std::size_t count = values_.size();
    for (std::size_t unit = begin; unit < end; ++unit) {
      unit_value_ = static_cast<double>(unit + 1);
      const std::size_t first_row = unit * periods;
      for (std::size_t j : plan_.factual_inputs)
        if (is_unit_level(j)) values_[j] = (*plan_.factual[j])[first_row];
      for (std::size_t i = 0; i < count; ++i) {
        if (plan_.source[i] != Source::expression || !is_unit_level(i)) continue;
        simulate_detail::seed_draws(seed, i, unit);
        const double value = evaluate(i, unit, std::nullopt);
        values_[i] = value;
        std::fill_n(output[i].begin() + static_cast<std::ptrdiff_t>(first_row), periods, value);
      }
      for (std::size_t period = 0; period < periods; ++period) {
        const std::size_t row = first_row + period;
        period_value_ = static_cast<double>(period + 1);
        // values_ still holds the previous period here (or the last unit's, unused in period 1).
        for (std::size_t j = 0; j < count; ++j)
          lag_values_[j] = period == 0 ? simulate_detail::no_previous_period() : values_[j];
        for (std::size_t j : plan_.factual_inputs)
          if (!is_unit_level(j)) values_[j] = (*plan_.factual[j])[row];
        for (std::size_t i = 0; i < count; ++i) {
          if (plan_.source[i] != Source::expression || is_unit_level(i)) continue;
          simulate_detail::seed_draws(seed, i, unit, period);
          const double value = evaluate(i, unit, period);
          values_[i] = value;
          output[i][row] = value;
        }
      }
    }
  }

  double evaluate(std::size_t i, std::size_t unit, std::optional<std::size_t> period) {
    const VariableSpec& variable = spec_.variables[i];
    const std::string at =
        period ? fmt::format("unit {}, period {}", unit + 1, *period + 1) : fmt::format("unit {}", unit + 1);
    double value = 0;
    try {
      value = parsers_[i]->Eval();
    } catch (const FunctionArgumentError& e) {
      throw InputError(variable_where(spec_, i),
                       fmt::format("{} (in '{}', first at {})", e.what(), variable.expr, at));
    } catch (const mu::ParserError& e) {
      throw InputError(variable_where(spec_, i),
                       fmt::format("cannot evaluate '{}': {}", variable.expr, e.GetMsg()));
    }
    if (!std::isfinite(value))
      throw InputError(variable_where(spec_, i),
                       fmt::format("'{}' gives {} at {} (the first unit where it is not a finite number: "
                                   "look for log or sqrt of a negative number, or a division by zero)",
                                   variable.expr, std::isnan(value) ? "nan" : fmt::format("{}", value), at));
    if (variable.levels.size() > 0 && !is_level_code(value, variable.levels.size()))
      throw InputError(
          variable_where(spec_, i),
          fmt::format("'{}' gives {} at {}, which is not a code of its {} levels (0 to {})", variable.expr,
                      value, at, variable.levels.size(), variable.levels.size() - 1));
    return value;
  }

  const SimulationSpec& spec_;
  const std::vector<CompiledVariable>& compiled_;
  const Plan& plan_;
  // Never resized: the parsers hold pointers into them.
  std::vector<double> values_;
  std::vector<double> lag_values_;  // the previous period's values (NaN in period 1)
  double unit_value_ = 0;
  double period_value_ = 0;
  std::vector<std::unique_ptr<mu::Parser>> parsers_;
};

// Units are handed out in fixed-size chunks whatever the thread count, and each unit's result
// depends only on (seed, variable, unit), so the data are the same for any number of threads.
// parallel_for reports the first failing chunk, whose evaluator stops at its first failing unit:
// the error is the one at the first failing unit, as in a single thread.
constexpr std::size_t kUnitsPerChunk = 4096;

void evaluate_units(const SimulationSpec& spec, const std::vector<CompiledVariable>& compiled,
                    const Plan& plan, std::uint64_t seed, std::size_t n, unsigned threads,
                    std::vector<std::vector<double>>& output) {
  const std::size_t chunks = (n + kUnitsPerChunk - 1) / kUnitsPerChunk;
  // One evaluator (parsed expressions, unit buffers) per thread, reused across its chunks.
  parallel_for(
      chunks, threads, [&] { return std::make_unique<UnitEvaluator>(spec, compiled, plan); },
      [&](std::unique_ptr<UnitEvaluator>& evaluator, std::size_t chunk) {
        evaluator->run(seed, chunk * kUnitsPerChunk, std::min(n, (chunk + 1) * kUnitsPerChunk), output);
      });
}

std::string describe(const std::vector<Intervention>& interventions) {
  std::vector<std::string> parts;
  for (const auto& i : interventions) parts.push_back(fmt::format("{} = {}", i.variable, i.value));
  return fmt::format("do({})", fmt::join(parts, ", "));
}

}  // namespace

struct StructuralModel::Compiled {
  std::vector<CompiledVariable> variables;  // by variable index
  std::map<std::string, std::size_t> index_by_name;
};

StructuralModel::StructuralModel(SimulationSpec spec)
    : spec_(std::move(spec)), compiled_(std::make_unique<Compiled>()) {
  if (spec_.n < 1) throw InputError(spec_.where, "n must be at least 1");
  if (spec_.variables.empty()) throw InputError(spec_.where, "a simulation needs at least one variable");
  // Names first, so that a reference to a later variable can say where that one is.
  for (std::size_t i = 0; i < spec_.variables.size(); ++i) check_name(spec_, i, compiled_->index_by_name);
  for (std::size_t i = 0; i < spec_.variables.size(); ++i) {
    const VariableSpec& variable = spec_.variables[i];
    for (std::size_t k = 0; k < variable.levels.size(); ++k) {
      if (variable.levels[k].empty())
        throw InputError(variable_where(spec_, i), fmt::format("levels[{}] is empty", k));
      for (std::size_t l = 0; l < k; ++l)
        if (variable.levels[l] == variable.levels[k])
          throw InputError(variable_where(spec_, i), fmt::format("duplicate level '{}'", variable.levels[k]));
    }
    compiled_->variables.push_back(compile_variable(spec_, i, compiled_->index_by_name));
  }
}

StructuralModel::~StructuralModel() = default;
StructuralModel::StructuralModel(StructuralModel&&) noexcept = default;
StructuralModel& StructuralModel::operator=(StructuralModel&&) noexcept = default;

std::vector<std::string> StructuralModel::parents(std::size_t variable_index) const {
  if (variable_index >= spec_.variables.size())
    throw std::out_of_range(fmt::format("StructuralModel::parents: no variable {} (the model has {})",
                                        variable_index, spec_.variables.size()));
  std::vector<std::string> names;
  for (std::size_t j : compiled_->variables[variable_index].parents) names.push_back(spec_.variables[j].name);
  return names;
}

std::vector<std::string> StructuralModel::lagged_parents(std::size_t variable_index) const {
  if (variable_index >= spec_.variables.size())
    throw std::out_of_range(fmt::format("StructuralModel::lagged_parents: no variable {} (the model has {})",
                                        variable_index, spec_.variables.size()));
  std::vector<std::string> names;
  for (std::size_t j : compiled_->variables[variable_index].lag_parents)
    names.push_back(spec_.variables[j].name);
  return names;
}

std::optional<std::size_t> StructuralModel::index_of(std::string_view name) const {
  auto found = compiled_->index_by_name.find(std::string(name));
  if (found == compiled_->index_by_name.end()) return std::nullopt;
  return found->second;
}

namespace {

// Checks the interventions and returns, per variable, its value or nothing.
std::vector<std::optional<double>> intervention_values(
    const SimulationSpec& spec, const std::map<std::string, std::size_t>& index_by_name,
    const std::vector<Intervention>& interventions) {
  std::vector<std::optional<double>> values(spec.variables.size());
  for (const auto& intervention : interventions) {
    const std::string where =
        spec.where.empty() ? describe({intervention}) : spec.where + ": " + describe({intervention});
    auto found = index_by_name.find(intervention.variable);
    if (found == index_by_name.end()) {
      std::vector<std::string> names;
      for (const auto& v : spec.variables) names.push_back(v.name);
      throw InputError(where, fmt::format("no variable '{}' to intervene on (variables: {})",
                                          intervention.variable, fmt::join(names, ", ")));
    }
    const std::size_t i = found->second;
    if (values[i]) throw InputError(where, fmt::format("'{}' is intervened on twice", intervention.variable));
    if (!std::isfinite(intervention.value)) throw InputError(where, "the value must be a finite number");
    const auto& levels = spec.variables[i].levels;
    if (!levels.empty() && !is_level_code(intervention.value, levels.size()))
      throw InputError(where, fmt::format("'{}' is categorical: the value must be a code 0 to {}",
                                          intervention.variable, levels.size() - 1));
    values[i] = intervention.value;
  }
  return values;
}

}  // namespace

namespace {

// A panel's index columns, first in its long-form dataset.
void add_panel_index(Dataset& data, std::size_t units, std::size_t periods) {
  std::vector<double> unit(units * periods), period(units * periods);
  for (std::size_t u = 0; u < units; ++u)
    for (std::size_t p = 0; p < periods; ++p) {
      unit[u * periods + p] = static_cast<double>(u + 1);
      period[u * periods + p] = static_cast<double>(p + 1);
    }
  data.add_column(Column{kUnitColumn, std::move(unit), {}});
  data.add_column(Column{kPeriodColumn, std::move(period), {}});
}

}  // namespace

Dataset StructuralModel::simulate(std::uint64_t seed, std::size_t n,
                                  const std::vector<Intervention>& interventions, unsigned threads) const {
  if (n < 1) throw InputError(spec_.where, "n must be at least 1");
  const auto fixed = intervention_values(spec_, compiled_->index_by_name, interventions);
  const std::size_t count = spec_.variables.size();
  const std::size_t rows = is_panel() ? n * spec_.periods : n;

  Plan plan{std::vector<Source>(count, Source::expression),
            std::vector<double>(count, 0.0),
            std::vector<const std::vector<double>*>(count, nullptr),
            {}};
  std::vector<std::vector<double>> output(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (fixed[i]) {
      plan.source[i] = Source::intervention;
      plan.fixed_value[i] = *fixed[i];
      output[i].assign(rows, *fixed[i]);
    } else {
      output[i].resize(rows);
    }
  }
  evaluate_units(spec_, compiled_->variables, plan, seed, n, threads, output);

  Dataset data(interventions.empty()
                   ? fmt::format("simulation (seed {})", seed)
                   : fmt::format("simulation (seed {}, {})", seed, describe(interventions)));
  if (is_panel()) add_panel_index(data, n, spec_.periods);
  for (std::size_t i = 0; i < count; ++i)
    data.add_column(Column{spec_.variables[i].name, std::move(output[i]), spec_.variables[i].levels});
  return data;
}

Dataset StructuralModel::simulate_intervened(const Dataset& factual, std::uint64_t seed,
                                             const std::vector<Intervention>& interventions, unsigned threads,
                                             const std::vector<std::string>& held) const {
  const std::size_t rows = factual.rows();
  if (rows < 1) throw InputError(factual.source(), "the factual data have no rows");
  if (is_panel() && rows % spec_.periods != 0)
    throw InputError(factual.source(),
                     fmt::format("{} rows are not whole units of {} periods", rows, spec_.periods));
  const std::size_t units = is_panel() ? rows / spec_.periods : rows;
  const auto fixed = intervention_values(spec_, compiled_->index_by_name, interventions);
  const std::size_t count = spec_.variables.size();
  const auto& compiled = compiled_->variables;

  Plan plan{std::vector<Source>(count, Source::factual),
            std::vector<double>(count, 0.0),
            std::vector<const std::vector<double>*>(count, nullptr),
            {}};
  for (std::size_t i = 0; i < count; ++i) {
    plan.factual[i] = &factual.column(spec_.variables[i].name).values;  // throws naming a missing column
    if (fixed[i]) {
      plan.source[i] = Source::intervention;
      plan.fixed_value[i] = *fixed[i];
    }
  }
  std::vector<bool> is_held(count, false);
  for (const std::string& name : held) {
    const auto found = compiled_->index_by_name.find(name);
    if (found == compiled_->index_by_name.end())
      throw InputError(spec_.where, fmt::format("no variable '{}' to hold at its values", name));
    is_held[found->second] = true;
  }
  // Downstream of an intervention, through the same row or (in a panel) through lag(), which may
  // point forward in the spec, hence the repeat until nothing changes.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < count; ++i) {
      if (plan.source[i] != Source::factual || is_held[i]) continue;
      // A held variable's values differ from those its descendants in `factual` were drawn with.
      auto not_factual = [&](std::size_t j) { return plan.source[j] != Source::factual || is_held[j]; };
      if (std::any_of(compiled[i].parents.begin(), compiled[i].parents.end(), not_factual) ||
          std::any_of(compiled[i].lag_parents.begin(), compiled[i].lag_parents.end(), not_factual)) {
        plan.source[i] = Source::expression;
        changed = true;
      }
    }
  }
  std::vector<bool> read_by_expression(count, false);
  for (std::size_t i = 0; i < count; ++i)
    if (plan.source[i] == Source::expression) {
      for (std::size_t j : compiled[i].parents) read_by_expression[j] = true;
      for (std::size_t j : compiled[i].lag_parents) read_by_expression[j] = true;
    }
  for (std::size_t j = 0; j < count; ++j)
    if (plan.source[j] == Source::factual && read_by_expression[j]) plan.factual_inputs.push_back(j);

  std::vector<std::vector<double>> output(count);
  bool any_expression = false;
  for (std::size_t i = 0; i < count; ++i) {
    if (plan.source[i] == Source::intervention) output[i].assign(rows, plan.fixed_value[i]);
    if (plan.source[i] == Source::expression) {
      output[i].resize(rows);
      any_expression = true;
    }
  }
  if (any_expression) evaluate_units(spec_, compiled, plan, seed, units, threads, output);

  Dataset data(fmt::format("simulation (seed {}, {})", seed, describe(interventions)));
  if (is_panel()) add_panel_index(data, units, spec_.periods);
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<double> values = plan.source[i] == Source::factual ? *plan.factual[i] : std::move(output[i]);
    data.add_column(Column{spec_.variables[i].name, std::move(values), spec_.variables[i].levels});
  }
  return data;
}

}  // namespace casebook
