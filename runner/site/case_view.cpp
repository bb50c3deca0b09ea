#include "site/case_view.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "site/format.hpp"
#include "site/html_text.hpp"

#include "site/case_facts.hpp"
#include "site/case_sections.hpp"
#include "site/case_text.hpp"
#include "site/checks_view.hpp"
#include "site/figures_view.hpp"
#include "site/index_view.hpp"
#include "site/json_access.hpp"
#include "site/page_view.hpp"
#include "site/results_view.hpp"

namespace casebook::site {
namespace {

// case.md opens with "# Title" (see templates/case.md), which the page already shows from
// case.json in its own language; a second <h1> would repeat it.
std::string_view without_leading_title(std::string_view markdown) {
  const auto first = markdown.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || markdown.substr(first, 2) != "# ") return markdown;
  const auto line_end = markdown.find('\n', first);
  return line_end == std::string_view::npos ? std::string_view{} : markdown.substr(line_end + 1);
}

// In the repository a case links to another as "../<id>/case.md"; on the site that page is
// "<id>.html" beside this one (in the same language folder).
// Scanned by hand: std::regex recurses per character and overflows the stack on a long link.
std::string site_links(const std::string& html) {
  static constexpr std::string_view kStart = "href=\"../";
  const auto id_char = [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
  };
  std::string out;
  out.reserve(html.size());
  std::size_t done = 0;
  for (std::size_t at = html.find(kStart); at != std::string::npos; at = html.find(kStart, at + 1)) {
    std::size_t i = at + kStart.size();
    const std::size_t id_begin = i;
    while (i < html.size() && id_char(html[i])) ++i;
    if (i == id_begin || html[id_begin] == '-' || i >= html.size() || html[i] != '/') continue;
    const std::string id = html.substr(id_begin, i - id_begin);
    ++i;
    for (std::string_view file : {"case.ko.md", "case.md"})
      if (html.compare(i, file.size(), file) == 0) {
        i += file.size();
        break;
      }
    if (i < html.size() && html[i] == '#') i = html.find('"', i);  // the fragment is dropped
    if (i == std::string::npos || i >= html.size() || html[i] != '"') continue;
    out.append(html, done, at - done).append("href=\"").append(id).append(".html\"");
    done = i + 1;
    at = i;
  }
  return out.append(html, done, std::string::npos);
}

bool has_math_in(const std::string& html) { return html.find("class=\"math ") != std::string::npos; }

// The flowchart answers that lead to this case, each linking to its place on the flowchart page.
mstch::array flowchart_steps(const CaseFacts& facts, const SiteContext& ctx, const Language& language) {
  mstch::array steps;
  if (!ctx.flowchart) return steps;
  const std::string href = page_href(language, case_page(facts.id), flowchart_page());
  for (const std::string& id : facts.flowchart) {
    const FlowchartAnswer* answer = ctx.flowchart->answer(id);
    const FlowchartQuestion* question = ctx.flowchart->question_of(id);
    if (!answer || !question) continue;  // `casebook lint` reports unknown answers
    steps.push_back(
        mstch::map{{"question", question->text.in(language.code)},
                   {"answer", answer->text.in(language.code)},
                   {"href", href + (answer->leaf ? "#a-" : "#q-") + (answer->leaf ? id : question->id)}});
  }
  return steps;
}

// The card's last row: the headline analysis's estimate and interval against the truth of its
// estimand, and the claims that passed.
std::string result_html(const CaseFacts& facts, const UiStrings& strings, std::string_view lang) {
  const std::string claims = claims_summary(facts, strings, lang);
  if (!facts.primary_estimate) return escape_html(claims);
  std::string estimand = facts.primary_estimand_type;
  std::transform(estimand.begin(), estimand.end(), estimand.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const std::string ci = facts.primary_low && facts.primary_high
                             ? " " + format_interval(*facts.primary_low, *facts.primary_high)
                             : std::string();
  return fill(strings.get(lang, "card_result_text"),
              {{"analysis", escape_html(lang == "ko" ? facts.primary_label_ko : facts.primary_label)},
               {"estimand", escape_html(estimand)},
               {"estimate", "<strong>" + format_number(*facts.primary_estimate) + "</strong>" + ci},
               {"truth", facts.primary_truth ? format_number(*facts.primary_truth) : kMissing},
               {"claims", escape_html(claims)}});
}

// Everything a case page shows from its results, with a has_ flag beside each list so a template
// shows a heading only above a list that is not empty.
mstch::map results_sections(const nlohmann::json& results, const UiStrings& strings, std::string_view lang) {
  mstch::array claims = claim_rows(results, strings, lang);
  mstch::array diagnostics = diagnostic_blocks(results, strings, lang);
  mstch::array tables = table_blocks(results, strings, lang);
  mstch::array truth = truth_rows(results);
  PlotBlocks plots = plot_blocks(results, strings, lang);
  mstch::array identification = identification_rows(results, strings, lang);
  mstch::array refutations = refutation_rows(results, strings, lang);
  const bool has_diagnostics = !diagnostics.empty();
  const bool has_tables = !tables.empty();
  const bool has_truth = !truth.empty();
  const bool has_more_plots = !plots.more.empty();
  const bool has_identification = !identification.empty();
  const mstch::node graph = graph_view(results, strings, lang);
  const bool has_graph = graph.which() != mstch::node(false).which();
  const bool has_refutations = !refutations.empty();
  return {
      {"forest_svg", forest_plot(results, strings, lang)},
      {"analyses", analysis_rows(results, lang)},
      {"claims", std::move(claims)},
      // The Published column only when some claim reproduces a published figure.
      {"has_published",
       std::any_of(required_array(results, "claims").begin(), required_array(results, "claims").end(),
                   [](const nlohmann::json& c) { return optional(c, "published").is_object(); })},
      {"graph", graph},
      {"has_graph_section", has_identification || has_graph},
      {"identification", std::move(identification)},
      {"has_identification", has_identification},
      {"refutations", std::move(refutations)},
      {"has_refutations", has_refutations},
      {"monte_carlo", monte_carlo_view(results, strings, lang)},
      {"diagnostic_blocks", std::move(diagnostics)},
      {"has_diagnostics", has_diagnostics},
      {"table_blocks", std::move(tables)},
      {"has_tables", has_tables},
      {"lead_plots", std::move(plots.lead)},
      {"more_plots", std::move(plots.more)},
      {"has_more_plots", has_more_plots},
      {"truth", std::move(truth)},
      {"has_truth", has_truth},
      {"data", data_view(results)},
      {"command", required_text(results, "command")},
  };
}

// The files published with the case (case.json, case.md, the sample CSV) as links from this
// page, and the same files in the repository when its address is known.
mstch::array download_links(const CasePage& page, const SiteContext& ctx, const Language& language) {
  const std::string root = root_from(page_file(language, case_page(page.id)));
  mstch::array links;
  for (const auto& [name, contents] : page.files) {
    mstch::map link{
        {"href", root + case_file(page.id, name)},
        {"name", name},
        {"label",
         ctx.strings.get(language.code, "download_" + std::string(name == "sample.csv"     ? "sample"
                                                                  : name == "results.json" ? "results"
                                                                                           : "case_file"))}};
    if (!ctx.repository_url.empty() && name != "sample.csv" && name != "results.json")
      link.emplace("repository_href", ctx.repository_url + "/cases/" + page.id + "/" + name);
    links.push_back(std::move(link));
  }
  return links;
}

// How to rerun the case beyond `casebook run`: the whole simulated sample, regenerated exactly, and
// the case's analyses on a reader's own file, with the columns it must have.
mstch::map rerun_view(const CasePage& page) {
  const nlohmann::json& data = page.results.at("data");
  mstch::map view;
  if (data.at("seed").is_number() && data.at("n").is_number())
    view.emplace("simulate_command",
                 fmt::format("casebook simulate {} --seed {} --n {} --out {}.csv", page.id,
                             data.at("seed").dump(), data.at("n").dump(), page.id));
  mstch::array columns;
  std::string first;
  for (const auto& column : data.at("preview").at("columns")) {
    if (first.empty()) first = column.get<std::string>();
    columns.push_back(column.get<std::string>());
  }
  if (!first.empty()) {
    view.emplace("your_data_columns", std::move(columns));
    view.emplace("your_data_command",
                 fmt::format("casebook run {} --data your.csv --map {}=your_column_name", page.id, first));
  }
  return view;
}

}  // namespace

mstch::map case_view(const CasePage& page, const SiteContext& ctx, const Language& language) {
  const CaseFacts facts = case_facts(page);
  const UiStrings& strings = ctx.strings;
  const std::string_view lang = language.code;

  // The Korean page falls back to the English text, saying so, until case.ko.md exists.
  const bool translation_missing = lang == kKorean.code && page.markdown_ko.empty();
  const std::string& markdown =
      lang == kKorean.code && !translation_missing ? page.markdown_ko : page.markdown_en;
  const CaseText text =
      arrange_case_text(site_links(markdown_to_html(without_leading_title(markdown))), facts.has_results);
  bool has_math = has_math_in(text.html) || has_math_in(text.claims_html);

  // The summary card: the first paragraph of each template section, then the result. On screen it
  // shows the question and the result only (the sections follow in full); on paper, all of it.
  mstch::array card;
  for (const SectionHeading& section : summary_sections()) {
    const std::string paragraph = first_paragraph(markdown, section);
    if (paragraph.empty()) continue;
    const std::string html = site_links(inline_markdown(paragraph));
    has_math = has_math || has_math_in(html);
    card.push_back(
        mstch::map{{"key", section.key}, {"label", strings.get(lang, section.key)}, {"html", html}});
  }
  if (facts.has_results)
    card.push_back(mstch::map{{"key", std::string("card_result")},
                              {"label", strings.get(lang, "card_result")},
                              {"html", result_html(facts, strings, lang)}});

  mstch::array sources;
  for (const SourceLink& source : facts.sources) {
    sources.push_back(mstch::map{{"title", source.title}, {"url", source.url}});
  }

  mstch::array steps = flowchart_steps(facts, ctx, language);
  // The has_ flags let a template show a heading only above a list that is not empty.
  const bool has_sources = !sources.empty();
  const bool has_card = !card.empty();
  const bool has_flowchart = !steps.empty();

  mstch::map view = layout_view(strings, language, case_page(page.id), facts.title(lang), has_math);
  mstch::map case_map{
      {"id", facts.id},
      {"title", facts.title(lang)},
      {"organization", facts.organization(lang)},
      {"domain", facts.domain(lang)},
      {"summary", facts.summary(lang)},
      {"methods", method_links(facts, ctx, language, case_page(page.id))},
      {"flowchart", std::move(steps)},
      {"has_flowchart", has_flowchart},
      {"card", std::move(card)},
      {"has_card", has_card},
      {"sources", std::move(sources)},
      {"has_sources", has_sources},
      {"claims_summary", claims_summary(facts, strings, lang)},
      {"claims_status", claims_status(facts)},
      {"markdown_html", text.html},
      {"claims_html", text.claims_html},
      {"translation_missing", translation_missing},
      {"has_results", facts.has_results},
      // The PDF sits beside the page.
      {"pdf_href", ctx.has_pdf(language)
                       ? std::filesystem::path(case_pdf(page.id, language)).filename().string()
                       : std::string()},
  };
  mstch::array downloads = download_links(page, ctx, language);
  case_map.emplace("has_downloads", !downloads.empty());
  case_map.emplace("downloads", std::move(downloads));
  // The template shows these only under has_results.
  if (facts.has_results) {
    case_map.merge(results_sections(page.results, strings, lang));
    case_map.merge(rerun_view(page));
  }
  view.emplace("case", std::move(case_map));
  return view;
}

}  // namespace casebook::site
