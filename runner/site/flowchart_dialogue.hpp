#pragma once
// The flowchart asked as questions in a terminal (`casebook choose`): each question with its
// numbered answers, an answer read per line (its number or its id), until a leaf, which names
// the methods, their pages and the cases that use them.
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "site/flowchart.hpp"
#include "site/method_catalog.hpp"

namespace casebook::site {

struct ChooseCase {
  std::string id;
  std::string title;
  std::vector<std::string> methods;    // case.json "methods"
  std::vector<std::string> flowchart;  // case.json "flowchart"
};

// Returns 0 at a leaf or when the user types q; 2 when the input ends before a leaf (the
// message goes to `err`). A line that is not an answer is reported and the question asked again.
int choose_dialogue(const Flowchart& chart, const MethodCatalog& methods,
                    const std::vector<ChooseCase>& cases, std::string_view lang, std::istream& in,
                    std::ostream& out, std::ostream& err);

}  // namespace casebook::site
