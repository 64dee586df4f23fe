// The built-in replica loaded through the plug-in ABI runs exactly as the
// native one: the same trace, byte for byte, over the swarm of scenarios,
// every bug-catalog mutation and every stored regression. Plug-ins that
// cannot be used are refused with one line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/counterexample.h"
#include "model/determinism_guard.h"
#include "model/plugin_replica.h"
#include "model/search.h"
#include "model/scenario_space.h"
#include "model/tests/input_error_of.h"
#include "model/trace.h"
#include "same_trace.h"

namespace {

using namespace model;
using model::testing::input_error_of;

std::shared_ptr<const ReplicaLibrary> builtin() {
  static const auto library = ReplicaLibrary::load(BUILTIN_PLUGIN);
  return library;
}

ProtocolCoverage expect_same_trace(const Scenario& s, std::uint64_t seed, const std::string& name) {
  return model::testing::expect_same_trace(s, {.library = builtin()}, seed, name);
}

TEST(PluginReplica, SwarmTracesAreByteIdentical) {
  const ScenarioSpace space = space::swarm({4, 5, 7});
  ProtocolCoverage reached;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    Tape pick = Tape::from_seed(seed * 7919);
    const ProtocolCoverage c = expect_same_trace(draw(space, pick), seed, "swarm seed " + std::to_string(seed));
    reached.new_views += c.new_views;
    reached.checkpoints_stable += c.checkpoints_stable;
    reached.states_installed += c.states_installed;
    reached.certs_carried += c.certs_carried;
  }
  // Every kind of message and effect crossed the boundary.
  EXPECT_GT(reached.new_views, 0u);
  EXPECT_GT(reached.checkpoints_stable, 0u);
  EXPECT_GT(reached.states_installed, 0u);
  EXPECT_GT(reached.certs_carried, 0u);
}

TEST(PluginReplica, EveryMutationGivesTheSameTrace) {
  for (const auto& info : pbft::all_mutations()) {
    for (std::uint32_t malicious : {1u, 2u}) {
      CheckSpace c{.malicious = malicious, .requests = 6, .clients = 2, .mutation = info.mutation};
      for (NetworkMode mode : {NetworkMode::async, NetworkMode::timed}) {
        c.network = mode;
        const CheckSchedules schedules(c);
        for (std::uint64_t i = 0; i < 8; ++i)
          expect_same_trace(schedules.scenario(i), c.seed + i, std::string(info.name) + " schedule " + std::to_string(i));
      }
    }
  }
}

TEST(PluginReplica, StoredRegressionsReplayThroughTheAbi) {
  EXPECT_GE(model::testing::expect_regressions_replay({.library = builtin()}), 10u);
}

TEST(PluginReplica, UnusableLibrariesAreRefusedWithOneLine) {
  EXPECT_THAT(input_error_of([] { ReplicaLibrary::load("/nonexistent/libreplica.so"); }),
              ::testing::MatchesRegex("--replica-lib /nonexistent/libreplica.so: cannot load: cannot open shared object file: No such file or directory"));
  EXPECT_THAT(input_error_of([] { ReplicaLibrary::load(PBFTSIM_SOURCE_DIR "/README.md"); }),
              ::testing::HasSubstr("cannot load"));
  EXPECT_THAT(input_error_of([] { ReplicaLibrary::load(NO_ENTRY_PLUGIN); }),
              ::testing::HasSubstr("not a pbftsim replica plug-in (it exports no pbftsim_replica_plugin function)"));
  EXPECT_THAT(input_error_of([] { ReplicaLibrary::load(WRONG_VERSION_PLUGIN); }),
              ::testing::HasSubstr("built for plug-in ABI version 99; this pbftsim speaks version 1"));
}

TEST(PluginReplica, AConfigurationThePluginRefusesIsOneLine) {
  pbft::Config c = pbft::make_config(4);
  c.mutation = static_cast<pbft::Mutation>(250);
  EXPECT_THAT(input_error_of([&] { builtin()->check_supports(c); }),
              ::testing::HasSubstr("refused n = 4, mutation unknown: unknown mutation"));
}

// The faulty plug-in (faulty_plugin.c), making one mistake.
std::shared_ptr<const ReplicaLibrary> faulty(const char* mistake) {
  ::setenv("PBFTSIM_TEST_BAD_EFFECT", mistake, 1);  // read when its replicas are created
  static const auto library = ReplicaLibrary::load(FAULTY_PLUGIN);
  return library;
}

TEST(PluginReplica, GarbageFromThePluginStopsTheRunWithOneLine) {
  CheckSpace c;
  c.replica.library = faulty("garbage");
  Scenario s = CheckSchedules(c).scenario(0);
  Tape t = Tape::from_seed(1);
  EXPECT_THAT(input_error_of([&] { run_scenario(s, t); }),
              ::testing::MatchesRegex("replica plug-in faulty \\(.*faulty_plugin.so\\): replica [0-9] answered with a "
                                      "send of 2 bytes that are not a message \\(unknown message kind\\)"));
}

TEST(PluginReplica, ANondeterministicPluginIsItsOwnVerdict) {
  CheckSpace c;
  c.replica.library = faulty("nondeterministic");
  const CheckSchedules schedules(c);
  SearchProgress progress;
  EXPECT_THAT(input_error_of([&] { search(schedules, {.schedules = 10, .threads = 1}, progress); }),
              ::testing::MatchesRegex("nondeterministic replica: replica plug-in faulty \\(.*\\) ran "
                                      "schedule 0 twice and event [0-9]+ differed: "
                                      "first \\{\"step\":[0-9]+,\"ev\":\"timer\",.*\\}; "
                                      "then \\{\"step\":[0-9]+,\"ev\":\"timer\",.*\\}"));
  EXPECT_EQ(progress.done.load(), 0u);  // refused before searching
}

TEST(PluginReplica, TheBuiltInPluginIsDeterministic) {
  CheckSpace c{.malicious = 1, .network = NetworkMode::timed, .mutation = pbft::Mutation::prepare_quorum_short};
  c.replica.library = builtin();
  const CheckSchedules schedules(c);
  for (std::uint64_t i = 0; i < 20; ++i)
    EXPECT_EQ(input_error_of([&] { expect_deterministic(schedules.scenario(i), schedules.tape(i), "it"); }), "");
}

TEST(PluginReplica, EveryMistakeInTheEffectsIsOneLine) {
  const std::pair<const char*, const char*> mistakes[] = {
      {"zero_delay", "a timer with delay 0 us (1 to 2^40 expected)"},
      {"token0", "a timer with token 0 (tokens are non-zero)"},
      {"bad_destination", "a send to destination kind 7 (0, 1 or 2 expected)"},
      {"fail", "a failure: out of memory"},
      {"huge_seq", "an event at sequence number 1152921504606846976 (at most 2^32 expected)"},
      {"bad_event", "an event of kind 99 (0 to 7 expected)"},
  };
  for (const auto& [effect, expected] : mistakes) {
    CheckSpace c;
    c.replica.library = faulty(effect);
    const Scenario s = CheckSchedules(c).scenario(0);
    Tape t = Tape::from_seed(1);
    const std::string error = input_error_of([&] { run_scenario(s, t); });
    EXPECT_THAT(error, ::testing::StartsWith("replica plug-in faulty (")) << effect;
    EXPECT_THAT(error, ::testing::EndsWith(std::string(" answered with ") + expected)) << effect;
  }
  ::unsetenv("PBFTSIM_TEST_BAD_EFFECT");
}

TEST(PluginReplica, CopiesMovesAndSelfAssignmentKeepOneReplicaEach) {
  const pbft::Config config = pbft::make_config(4);
  PluginReplica a(*builtin(), config, 1);
  PluginReplica b(a);                // clone
  PluginReplica moved(std::move(b));  // b is left empty
  b = a;                             // assigned into an empty one: clones again
  const PluginReplica& itself = a;
  a = itself;                        // self-assignment keeps it
  moved = b;                         // assign
  pbft::Effects out;
  for (PluginReplica* r : {&a, &b, &moved}) {
    out.clear();
    r->on_client_request(0, {.client = 0, .timestamp = 1, .operation = 5}, out);
    EXPECT_FALSE(out.timers.empty());  // a backup times the request it forwards
  }
}

}  // namespace
