#include "cases/monte_carlo_part.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

constexpr int kPartFormat = 1;

nlohmann::json number_json(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

// Reads what monte_carlo_part_json wrote; `where` names the file and the field.
class PartReader {
 public:
  explicit PartReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw InputError(fmt::format("{}: {}: {}", file_, where, what));
  }

  const nlohmann::json& field(const nlohmann::json& object, const char* key) const {
    if (!object.is_object() || !object.contains(key)) fail(key, "missing");
    return object.at(key);
  }

  std::string text(const nlohmann::json& object, const char* key) const {
    const auto& value = field(object, key);
    if (!value.is_string()) fail(key, "expected a string");
    return value.get<std::string>();
  }

  std::uint64_t count(const nlohmann::json& object, const char* key) const {
    const auto& value = field(object, key);
    if (!value.is_number_integer() || value < 0) fail(key, "expected a whole number");
    return value.get<std::uint64_t>();
  }

  bool flag(const nlohmann::json& object, const char* key) const {
    const auto& value = field(object, key);
    if (!value.is_boolean()) fail(key, "expected true or false");
    return value.get<bool>();
  }

  double number(const nlohmann::json& value, const std::string& where) const {
    if (value.is_number()) return value.get<double>();
    if (value == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (value == "inf") return std::numeric_limits<double>::infinity();
    if (value == "-inf") return -std::numeric_limits<double>::infinity();
    fail(where, "expected a number, \"nan\", \"inf\" or \"-inf\"");
  }

  const nlohmann::json& array(const nlohmann::json& value, const std::string& where) const {
    if (!value.is_array()) fail(where, "expected an array");
    return value;
  }

  Replication replication(const nlohmann::json& value, std::size_t r) const {
    const std::string at = fmt::format("replications[{}]", r);
    if (!value.is_object()) fail(at, "expected an object");
    Replication out;
    for (const auto& a : array(field(value, "analyses"), at + ".analyses")) {
      const std::string where = at + ".analyses[]";
      if (!a.is_array() || a.size() != 5) fail(where, "expected [estimate, se, ci_low, ci_high, truth]");
      AnalysisDraw d{number(a[0], where), number(a[1], where), number(a[2], where), number(a[3], where), {}};
      if (!a[4].is_null()) d.truth = number(a[4], where);
      out.analyses.push_back(d);
    }
    // A claim is true or false when checked; when skipped, the phrase saying why (or null).
    for (const auto& c : array(field(value, "claims"), at + ".claims")) {
      if (c.is_boolean())
        out.claims.emplace_back(c.get<bool>());
      else if (c.is_null() || c.is_string())
        out.claims.emplace_back();
      else
        fail(at + ".claims[]", "expected true, false, null or a skip phrase");
      out.claim_skips.push_back(c.is_string() ? c.get<std::string>() : std::string());
    }
    for (const auto& v : array(field(value, "refutations"), at + ".refutations")) {
      const std::string where = at + ".refutations[]";
      if (!v.is_array() || v.size() != 2 || !v[0].is_string()) fail(where, "expected [verdict, level]");
      const auto name = v[0].get<std::string>();
      if (name == verdict_name(Verdict::pass))
        out.refutations.push_back(Verdict::pass);
      else if (name == verdict_name(Verdict::fail))
        out.refutations.push_back(Verdict::fail);
      else if (name == verdict_name(Verdict::not_assessable))
        out.refutations.push_back(Verdict::not_assessable);
      else
        fail(where, fmt::format("unknown verdict '{}'", name));
      out.refutation_levels.push_back(v[1].is_null() ? std::nullopt : std::optional(number(v[1], where)));
    }
    return out;
  }

 private:
  std::string file_;
};

std::string describe(const MonteCarloPart& p) {
  return fmt::format("case {} (case.json {}), seed {}, n {}, {} replications{}, {}", p.case_id, p.case_digest,
                     p.seed, p.n, p.reps, p.refutations ? " with refutations" : "", p.program);
}

}  // namespace

std::string case_file_digest(const std::filesystem::path& case_json) {
  std::ifstream in(case_json, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read", case_json.string()));
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::istreambuf_iterator<char> it(in), end; it != end; ++it) {
    hash ^= static_cast<unsigned char>(*it);
    hash *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", hash);
}

nlohmann::json monte_carlo_part_json(const MonteCarloPart& part) {
  nlohmann::json replications = nlohmann::json::array();
  for (const auto& r : part.replications) {
    nlohmann::json analyses = nlohmann::json::array();
    for (const auto& d : r.analyses)
      analyses.push_back({number_json(d.estimate), number_json(d.se), number_json(d.ci_low),
                          number_json(d.ci_high), d.truth ? number_json(*d.truth) : nlohmann::json()});
    nlohmann::json claims = nlohmann::json::array();
    for (std::size_t i = 0; i < r.claims.size(); ++i) {
      const std::string& skip = r.claim_skips[i];
      claims.push_back(r.claims[i]    ? nlohmann::json(*r.claims[i])
                       : skip.empty() ? nlohmann::json()
                                      : nlohmann::json(skip));
    }
    nlohmann::json refutations = nlohmann::json::array();
    for (std::size_t i = 0; i < r.refutations.size(); ++i) {
      const auto& level = r.refutation_levels[i];
      refutations.push_back(
          {std::string(verdict_name(r.refutations[i])), level ? number_json(*level) : nlohmann::json()});
    }
    replications.push_back({{"analyses", analyses}, {"claims", claims}, {"refutations", refutations}});
  }
  return {{"monte_carlo_part", kPartFormat},
          {"program", part.program},
          {"case", part.case_id},
          {"case_digest", part.case_digest},
          {"seed", part.seed},
          {"n", part.n},
          {"reps", part.reps},
          {"refutations", part.refutations},
          {"shard", fmt::format("{}/{}", part.shard.index, part.shard.count)},
          {"first", part.first},
          {"replications", replications}};
}

MonteCarloPart parse_monte_carlo_part(const nlohmann::json& document, const std::string& file) {
  const PartReader read(file);
  if (!document.is_object() || !document.contains("monte_carlo_part"))
    read.fail("monte_carlo_part", "missing: not a part written by `casebook mc --shard`");
  if (document["monte_carlo_part"] != kPartFormat)
    read.fail("monte_carlo_part", fmt::format("format {} where this casebook reads {}",
                                              document["monte_carlo_part"].dump(), kPartFormat));
  MonteCarloPart part;
  part.program = read.text(document, "program");
  part.case_id = read.text(document, "case");
  part.case_digest = read.text(document, "case_digest");
  part.seed = read.count(document, "seed");
  part.n = read.count(document, "n");
  part.reps = read.count(document, "reps");
  part.refutations = read.flag(document, "refutations");
  try {
    part.shard = parse_shard(read.text(document, "shard"));
  } catch (const InputError& e) {
    read.fail("shard", e.what());
  }
  part.first = read.count(document, "first");
  const auto& replications = read.array(read.field(document, "replications"), "replications");
  if (part.first > part.reps || replications.size() > part.reps - part.first)
    read.fail("replications", fmt::format("{} replications from replication {} do not fit in a run of {}",
                                          replications.size(), part.first + 1, part.reps));
  for (std::size_t r = 0; r < replications.size(); ++r)
    part.replications.push_back(read.replication(replications[r], r));
  return part;
}

std::vector<Replication> merge_monte_carlo_parts(
    const std::vector<std::pair<std::string, MonteCarloPart>>& parts) {
  if (parts.empty()) throw InputError("mc merge: no parts given");
  const auto& [first_file, reference] = parts.front();
  for (const auto& [file, part] : parts) {
    if (part.case_id != reference.case_id || part.case_digest != reference.case_digest ||
        part.seed != reference.seed || part.n != reference.n || part.reps != reference.reps ||
        part.refutations != reference.refutations || part.program != reference.program)
      throw InputError(fmt::format("{}: another run's part: {}, where {} is of {}", file, describe(part),
                                   first_file, describe(reference)));
  }
  // Walk the parts in replication order: each must start where the one before ended.
  std::vector<const std::pair<std::string, MonteCarloPart>*> order;
  for (const auto& p : parts) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return a->second.first < b->second.first; });
  std::vector<Replication> replications;
  replications.reserve(reference.reps);
  for (const auto* p : order) {
    const auto& [file, part] = *p;
    if (part.replications.empty()) continue;  // a shard of a run with fewer replications than shards
    if (part.first > replications.size())
      throw InputError(
          fmt::format("mc merge: no part holds replication {} of {} (the next part, {}, starts at {})",
                      replications.size() + 1, reference.reps, file, part.first + 1));
    if (part.first < replications.size())
      throw InputError(fmt::format("{}: replication {} is in another part too", file, part.first + 1));
    replications.insert(replications.end(), part.replications.begin(), part.replications.end());
  }
  if (replications.size() < reference.reps)
    throw InputError(fmt::format("mc merge: no part holds replication {} of {} ({} parts given)",
                                 replications.size() + 1, reference.reps, parts.size()));
  return replications;
}

}  // namespace casebook
