#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/claim_kind.hpp"
#include "core/input_error.hpp"
#include "core/json_cursor.hpp"
#include "core/method_key.hpp"
#include "core/options.hpp"
#include "graph/identification.hpp"
#include "refute/refutation.hpp"

namespace casebook {
namespace {

// Variable names are identifiers that muParser accepts with room for the "lag_" prefix; checked by
// hand, as std::regex recurses once per character and overflows the stack on a long name.
constexpr std::size_t kMaxVariableNameLength = 64;

bool is_variable_name(const std::string& name) {
  const auto letter = [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
  };
  return !name.empty() && name.size() <= kMaxVariableNameLength && letter(name.front()) &&
         std::all_of(name.begin(), name.end(),
                     [&](char ch) { return letter(ch) || (ch >= '0' && ch <= '9'); });
}

// A name as an error message can show it: the first 40 characters of a long one.
std::string shortened(const std::string& name) {
  return name.size() <= 40 ? name : fmt::format("{}… ({} characters)", name.substr(0, 40), name.size());
}

// A repetition count from case.json: at least `least`, at most kMaxCount (beyond it a run would
// exhaust memory or take days).
std::size_t repetitions(const JsonCursor& field, std::size_t least) {
  const auto reps = static_cast<std::size_t>(field.unsigned_integer());
  if (reps < least) field.fail(fmt::format("reps must be at least {}", least));
  if (reps > kMaxCount) field.fail(fmt::format("reps must be at most {}", kMaxCount));
  return reps;
}

std::vector<std::string> optional_strings(const JsonCursor& object, std::string_view key) {
  auto field = object.find(key);
  return field ? field->strings() : std::vector<std::string>{};
}

std::string optional_string(const JsonCursor& object, std::string_view key, std::string fallback = "") {
  auto field = object.find(key);
  return field ? field->string() : fallback;
}

// A text in English, optionally with Korean: "text" or {"en": "text", "ko": "글"} (ko falls back to en).
LocalText local_text(const JsonCursor& field) {
  if (field.value().is_string()) return {field.string(), ""};
  field.expect_object();
  field.allow_only({"en", "ko"});
  return {field.at("en").string(), optional_string(field, "ko")};
}

void require_unique_id(std::set<std::string>& seen, const std::string& id, const JsonCursor& where) {
  if (id.empty()) where.fail("id must not be empty");
  if (!seen.insert(id).second) where.fail(fmt::format("duplicate id '{}'", id));
}

SimulationSpec parse_simulation(const JsonCursor& sim) {
  sim.allow_only({"seed", "n", "units", "periods", "variables", "description"});
  SimulationSpec spec;
  spec.where = sim.where();
  spec.seed = sim.at("seed").unsigned_integer();
  if (sim.has("units") || sim.has("periods")) {  // a panel: n units over periods, in long form
    if (sim.has("n"))
      sim.at("n").fail("give either n (a cross-section) or units and periods (a panel), not both");
    spec.n = static_cast<std::size_t>(sim.at("units").unsigned_integer());
    spec.periods = static_cast<std::size_t>(sim.at("periods").unsigned_integer());
    if (spec.n < 1) sim.at("units").fail("units must be at least 1 (one unit: a single time series)");
    if (spec.periods < 2) sim.at("periods").fail("periods must be at least 2");
    if (spec.n > 100'000'000 / spec.periods) sim.fail("units × periods must be at most 100,000,000");
  } else {
    spec.n = static_cast<std::size_t>(sim.at("n").unsigned_integer());
    if (spec.n < 2) sim.at("n").fail("n must be at least 2");
    if (spec.n > 100'000'000) sim.at("n").fail("n must be at most 100,000,000");
  }
  auto variables = sim.at("variables").items();
  if (variables.empty()) sim.at("variables").fail("a simulation needs at least one variable");
  for (const auto& v : variables) {
    v.allow_only({"name", "expr", "role", "observed", "levels", "level", "description"});
    VariableSpec var;
    var.name = v.at("name").string();
    if (!is_variable_name(var.name))
      v.at("name").fail(
          fmt::format("'{}' is not a valid variable name (letters, digits and '_', not "
                      "starting with a digit, at most {} characters)",
                      shortened(var.name), kMaxVariableNameLength));
    var.expr = v.at("expr").string();
    auto role = v.find("role");
    var.role = role ? role_from_string(role->string(), role->where()) : Role::covariate;
    auto observed = v.find("observed");
    var.observed = observed ? observed->boolean() : var.role != Role::latent;
    if (var.role == Role::latent && var.observed)
      v.at("observed").fail(fmt::format("'{}' has role latent, so it cannot be observed", var.name));
    var.levels = optional_strings(v, "levels");
    if (auto level = v.find("level")) {
      if (spec.periods == 0)
        level->fail("level (unit or unit-period) applies to panels only (units and periods)");
      var.level = level_from_string(level->string(), level->where());
    }
    spec.variables.push_back(std::move(var));
  }
  return spec;
}

const VariableSpec* find_variable(const SimulationSpec& sim, const std::string& name) {
  for (const auto& v : sim.variables)
    if (v.name == name) return &v;
  return nullptr;
}

// An analysis or estimand may only use what an analyst could see.
void require_observed(const SimulationSpec& sim, const std::string& name, const JsonCursor& where) {
  if (sim.periods > 0 && (name == kUnitColumn || name == kPeriodColumn)) return;  // a panel's index
  const VariableSpec* v = find_variable(sim, name);
  if (!v) where.fail(fmt::format("'{}' is not a variable of the simulation", name));
  if (!v->observed) where.fail(fmt::format("'{}' is latent: no analysis can use it", name));
}

void require_variable(const SimulationSpec& sim, const std::string& name, const JsonCursor& where) {
  if (!find_variable(sim, name)) where.fail(fmt::format("'{}' is not a variable of the simulation", name));
}

EstimandSpec parse_estimand(const JsonCursor& e, const SimulationSpec& sim) {
  e.allow_only({"id", "type", "treatment", "outcome", "instrument", "running", "cutoff", "quantile",
                "mediator", "description"});
  EstimandSpec spec;
  spec.where = e.where();
  spec.id = e.at("id").string();
  spec.type = e.at("type").string();
  if (spec.type != "ate" && spec.type != "att" && spec.type != "late" && spec.type != "cate" &&
      spec.type != "rd" && spec.type != "qte" && spec.type != "acme")
    e.at("type").fail(
        fmt::format("unknown estimand type '{}' (known: ate, att, late, cate, rd, qte, acme)", spec.type));
  spec.treatment = e.at("treatment").string();
  require_variable(sim, spec.treatment, e.at("treatment"));
  spec.outcome = e.at("outcome").string();
  require_variable(sim, spec.outcome, e.at("outcome"));
  if (spec.type == "late") {
    spec.instrument = e.at("instrument").string();
    require_variable(sim, spec.instrument, e.at("instrument"));
  } else if (e.has("instrument")) {
    e.at("instrument").fail("only a late estimand takes an instrument");
  }
  if (spec.type == "rd") {
    spec.running = e.at("running").string();
    require_variable(sim, spec.running, e.at("running"));
    if (e.has("cutoff")) spec.cutoff = e.at("cutoff").number();
  } else {
    for (const char* field : {"running", "cutoff"})
      if (e.has(field)) e.at(field).fail("only an rd estimand takes a running variable and a cutoff");
  }
  if (spec.type == "qte") {
    spec.quantile = e.at("quantile").number();
    if (!(spec.quantile > 0 && spec.quantile < 1))
      e.at("quantile").fail(fmt::format("{} is not in (0, 1)", spec.quantile));
  } else if (e.has("quantile")) {
    e.at("quantile").fail("only a qte estimand takes a quantile");
  }
  if (spec.type == "acme") {
    spec.mediator = e.at("mediator").string();
    require_variable(sim, spec.mediator, e.at("mediator"));
    if (spec.mediator == spec.treatment || spec.mediator == spec.outcome)
      e.at("mediator")
          .fail(fmt::format("'{}' is the {}; the mediator lies between them", spec.mediator,
                            spec.mediator == spec.treatment ? "treatment" : "outcome"));
  } else if (e.has("mediator")) {
    e.at("mediator").fail("only an acme estimand takes a mediator");
  }
  return spec;
}

std::string option_text(const JsonCursor& value) {
  const auto& j = value.value();
  if (j.is_string()) return j.get<std::string>();
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  if (j.is_number()) return j.dump();
  value.fail("an option must be a string, number or boolean, got " + json_type_name(j));
}

// A declared option with a value of its type; otherwise an error at the option's field.
void check_option(const std::string& owner, const std::vector<OptionSpec>& declared, const std::string& key,
                  const std::string& value, const JsonCursor& field) {
  const OptionSpec* spec = find_option(declared, key);
  if (!spec) field.fail(unknown_option_message(owner, declared, key));
  if (auto problem = option_value_problem(*spec, value)) field.fail(fmt::format("{}: {}", owner, *problem));
}

AnalysisSpec parse_analysis(const JsonCursor& a, const Case& c) {
  a.allow_only({"id", "label", "estimator", "estimand", "outcome", "treatment", "instruments", "covariates",
                "cluster", "se", "confidence_level", "options", "description", "bootstrap", "identification",
                "mediators", "rows"});
  AnalysisSpec spec;
  spec.id = a.at("id").string();
  if (const auto label = a.find("label")) {
    const LocalText text = local_text(*label);
    spec.label = text.en;
    spec.label_ko = text.ko;
  } else {
    spec.label = spec.id;
  }
  spec.estimator = a.at("estimator").string();
  try {
    find_estimator(spec.estimator);
  } catch (const InputError& e) {
    a.at("estimator").fail(e.what());
  }
  if (c.estimands.empty() && a.has("estimand")) a.at("estimand").fail("the case declares no estimands");
  spec.estimand = optional_string(a, "estimand", c.estimands.empty() ? "" : c.estimands.front().id);
  if (!spec.estimand.empty() &&
      std::none_of(c.estimands.begin(), c.estimands.end(), [&](auto& e) { return e.id == spec.estimand; }))
    a.at("estimand").fail(fmt::format("no estimand with id '{}'", spec.estimand));

  EstimatorArgs& args = spec.args;
  args.outcome = a.at("outcome").string();
  require_observed(c.simulation, args.outcome, a.at("outcome"));
  spec.treatment = a.at("treatment").string();
  require_observed(c.simulation, spec.treatment, a.at("treatment"));
  if (find_estimator(spec.estimator).treatment_option.empty()) args.treatment = spec.treatment;
  args.instruments = optional_strings(a, "instruments");
  for (const auto& item : a.find("instruments") ? a.at("instruments").items() : std::vector<JsonCursor>{})
    require_observed(c.simulation, item.string(), item);
  args.covariates = optional_strings(a, "covariates");
  for (const auto& item : a.find("covariates") ? a.at("covariates").items() : std::vector<JsonCursor>{})
    require_observed(c.simulation, item.string(), item);
  spec.rows = optional_string(a, "rows");
  if (!spec.rows.empty()) require_observed(c.simulation, spec.rows, a.at("rows"));
  args.cluster = optional_string(a, "cluster");
  if (!args.cluster.empty()) require_observed(c.simulation, args.cluster, a.at("cluster"));
  args.se_type = optional_string(a, "se", args.cluster.empty() ? "hc1" : "cr1");
  static const std::set<std::string> se_types{"iid", "hc0", "hc1", "hc2", "hc3", "cr1"};
  if (!se_types.count(args.se_type))
    a.at("se").fail(
        fmt::format("unknown standard-error type '{}' (known: iid, hc0, hc1, hc2, hc3, cr1)", args.se_type));
  if (auto level = a.find("confidence_level")) {
    args.confidence_level = level->number();
    if (!(args.confidence_level > 0 && args.confidence_level < 1))
      level->fail("confidence_level must lie strictly between 0 and 1");
  }
  if (auto bootstrap = a.find("bootstrap")) {
    bootstrap->allow_only({"reps", "cluster"});
    BootstrapSpec b;
    b.reps = repetitions(bootstrap->at("reps"), 2);
    b.cluster = optional_string(*bootstrap, "cluster");
    if (!b.cluster.empty()) require_observed(c.simulation, b.cluster, bootstrap->at("cluster"));
    spec.bootstrap = b;
  }
  if (auto identification = a.find("identification")) {
    spec.identification = identification->string();
    criterion_from_string(spec.identification, identification->where());
  }
  if (auto mediators = a.find("mediators")) {
    if (spec.identification != "frontdoor")
      mediators->fail("mediators are only used with \"identification\": \"frontdoor\"");
    spec.mediators = mediators->strings();
    for (const auto& item : mediators->items()) require_observed(c.simulation, item.string(), item);
  }
  if (auto options = a.find("options")) {
    options->expect_object();
    const EstimatorInfo& estimator = find_estimator(spec.estimator);
    for (const auto& [key, _] : options->value().items()) {
      args.options[key] = option_text(options->at(key));
      check_option(estimator.name, estimator.options, key, args.options[key], options->at(key));
    }
  }
  return spec;
}

// The fields every claim has, then those of its kind (cases/claim_kind_<kind>.cpp).
ClaimSpec parse_claim(const JsonCursor& cl, const Case& c) {
  cl.expect_object();
  const JsonCursor kind_field = cl.at("kind");
  const ClaimKindInfo* kind = find_claim_kind(kind_field.string());
  if (!kind) {
    std::vector<std::string_view> names;
    for (const auto& k : claim_kinds()) names.push_back(k.name);
    kind_field.fail(
        fmt::format("unknown claim kind '{}' (known: {})", kind_field.string(), fmt::join(names, ", ")));
  }
  for (const auto& item : cl.value().items()) {
    const std::string& key = item.key();  // not a structured binding: clang 14 cannot capture one
    const auto takes = [&](const auto& fields) {
      return std::find(std::begin(fields), std::end(fields), key) != std::end(fields);
    };
    if (takes(kCommonClaimFields) || takes(kind->fields)) continue;
    std::vector<std::string_view> fields(std::begin(kCommonClaimFields), std::end(kCommonClaimFields));
    fields.insert(fields.end(), kind->fields.begin(), kind->fields.end());
    cl.at(key).fail(fmt::format("a {} claim takes no field '{}' (it takes: {})", kind->name, key,
                                fmt::join(fields, ", ")));
  }
  ClaimSpec spec;
  spec.kind = kind->kind;
  spec.id = cl.at("id").string();
  const LocalText text = local_text(cl.at("text"));
  spec.text = text.en;
  spec.text_ko = text.ko;
  kind->parse(cl, c, spec);
  if (auto published = cl.find("published")) {
    published->allow_only({"value", "source", "note"});
    PublishedFigure figure;
    if (auto value = published->find("value")) figure.value = value->number();
    figure.source = published->at("source").string();
    figure.note = optional_string(*published, "note");
    spec.published = figure;
  }
  return spec;
}

// "refutations": [{"refuter", "analysis", "id"?, "reps"?, "options"?}]; when absent, each analysis
// gets the default refuters of its estimator (refute/refutation.hpp).
std::vector<RefutationSpec> parse_refutations(const JsonCursor& root, const Case& c) {
  std::vector<RefutationSpec> specs;
  auto listed = root.find("refutations");
  if (!listed) {
    for (const auto& analysis : c.analyses) {
      const EstimatorInfo& estimator = find_estimator(analysis.estimator);
      for (const auto& refuter : estimator.default_refuters) {
        RefutationSpec spec;
        spec.refuter = refuter;
        spec.analysis = analysis.id;
        spec.id = fmt::format("{}-{}", refuter, analysis.id);
        spec.declared = false;
        spec.reps = default_refutation_reps(estimator, find_refuter(refuter));
        specs.push_back(std::move(spec));
      }
    }
    return specs;
  }
  std::set<std::string> ids;
  for (const auto& r : listed->items()) {
    r.allow_only({"id", "refuter", "analysis", "reps", "options", "description"});
    RefutationSpec spec;
    spec.refuter = r.at("refuter").string();
    const RefuterInfo* info = nullptr;
    try {
      info = &find_refuter(spec.refuter);
    } catch (const InputError& e) {
      r.at("refuter").fail(e.what());
    }
    spec.analysis = r.at("analysis").string();
    if (std::none_of(c.analyses.begin(), c.analyses.end(), [&](auto& a) { return a.id == spec.analysis; }))
      r.at("analysis").fail(fmt::format("no analysis with id '{}'", spec.analysis));
    spec.id = optional_string(r, "id", fmt::format("{}-{}", spec.refuter, spec.analysis));
    if (auto reps = r.find("reps")) {
      spec.reps = repetitions(*reps, 2);
    }
    if (auto options = r.find("options")) {
      options->expect_object();
      for (const auto& [key, _] : options->value().items()) {
        spec.options[key] = option_text(options->at(key));
        check_option(fmt::format("refuter {}", spec.refuter), info->options, key, spec.options[key],
                     options->at(key));
      }
    }
    require_unique_id(ids, spec.id, r.find("id") ? r.at("id") : r);
    specs.push_back(std::move(spec));
  }
  return specs;
}

// The analyst's belief about the graph: {"edges": [["a", "b"], …], "latent": […]}. Checked here
// (unknown variables, cycles) so that a bad graph is a load error naming the field.
AssumedGraphSpec parse_assumed_graph(const JsonCursor& g, const SimulationSpec& sim) {
  g.allow_only({"edges", "latent", "description"});
  AssumedGraphSpec spec;
  spec.where = g.where();
  for (const auto& edge : g.at("edges").items()) {
    const auto ends = edge.strings();
    if (ends.size() != 2) edge.fail("an edge is a pair [\"from\", \"to\"]");
    spec.edges.emplace_back(ends[0], ends[1]);
  }
  spec.latent = optional_strings(g, "latent");
  spec.description = optional_string(g, "description");
  graph_of_assumption(spec, sim);
  return spec;
}

}  // namespace

bool is_valid_case_id(const std::string& id) {
  const auto lower_or_digit = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); };
  return !id.empty() && id.size() <= 100 && lower_or_digit(id.front()) &&
         std::all_of(id.begin(), id.end(), [&](char ch) { return lower_or_digit(ch) || ch == '-'; });
}

void require_valid_case_id(const std::string& id) {
  if (!is_valid_case_id(id))
    throw InputError(
        fmt::format("case id '{}' is not valid: use lowercase letters, digits and '-', starting with "
                    "a letter or digit (no '/', no '..')",
                    id));
}

const AnalysisSpec& Case::analysis(const std::string& analysis_id) const {
  for (const auto& a : analyses)
    if (a.id == analysis_id) return a;
  throw InputError(fmt::format("case {}: no analysis '{}'", id, analysis_id));
}

const EstimandSpec& Case::estimand(const std::string& estimand_id) const {
  for (const auto& e : estimands)
    if (e.id == estimand_id) return e;
  throw InputError(fmt::format("case {}: no estimand '{}'", id, estimand_id));
}

Case parse_case(const nlohmann::json& document, const std::string& file, const std::string& folder_id) {
  JsonCursor root(document, file);
  root.expect_object();
  root.allow_only({"$schema", "id", "title", "organization", "domain", "summary", "sources", "methods",
                   "flowchart", "simulation", "estimands", "analyses", "claims", "monte_carlo",
                   "assumed_graph", "refutations", "primary_analysis", "valid_counterpart"});
  Case c;
  c.id = root.at("id").string();
  if (!is_valid_case_id(c.id))
    root.at("id").fail(fmt::format("'{}' is not a valid case id (lowercase letters, digits and '-')", c.id));
  if (!folder_id.empty() && c.id != folder_id)
    root.at("id").fail(fmt::format("'{}' differs from the folder name '{}'", c.id, folder_id));
  auto title = root.at("title");
  title.allow_only({"en", "ko"});
  c.title_en = title.at("en").string();
  c.title_ko = optional_string(title, "ko", c.title_en);
  const LocalText organization = local_text(root.at("organization"));
  c.organization = organization.en;
  c.organization_ko = organization.ko;
  const LocalText domain = local_text(root.at("domain"));
  c.domain = domain.en;
  c.domain_ko = domain.ko;
  if (const auto summary = root.find("summary")) {
    const LocalText text = local_text(*summary);
    c.summary = text.en;
    c.summary_ko = text.ko;
  }
  for (const auto& s : root.at("sources").items()) {
    s.allow_only({"title", "url", "note"});
    c.sources.push_back({s.at("title").string(), s.at("url").string()});
  }
  c.methods = root.at("methods").strings();
  c.flowchart = optional_strings(root, "flowchart");
  c.simulation = parse_simulation(root.at("simulation"));

  if (auto assumed = root.find("assumed_graph"))
    c.assumed_graph = parse_assumed_graph(*assumed, c.simulation);

  std::set<std::string> ids;
  for (const auto& e : root.at("estimands").items()) {
    c.estimands.push_back(parse_estimand(e, c.simulation));
    require_unique_id(ids, c.estimands.back().id, e.at("id"));
  }
  if (c.estimands.empty()) root.at("estimands").fail("a case needs at least one estimand");
  ids.clear();
  for (const auto& a : root.at("analyses").items()) {
    c.analyses.push_back(parse_analysis(a, c));
    require_unique_id(ids, c.analyses.back().id, a.at("id"));
  }
  if (c.analyses.empty()) root.at("analyses").fail("a case needs at least one analysis");
  if (auto primary = root.find("primary_analysis")) {
    c.primary_analysis = primary->string();
    if (std::none_of(c.analyses.begin(), c.analyses.end(),
                     [&](auto& a) { return a.id == c.primary_analysis; })) {
      std::vector<std::string> known;
      for (const auto& a : c.analyses) known.push_back(a.id);
      primary->fail(
          fmt::format("no analysis with id '{}' (known: {})", c.primary_analysis, fmt::join(known, ", ")));
    }
  }
  c.refutations = parse_refutations(root, c);
  if (auto counterpart = root.find("valid_counterpart")) {
    c.valid_counterpart = counterpart->string();
    if (!is_valid_case_id(c.valid_counterpart) || c.valid_counterpart == c.id)
      counterpart->fail(fmt::format("'{}' is not the id of another case", c.valid_counterpart));
  }
  ids.clear();
  for (const auto& cl : root.at("claims").items()) {
    c.claims.push_back(parse_claim(cl, c));
    require_unique_id(ids, c.claims.back().id, cl.at("id"));
  }
  if (auto mc = root.find("monte_carlo")) {
    mc->allow_only({"reps"});
    c.monte_carlo_reps = repetitions(mc->at("reps"), 1);
  }
  return c;
}

// Every entry of "methods" names a method page of site/methods/methods.json, by id or alias.
void require_known_methods(const nlohmann::json& document, const std::string& file,
                           const std::filesystem::path& methods_file) {
  std::set<std::string> known;
  std::vector<std::string> ids;
  const nlohmann::json catalog = read_json_file(methods_file.string());
  try {
    for (const auto& method : catalog.at("methods")) {
      ids.push_back(method.at("id").get<std::string>());
      known.insert(method_key(ids.back()));
      for (const auto& alias : method.value("aliases", std::vector<std::string>{}))
        known.insert(method_key(alias));
    }
  } catch (const nlohmann::json::exception&) {
    throw InputError(methods_file.string(),
                     "expected {\"methods\": [{\"id\": \"…\", \"aliases\": [\"…\"]}, …]}");
  }
  const JsonCursor root(document, file);
  for (const auto& item : root.at("methods").items())
    if (!known.count(method_key(item.string())))
      item.fail(fmt::format("unknown method '{}' (known: {}, or an alias listed in {})", item.string(),
                            fmt::join(ids, ", "), methods_file.filename().string()));
}

Case load_case(const std::filesystem::path& dir) {
  const std::string folder_id = dir.filename().string();
  require_valid_case_id(folder_id);
  const auto json_path = dir / "case.json";
  if (!std::filesystem::exists(json_path))
    throw InputError(json_path.string(), "no such file: a case folder holds case.json and case.md");
  const nlohmann::json document = read_json_file(json_path.string());
  Case c = parse_case(document, json_path.string(), folder_id);
  c.dir = dir;
  // A case lives in <project>/cases/<id>; the project's method pages list the methods it may name.
  const auto methods =
      std::filesystem::absolute(dir).parent_path().parent_path() / "site/methods/methods.json";
  if (std::filesystem::exists(methods)) require_known_methods(document, json_path.string(), methods);
  return c;
}

std::vector<std::filesystem::path> case_directories(const std::filesystem::path& cases_root) {
  std::vector<std::filesystem::path> dirs;
  if (!std::filesystem::is_directory(cases_root)) throw InputError(cases_root.string(), "no such folder");
  for (const auto& entry : std::filesystem::directory_iterator(cases_root))
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "case.json"))
      dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

}  // namespace casebook
