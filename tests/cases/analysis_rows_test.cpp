// An analysis's "rows": it (and its refutations) runs on the rows where a 0/1 column is 1, as an
// analyst who sees only those rows would; a column that is not 0/1 or selects nothing is named.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "broken_cases.hpp"
#include "cases/case.hpp"
#include "cases/case_graph.hpp"
#include "cases/case_run.hpp"
#include "core/input_error.hpp"

namespace casebook {
namespace {

// The template case (x, t, y; analyses "diff" and "ols") with an observed flag `kept` and the
// difference in means restricted to it; the effect is 2 where x > 0 and 0 elsewhere.
Case case_with_rows(const std::string& kept_expr) {
  nlohmann::json doc = testing::template_case("rows-case");
  doc["simulation"]["variables"][2]["expr"] = "1 + 0.5 * x + t * (x > 0 ? 2 : 0) + normal(0, 1)";
  doc["simulation"]["variables"].push_back({{"name", "kept"}, {"expr", kept_expr}});
  doc["analyses"][0]["rows"] = "kept";
  doc["refutations"] = {{{"refuter", "data-subsets"}, {"analysis", "diff"}}};
  return parse_case(doc, "cases/rows-case/case.json", "rows-case");
}

TEST(AnalysisRows, TheAnalysisSeesOnlyTheKeptRows) {
  const Case c = case_with_rows("x > 0");
  const SimulatedSample sample = simulate_case(c, 3, 2000);
  const std::vector<double>& x = sample.observed.column("x").values;
  const auto kept =
      static_cast<std::size_t>(std::count_if(x.begin(), x.end(), [](double v) { return v > 0; }));
  ASSERT_GT(kept, 800u);
  ASSERT_LT(kept, 1200u);

  const std::vector<AnalysisResult> analyses = run_analyses(c, sample.observed, sample.truth);
  EXPECT_EQ(analyses[0].estimate.n, kept);                    // diff: the rows with x > 0
  EXPECT_EQ(analyses[1].estimate.n, sample.observed.rows());  // ols: every row

  EXPECT_NEAR(analyses[0].estimate.estimate, 2, 0.3);  // the effect where x > 0 (all rows: 1)

  // The refutation refits on the same rows: its subsets' estimates stay near 2, not near 1.
  const std::vector<RefutationResult> refutations = run_refutations(c, sample.observed, analyses, 3);
  ASSERT_EQ(refutations.size(), 1u);
  EXPECT_EQ(refutations[0].original_estimate, analyses[0].estimate.estimate);
  EXPECT_NEAR(refutations[0].estimate, 2, 0.3);
  EXPECT_TRUE(refutations[0].pass) << refutations[0].rule;
}

// Keeping only the rows where a descendant of the treatment is 1 conditions on it: the graph
// check says so, where the same analysis on every row is identified.
TEST(AnalysisRows, KeepingRowsByADescendantOfTheTreatmentIsNotIdentified) {
  nlohmann::json doc = testing::template_case("rows-case");
  doc["simulation"]["variables"].push_back({{"name", "kept"}, {"expr", "t + x > 0.5"}});
  doc["analyses"][0]["rows"] = "kept";
  const Case c = parse_case(doc, "cases/rows-case/case.json", "rows-case");
  const CaseGraphs graphs = case_graphs(c);
  EXPECT_FALSE(identify_analysis(graphs, c.analyses[0], c.simulation).on_true.valid);
  EXPECT_TRUE(identify_analysis(graphs, c.analyses[1], c.simulation).on_true.valid);
}

TEST(AnalysisRows, AFlagThatIsNotZeroOrOneIsNamed) {
  const Case c = case_with_rows("x > 0 ? 1 : 2");
  const SimulatedSample sample = simulate_case(c, 3, 200);
  try {
    run_analyses(c, sample.observed, sample.truth);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("analysis 'diff': rows: column 'kept' must be 0 or 1"),
              std::string::npos)
        << e.what();
  }
}

TEST(AnalysisRows, AFlagThatKeepsNothingIsNamed) {
  const Case c = case_with_rows("0");
  const SimulatedSample sample = simulate_case(c, 3, 200);
  try {
    run_analyses(c, sample.observed, sample.truth);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("column 'kept' is 1 on no row"), std::string::npos) << e.what();
  }
}

TEST(AnalysisRows, AnUnknownColumnIsALoaderError) {
  nlohmann::json doc = testing::template_case("rows-case");
  doc["analyses"][0]["rows"] = "nope";
  EXPECT_THROW(parse_case(doc, "cases/rows-case/case.json", "rows-case"), InputError);
}

}  // namespace
}  // namespace casebook
