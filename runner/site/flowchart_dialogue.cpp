#include "site/flowchart_dialogue.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace casebook::site {
namespace {

std::string trimmed(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

// The answer a line names: its number (1-based) or its id; nullptr otherwise.
const FlowchartAnswer* parse_answer(const FlowchartQuestion& q, const std::string& line) {
  if (!line.empty() && std::all_of(line.begin(), line.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      line.size() < 4) {
    const auto index = static_cast<std::size_t>(std::stoi(line));
    return index >= 1 && index <= q.answers.size() ? &q.answers[index - 1] : nullptr;
  }
  for (const FlowchartAnswer& a : q.answers)
    if (a.id == line) return &a;
  return nullptr;
}

void print_leaf(const FlowchartAnswer& leaf, const std::vector<std::string>& path,
                const MethodCatalog& methods, const std::vector<ChooseCase>& cases, std::string_view lang,
                std::ostream& out) {
  const bool ko = lang == "ko";
  out << fmt::format("\n=> {}\n", leaf.leaf->label.in(lang));
  out << (ko ? "\n방법:\n" : "\nMethods:\n");
  std::vector<const MethodInfo*> infos;
  for (const std::string& id : leaf.leaf->methods) {
    const MethodInfo* info = methods.find(id);
    infos.push_back(info);
    out << fmt::format("  {:<28} site: methods/{}.html\n", info ? info->title.in(lang) : id, id);
    if (info && !info->estimators.empty())
      out << fmt::format("  {:<28} estimators: {}\n", "", fmt::join(info->estimators, ", "));
  }
  std::vector<const ChooseCase*> matching;
  for (const ChooseCase& c : cases) {
    const bool answered = std::find(c.flowchart.begin(), c.flowchart.end(), leaf.id) != c.flowchart.end();
    const bool uses = std::any_of(c.methods.begin(), c.methods.end(), [&](const std::string& name) {
      const MethodInfo* m = methods.for_case_method(name);
      return m && std::find(infos.begin(), infos.end(), m) != infos.end();
    });
    if (answered || uses) matching.push_back(&c);
  }
  out << (ko ? "\n사례:\n" : "\nCases:\n");
  if (matching.empty()) out << (ko ? "  (아직 없음)\n" : "  (none yet)\n");
  for (const ChooseCase* c : matching) out << fmt::format("  {:<34} {}\n", c->id, c->title);
  std::vector<std::string> quoted;
  for (const std::string& id : path) quoted.push_back("\"" + id + "\"");
  out << fmt::format(fmt::runtime(ko ? "\ncase.json에 쓰기: \"flowchart\": [{}]\n"
                                     : "\nIn case.json: \"flowchart\": [{}]\n"),
                     fmt::join(quoted, ", "));
}

}  // namespace

int choose_dialogue(const Flowchart& chart, const MethodCatalog& methods,
                    const std::vector<ChooseCase>& cases, std::string_view lang, std::istream& in,
                    std::ostream& out, std::ostream& err) {
  const bool ko = lang == "ko";
  const FlowchartQuestion* q = &chart.start();
  std::vector<std::string> path;
  for (int step = 1;; ++step) {
    out << fmt::format("\n{}. {}\n", step, q->text.in(lang));
    for (std::size_t i = 0; i < q->answers.size(); ++i)
      out << fmt::format("  {}) {}\n", i + 1, q->answers[i].text.in(lang));
    const FlowchartAnswer* answer = nullptr;
    while (!answer) {
      out << fmt::format(
          fmt::runtime(ko ? "번호를 입력하세요 (1-{}, 끝내려면 q): " : "Answer 1-{} (q to quit): "),
          q->answers.size());
      out.flush();
      std::string line;
      if (!std::getline(in, line)) {
        out << '\n';
        err << (ko ? "casebook choose: 답을 받기 전에 입력이 끝났습니다\n"
                   : "casebook choose: the input ended before an answer was given\n");
        return 2;
      }
      line = trimmed(line);
      if (line == "q" || line == "quit") return 0;
      answer = parse_answer(*q, line);
      if (!answer)
        out << fmt::format(
            fmt::runtime(ko ? "'{}'은(는) 답이 아닙니다. 1부터 {}까지의 번호나 답 id를 입력하세요.\n"
                            : "'{}' is not an answer; type a number from 1 to {} or an answer id.\n"),
            line.substr(0, 60), q->answers.size());
    }
    path.push_back(answer->id);
    if (answer->leaf) {
      print_leaf(*answer, path, methods, cases, lang, out);
      return 0;
    }
    q = chart.question(answer->next);
  }
}

}  // namespace casebook::site
