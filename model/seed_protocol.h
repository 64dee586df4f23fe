#pragma once
// The tutorial's protocol (DESIGN.md, "The seed experiment"), rebuilt as a
// small discrete-event simulation in virtual time so a sweep that took the
// tutorial 92 s of wall-clock sleeps runs in milliseconds. One request, a
// fixed view with replica 0 as primary, quorums of 2f+1 on PREPARE and
// COMMIT; every nondeterministic decision is a pick from the tape.
#include <cstdint>

#include "model/scenario_space.h"
#include "model/tape.h"

namespace model {

struct SeedConfig {
  std::uint32_t n = 10;  // at most 64 (vote sets are bitmasks)
  std::uint32_t malicious = 0;
  std::uint64_t deadline_us = 2'000'000;  // every honest replica must commit by then
};

struct SeedTrial {
  bool success = false;       // every honest replica committed by the deadline (and one exists)
  bool agreement = false;     // every honest commit carries the primary's true digest
  bool disagreement = false;  // two honest replicas committed different digests (a safety violation)
  std::uint64_t latency_us = 0;  // when the last honest replica committed (successful trials)
  std::uint64_t sent = 0;        // messages sent, self-addressed ones included
};

// Where the faulty replicas come from: c.malicious of them, drawn as the
// pbft profile draws them (backups first: the benign tape spares the
// primary), each running the `seed` strategy.
ScenarioSpace seed_faults(const SeedConfig& c);

// One trial: draws the faulty replicas from `faults`, then runs the
// protocol, from `tape`. (The sweep builds `faults` once per point.)
SeedTrial run_seed_trial(const SeedConfig& c, const ScenarioSpace& faults, Tape& tape);
inline SeedTrial run_seed_trial(const SeedConfig& c, Tape& tape) { return run_seed_trial(c, seed_faults(c), tape); }

// What the protocol implies, derived in seed_protocol.cpp: the probability
// that a trial succeeds, and that it succeeds with digest agreement.
struct SeedExpectation {
  double success = 0, agreement = 0;
};
SeedExpectation seed_expectation(std::uint32_t n, std::uint32_t malicious);

}  // namespace model
