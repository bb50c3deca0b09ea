// simulate and estimate: data out of a case, estimators on a user's data.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/results.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/report.hpp"
#include "core/input_error.hpp"
#include "core/memory_check.hpp"
#include "data/csv.hpp"
#include "estimators/estimator_bootstrap.hpp"
#include "estimators/streaming_regression.hpp"
#include "refute/sensitivity.hpp"
#include "simulate/simulation_size.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {
namespace {

// Sensitivity to unobserved confounding (refute/sensitivity.hpp): where the estimator declares the
// robustness value, it and the partial R² of the treatment, with one bound per --benchmark
// covariate; the E-value and the Anderson–Rubin set where it declares them (sensitivity_diagnostics).
// 1 − 0.95 is 0.050000000000000044 in binary: the decimal the user meant, for the JSON.
double as_decimal(double x) { return std::stod(fmt::format("{:.12g}", x)); }

nlohmann::json sensitivity_json(const EstimatorInfo& estimator, const Dataset& data,
                                const EstimatorArgs& args, const std::map<std::string, double>& diagnostics,
                                const std::vector<std::string>& benchmarks) {
  nlohmann::json out = nlohmann::json::object();
  const auto& declared = estimator.sensitivity;
  if (std::find(declared.begin(), declared.end(), SensitivityAnalysis::robustness_value) != declared.end()) {
    const RegressionSensitivity s =
        regression_sensitivity(data, args, benchmarks, 1.0, 1 - args.confidence_level);
    out["robustness_value"] = s.robustness_value;
    out["robustness_value_alpha"] = s.robustness_value_alpha;
    out["partial_r2"] = s.partial_r2;
    out["t_statistic"] = s.t_statistic;
    out["dof"] = s.dof;
    out["q"] = s.q;
    out["alpha"] = as_decimal(s.alpha);
    out["reference"] = "Cinelli & Hazlett (2020), classical OLS t-statistic and residual df";
    if (!s.benchmarks.empty()) {
      out["benchmarks"] = nlohmann::json::array();
      for (const auto& b : s.benchmarks)
        out["benchmarks"].push_back(
            {{"covariate", b.covariate},
             {"kd", b.kd},
             {"ky", b.ky},
             {"r2dxj_x", b.r2dxj_x},
             {"r2yxj_dx", b.r2yxj_dx},
             {"r2dz_x", b.r2dz_x},
             {"r2yz_dx", b.r2yz_dx},
             {"adjusted_estimate", b.adjusted_estimate},
             {"adjusted_se", b.adjusted_se},
             {"adjusted_t", b.adjusted_t},
             {"adjusted_ci", {b.adjusted_ci_low, b.adjusted_ci_high}},
             {"reading",
              fmt::format("a confounder as strong as {} (in its partial R² with treatment "
                          "and outcome) would move the estimate to {:.4g}, 95% CI [{:.4g}, {:.4g}]",
                          b.covariate, b.adjusted_estimate, b.adjusted_ci_low, b.adjusted_ci_high)}});
    }
  } else if (!benchmarks.empty()) {
    throw InputError(
        fmt::format("--benchmark applies to regression adjustment (ols), not {}", estimator.name));
  }
  for (const auto& [name, value] : diagnostics) {
    if (name == "robustness_value" || name == "robustness_value_alpha" || name == "partial_r2_treatment" ||
        name.starts_with("anderson_rubin"))
      continue;
    out[name] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
  }
  return out;
}

// The Anderson–Rubin set where the estimator declares it. It is not a sensitivity analysis but
// inference that stays valid however weak the instrument, so it has its own key and lines.
nlohmann::json anderson_rubin_json(const std::map<std::string, double>& diagnostics, double level) {
  const auto bounded = diagnostics.find("anderson_rubin_bounded");
  if (bounded == diagnostics.end()) return {};
  nlohmann::json out{{"level", as_decimal(level)}, {"bounded", bounded->second == 1}};
  const auto low = diagnostics.find("anderson_rubin_low"), high = diagnostics.find("anderson_rubin_high");
  const bool ends = low != diagnostics.end() && high != diagnostics.end();
  if (ends) {
    out["low"] = low->second;
    out["high"] = high->second;
  }
  out["set"] = !ends ? "the whole real line: the instrument is too weak to bound the effect"
               : bounded->second == 1
                   ? fmt::format("[{}, {}]", format_number(low->second), format_number(high->second))
                   : fmt::format("(-inf, {}] and [{}, inf): the instrument is weak",
                                 format_number(low->second), format_number(high->second));
  return out;
}

// Text covariates enter a regression as 0/1 columns, one per level but the first: say which level
// is the reference, which R's summary() shows only by its absence.
void note_text_covariates(const Dataset& data, const EstimatorArgs& args, Estimate& e) {
  for (const auto& covariate : args.covariates) {
    const Column& column = data.column(covariate);
    if (!column.is_categorical() || column.levels.size() < 2) continue;
    const bool as_dummies = std::any_of(e.terms.begin(), e.terms.end(), [&](const Term& t) {
      return t.term == covariate + column.levels[1];
    });
    if (as_dummies)
      e.notes.push_back(fmt::format(
          "text covariate '{}' enters as {} 0/1 columns ({}{}, …), one per level but the reference '{}'",
          covariate, column.levels.size() - 1, covariate, column.levels[1], column.levels[0]));
  }
}

nlohmann::json bootstrap_json(const BootstrapResult& b) {
  return {{"kind", b.kind},
          {"reps", b.reps},
          {"failed", b.failed},
          {"clusters", b.clusters},
          {"seed", b.seed},
          {"confidence_level", b.confidence_level},
          {"se", b.se},
          {"percentile_ci", {b.percentile_low, b.percentile_high}},
          {"normal_ci", {b.normal_low, b.normal_high}}};
}

void print_bootstrap(std::ostream& out, const BootstrapResult& b) {
  const double level = 100 * b.confidence_level;
  out << fmt::format("bootstrap ({}{}, {} replicates, seed {}{}):\n", b.kind,
                     b.kind == "cluster" ? fmt::format(", {} clusters", b.clusters) : "", b.reps, b.seed,
                     b.failed ? fmt::format(", {} failed", b.failed) : "");
  out << fmt::format("  SE {}\n  {:g}% percentile CI [{}, {}]\n  {:g}% normal CI     [{}, {}]\n",
                     format_number(b.se), level, format_number(b.percentile_low),
                     format_number(b.percentile_high), level, format_number(b.normal_low),
                     format_number(b.normal_high));
}

bool takes_option(const EstimatorInfo& estimator, const std::string& key) {
  return find_option(estimator.options, key) != nullptr;
}

// --seed, --threads, --trees and --base-learner of a learner become its EstimatorArgs options.
void forward_learner_options(const EstimatorInfo& estimator, const EstimateCommand& command,
                             EstimatorArgs& args) {
  auto forward = [&](const char* flag, const char* key, bool given, const std::string& value) {
    if (!given) return;
    if (!takes_option(estimator, key)) {
      if (std::string(key) == "seed" || std::string(key) == "threads")
        return;  // the bootstrap's (checked below)
      throw InputError(fmt::format("{} does not take {}", estimator.name, flag));
    }
    args.options[key] = value;
  };
  forward("--seed", "seed", command.seed_given, std::to_string(command.seed));
  forward("--threads", "threads", command.threads_given, std::to_string(command.threads));
  forward("--trees", "trees", command.trees.has_value(), command.trees ? std::to_string(*command.trees) : "");
  forward("--base-learner", "base_learner", !command.base_learner.empty(), command.base_learner);
}

std::string known_options(const EstimatorInfo& estimator) {
  std::vector<std::string> names;
  for (const auto& option : estimator.options) names.push_back(option.name);
  return names.empty() ? std::string("it takes no options")
                       : fmt::format("it reads: {}", fmt::join(names, ", "));
}

// --group, --post, --unit, --time and every --option key=value become EstimatorArgs options; a key
// the estimator does not read, a key given twice or a malformed --option is an InputError.
void fill_estimator_options(const EstimatorInfo& estimator, const EstimateCommand& command,
                            EstimatorArgs& args) {
  auto set = [&](const std::string& flag, const std::string& key, const std::string& value) {
    if (!takes_option(estimator, key))
      throw InputError(fmt::format("{} does not take the option '{}' ({}); {}", estimator.name, key, flag,
                                   known_options(estimator)));
    if (args.options.contains(key)) throw InputError(fmt::format("the option '{}' is given twice", key));
    args.options[key] = value;
  };
  const std::pair<const char*, const std::string*> named[] = {
      {"group", &command.group}, {"post", &command.post}, {"unit", &command.unit}, {"time", &command.time}};
  for (const auto& [key, value] : named)
    if (!value->empty()) set(fmt::format("--{}", key), key, *value);
  for (const std::string& text : command.options) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
      throw InputError(fmt::format("--option '{}' is not key=value (e.g. --option reference=-2)", text));
    set("--option", text.substr(0, equals), text.substr(equals + 1));
  }
}

// The estimator's per-row outputs (e.g. a `cate` column), one row per data row, atomically.
void write_predictions(const EstimatorInfo& estimator, const Estimate& e, const EstimateCommand& command) {
  if (e.row_outputs.empty()) {
    std::vector<std::string> writers;
    for (const auto& info : estimator_registry())
      if (!info.row_outputs.empty()) writers.push_back(info.name);
    throw InputError(command.predictions_file, fmt::format("{} writes no per-row predictions (these do: {})",
                                                           estimator.name, fmt::join(writers, ", ")));
  }
  Dataset predictions(command.predictions_file);
  for (const auto& [name, values] : e.row_outputs) predictions.add_column({name, values, {}});
  std::ostringstream text;
  write_csv(predictions, text);
  write_text_file(command.predictions_file, text.str(), command.force);
  std::cerr << fmt::format("wrote {} rows of {} to {}\n", predictions.rows(),
                           fmt::join(predictions.names(), ", "), command.predictions_file);
}

}  // namespace

int simulate_command(const Project& project, const SimulateCommand& command) {
  const Case c = load_case(project.case_dir(command.case_id));
  require_writable_target(command.out, command.force);
  const StructuralModel model(c.simulation);
  const std::size_t n = command.n.value_or(c.simulation.n);
  // The simulated table and its observed copy.
  require_memory(2 * simulation_bytes(c.simulation, n), memory_budget(),
                 fmt::format("simulating case '{}' with n = {}", c.id, n),
                 fmt::format("two tables of {} variables", c.simulation.variables.size()),
                 "give a smaller --n");
  const Dataset full = model.simulate(command.seed.value_or(c.simulation.seed), n);
  const Dataset data = command.include_latent ? full : observed_columns(full, c.simulation);
  write_csv(data, std::filesystem::path(command.out));
  std::cerr << fmt::format("wrote {} rows × {} columns to {}\n", data.rows(), data.cols(), command.out);
  return 0;
}

std::string estimator_help() {
  std::string text = "Estimators (options go in with --option key=value, or the named flags above):\n";
  for (const auto& info : estimator_registry()) {
    text += fmt::format("  {:<20} {}\n", info.name, info.summary);
    for (const auto& option : info.options)
      text +=
          fmt::format("  {:<22} {}={}: {}{}\n", "", option.name, describe_type(option), option.help,
                      option.default_value.empty() ? "" : fmt::format(" (default {})", option.default_value));
  }
  text +=
      "Example: casebook estimate sun-abraham --data panel.csv --outcome y --treatment d --unit id --time "
      "week "
      "--option control=last";
  return text;
}

namespace {

// The columns' roles and the variance choices of `estimate`, as every estimator reads them.
EstimatorArgs roles_of(const EstimateCommand& command) {
  EstimatorArgs args;
  args.outcome = command.outcome;
  args.treatment = command.treatment;
  args.instruments = command.instruments;
  args.covariates = command.covariates;
  args.cluster = command.cluster;
  args.se_type = !command.se.empty() ? command.se : command.cluster.empty() ? "hc1" : "cr1";
  args.confidence_level = command.confidence_level;
  return args;
}

// estimate --streaming: ols, 2sls or did from sums over the file's rows; nothing that needs the
// rows in memory (bootstrap, predictions, sensitivity benchmarks, text covariates as dummies).
int streaming_estimate_command(const EstimatorInfo& estimator, const EstimateCommand& command) {
  if (!streams(estimator.name))
    throw InputError(fmt::format("--streaming is available for ols, 2sls and did, not {}", estimator.name));
  if (command.bootstrap_reps || !command.predictions_file.empty() || !command.benchmarks.empty())
    throw InputError(
        "--streaming cannot be combined with --bootstrap, --predictions or --benchmark (they "
        "need the rows in memory)");
  if (command.seed_given) throw InputError("--seed applies to the bootstrap, which --streaming does not run");
  EstimatorArgs args = roles_of(command);
  fill_estimator_options(estimator, command, args);
  StreamingOptions options;
  options.threads = command.threads;
  const Estimate e = streaming_least_squares(command.data_file, estimator.name, args, options);
  if (command.json) {
    nlohmann::json doc{{"estimator", estimator.name}, {"data", command.data_file}, {"streaming", true}};
    doc.update(estimate_json(e));
    std::cout << doc.dump(2) << '\n';
  } else {
    print_estimate(std::cout, estimator.name, e, args.confidence_level);
  }
  return 0;
}

}  // namespace

int estimate_command(const EstimateCommand& command) {
  const EstimatorInfo& estimator = find_estimator(command.estimator);
  const auto requires_argument = [&](std::string_view argument) {
    return std::find(estimator.required.begin(), estimator.required.end(), argument) !=
           estimator.required.end();
  };
  if (command.outcome.empty() && requires_argument("outcome"))
    throw InputError(fmt::format("{} needs --outcome", estimator.name));
  if (command.treatment.empty() && requires_argument("treatment"))
    throw InputError(fmt::format("{} needs --treatment", estimator.name));
  if (command.streaming) return streaming_estimate_command(estimator, command);
  // Reading a CSV whole takes its text, every column parsed and the design matrices: measured at
  // 2.7 times the file's size for OLS at n = 10^7 (bench/README.md). Refuse up front what cannot fit.
  std::error_code size_error;
  const auto file_bytes = std::filesystem::file_size(command.data_file, size_error);
  if (!size_error)
    require_memory(2.5 * static_cast<double>(file_bytes), memory_budget(),
                   fmt::format("reading {} whole", command.data_file), "about 2.5 times the file's size",
                   streams(estimator.name)
                       ? "add --streaming to read it in blocks"
                       : "estimate on a sample of its rows (ols, 2sls and did read any size with "
                         "--streaming)");
  const Dataset data = read_csv(command.data_file);
  EstimatorArgs args = roles_of(command);
  forward_learner_options(estimator, command, args);
  fill_estimator_options(estimator, command, args);
  if (!command.bootstrap_reps && !takes_option(estimator, "seed") &&
      (command.seed != 1 || command.threads != 0))
    throw InputError("--seed and --threads of estimate apply to the bootstrap: add --bootstrap R");
  if (!command.predictions_file.empty()) require_writable_target(command.predictions_file, command.force);
  Estimate e = estimator.run(data, args);
  note_text_covariates(data, args, e);
  if (!command.predictions_file.empty()) write_predictions(estimator, e, command);
  std::optional<BootstrapResult> boot;
  if (command.bootstrap_reps) {
    if (takes_option(estimator, "trees"))  // a learner: every replicate grows its forests again
      std::cerr << fmt::format(
          "casebook: warning: --bootstrap refits {} {} times; its own standard error needs no "
          "refits\n",
          estimator.name, *command.bootstrap_reps);
    BootstrapOptions options;
    options.reps = *command.bootstrap_reps;
    options.seed = command.seed;
    options.threads = command.threads;
    options.cluster = command.cluster;
    options.confidence_level = command.confidence_level;
    boot = bootstrap(estimator.run, data, args, options);
  }
  const std::map<std::string, double> extra = sensitivity_diagnostics(estimator, data, args, e);
  const nlohmann::json sensitivity = sensitivity_json(estimator, data, args, extra, command.benchmarks);
  const nlohmann::json anderson_rubin = anderson_rubin_json(extra, args.confidence_level);
  if (command.json) {
    nlohmann::json doc{{"estimator", estimator.name}, {"data", command.data_file}};
    doc.update(estimate_json(e));
    if (boot) doc["bootstrap"] = bootstrap_json(*boot);
    if (!sensitivity.empty()) doc["sensitivity"] = sensitivity;
    if (!anderson_rubin.is_null()) doc["anderson_rubin"] = anderson_rubin;
    std::cout << doc.dump(2) << '\n';
  } else {
    print_estimate(std::cout, estimator.name, e, args.confidence_level);
    if (boot) print_bootstrap(std::cout, *boot);
    if (!anderson_rubin.is_null())
      std::cout << fmt::format("weak-instrument-robust {:g}% set (Anderson–Rubin): {}\n",
                               100 * args.confidence_level, anderson_rubin["set"].get<std::string>());
    if (!sensitivity.empty()) {
      std::cout << "sensitivity to unobserved confounding:\n";
      for (const auto& [key, value] : sensitivity.items())
        if (value.is_number()) std::cout << fmt::format("  {} {}\n", key, format_number(value.get<double>()));
      if (sensitivity.contains("benchmarks"))
        for (const auto& b : sensitivity["benchmarks"])
          std::cout << "  " << b["reading"].get<std::string>() << '\n';
    }
  }
  return 0;
}

}  // namespace casebook
