#pragma once
// Bad input: a file, field, column or row the user wrote, and what was expected instead.
// The CLI prints what() as one line and exits with code 2.
#include <stdexcept>
#include <string>

namespace casebook {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
  // "where: what", e.g. "cases/x/case.json: analyses[2].estimator: unknown estimator 'olz'".
  InputError(const std::string& where, const std::string& what)
      : std::runtime_error(where.empty() ? what : where + ": " + what) {}
};

}  // namespace casebook
