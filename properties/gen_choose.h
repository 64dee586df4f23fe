#pragma once
// choose({a, b, c}): one of the values, shrinking toward the first.
// (rc::gen::element and gen::elementOf never shrink: a counterexample would
// keep whatever strategy or timeout it was generated with.)
#include <cstddef>
#include <vector>

#include <rapidcheck.h>

namespace props {

template <class T>
rc::Gen<T> choose(std::vector<T> values) {
  const auto count = values.size();
  return rc::gen::map(rc::gen::inRange<std::size_t>(0, count),
                      [values = std::move(values)](std::size_t i) { return values[i]; });
}

}  // namespace props
