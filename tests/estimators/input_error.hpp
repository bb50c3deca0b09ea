#pragma once
// Bad-input tests: run an estimator, expect an InputError of one line, return its message.
#include <string>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "estimators/estimator.hpp"

namespace casebook::testing {

// The message of the InputError the estimator throws ("" and a test failure when it throws none).
inline std::string input_error(const std::string& estimator, const Dataset& data, const EstimatorArgs& args) {
  try {
    find_estimator(estimator).run(data, args);
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
    return message;
  }
  ADD_FAILURE() << estimator << ": expected an InputError";
  return "";
}

}  // namespace casebook::testing

#define EXPECT_CONTAINS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)
