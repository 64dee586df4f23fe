#pragma once
// The conformance suite (`pbftsim conform`): scripted scenarios that feed
// one replica under test, step by step, and compare what it does with what
// docs/node-protocol.md asks. It is what a new implementation runs first:
// each step names its input, what was expected and what came back.
//
// The group is n = 4, f = 1, K = 2, L = 4, max_clients 4. The other
// replicas and the clients are the script. Expected values come from
// pbft::Service and the certificate rules, computed without a mutation, so
// a replica with a bug-catalog mutation planted fails.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/replica_impl.h"
#include "pbft/config.h"
#include "pbft/effects.h"
#include "pbft/messages.h"

namespace model {

// A property of one step's effects, with its text ("sends PREPARE v0 n1 ... to all").
struct Expectation {
  std::string text;
  std::function<bool(const pbft::Effects&)> holds;
};

struct ConformStep {
  enum class Input { message, request, timer } input = Input::message;
  std::uint32_t from = 0;  // the sending replica, or the client of a request
  pbft::Message message;   // a message, or the Request of a request
  std::string input_text;  // "r0 -> r1 PRE-PREPARE v0 n1 d=..."
  std::vector<Expectation> expect;
};

struct ConformScenario {
  std::string name;  // "normal-case"
  std::string what;  // one line: what it checks
  pbft::ReplicaId under_test = 1;
  std::vector<ConformStep> steps;
};

// The group every scenario runs in, with the mutation to plant (none normally).
pbft::Config conformance_config(pbft::Mutation mutation);
std::vector<ConformScenario> conformance_scenarios();

struct StepOutcome {
  std::size_t index = 0;  // 1-based
  std::string input;
  bool passed = false;
  std::vector<std::string> expected;  // every expectation's text
  std::vector<std::string> failed;    // the ones that did not hold
  std::string received;               // the effects, as node-protocol JSON lines joined by "; "
};

struct ScenarioOutcome {
  std::string name;
  std::string what;
  std::vector<StepOutcome> steps;  // up to and including the first failing step
  std::size_t total_steps = 0;
  bool passed() const { return !steps.empty() && steps.size() == total_steps && steps.back().passed; }
};

// Runs one scenario on a fresh replica of `impl`, stopping at its first
// failing step (later steps assume the earlier ones). Throws InputError
// when the replica is unusable (a node that crashes or answers garbage).
ScenarioOutcome run_conformance_scenario(const ConformScenario& s, const ReplicaImpl& impl,
                                         const pbft::Config& config);

}  // namespace model
