#include "site/flowchart.hpp"

#include <fstream>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook::site {
namespace {

using nlohmann::json;

std::string required_text(const json& object, const char* key, const std::string& where) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string() || found->get<std::string>().empty())
    throw InputError(where, fmt::format("\"{}\": expected a non-empty string", key));
  return found->get<std::string>();
}

LocalText local_text(const json& object, const char* key, const std::string& where) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_object())
    throw InputError(where, fmt::format("\"{}\": expected {{\"en\": …, \"ko\": …}}", key));
  LocalText text{required_text(*found, "en", where + "." + key), ""};
  const auto ko = found->find("ko");
  if (ko != found->end() && ko->is_string()) text.ko = ko->get<std::string>();
  return text;
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.front() == '-') return false;
  for (const char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

}  // namespace

Flowchart Flowchart::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot read the flowchart");
  const json document = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) throw InputError(file.string(), "is not valid JSON");
  return parse(document, file.string());
}

Flowchart Flowchart::parse(const json& document, const std::string& file) {
  if (!document.is_object())
    throw InputError(file, "expected a JSON object with \"start\" and \"questions\"");
  Flowchart chart;
  chart.start_ = required_text(document, "start", file);
  const auto questions = document.find("questions");
  if (questions == document.end() || !questions->is_array() || questions->empty())
    throw InputError(file, "\"questions\": expected a non-empty array");
  std::set<std::string> ids;
  const auto claim_id = [&](const std::string& id, const std::string& where) {
    if (!valid_id(id))
      throw InputError(file, where + ".id: \"" + id + "\" is not of the form ^[a-z0-9][a-z0-9-]*$");
    if (!ids.insert(id).second) throw InputError(file, where + ".id: \"" + id + "\" appears twice");
  };
  for (std::size_t q = 0; q < questions->size(); ++q) {
    const json& qj = (*questions)[q];
    const std::string where = fmt::format("questions[{}]", q);
    if (!qj.is_object()) throw InputError(file, where + ": expected an object");
    FlowchartQuestion question{required_text(qj, "id", where), local_text(qj, "text", where), {}};
    claim_id(question.id, where);
    const auto answers = qj.find("answers");
    if (answers == qj.end() || !answers->is_array() || answers->size() < 2)
      throw InputError(file, where + ".answers: expected at least two answers");
    for (std::size_t a = 0; a < answers->size(); ++a) {
      const json& aj = (*answers)[a];
      const std::string at = fmt::format("{}.answers[{}]", where, a);
      if (!aj.is_object()) throw InputError(file, at + ": expected an object");
      FlowchartAnswer answer{required_text(aj, "id", at), local_text(aj, "text", at), "", std::nullopt};
      claim_id(answer.id, at);
      const bool has_next = aj.contains("next"), has_leaf = aj.contains("leaf");
      if (has_next == has_leaf)
        throw InputError(file, at + ": expected exactly one of \"next\" and \"leaf\"");
      if (has_next) {
        answer.next = required_text(aj, "next", at);
      } else {
        const json& leaf = aj["leaf"];
        if (!leaf.is_object()) throw InputError(file, at + ".leaf: expected an object");
        FlowchartLeaf result{local_text(leaf, "label", at + ".leaf"), {}};
        const auto methods = leaf.find("methods");
        if (methods == leaf.end() || !methods->is_array() || methods->empty())
          throw InputError(file, at + ".leaf.methods: expected a non-empty array of method ids");
        for (const json& m : *methods) {
          if (!m.is_string()) throw InputError(file, at + ".leaf.methods: expected strings");
          result.methods.push_back(m.get<std::string>());
        }
        answer.leaf = std::move(result);
      }
      question.answers.push_back(std::move(answer));
    }
    chart.questions_.push_back(std::move(question));
  }
  // A tree: from the start, every question is reached exactly once.
  if (!chart.question(chart.start_)) throw InputError(file, "start: no question \"" + chart.start_ + "\"");
  std::set<std::string> reached{chart.start_};
  std::function<void(const FlowchartQuestion&)> walk = [&](const FlowchartQuestion& q) {
    for (const FlowchartAnswer& answer : q.answers) {
      if (answer.next.empty()) continue;
      const FlowchartQuestion* next = chart.question(answer.next);
      if (!next)
        throw InputError(file,
                         fmt::format("answer \"{}\": next: no question \"{}\"", answer.id, answer.next));
      if (!reached.insert(next->id).second)
        throw InputError(
            file,
            fmt::format("answer \"{}\": question \"{}\" is reached twice (the flowchart must be a tree)",
                        answer.id, next->id));
      walk(*next);
    }
  };
  walk(chart.start());
  for (const FlowchartQuestion& q : chart.questions_) {
    if (!reached.contains(q.id))
      throw InputError(file, "question \"" + q.id + "\" is never reached from the start");
  }
  return chart;
}

const FlowchartQuestion& Flowchart::start() const { return *question(start_); }

const FlowchartQuestion* Flowchart::question(std::string_view id) const {
  for (const FlowchartQuestion& q : questions_)
    if (q.id == id) return &q;
  return nullptr;
}

const FlowchartQuestion* Flowchart::question_of(std::string_view answer_id) const {
  for (const FlowchartQuestion& q : questions_)
    for (const FlowchartAnswer& a : q.answers)
      if (a.id == answer_id) return &q;
  return nullptr;
}

const FlowchartAnswer* Flowchart::answer(std::string_view id) const {
  const FlowchartQuestion* q = question_of(id);
  if (!q) return nullptr;
  for (const FlowchartAnswer& a : q->answers)
    if (a.id == id) return &a;
  return nullptr;
}

std::vector<const FlowchartAnswer*> Flowchart::leaves() const {
  std::vector<const FlowchartAnswer*> found;
  std::function<void(const FlowchartQuestion&)> walk = [&](const FlowchartQuestion& q) {
    for (const FlowchartAnswer& a : q.answers) {
      if (a.leaf)
        found.push_back(&a);
      else
        walk(*question(a.next));
    }
  };
  walk(start());
  return found;
}

std::vector<const FlowchartAnswer*> Flowchart::path_to(std::string_view answer_id) const {
  std::vector<const FlowchartAnswer*> path;
  std::function<bool(const FlowchartQuestion&)> walk = [&](const FlowchartQuestion& q) {
    for (const FlowchartAnswer& a : q.answers) {
      path.push_back(&a);
      if (a.id == answer_id || (!a.next.empty() && walk(*question(a.next)))) return true;
      path.pop_back();
    }
    return false;
  };
  walk(start());
  return path;
}

}  // namespace casebook::site
