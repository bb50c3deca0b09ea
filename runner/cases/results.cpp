#include "cases/results.hpp"

#include "cases/analysis_diagnostics.hpp"
#include "cases/case_graph.hpp"
#include "cases/primary_analysis.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace casebook {
namespace {

// JSON has no NaN or infinity: a value that is not finite is written as null.
nlohmann::json number_or_null(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(); }

nlohmann::json optional_number(const std::optional<double>& x) {
  return x ? number_or_null(*x) : nlohmann::json();
}

nlohmann::json statement_json(const ClaimStatement& statement) {
  nlohmann::json numbers = nlohmann::json::object();
  for (const auto& [name, value] : statement.numbers) numbers[name] = number_or_null(value);
  return {{"phrase", statement.phrase},
          {"numbers", numbers},
          {"names", statement.names},
          {"phrases", statement.phrases}};
}

nlohmann::json data_preview(const Dataset& data, std::size_t rows) {
  nlohmann::json preview{{"columns", data.names()}, {"rows", nlohmann::json::array()}};
  const std::size_t shown = std::min(rows, data.rows());
  for (std::size_t i = 0; i < shown; ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (const auto& column : data.columns()) {
      const double v = column.values[i];
      if (std::isnan(v))
        row.push_back(nullptr);
      else if (column.is_categorical())
        row.push_back(column.levels.at(static_cast<std::size_t>(v)));
      else
        row.push_back(v);
    }
    preview["rows"].push_back(std::move(row));
  }
  return preview;
}

nlohmann::json numbers_json(const std::vector<double>& xs) {
  nlohmann::json out = nlohmann::json::array();
  for (double x : xs) out.push_back(number_or_null(x));
  return out;
}

nlohmann::json plot_json(const Plot& plot) {
  nlohmann::json series = nlohmann::json::array();
  for (const auto& s : plot.series)
    series.push_back({{"name", s.name},
                      {"x", numbers_json(s.x)},
                      {"y", numbers_json(s.y)},
                      {"lower", numbers_json(s.lower)},
                      {"upper", numbers_json(s.upper)}});
  return {{"id", plot.id},
          {"title", plot.title},
          {"kind", plot.kind},
          {"x_label", plot.x_label},
          {"y_label", plot.y_label},
          {"series", series},
          {"reference_lines", numbers_json(plot.reference_lines)},
          {"categories", plot.categories}};
}

// A number of a coefficient table: null when it is not finite, with a note saying which and why,
// so that a reader never meets an unexplained blank.
nlohmann::json explained_number(double x, const std::string& where, std::vector<std::string>& notes) {
  if (std::isfinite(x)) return x;
  notes.push_back(
      fmt::format("{} is {}, written as null", where, std::isnan(x) ? "undefined (NaN)" : "infinite"));
  return nullptr;
}

// broom::tidy's columns.
nlohmann::json terms_json(const std::vector<Term>& terms, std::vector<std::string>& notes) {
  nlohmann::json out = nlohmann::json::array();
  for (const Term& t : terms) {
    auto number = [&](double x, const char* column) {
      return explained_number(x, fmt::format("{} of term '{}'", column, t.term), notes);
    };
    out.push_back({{"term", t.term},
                   {"estimate", number(t.estimate, "estimate")},
                   {"std.error", number(t.std_error, "std.error")},
                   {"statistic", number(t.statistic, "statistic")},
                   {"p.value", number(t.p_value, "p.value")},
                   {"conf.low", number(t.conf_low, "conf.low")},
                   {"conf.high", number(t.conf_high, "conf.high")}});
  }
  return out;
}

// Rows as objects keyed by column, as a data frame is written by jsonlite.
nlohmann::json table_json(const Table& table, std::vector<std::string>& notes) {
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    nlohmann::json row = nlohmann::json::object();
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const TableCell& cell = table.rows[r].at(c);
      if (const auto* text = std::get_if<std::string>(&cell))
        row[table.columns[c]] = *text;
      else
        row[table.columns[c]] = explained_number(
            std::get<double>(cell),
            fmt::format("{} in row {} of table '{}'", table.columns[c], r + 1, table.id), notes);
    }
    rows.push_back(std::move(row));
  }
  return {{"id", table.id}, {"title", table.title}, {"columns", table.columns}, {"rows", std::move(rows)}};
}

// A text in both languages; the English one stands in for a missing translation.
nlohmann::json both_languages(const std::string& en, const std::string& ko) {
  return {{"en", en}, {"ko", ko.empty() ? en : ko}};
}

// What the site says about the case besides its results: case.json's descriptive fields.
// How a reader should see each diagnostic that is not a plain number, from the declarations
// (cases/analysis_diagnostics.hpp): "family:<pattern>" for a member of a declared family such as
// coef_{period} (the site lays a family out as a table), "boolean" for one declared "1 when …", and
// "p_value" for one named …_p. The most specific declaration wins (blp_{term}_se over blp_{term}).
nlohmann::json diagnostic_kinds(const AnalysisSpec& spec, const Estimate& e) {
  const std::vector<DiagnosticSpec> declared = declared_diagnostics(spec);
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& [name, value] : e.diagnostics) {
    const DiagnosticSpec* best = nullptr;
    for (const auto& d : declared)
      if (diagnostic_name_matches(d.name, name) && (best == nullptr || d.name.size() > best->name.size()))
        best = &d;
    if (best != nullptr && best->name.find('{') != std::string::npos)
      kinds[name] = "family:" + best->name;
    else if (best != nullptr && (best->meaning.starts_with("1 when") || best->meaning.starts_with("1 if")))
      kinds[name] = "boolean";
    else if (name.ends_with("_p") || name.ends_with("p_value"))
      kinds[name] = "p_value";
  }
  return kinds;
}

nlohmann::json case_meta(const Case& c) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : c.sources) sources.push_back({{"title", s.title}, {"url", s.url}});
  nlohmann::json estimands = nlohmann::json::array();
  for (const auto& e : c.estimands) estimands.push_back({{"id", e.id}, {"type", e.type}});
  nlohmann::json meta{{"organization", both_languages(c.organization, c.organization_ko)},
                      {"domain", both_languages(c.domain, c.domain_ko)},
                      {"sources", sources},
                      {"methods", c.methods},
                      {"flowchart", c.flowchart},
                      {"estimands", estimands}};
  if (!c.summary.empty()) meta["summary"] = both_languages(c.summary, c.summary_ko);
  return meta;
}

}  // namespace

nlohmann::json estimate_json(const Estimate& e) {
  nlohmann::json diagnostics = nlohmann::json::object();
  for (const auto& [name, value] : e.diagnostics) diagnostics[name] = number_or_null(value);
  nlohmann::json plots = nlohmann::json::array();
  for (const auto& plot : e.plots) plots.push_back(plot_json(plot));
  std::vector<std::string> notes = e.notes;
  const nlohmann::json terms = terms_json(e.terms, notes);
  nlohmann::json tables = nlohmann::json::array();
  for (const auto& table : e.tables) tables.push_back(table_json(table, notes));
  return {{"plots", plots},
          {"se_type", e.se_type},
          {"terms", terms},
          {"tables", tables},
          {"estimate", number_or_null(e.estimate)},
          {"se", number_or_null(e.se)},
          {"ci_low", number_or_null(e.ci_low)},
          {"ci_high", number_or_null(e.ci_high)},
          {"p_value", number_or_null(e.p_value)},
          {"n", e.n},
          {"diagnostics", diagnostics},
          {"notes", notes}};
}

nlohmann::json results_document(const Case& c, const CaseRun& run, std::size_t preview_rows) {
  nlohmann::json doc;
  doc["case"] = c.id;
  doc["title"] = both_languages(c.title_en, c.title_ko);
  doc["meta"] = case_meta(c);
  doc["primary_analysis"] = primary_analysis_id(c, run);
  doc["data"] = {{"source", run.data_source},
                 {"seed", run.seed ? nlohmann::json(*run.seed) : nlohmann::json()},
                 {"n", run.n},
                 {"preview", data_preview(run.data, preview_rows)}};
  doc["truth"] = nlohmann::json::object();
  for (const auto& [id, value] : run.truth) doc["truth"][id] = number_or_null(value);

  const CaseGraphs graphs = case_graphs(c);
  doc["graph"] = case_graph_json(c, graphs);

  doc["analyses"] = nlohmann::json::array();
  for (const auto& a : run.analyses) {
    nlohmann::json item{{"id", a.spec->id},
                        {"label", a.spec->label},
                        {"estimator", a.spec->estimator},
                        {"estimand", a.spec->estimand}};
    if (!a.spec->label_ko.empty()) item["label_ko"] = a.spec->label_ko;
    item.update(estimate_json(a.estimate));
    item["diagnostic_kinds"] = diagnostic_kinds(*a.spec, a.estimate);
    item["truth"] = optional_number(a.truth);
    item["identification"] = identification_json(
        c, graphs, *a.spec,
        a.identification ? *a.identification : identify_analysis(graphs, *a.spec, c.simulation));
    doc["analyses"].push_back(std::move(item));
  }

  doc["claims"] = nlohmann::json::array();
  for (const auto& claim : run.claims) {
    nlohmann::json item{{"id", claim.spec->id},
                        {"text", claim.spec->text},
                        {"pass", claim.pass ? nlohmann::json(*claim.pass) : nlohmann::json()},
                        {"skipped", !claim.pass.has_value()},
                        {"observed", optional_number(claim.observed)},
                        {"expected", claim.expected},
                        {"statement", statement_json(claim.statement)}};
    if (claim.observed_ci)
      item["observed_ci"] = {number_or_null(claim.observed_ci->first),
                             number_or_null(claim.observed_ci->second)};
    if (claim.margin_se) item["margin_se"] = number_or_null(*claim.margin_se);
    if (!claim.spec->text_ko.empty()) item["text_ko"] = claim.spec->text_ko;
    if (!claim.skip_reason.empty()) item["skip_reason"] = claim.skip_reason;
    if (!claim.skip_phrase.empty()) item["skip_phrase"] = std::string(claim.skip_phrase);
    if (const auto& p = claim.spec->published) {
      item["published"] = {{"value", optional_number(p->value)}, {"source", p->source}, {"note", p->note}};
    }
    doc["claims"].push_back(std::move(item));
  }
  doc["refutations"] = nlohmann::json::array();
  std::size_t refutations_passed = 0;
  for (const auto& r : run.refutations) {
    if (r.pass) ++refutations_passed;
    bool expected_to_fail = false;
    for (const auto& claim : c.claims)
      if (claim.kind == ClaimKind::refutation && claim.refutation == r.id && !claim.expect_pass)
        expected_to_fail = true;
    nlohmann::json details = nlohmann::json::object();
    for (const auto& [name, value] : r.details) details[name] = number_or_null(value);
    doc["refutations"].push_back(
        {{"id", r.id},
         {"name", r.name},
         {"analysis", r.analysis},
         {"original_estimate", number_or_null(r.original_estimate)},
         {"estimate", number_or_null(r.estimate)},
         {"p_value", optional_number(r.p_value)},
         {"interval", r.interval_low && r.interval_high
                          ? nlohmann::json{number_or_null(*r.interval_low), number_or_null(*r.interval_high)}
                          : nlohmann::json()},
         {"interval_label", r.interval_label},
         {"pass", r.pass},
         {"assessable", r.assessable},
         {"level", optional_number(r.level)},
         {"expected_to_fail", expected_to_fail},
         {"rule", r.rule},
         {"reading", {{"en", r.reading_en}, {"ko", r.reading_ko}}},
         {"reps", r.reps},
         {"failed_reps", r.failed},
         {"seed", r.seed},
         {"details", details}});
  }
  const ClaimTally t = tally(run.claims);
  doc["summary"] = {{"claims_passed", t.passed},
                    {"claims_failed", t.failed},
                    {"claims_skipped", t.skipped},
                    {"claims_total", run.claims.size()},
                    {"refutations_passed", refutations_passed},
                    {"refutations_total", run.refutations.size()}};
  doc["command"] = run.command;
  return doc;
}

}  // namespace casebook
