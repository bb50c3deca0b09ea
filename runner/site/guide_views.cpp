#include "site/guide_views.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "site/format.hpp"
#include "site/page_view.hpp"

namespace casebook::site {
namespace {

mstch::array case_links(const std::vector<const CaseFacts*>& cases, const Language& language,
                        std::string_view from) {
  mstch::array links;
  for (const CaseFacts* facts : cases) {
    links.push_back(mstch::map{{"title", facts->title(language.code)},
                               {"organization", facts->organization(language.code)},
                               {"href", page_href(language, from, case_page(facts->id))}});
  }
  return links;
}

// "Can you run an A/B test? No … → …": the answers from the start down to a leaf.
mstch::array path_steps(const Flowchart& chart, const FlowchartAnswer& leaf, std::string_view lang) {
  mstch::array steps;
  for (const FlowchartAnswer* answer : chart.path_to(leaf.id)) {
    steps.push_back(mstch::map{{"question", chart.question_of(answer->id)->text.in(lang)},
                               {"answer", answer->text.in(lang)},
                               {"question_id", chart.question_of(answer->id)->id}});
  }
  return steps;
}

// How many questions a reader answers from `q` to a leaf, including `q`: along the shortest and
// along the longest path.
std::pair<int, int> questions_to_a_leaf(const Flowchart& chart, const FlowchartQuestion& q) {
  int shortest = std::numeric_limits<int>::max(), longest = 0;
  for (const FlowchartAnswer& a : q.answers) {
    const auto [after_shortest, after_longest] =
        a.leaf ? std::pair{0, 0} : questions_to_a_leaf(chart, *chart.question(a.next));
    shortest = std::min(shortest, 1 + after_shortest);
    longest = std::max(longest, 1 + after_longest);
  }
  return {shortest, longest};
}

// "Question 2 of 3", or "of up to 3" when the answers lead to paths of different lengths; the
// count runs from the start question.
std::string progress(const Flowchart& chart, const FlowchartQuestion& q, const UiStrings& strings,
                     std::string_view lang) {
  int number = 1;
  for (const FlowchartQuestion& other : chart.questions())
    for (const FlowchartAnswer& a : other.answers)
      if (a.next == q.id) number = static_cast<int>(chart.path_to(a.id).size()) + 1;
  const auto [shortest, longest] = questions_to_a_leaf(chart, q);
  return fill(strings.get(lang, shortest == longest ? "flowchart_progress" : "flowchart_progress_up_to"),
              {{"number", std::to_string(number)}, {"total", std::to_string(number - 1 + longest)}});
}

bool leaf_names(const FlowchartAnswer& answer, const MethodInfo& method) {
  return std::find(answer.leaf->methods.begin(), answer.leaf->methods.end(), method.id) !=
         answer.leaf->methods.end();
}

}  // namespace

mstch::map flowchart_view(const SiteContext& ctx, const Language& language, const std::string& diagram_svg) {
  const std::string_view lang = language.code;
  mstch::map view =
      layout_view(ctx.strings, language, flowchart_page(), ctx.strings.get(lang, "flowchart_title"), false);
  mstch::array questions, leaves;
  if (ctx.flowchart) {
    const Flowchart& chart = *ctx.flowchart;
    int number = 0;
    for (const FlowchartQuestion& q : chart.questions()) {
      mstch::array answers;
      for (const FlowchartAnswer& a : q.answers) {
        answers.push_back(mstch::map{{"id", a.id},
                                     {"text", a.text.in(lang)},
                                     {"href", a.leaf ? "#a-" + a.id : "#q-" + a.next},
                                     {"leaf_label", a.leaf ? a.leaf->label.in(lang) : std::string()}});
      }
      questions.push_back(mstch::map{{"id", q.id},
                                     {"number", std::to_string(++number)},
                                     {"text", q.text.in(lang)},
                                     {"start", q.id == chart.start().id},
                                     {"progress", progress(chart, q, ctx.strings, lang)},
                                     {"answers", std::move(answers)}});
    }
    for (const FlowchartAnswer* leaf : chart.leaves()) {
      mstch::array methods;
      for (const std::string& id : leaf->leaf->methods) {
        const MethodInfo* method = ctx.methods.find(id);
        methods.push_back(mstch::map{
            {"title", method ? method->title.in(lang) : id},
            {"href", method ? page_href(language, flowchart_page(), method_page(id)) : std::string()}});
      }
      // The cases that reached this leaf, and the cases that use one of its methods.
      std::vector<const CaseFacts*> cases = ctx.cases_answering(leaf->id);
      for (const std::string& id : leaf->leaf->methods) {
        if (const MethodInfo* method = ctx.methods.find(id)) {
          for (const CaseFacts* facts : ctx.cases_using(*method))
            if (std::find(cases.begin(), cases.end(), facts) == cases.end()) cases.push_back(facts);
        }
      }
      std::sort(cases.begin(), cases.end(),
                [](const CaseFacts* a, const CaseFacts* b) { return a->id < b->id; });
      const bool has_cases = !cases.empty();
      leaves.push_back(mstch::map{{"id", leaf->id},
                                  {"label", leaf->leaf->label.in(lang)},
                                  {"path", path_steps(chart, *leaf, lang)},
                                  {"methods", std::move(methods)},
                                  {"cases", case_links(cases, language, flowchart_page())},
                                  {"has_cases", has_cases}});
    }
  }
  const bool has_flowchart = ctx.flowchart.has_value();
  view.emplace("flowchart",
               mstch::map{{"has_flowchart", has_flowchart},
                          {"start_id", has_flowchart ? ctx.flowchart->start().id : std::string()},
                          {"diagram_svg", diagram_svg},
                          {"questions", std::move(questions)},
                          {"leaves", std::move(leaves)}});
  return view;
}

mstch::map methods_index_view(const SiteContext& ctx, const Language& language) {
  const std::string_view lang = language.code;
  mstch::map view =
      layout_view(ctx.strings, language, methods_page(), ctx.strings.get(lang, "methods_title"), false);
  mstch::array methods;
  for (const MethodInfo& method : ctx.methods.methods()) {
    std::string leaves;
    if (ctx.flowchart) {
      for (const FlowchartAnswer* leaf : ctx.flowchart->leaves()) {
        if (!leaf_names(*leaf, method)) continue;
        leaves += (leaves.empty() ? "" : " \u00b7 ") + leaf->text.in(lang);
      }
    }
    methods.push_back(mstch::map{{"id", method.id},
                                 {"title", method.title.in(lang)},
                                 {"href", page_href(language, methods_page(), method_page(method.id))},
                                 {"case_count", std::to_string(ctx.cases_using(method).size())},
                                 {"leaves", leaves}});
  }
  view.emplace("methods", std::move(methods));
  return view;
}

mstch::map method_view(const MethodInfo& method, const SiteContext& ctx, const Language& language) {
  const std::string_view lang = language.code;
  const std::string page = method_page(method.id);
  const bool translation_missing = lang == kKorean.code && method.markdown_ko.empty();
  const std::string html = markdown_to_html(
      lang == kKorean.code && !translation_missing ? method.markdown_ko : method.markdown_en);
  const bool has_math = html.find("class=\"math ") != std::string::npos;
  mstch::map view = layout_view(ctx.strings, language, page, method.title.in(lang), has_math);

  mstch::array estimators;
  for (const std::string& name : method.estimators) {
    const auto found = std::find_if(ctx.estimators.begin(), ctx.estimators.end(),
                                    [&](const EstimatorEntry& e) { return e.name == name; });
    const bool available = found != ctx.estimators.end();
    estimators.push_back(mstch::map{{"name", name},
                                    {"description", available ? found->description : std::string()},
                                    {"available", available}});
  }
  mstch::array leaves;
  if (ctx.flowchart) {
    for (const FlowchartAnswer* leaf : ctx.flowchart->leaves()) {
      if (!leaf_names(*leaf, method)) continue;
      leaves.push_back(mstch::map{{"label", leaf->leaf->label.in(lang)},
                                  {"href", page_href(language, page, flowchart_page()) + "#a-" + leaf->id},
                                  {"path", path_steps(*ctx.flowchart, *leaf, lang)}});
    }
  }
  mstch::array cases = case_links(ctx.cases_using(method), language, page);
  // The size and power of the refutations of this method's estimators, across its cases.
  mstch::array refuter_rows;
  for (const CaseFacts* facts : ctx.cases_using(method))
    for (const RefuterRate& rate : facts->refuter_rates) {
      if (std::find(method.estimators.begin(), method.estimators.end(), rate.estimator) ==
          method.estimators.end())
        continue;
      refuter_rows.push_back(mstch::map{{"case", facts->title(lang)},
                                        {"href", page_href(language, page, case_page(facts->id))},
                                        {"refuter", rate.refuter},
                                        {"analysis", rate.analysis},
                                        {"level", rate.level},
                                        {"size", rate.size.empty() ? kMissing : rate.size},
                                        {"power", rate.power.empty() ? kMissing : rate.power}});
    }
  const bool has_refuter_rows = !refuter_rows.empty();
  const bool has_estimators = !estimators.empty(), has_cases = !cases.empty(), has_leaves = !leaves.empty();
  view.emplace("method", mstch::map{{"id", method.id},
                                    {"title", method.title.in(lang)},
                                    {"markdown_html", html},
                                    {"translation_missing", translation_missing},
                                    {"estimators", std::move(estimators)},
                                    {"has_estimators", has_estimators},
                                    {"cases", std::move(cases)},
                                    {"has_cases", has_cases},
                                    {"refuter_rows", std::move(refuter_rows)},
                                    {"has_refuter_rows", has_refuter_rows},
                                    {"leaves", std::move(leaves)},
                                    {"has_leaves", has_leaves}});
  return view;
}

}  // namespace casebook::site
