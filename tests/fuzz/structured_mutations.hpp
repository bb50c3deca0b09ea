#pragma once
// Mutations that byte flips and splices almost never reach, applied now and then by each
// harness's LLVMFuzzerCustomMutator (the rest is libFuzzer's own LLVMFuzzerMutate): a name up to
// 100,000 characters long (cut to -max_len), thousands of nested brackets, a count such as 10^12
// or -1, a number near the largest double, a slice repeated until the input is wide. Each of these
// once crashed or exhausted the runner (issue 20).
#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <string_view>

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace casebook::fuzz {

// What nests in the harness's language: "(" and ")" in an expression, "[" and "]" in JSON, …
struct Brackets {
  std::string_view open, close;
};

namespace detail {

inline bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A run of characters satisfying `inside`, starting at or after a random position; npos if none.
template <class Inside>
std::pair<std::size_t, std::size_t> random_run(const std::string& text, std::minstd_rand& rng,
                                               Inside inside) {
  if (text.empty()) return {std::string::npos, 0};
  std::size_t begin = rng() % text.size();
  while (begin < text.size() && !inside(text[begin])) ++begin;
  if (begin == text.size()) return {std::string::npos, 0};
  while (begin > 0 && inside(text[begin - 1])) --begin;
  std::size_t end = begin;
  while (end < text.size() && inside(text[end])) ++end;
  return {begin, end - begin};
}

inline void long_name(std::string& text, std::minstd_rand& rng) {
  const auto [begin, length] = random_run(text, rng, name_char);
  if (begin == std::string::npos) return;
  constexpr std::array<std::size_t, 4> kLengths{101, 1000, 10000, 100000};  // cut to -max_len
  std::string name = text.substr(begin, length);
  const std::size_t target = kLengths[rng() % kLengths.size()];
  while (name.size() < target) name += name;
  text.replace(begin, length, name.substr(0, target));
}

inline void deep_nesting(std::string& text, std::minstd_rand& rng, const Brackets& brackets) {
  constexpr std::array<std::size_t, 3> kDepths{100, 5000, 50000};
  const std::size_t depth = kDepths[rng() % kDepths.size()];
  const std::size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
  const std::size_t end = at + (text.size() == at ? 0 : rng() % (text.size() - at + 1));
  std::string open, close;
  for (std::size_t i = 0; i < depth; ++i) {
    open += brackets.open;
    close += brackets.close;
  }
  text.insert(end, close);
  text.insert(at, open);
}

inline void huge_number(std::string& text, std::minstd_rand& rng) {
  constexpr std::array<std::string_view, 12> kNumbers{
      "1000000000000", "-1",       "18446744073709551616", "1e308",           "-1e308", "1e-320", "0", "NaN",
      "10000000",      "10000001", "4294967296",           "9007199254740993"};
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto [begin, length] = random_run(text, rng, digit);
  const std::string_view number = kNumbers[rng() % kNumbers.size()];
  if (begin == std::string::npos) {
    text.insert(text.empty() ? 0 : rng() % text.size(), number);
  } else {
    text.replace(begin, length, number);
  }
}

inline void repeated_slice(std::string& text, std::minstd_rand& rng) {
  if (text.empty()) return;
  const std::size_t at = rng() % text.size();
  const std::size_t length = 1 + rng() % std::min<std::size_t>(32, text.size() - at);
  const std::string slice = text.substr(at, length);
  std::string copies;
  const std::size_t times = std::size_t{1} << (4 + rng() % 12);  // 16 … 32768
  for (std::size_t i = 0; i < times; ++i) copies += slice;
  text.insert(at, copies);
}

}  // namespace detail

// One structural mutation of data[0, size) in place; returns the new size (at most max_size).
inline std::size_t mutate_structurally(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                       unsigned seed, const Brackets& brackets) {
  std::minstd_rand rng(seed);
  std::string text(reinterpret_cast<const char*>(data), size);
  switch (rng() % 4) {
    case 0:
      detail::long_name(text, rng);
      break;
    case 1:
      detail::deep_nesting(text, rng, brackets);
      break;
    case 2:
      detail::huge_number(text, rng);
      break;
    default:
      detail::repeated_slice(text, rng);
      break;
  }
  if (text.size() > max_size) text.resize(max_size);
  std::memcpy(data, text.data(), text.size());
  return text.size();
}

// The custom mutator every harness uses: one structural mutation in five, libFuzzer's otherwise.
inline std::size_t mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed,
                          const Brackets& brackets) {
  if (seed % 5 != 0) return LLVMFuzzerMutate(data, size, max_size);
  return mutate_structurally(data, size, max_size, seed / 5, brackets);
}

}  // namespace casebook::fuzz
