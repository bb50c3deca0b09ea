#include "cases/lint.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cases/case.hpp"
#include "core/external_url.hpp"
#include "core/input_error.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\r#");
  return s.substr(begin, end - begin + 1);
}

// Level-2 headings outside fenced code blocks.
std::vector<std::string> level2_headings(const std::string& markdown) {
  std::vector<std::string> headings;
  std::istringstream in(markdown);
  std::string line;
  bool in_fence = false;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0 || line.rfind("~~~", 0) == 0) in_fence = !in_fence;
    if (!in_fence && line.rfind("## ", 0) == 0) headings.push_back(trim(line.substr(3)));
  }
  return headings;
}

bool matches(const std::string& heading, const SectionName& name, bool korean) {
  if (heading == name.en) return true;
  return korean && (heading == name.ko || heading == name.ko + " (" + name.en + ")");
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The answer ids of templates/flowchart.json (questions[].answers[].id); empty when the file
// is absent or unreadable (the site's loader reports a broken flowchart in detail).
std::set<std::string> flowchart_answer_ids(const std::filesystem::path& file) {
  std::set<std::string> ids;
  std::ifstream in(file, std::ios::binary);
  if (!in) return ids;
  const nlohmann::json chart = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!chart.is_object() || !chart.contains("questions") || !chart["questions"].is_array()) return ids;
  for (const auto& question : chart["questions"]) {
    if (!question.is_object() || !question.contains("answers") || !question["answers"].is_array()) continue;
    for (const auto& answer : question["answers"])
      if (answer.is_object() && answer.contains("id") && answer["id"].is_string())
        ids.insert(answer["id"].get<std::string>());
  }
  return ids;
}

// A case's "flowchart" answers must exist in the project's templates/flowchart.json.
void lint_flowchart_answers(const Case& c, const std::filesystem::path& dir,
                            std::vector<std::string>& problems) {
  const auto file = dir.parent_path().parent_path() / "templates" / "flowchart.json";
  if (!std::filesystem::exists(file)) return;
  const std::set<std::string> known = flowchart_answer_ids(file);
  for (const auto& answer : c.flowchart) {
    if (!known.contains(answer)) {
      problems.push_back(fmt::format("{}: flowchart: \"{}\" is not an answer in {} (known: {})",
                                     (dir / "case.json").string(), answer, file.string(),
                                     fmt::join(known, ", ")));
    }
  }
}

// A case's "valid_counterpart" must be a case beside it.
void lint_valid_counterpart(const Case& c, const std::filesystem::path& dir,
                            std::vector<std::string>& problems) {
  if (c.valid_counterpart.empty()) return;
  if (!std::filesystem::exists(dir.parent_path() / c.valid_counterpart / "case.json"))
    problems.push_back(fmt::format("{}: valid_counterpart: no case '{}' in {}", (dir / "case.json").string(),
                                   c.valid_counterpart, dir.parent_path().string()));
}

// A source link the site would not link (javascript:, data:, a relative path) is a mistake or an
// attack; an empty url is a source without a link.
void lint_source_urls(const Case& c, const std::filesystem::path& dir, std::vector<std::string>& problems) {
  for (std::size_t i = 0; i < c.sources.size(); ++i) {
    const std::string& url = c.sources[i].url;
    if (url.empty() || is_safe_external_url(url)) continue;
    std::string shown = url.substr(0, 80);  // one line, whatever the url holds
    for (char& ch : shown)
      if (static_cast<unsigned char>(ch) < 0x20) ch = '?';
    problems.push_back(fmt::format(
        "{}: sources[{}].url '{}{}' is not an http, https or mailto link; the site shows it as text",
        (dir / "case.json").string(), i, shown, url.size() > 80 ? "…" : ""));
  }
}

}  // namespace

const std::vector<SectionName>& required_sections() {
  static const std::vector<SectionName> sections{{"Situation", "상황"},
                                                 {"Question", "질문"},
                                                 {"Estimand", "추정 대상"},
                                                 {"Identification strategy", "식별 전략"},
                                                 {"Assumptions", "가정"},
                                                 {"Estimation", "추정"},
                                                 {"Claims", "주장"},
                                                 {"Sensitivity", "민감도"},
                                                 {"Practice notes", "실무 노트"},
                                                 {"References", "참고 문헌"}};
  return sections;
}

std::vector<std::string> lint_markdown(const std::string& markdown, const std::string& file, bool korean) {
  std::vector<std::string> problems;
  const auto headings = level2_headings(markdown);
  std::size_t next = 0;  // the first heading not yet matched, so the order is enforced
  for (const auto& section : required_sections()) {
    std::size_t found = next;
    while (found < headings.size() && !matches(headings[found], section, korean)) ++found;
    if (found == headings.size()) {
      bool elsewhere = false;
      for (const auto& h : headings) elsewhere = elsewhere || matches(h, section, korean);
      const std::string name = korean ? fmt::format("{} ({})", section.ko, section.en) : section.en;
      problems.push_back(fmt::format(
          "{}: section '## {}' is {}", file, name,
          elsewhere ? "out of order (see DESIGN: Situation, Question, …, References)" : "missing"));
    } else {
      next = found + 1;
    }
  }
  return problems;
}

std::vector<std::string> lint_case(const std::filesystem::path& dir) {
  std::vector<std::string> problems;
  try {
    const Case c = load_case(dir);
    StructuralModel model(c.simulation);  // compiles every expression
    lint_flowchart_answers(c, dir, problems);
    lint_valid_counterpart(c, dir, problems);
    lint_source_urls(c, dir, problems);
  } catch (const InputError& e) {
    problems.push_back(e.what());
  }
  const auto english = dir / "case.md";
  if (!std::filesystem::exists(english)) {
    problems.push_back(english.string() + ": no such file: every case has an English page");
  } else {
    for (auto& p : lint_markdown(read_text(english), english.string(), false))
      problems.push_back(std::move(p));
  }
  const auto korean = dir / "case.ko.md";
  if (std::filesystem::exists(korean))
    for (auto& p : lint_markdown(read_text(korean), korean.string(), true)) problems.push_back(std::move(p));
  return problems;
}

}  // namespace casebook
