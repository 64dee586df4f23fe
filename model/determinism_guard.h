#pragma once
// A plugged replica may be nondeterministic by mistake (a clock, a hash-map
// order, randomness, uninitialised memory, state shared between replicas).
// Replay and shrinking then mean nothing, so the harness checks: it runs a
// schedule twice, the second time in a world that already ran it, and
// compares every event. A difference is its own verdict, not a protocol
// violation: InputError "nondeterministic replica: ..." (exit 2) naming the
// plug-in and the first event that differed.
#include <string>

#include "model/scenario.h"
#include "model/tape.h"

namespace model {

// Returns when both runs of (s, tape) give the same events; otherwise throws.
void expect_deterministic(const Scenario& s, const Tape& tape, const std::string& what);

}  // namespace model
