// A refutation's verdict as one of three values, for tallies and reports.
#include "refute/refutation.hpp"

namespace casebook {

Verdict verdict_of(const RefutationResult& r) {
  if (!r.assessable) return Verdict::not_assessable;
  return r.pass ? Verdict::pass : Verdict::fail;
}

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return "pass";
    case Verdict::fail:
      return "fail";
    case Verdict::not_assessable:
      return "not assessable";
  }
  return "not assessable";
}

}  // namespace casebook
