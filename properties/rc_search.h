#pragma once
// RapidCheck as a search engine: run a generator's cases until one is bad,
// optionally shrink it, and hand back the (shrunk) case instead of failing a
// test. Used where finding a counterexample is the expected outcome
// (tightness) and to check that shrinking reaches the simplest case.
#include <cstdint>
#include <functional>
#include <optional>

#include <rapidcheck.h>

#include "model/simulator.h"
#include "properties/case.h"

namespace props {

struct Found {
  Case c;
  model::RunResult result;
  int cases = 0;  // generated cases until the first bad one, itself included
  int shrink_steps = 0;
};

using BadCase = std::function<bool(const Case&, const model::RunResult&)>;

// Runs a zero-argument RapidCheck property quietly (no reproduce summary at
// exit) and returns the number of cases until it failed, or 0 if it passed.
int rc_fails(const std::function<void()>& property, int max_cases, std::uint64_t seed = 1);

// Fixed seed: the search is reproducible and its cost is known.
std::optional<Found> rc_find(const rc::Gen<Case>& gen, const BadCase& bad, int max_cases, bool shrink,
                             std::uint64_t seed = 1);

}  // namespace props
