#pragma once
// The method-selection decision tree of templates/flowchart.json: questions whose answers lead
// either to the next question or to a leaf naming methods. The site renders it as linked lists
// and a diagram, `casebook choose` asks it in the terminal, and cases name its answers.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace casebook::site {

// A text in the site's two languages; Korean falls back to English when absent.
struct LocalText {
  std::string en;
  std::string ko;
  const std::string& in(std::string_view lang) const { return lang == "ko" && !ko.empty() ? ko : en; }
};

struct FlowchartLeaf {
  LocalText label;
  std::vector<std::string> methods;  // ids of site/methods/methods.json
};

struct FlowchartAnswer {
  std::string id;
  LocalText text;
  std::string next;                   // the next question's id, or empty at a leaf
  std::optional<FlowchartLeaf> leaf;  // set exactly when `next` is empty
};

struct FlowchartQuestion {
  std::string id;
  LocalText text;
  std::vector<FlowchartAnswer> answers;
};

class Flowchart {
 public:
  // Reads and checks the tree: unique ids, every `next` names a question, each answer has
  // either `next` or `leaf`, every question is reached from `start` exactly once (a tree, so
  // no loops). InputError naming the file and the field otherwise.
  static Flowchart load(const std::filesystem::path& file);
  static Flowchart parse(const nlohmann::json& document, const std::string& file);

  const FlowchartQuestion& start() const;
  const std::vector<FlowchartQuestion>& questions() const { return questions_; }
  const FlowchartQuestion* question(std::string_view id) const;
  const FlowchartAnswer* answer(std::string_view id) const;
  // The question holding an answer.
  const FlowchartQuestion* question_of(std::string_view answer_id) const;
  // The answers at leaves, in the order of the file (depth first from the start).
  std::vector<const FlowchartAnswer*> leaves() const;
  // The answers from the start question down to `answer_id` (inclusive); empty if unknown.
  std::vector<const FlowchartAnswer*> path_to(std::string_view answer_id) const;

 private:
  std::string start_;
  std::vector<FlowchartQuestion> questions_;
};

}  // namespace casebook::site
