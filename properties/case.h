#pragma once
// One generated test case: everything that defines a run (a model::Scenario)
// plus the choice tape it runs on. RapidCheck generates, shows and shrinks
// these; a failing one is written out as a trace that `pbftsim replay` (or
// model::replay) reproduces.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "model/scenario.h"

namespace props {

struct Case {
  model::Scenario scenario;
  std::vector<std::uint32_t> tape;
};

// RapidCheck prints counterexamples through showValue (found by ADL): the
// scenario as the trace header's JSON, and the tape.
void showValue(const Case& c, std::ostream& os);

// One line: "n=7 m=2 [0:split 3:silent] async clients=1 requests=3 tape=412".
std::string summary(const model::Scenario& s, std::size_t tape_size);

}  // namespace props
