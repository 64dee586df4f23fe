#pragma once
// For tests of what model/ refuses: the message of the InputError that `f`
// throws, or "" when it returns (any other exception fails the test).
#include <functional>
#include <string>

#include "model/errors.h"

namespace model::testing {

inline std::string input_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace model::testing
