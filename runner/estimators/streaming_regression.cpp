#include "estimators/streaming_regression.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <sys/mman.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <Eigen/Core>

#include "core/input_error.hpp"
#include "core/memory_check.hpp"
#include "core/parallel_for.hpp"
#include "core/progress.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"
#include "inference/t_test.hpp"
#include "inference/wald_test.hpp"

namespace casebook {
namespace {

using Indices = std::vector<Eigen::Index>;
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr double kWeakInstrumentF = 10.0;  // as 2sls: Staiger–Stock's rule of thumb

constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

// Where each role sits. The augmented block A = [1, model columns − shift] holds the intercept in
// column 0 and model column c in column c + 1; each model column is a stream column or, for did's
// interaction, the product of two. The stream's columns are the model's sources, then the cluster
// id.
struct Layout {
  std::vector<std::string> columns;                 // asked of the stream
  std::vector<std::array<std::size_t, 2>> sources;  // per model column: a stream column, or two to multiply
  Indices x, exogenous, excluded, instruments;      // instruments = exogenous then excluded (2sls)
  std::vector<std::string> x_names, instrument_names;
  Eigen::Index reported = 1;  // the coefficient the estimate is, in x
  Indices must_vary;          // model columns that must not be constant (A's numbering)
  std::vector<std::string> must_vary_roles;
  Eigen::Index treatment = 1, outcome = 0;
  std::size_t cluster_slot = kNoColumn;
  // did: the stream columns of group, post and (when it is another column) the treatment.
  std::size_t group_slot = kNoColumn, post_slot = kNoColumn, treatment_slot = kNoColumn;

  Eigen::Index model() const { return static_cast<Eigen::Index>(sources.size()); }
  bool clustered() const { return cluster_slot != kNoColumn; }
};

std::size_t add_column(Layout& l, const std::string& name) {
  l.columns.push_back(name);
  return l.columns.size() - 1;
}

Layout make_layout(const EstimatorArgs& args, bool iv) {
  Layout l;
  const auto add_model_column = [&](const std::string& name) {
    l.sources.push_back({add_column(l, name), kNoColumn});
    return l.model();  // its index in A
  };
  add_model_column(args.treatment);
  const auto p = static_cast<Eigen::Index>(args.covariates.size());
  for (const auto& covariate : args.covariates) add_model_column(covariate);
  const auto q = static_cast<Eigen::Index>(iv ? args.instruments.size() : 0);
  if (iv)
    for (const auto& instrument : args.instruments) add_model_column(instrument);
  l.outcome = add_model_column(args.outcome);
  if (!args.cluster.empty()) l.cluster_slot = add_column(l, args.cluster);
  l.x = {0, 1};
  l.exogenous = {0};
  l.x_names = {"(Intercept)", args.treatment};
  l.instrument_names = {"(Intercept)"};
  for (Eigen::Index j = 0; j < p; ++j) {
    l.x.push_back(2 + j);
    l.exogenous.push_back(2 + j);
    l.x_names.push_back(args.covariates[static_cast<std::size_t>(j)]);
    l.instrument_names.push_back(args.covariates[static_cast<std::size_t>(j)]);
  }
  for (Eigen::Index j = 0; j < q; ++j) {
    l.excluded.push_back(2 + p + j);
    l.instrument_names.push_back(args.instruments[static_cast<std::size_t>(j)]);
  }
  l.instruments = l.exogenous;
  l.instruments.insert(l.instruments.end(), l.excluded.begin(), l.excluded.end());
  l.must_vary = {1};
  l.must_vary_roles = {"treatment"};
  return l;
}

// did: y on [1, group, post, group × post], the estimate being the interaction's coefficient.
Layout make_did_layout(const EstimatorArgs& args, const std::string& group, const std::string& post) {
  Layout l;
  l.group_slot = add_column(l, group);
  l.post_slot = add_column(l, post);
  l.sources = {{l.group_slot, kNoColumn}, {l.post_slot, kNoColumn}, {l.group_slot, l.post_slot}};
  l.sources.push_back({add_column(l, args.outcome), kNoColumn});
  l.outcome = l.model();
  if (args.treatment != group) l.treatment_slot = add_column(l, args.treatment);
  if (!args.cluster.empty()) l.cluster_slot = add_column(l, args.cluster);
  l.x = {0, 1, 2, 3};
  l.exogenous = {0};
  l.x_names = {"(Intercept)", group, post, group + ":" + post};
  l.reported = 3;
  l.must_vary = {1, 2};
  l.must_vary_roles = {"group", "post"};
  return l;
}

// Rows per chunk of a block: a chunk of A = [1, W − shift] and its scores stay in L2 cache, and the
// per-thread buffers have one size, so nothing is allocated per chunk.
constexpr Eigen::Index kChunkRows = 2048;

// A's model columns from a block's stream values (a product where the layout says so).
template <class Values, class Out>
void fill_model_columns(const Layout& layout, const Values& values, const Eigen::RowVectorXd& shift,
                        Out&& out) {
  for (Eigen::Index c = 0; c < layout.model(); ++c) {
    const auto& [first, second] = layout.sources[static_cast<std::size_t>(c)];
    const auto a = static_cast<Eigen::Index>(first);
    if (second == kNoColumn)
      out.col(c + 1) = values.col(a).array() - shift(c);
    else
      out.col(c + 1) =
          values.col(a).cwiseProduct(values.col(static_cast<Eigen::Index>(second))).array() - shift(c);
  }
}

// fn(chunk, first row within the block) for the chunks of A over a block's rows.
template <class Fn>
void for_each_chunk(const Layout& layout, const CsvBlock& block, const Eigen::RowVectorXd& shift, Fn&& fn) {
  thread_local Eigen::MatrixXd a;
  const Eigen::Index m = layout.model();
  const Eigen::Map<const RowMajor> values(block.values.data(), static_cast<Eigen::Index>(block.rows),
                                          static_cast<Eigen::Index>(block.columns));
  if (a.rows() != kChunkRows || a.cols() != m + 1) a.resize(kChunkRows, m + 1);
  for (Eigen::Index start = 0; start < values.rows(); start += kChunkRows) {
    const Eigen::Index len = std::min(kChunkRows, values.rows() - start);
    auto chunk = a.topRows(len);
    chunk.col(0).setOnes();
    fill_model_columns(layout, values.middleRows(start, len), shift, chunk);
    fn(chunk, start);
  }
}

// One block's share of a sandwich's meat, computed on a parsing thread: Σ w_i s_i s_i' for the HC
// types, the rows s_i u_i for CR1 (added into per-cluster sums later, in row order), and Σ u_i².
struct MeatPartial {
  Eigen::MatrixXd meat;
  RowMajor score_rows;
  double residual_squares = 0;
  std::optional<std::size_t> leverage_one;  // the first row of the block with leverage 1 (HC2, HC3)

  void reset(VarianceType type, Eigen::Index k, std::size_t rows) {
    residual_squares = 0;
    leverage_one.reset();
    if (type == VarianceType::cr1) score_rows.resize(static_cast<Eigen::Index>(rows), k);
    if (type != VarianceType::cr1 && type != VarianceType::iid) meat = Eigen::MatrixXd::Zero(k, k);
  }

  template <class Scores, class Residuals>
  void add(VarianceType type, const Eigen::MatrixXd& bread, const Scores& scores, const Residuals& residuals,
           Eigen::Index first_row) {
    thread_local Eigen::VectorXd weights;
    thread_local Eigen::MatrixXd weighted;
    residual_squares += residuals.squaredNorm();
    if (type == VarianceType::iid || leverage_one) return;
    if (type == VarianceType::cr1) {
      score_rows.middleRows(first_row, scores.rows()) = scores.array().colwise() * residuals.array();
      return;
    }
    weights = residuals;
    if (type == VarianceType::hc2 || type == VarianceType::hc3) {
      const Eigen::ArrayXd leverage = ((scores * bread).array() * scores.array()).rowwise().sum();
      for (Eigen::Index i = 0; i < leverage.size(); ++i)
        if (leverage(i) >= 1.0 - 1e-12) {
          leverage_one = static_cast<std::size_t>(first_row + i);
          return;  // reported in block order, with its line
        }
      divide_by_leverage(type, leverage, weights);
    }
    weighted = scores.array().colwise() * weights.array();
    meat.selfadjointView<Eigen::Lower>().rankUpdate(weighted.transpose());
  }
};

// The meat over the whole file: block partials added in block order; CR1's per-cluster score sums
// with clusters numbered in order of first appearance, as make_cluster_index numbers them.
class MeatSums {
 public:
  MeatSums(VarianceType type, Eigen::MatrixXd bread) : type_(type), bread_(std::move(bread)) {
    meat_ = Eigen::MatrixXd::Zero(bread_.rows(), bread_.rows());
  }
  VarianceType type() const { return type_; }
  const Eigen::MatrixXd& bread() const { return bread_; }

  // codes: the block's cluster codes (CR1), clusters: how many have been seen so far.
  void add(const MeatPartial& partial, const CsvBlock& block, const std::vector<Eigen::Index>& codes,
           Eigen::Index clusters, const std::string& file) {
    if (partial.leverage_one)
      throw InputError(fmt::format(
          "{}: line {}: {} standard errors are undefined: this row has leverage 1 (it alone determines a "
          "coefficient)",
          file, block.first_line + *partial.leverage_one, to_string(type_)));
    residual_squares_ += partial.residual_squares;
    if (type_ == VarianceType::cr1) {
      const Eigen::Index k = bread_.rows();
      cluster_scores_.resize(static_cast<std::size_t>(clusters * k), 0.0);
      for (Eigen::Index i = 0; i < partial.score_rows.rows(); ++i) {
        double* sums = cluster_scores_.data() + codes[static_cast<std::size_t>(i)] * k;
        for (Eigen::Index j = 0; j < k; ++j) sums[j] += partial.score_rows(i, j);
      }
    } else if (type_ != VarianceType::iid) {
      meat_ += partial.meat;
    }
  }

  double residual_squares() const { return residual_squares_; }

  // V = B M B with Stata's small-sample factors, as sandwich_vcov; df is n − k or G − 1.
  VarianceEstimate variance(double n, Eigen::Index clusters, const std::string& cluster_column) {
    const Eigen::Index k = bread_.rows();
    const double residual_df = n - static_cast<double>(k);
    VarianceEstimate out;
    out.type = type_;
    out.df = residual_df;
    if (type_ == VarianceType::iid) {
      out.vcov = residual_squares_ / residual_df * bread_;
      return out;
    }
    if (type_ == VarianceType::cr1) {
      if (clusters < 2)
        throw InputError(fmt::format("cluster column '{}' has fewer than 2 clusters", cluster_column));
      const Eigen::Map<const RowMajor> sums(cluster_scores_.data(), clusters, k);
      meat_.setZero();
      meat_.selfadjointView<Eigen::Lower>().rankUpdate(sums.transpose());
      out.df = static_cast<double>(clusters) - 1.0;
      out.clusters = clusters;
    }
    meat_ = meat_.selfadjointView<Eigen::Lower>();
    meat_ *= meat_factor(type_, n, static_cast<double>(k), static_cast<double>(clusters));
    out.vcov = sandwich(bread_, meat_);
    return out;
  }

 private:
  VarianceType type_;
  Eigen::MatrixXd bread_, meat_;
  std::vector<double> cluster_scores_;  // G × k, row-major
  double residual_squares_ = 0;
};

// A block's parsed values kept for the second pass, and the block (its values point into them).
struct KeptBlock {
  std::vector<double> values;
  CsvBlock block;
};

// A copy whose pages the kernel may back by 2 MB pages: a block of 10⁵ rows is a few MB, and its
// 4 KB page faults, one per 512 doubles, cost more than the copy on a virtual machine.
std::vector<double> copy_to_huge_pages(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(out.data());
  const std::uintptr_t end = begin + values.size() * sizeof(double);
  const std::uintptr_t aligned = (begin + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned + kHugePage <= end)
    madvise(reinterpret_cast<void*>(aligned), (end - aligned) & ~(kHugePage - 1), MADV_HUGEPAGE);
  out.assign(values.begin(), values.end());
  return out;
}

// did's 2×2 table of outcome sums and counts (index group · 2 + post) and its checks: group and post
// are 0/1 and the treatment is their product. Taken per block on the parsing threads, merged in
// block order, so a bad row is reported with its line.
struct DidCells {
  std::array<double, 4> sum{}, count{};
  std::optional<std::size_t> bad_row;  // in the block
  std::string bad;

  void add(const Layout& l, const CsvBlock& block) {
    sum = {};
    count = {};
    bad_row.reset();
    const std::size_t y_slot = l.sources[static_cast<std::size_t>(l.outcome - 1)][0];
    for (std::size_t i = 0; i < block.rows; ++i) {
      const double* row = block.values.data() + i * block.columns;
      const double g = row[l.group_slot], p = row[l.post_slot];
      if ((g != 0 && g != 1) || (p != 0 && p != 1)) {
        bad_row = i;
        bad = fmt::format("group '{}' and post '{}' must be 0/1, not {} and {}", l.columns[l.group_slot],
                          l.columns[l.post_slot], g, p);
        return;
      }
      if (l.treatment_slot != kNoColumn && row[l.treatment_slot] != g * p) {
        bad_row = i;
        bad = fmt::format(
            "treatment '{}' is not {} × {} ({} vs {}): a 2×2 design has one treated group switched on after "
            "one "
            "date; use twfe or event-study for staggered timing",
            l.columns[l.treatment_slot], l.columns[l.group_slot], l.columns[l.post_slot],
            row[l.treatment_slot], g * p);
        return;
      }
      const auto cell = static_cast<std::size_t>(g * 2 + p);
      sum[cell] += row[y_slot];
      count[cell] += 1;
    }
  }

  void merge(const DidCells& block_cells, const CsvBlock& block, const std::string& file) {
    if (block_cells.bad_row)
      throw InputError(
          fmt::format("{}: line {}: {}", file, block.first_line + *block_cells.bad_row, block_cells.bad));
    for (std::size_t c = 0; c < 4; ++c) {
      sum[c] += block_cells.sum[c];
      count[c] += block_cells.count[c];
    }
  }

  static constexpr std::array<const char*, 4> kCells = {"control_pre", "control_post", "treated_pre",
                                                        "treated_post"};

  void require_every_cell(const std::string& group, const std::string& post, const std::string& file) const {
    for (std::size_t cell = 0; cell < 4; ++cell)
      if (count[cell] == 0)
        throw InputError(
            fmt::format("{}: did: no rows with {} = {} and {} = {} (the {} cell); a 2×2 comparison needs "
                        "rows in all four cells",
                        file, group, cell / 2, post, cell % 2, kCells[cell]));
  }

  void report(Estimate& out) const {
    for (std::size_t cell = 0; cell < 4; ++cell) {
      out.diagnostics[std::string("mean_") + kCells[cell]] = sum[cell] / count[cell];
      out.diagnostics[std::string("n_") + kCells[cell]] = count[cell];
    }
  }
};

// Coefficients found on shifted columns, back on the data's own: the slopes are the same, the
// intercept takes back the shifts (b0 = b̃0 + c_y − Σ c_j b̃_j), and V = T Ṽ T' for that map T.
void unshift(const Indices& x, const Eigen::RowVectorXd& shift, Eigen::Index outcome, Eigen::VectorXd& b,
             Eigen::MatrixXd& v) {
  const auto k = static_cast<Eigen::Index>(x.size());
  Eigen::MatrixXd t = Eigen::MatrixXd::Identity(k, k);
  for (Eigen::Index j = 1; j < k; ++j) t(0, j) = -shift(x[static_cast<std::size_t>(j)] - 1);
  b = t * b;
  b(0) += shift(outcome - 1);
  v = t * v * t.transpose();
}

Eigen::MatrixXd pick(const Eigen::MatrixXd& gram, const Indices& rows, const Indices& cols) {
  return gram(rows, cols);
}

void require_varies(const Eigen::MatrixXd& gram, double n, Eigen::Index column, std::string_view role,
                    const std::string& name, std::string_view consequence, const std::string& file) {
  // Σ(w − c)² − (Σ(w − c))²/n is n times the variance; shifted by the first row, it is exactly 0
  // for a constant column.
  const double sum = gram(column, 0), squares = gram(column, column);
  if (!(squares - sum * sum / n > 0))
    throw InputError(fmt::format("{}: {} '{}' is constant: {}", file, role, name, consequence));
}

}  // namespace

bool streams(std::string_view estimator) {
  return estimator == "ols" || estimator == "2sls" || estimator == "did";
}

Estimate streaming_least_squares(const std::filesystem::path& csv, std::string_view estimator,
                                 const EstimatorArgs& args, const StreamingOptions& options) {
  if (!streams(estimator))
    throw InputError(fmt::format("--streaming is available for ols, 2sls and did, not {}", estimator));
  const bool iv = estimator == "2sls", did = estimator == "did";
  check_confidence_level(args.confidence_level);
  std::string group, post;
  if (did) {
    reject_argument(estimator, "covariates", !args.covariates.empty(), "use twfe to adjust for covariates");
    const OptionValues values = read_options(estimator, args);
    group = values.text("group");
    post = values.text("post");
    if (group.empty() || post.empty())
      throw InputError(
          "did needs the options 'group' and 'post': the 0/1 columns that say whether a unit is in "
          "the treated group and whether a row is after the change");
    if (values.text("comparison") != "did")
      throw InputError(
          fmt::format("--streaming runs did's 2×2 comparison, not '{}'", values.text("comparison")));
    if (args.outcome == group || args.outcome == post || group == post)
      throw InputError("did: outcome, group and post must be three different columns");
  } else if (!args.options.empty()) {
    throw InputError(fmt::format("{} takes no option '{}'", estimator, args.options.begin()->first));
  }
  if (iv && args.instruments.empty())
    throw InputError("2sls needs at least one instrument (instruments is empty)");
  if (!iv)
    reject_argument(estimator, "instruments", !args.instruments.empty(),
                    "use 2sls for instrumental variables");
  require_distinct_roles(args);
  VarianceSpec spec;  // its cluster codes are made as the blocks arrive
  spec.type = variance_type_for(args.se_type, args.cluster);

  const Layout layout = did ? make_did_layout(args, group, post) : make_layout(args, iv);
  const NumericCsvStream stream(csv, layout.columns, options.block_bytes);
  const std::string file = csv.string();
  const double keep_limit = options.keep_bytes.value_or([] {
    const auto budget = memory_budget();
    return budget ? budget->bytes / 4 : 1e9;
  }());
  const std::size_t blocks_in_file =
      static_cast<std::size_t>(stream.file_bytes() / options.block_bytes) + 1;  // about; for progress
  ProgressLoop progress(2 * blocks_in_file, "blocks of the file");

  // Pass 1: the shifted Gram matrix, a partial per block on the parsing threads, added in block
  // order; the parsed blocks are kept for pass 2 while they fit.
  const Eigen::Index width = layout.model() + 1;
  const auto first_row = stream.first_row();
  if (!first_row) throw InputError(fmt::format("{}: no data rows (only a header)", file));
  Eigen::RowVectorXd shift = Eigen::RowVectorXd::Zero(layout.model());
  {
    Eigen::MatrixXd first(1, width);
    fill_model_columns(layout,
                       Eigen::Map<const RowMajor>(first_row->values.data(), 1,
                                                  static_cast<Eigen::Index>(layout.columns.size())),
                       shift, first);
    shift = first.rightCols(layout.model());
  }
  const std::size_t slots = NumericCsvStream::slots(options.threads);
  std::vector<Eigen::MatrixXd> partial_gram(slots);
  std::vector<DidCells> cells(did ? slots : 0);
  DidCells did_cells;
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(width, width);
  // The parsed columns are kept if the whole file's, judged from its first line, fit; if the
  // judgement was wrong, they are dropped as soon as they outgrow the limit.
  const double expected_bytes = static_cast<double>(stream.file_bytes()) /
                                static_cast<double>(first_row->line_bytes) *
                                static_cast<double>(layout.columns.size() * sizeof(double));
  bool keep = expected_bytes <= keep_limit;
  std::vector<KeptBlock> kept(keep ? blocks_in_file + 1 : 0);
  std::atomic<double> kept_bytes{0};
  const CsvStreamStats first = stream.for_each_block(
      options.threads,
      [&](const CsvBlock& block, std::size_t slot) {
        Eigen::MatrixXd& g = partial_gram[slot];
        g = Eigen::MatrixXd::Zero(width, width);
        if (did) cells[slot].add(layout, block);
        for_each_chunk(layout, block, shift, [&](const auto& chunk, Eigen::Index) {
          g.selfadjointView<Eigen::Lower>().rankUpdate(chunk.transpose());
        });
        if (keep && block.index < kept.size() &&
            kept_bytes.fetch_add(static_cast<double>(block.values.size() * sizeof(double))) <= keep_limit)
          kept[block.index].values = copy_to_huge_pages(block.values);
      },
      [&](const CsvBlock& block, std::size_t slot) {
        if (did) did_cells.merge(cells[slot], block, file);
        gram += partial_gram[slot];
        if (keep) {
          keep = block.index < kept.size() && kept_bytes.load() <= keep_limit;
          if (keep)
            kept[block.index].block = block;
          else
            kept = {};
        }
        progress.step();
      });
  gram = gram.selfadjointView<Eigen::Lower>();
  const auto n = static_cast<double>(first.rows);
  const auto k = static_cast<Eigen::Index>(layout.x.size());
  if (first.rows <= static_cast<std::size_t>(k))
    throw InputError(fmt::format("{}: too few rows: {} rows for {} coefficients", file, first.rows, k));
  for (std::size_t j = 0; j < layout.must_vary.size(); ++j)
    require_varies(gram, n, layout.must_vary[j], layout.must_vary_roles[j],
                   layout.columns[layout.sources[static_cast<std::size_t>(layout.must_vary[j] - 1)][0]],
                   "nothing to compare", file);
  if (did) did_cells.require_every_cell(group, post, file);
  for (std::size_t j = 0; j < layout.excluded.size(); ++j)
    require_varies(gram, n, layout.excluded[j], "instrument", args.instruments[j],
                   "it cannot move the treatment", file);

  // Coefficients from the sums.
  const Indices outcome{layout.outcome}, treatment{layout.treatment};
  GramSolution first_stage, restricted_stage, fit;
  Eigen::MatrixXd score_map;  // 2sls: D̂ = A(:, instruments) π̃
  if (!iv) {
    fit = solve_normal_equations(pick(gram, layout.x, layout.x), pick(gram, layout.x, outcome).col(0),
                                 layout.x_names);
  } else {
    const Eigen::MatrixXd gzz = pick(gram, layout.instruments, layout.instruments);
    first_stage = solve_normal_equations(gzz, pick(gram, layout.instruments, treatment).col(0),
                                         layout.instrument_names);
    std::vector<std::string> exogenous_names(
        layout.instrument_names.begin(),
        layout.instrument_names.begin() + static_cast<std::ptrdiff_t>(layout.exogenous.size()));
    restricted_stage =
        solve_normal_equations(pick(gram, layout.exogenous, layout.exogenous),
                               pick(gram, layout.exogenous, treatment).col(0), exogenous_names);
    const double dd = gram(layout.treatment, layout.treatment);
    const double rss_full =
        dd - first_stage.coefficients.dot(pick(gram, layout.instruments, treatment).col(0));
    const double rss_restricted =
        dd - restricted_stage.coefficients.dot(pick(gram, layout.exogenous, treatment).col(0));
    if (!(rss_restricted - rss_full > 1e-12 * rss_restricted))
      throw InputError(
          fmt::format("2sls: the instruments ('{}') do not move the treatment '{}' at all (first-stage "
                      "partial R² = 0), so the "
                      "IV estimate is undefined",
                      fmt::join(args.instruments, "', '"), args.treatment));
    const Eigen::MatrixXd gzx = pick(gram, layout.instruments, layout.x);
    const Eigen::MatrixXd projected = gzx.transpose() * first_stage.bread * gzx;
    const Eigen::VectorXd projected_y =
        gzx.transpose() * first_stage.bread * pick(gram, layout.instruments, outcome).col(0);
    fit = solve_normal_equations((projected + projected.transpose()) / 2, projected_y, layout.x_names);
  }

  // Pass 2: residuals and meats, a partial per block on the parsing threads (from the kept blocks
  // or the file again), added in block order.
  MeatSums second(spec.type, fit.bread);
  MeatSums first_meat(spec.type, iv ? first_stage.bread : Eigen::MatrixXd());
  struct BlockSums {
    MeatPartial second, first;
    double restricted_rss = 0;
  };
  std::vector<BlockSums> partial(slots);
  double restricted_rss = 0;
  std::unordered_map<double, Eigen::Index> cluster_code;
  std::vector<Eigen::Index> codes;
  const auto k_first = static_cast<Eigen::Index>(layout.instruments.size());
  const auto work = [&](const CsvBlock& block, std::size_t slot) {
    thread_local Eigen::MatrixXd scores, instrument_scores;
    thread_local Eigen::VectorXd residuals, first_residuals;
    BlockSums& sums = partial[slot];
    sums.second.reset(spec.type, k, block.rows);
    if (iv) sums.first.reset(spec.type, k_first, block.rows);
    sums.restricted_rss = 0;
    for_each_chunk(layout, block, shift, [&](const auto& chunk, Eigen::Index start) {
      scores = chunk(Eigen::all, layout.x);
      residuals = chunk.col(layout.outcome) - scores * fit.coefficients;
      if (iv) {
        instrument_scores = chunk(Eigen::all, layout.instruments);
        first_residuals = chunk.col(layout.treatment) - instrument_scores * first_stage.coefficients;
        scores.col(1) = chunk.col(layout.treatment) - first_residuals;  // D̂, shifted as D is
        sums.restricted_rss += (chunk.col(layout.treatment) -
                                chunk(Eigen::all, layout.exogenous) * restricted_stage.coefficients)
                                   .squaredNorm();
        sums.first.add(spec.type, first_stage.bread, instrument_scores, first_residuals, start);
      }
      sums.second.add(spec.type, fit.bread, scores, residuals, start);
    });
  };
  const auto collect = [&](const CsvBlock& block, std::size_t slot) {
    if (layout.clustered()) {
      codes.resize(block.rows);
      for (std::size_t i = 0; i < block.rows; ++i) {
        const double id = block.values[i * block.columns + layout.cluster_slot];
        codes[i] = cluster_code.try_emplace(id, static_cast<Eigen::Index>(cluster_code.size())).first->second;
      }
    }
    const auto seen = static_cast<Eigen::Index>(cluster_code.size());
    second.add(partial[slot].second, block, codes, seen, file);
    if (iv) first_meat.add(partial[slot].first, block, codes, seen, file);
    restricted_rss += partial[slot].restricted_rss;
    progress.step();
  };
  const bool reread = !keep;
  if (reread) {
    stream.for_each_block(options.threads, work, collect);
  } else {
    std::vector<CsvBlock> blocks;  // the kept blocks in order (blocks with no rows were not kept)
    for (const KeptBlock& kept_block : kept)
      if (kept_block.block.rows > 0) {
        blocks.push_back(kept_block.block);
        blocks.back().values = kept_block.values;
      }
    for (std::size_t round = 0; round < blocks.size(); round += slots) {
      const std::size_t count = std::min(slots, blocks.size() - round);
      parallel_for(count, resolve_threads(options.threads),
                   [&](std::size_t i) { work(blocks[round + i], i); });
      for (std::size_t i = 0; i < count; ++i) collect(blocks[round + i], i);
    }
  }
  kept = {};
  const double first_rss = first_meat.residual_squares();

  const auto clusters = static_cast<Eigen::Index>(cluster_code.size());
  VarianceEstimate variance = second.variance(n, clusters, args.cluster);
  Eigen::VectorXd coefficients = fit.coefficients;
  unshift(layout.x, shift, layout.outcome, coefficients, variance.vcov);

  const Eigen::Index treatment_index = layout.reported;
  Estimate out = to_estimate(
      t_test(coefficients(treatment_index), std::sqrt(variance.vcov(treatment_index, treatment_index)),
             variance.df, args.confidence_level),
      first.rows);
  out.se_type = to_string(variance.type);
  out.terms =
      coefficient_terms(layout.x_names, coefficients, variance.vcov, variance.df, args.confidence_level);
  if (!did) out.diagnostics["params"] = static_cast<double>(k);
  if (variance.clusters > 0) out.diagnostics["clusters"] = static_cast<double>(variance.clusters);
  if (did) {
    did_cells.report(out);
  } else if (!iv) {
    const double rss = second.residual_squares();
    const double y_sum = gram(layout.outcome, 0);
    const double tss = gram(layout.outcome, layout.outcome) - y_sum * y_sum / n;
    const double r2 = tss > 0 ? 1.0 - rss / tss : 0.0;
    out.diagnostics["r2"] = r2;
    out.diagnostics["adj_r2"] = 1.0 - (1.0 - r2) * (n - 1.0) / (n - static_cast<double>(k));
    out.diagnostics["residual_se"] = std::sqrt(rss / (n - static_cast<double>(k)));
  } else {
    const auto q = static_cast<double>(layout.excluded.size());
    const auto kz = static_cast<double>(layout.instruments.size());
    const double explained = restricted_rss - first_rss;
    const double f = (explained / q) / (first_rss / (n - kz));
    out.diagnostics["first_stage_F"] = f;
    out.diagnostics["first_stage_F_p"] = f_test_p_value(f, q, n - kz);
    out.diagnostics["partial_r2"] = restricted_rss > 0 ? explained / restricted_rss : 0;
    const VarianceEstimate first_variance = first_meat.variance(n, clusters, args.cluster);
    Indices tested;
    for (auto j = static_cast<Eigen::Index>(layout.exogenous.size()); j < static_cast<Eigen::Index>(kz); ++j)
      tested.push_back(j);
    const double f_robust = wald_f_statistic(first_stage.coefficients, first_variance.vcov, tested);
    out.diagnostics["first_stage_F_robust"] = f_robust;
    // Montiel Olea & Pflueger's effective F, as 2sls, from the sums: the excluded instruments'
    // Gram matrix net of the exogenous regressors.
    const Eigen::MatrixXd gee = pick(gram, layout.excluded, layout.excluded);
    const Eigen::MatrixXd gew = pick(gram, layout.excluded, layout.exogenous);
    const Eigen::MatrixXd partialled = gee - gew * restricted_stage.bread * gew.transpose();
    const auto qi = static_cast<Eigen::Index>(layout.excluded.size());
    const Eigen::VectorXd pi = first_stage.coefficients.tail(qi);
    out.diagnostics["effective_F"] =
        pi.dot(partialled * pi) / (first_variance.vcov.bottomRightCorner(qi, qi) * partialled).trace();
    out.diagnostics["excluded_instruments"] = q;
    if (f < kWeakInstrumentF)
      out.notes.push_back(fmt::format("weak instrument: first-stage F {:.1f} < {:.0f}", f, kWeakInstrumentF));
    else if (f_robust < kWeakInstrumentF)
      out.notes.push_back(
          fmt::format("weak instrument: robust first-stage F {:.1f} < {:.0f} (classical F {:.1f})", f_robust,
                      kWeakInstrumentF, f));
    out.notes.push_back(
        "--streaming: the Wald ratio and the complier profile need the rows in memory; run without "
        "--streaming "
        "for them");
  }
  if (variance.clusters > 0 && variance.clusters < 20)
    out.notes.push_back(fmt::format(
        "few clusters ({}): cluster-robust standard errors can be too small with fewer than about 20",
        variance.clusters));
  out.notes.push_back(
      fmt::format("--streaming: {} rows read in blocks of {} MB, {}", first.rows, options.block_bytes >> 20,
                  reread ? "the file read twice" : "the file read once and its columns kept"));
  return out;
}

}  // namespace casebook
