#pragma once
// A case as loaded from cases/<id>/case.json: typed, validated, ready to run.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "estimators/estimator.hpp"
#include "graph/causal_graph.hpp"
#include "simulate/estimand.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {

struct Source {
  std::string title;
  std::string url;
};

// A bootstrap of an analysis's estimate, reported in its diagnostics (bootstrap_se, …).
struct BootstrapSpec {
  std::size_t reps = 0;
  std::string cluster;  // empty: pairs bootstrap; else resample these clusters whole
};

struct AnalysisSpec {
  std::string id;
  std::string label;      // what a reader sees; defaults to the id
  std::string estimator;  // a registry name
  std::string estimand;   // the id of the estimand whose truth it is judged against
  // The treatment the analysis is about, as the case names it (the graph and the site read it);
  // args.treatment is the same unless the estimator places the treatment by an option.
  std::string treatment;
  EstimatorArgs args;
  std::optional<BootstrapSpec> bootstrap{};
  // The identification criterion to check (backdoor, instrument, frontdoor); empty: chosen from
  // the estimator. `mediators` are the front door's (default: every observed node on a
  // directed path from treatment to outcome).
  std::string identification = {};  // "= {}": brace-initialised specs may leave these out
  std::vector<std::string> mediators = {};
  std::string label_ko = {};  // empty: the Korean pages show `label`
  // An observed 0/1 column: the analysis (its refutations and bootstrap too) runs on the rows where
  // it is 1 — wages only of those who work, as an analyst with only those rows would. Empty: all.
  std::string rows = {};
};

struct PublishedFigure {
  std::optional<double> value;
  std::string source;
  std::string note;
};

// A refuter run on an analysis (runner/refute); `declared` is false for the defaults a case gets
// when it lists no refutations.
struct RefutationSpec {
  std::string id;        // default "<refuter>-<analysis>"
  std::string refuter;   // a refuter registry name
  std::string analysis;  // an analysis id
  std::size_t reps = 0;  // 0: the refuter's default
  std::map<std::string, std::string> options = {};
  bool declared = true;
};

enum class ClaimKind {
  ci_covers,
  estimate,
  diagnostic,
  comparison,
  identification,
  refutation,
  anderson_rubin_covers
};
enum class Relation { above, below, within, closer_to_truth };

// An English text with its optional Korean version (empty: show the English).
struct LocalText {
  std::string en;
  std::string ko;
};

struct ClaimSpec {
  std::string id;
  std::string text;
  std::string text_ko;  // empty: the site shows `text` on Korean pages too
  ClaimKind kind = ClaimKind::estimate;
  std::string analysis;
  std::string other;  // comparison: the other analysis
  std::string quantity =
      "estimate";  // estimate: estimate, ci_low or ci_high; comparison: estimate, se or ci_width
  Relation relation = Relation::above;
  std::optional<double> reference;           // a number; empty means the truth of the estimand
  double tolerance = 0;                      // within: absolute tolerance
  std::optional<double> relative_tolerance;  // within: tolerance as a share of |reference|
  std::string diagnostic;                    // diagnostic claims: its name
  std::optional<PublishedFigure> published;
  bool identified = false;      // identification claims: the verdict claimed
  std::string graph = "true";   // identification claims: on the true or the assumed graph
  std::string refutation = {};  // refutation claims: the refutation id
  bool expect_pass = true;      // refutation claims: "expect": "pass" or "fail"
};

struct Case {
  std::filesystem::path dir;
  std::string id;
  std::string title_en;
  std::string title_ko;
  // An empty Korean text (…_ko) means the English one serves both languages.
  std::string organization;
  std::string organization_ko;
  std::string domain;
  std::string domain_ko;
  std::string summary;
  std::string summary_ko;
  std::vector<Source> sources;
  std::vector<std::string> methods;
  std::vector<std::string> flowchart;
  SimulationSpec simulation;
  std::vector<EstimandSpec> estimands;
  std::vector<AnalysisSpec> analyses;
  std::vector<ClaimSpec> claims;
  std::vector<RefutationSpec> refutations;        // as listed, or the defaults per analysis
  std::optional<AssumedGraphSpec> assumed_graph;  // the analyst's belief, when declared
  std::size_t monte_carlo_reps = 0;
  // The analysis the headline rests on; empty: the default rule (cases/primary_analysis.hpp).
  std::string primary_analysis;
  // A case that breaks the design of another (a trend violation of a valid DiD, a confounded
  // variant) names the valid case: its refuters' rejection rates are then detection rates (power),
  // the valid case's are false-alarm rates (size).
  std::string valid_counterpart;

  const AnalysisSpec& analysis(const std::string& id) const;
  const EstimandSpec& estimand(const std::string& id) const;
};

// The id rule of case folders: ^[a-z0-9][a-z0-9-]*$ (no '/', no '..').
bool is_valid_case_id(const std::string& id);
// Throws InputError naming the id when it breaks the rule.
void require_valid_case_id(const std::string& id);

// Reads and validates case.json in `dir`. Every error is an InputError naming the file and field.
Case load_case(const std::filesystem::path& dir);
// Parses and validates an already read case.json (used by tests); `file` names it in errors.
Case parse_case(const nlohmann::json& document, const std::string& file, const std::string& folder_id);

// Case folders under cases_root that hold a case.json, sorted by id.
std::vector<std::filesystem::path> case_directories(const std::filesystem::path& cases_root);

}  // namespace casebook
