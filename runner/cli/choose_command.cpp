// choose: the method-selection flowchart (templates/flowchart.json) asked in the terminal.
#include <iostream>

#include "cases/case.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "site/flowchart_dialogue.hpp"

namespace casebook {

int choose_command(const Project& project, const std::string& lang) {
  if (lang != "en" && lang != "ko") throw InputError("--lang " + lang + ": expected en or ko");
  const site::Flowchart chart = site::Flowchart::load(project.templates() / "flowchart.json");
  const site::MethodCatalog methods = site::MethodCatalog::load(project.theme() / "methods");
  std::vector<site::ChooseCase> cases;
  for (const auto& dir : case_directories(project.cases())) {
    try {
      const Case c = load_case(dir);
      cases.push_back(
          {c.id, lang == "ko" && !c.title_ko.empty() ? c.title_ko : c.title_en, c.methods, c.flowchart});
    } catch (const InputError&) {
      // A broken case is `casebook lint`'s business; the flowchart still works without it.
    }
  }
  return site::choose_dialogue(chart, methods, cases, lang, std::cin, std::cout, std::cerr);
}

}  // namespace casebook
