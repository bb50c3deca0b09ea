#pragma once
// Helpers shared by the data tests.
#include <gtest/gtest.h>

#include <string>

#include "core/input_error.hpp"

namespace casebook::testing {

// Runs `action` and returns the message of the InputError it throws; fails the test if it
// throws nothing.
template <class Action>
std::string input_error_of(Action&& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace casebook::testing
