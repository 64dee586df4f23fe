// The built-in replica served over the node protocol (`pbftsim node`, one
// process per replica) runs exactly as the native one: the same trace, byte
// for byte, async and timed, over the swarm, every bug-catalog mutation and
// every stored regression. Nodes that crash, answer garbage, fail or hang
// stop the run with one line naming the replica and the input, and no
// process outlives its use.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "model/node_replica.h"
#include "model/scenario_space.h"
#include "model/search.h"
#include "model/tests/input_error_of.h"
#include "model/trace.h"
#include "same_trace.h"

namespace {

using namespace model;
using model::testing::input_error_of;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

ReplicaImpl node(const std::string& command, std::chrono::milliseconds limit = std::chrono::milliseconds(10'000)) {
  return {.node = std::make_shared<const NodeCommand>(command, limit)};
}

const ReplicaImpl& builtin_node() {
  static const ReplicaImpl impl = node(std::string(PBFTSIM_BIN) + " node");
  return impl;
}

TEST(NodeReplica, SwarmTracesAreByteIdentical) {
  const ScenarioSpace space = space::swarm({4, 5, 7});
  ProtocolCoverage reached;
  std::uint32_t timed = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    Tape pick = Tape::from_seed(seed * 7919);
    const Scenario s = draw(space, pick);
    timed += s.network.mode == NetworkMode::timed ? 1 : 0;
    const ProtocolCoverage c =
        model::testing::expect_same_trace(s, builtin_node(), seed, "swarm seed " + std::to_string(seed));
    reached.new_views += c.new_views;
    reached.checkpoints_stable += c.checkpoints_stable;
    reached.states_installed += c.states_installed;
    reached.certs_carried += c.certs_carried;
  }
  // Both networks, and every kind of message and effect crossed the pipes.
  EXPECT_GT(timed, 0u);
  EXPECT_LT(timed, 40u);
  EXPECT_GT(reached.new_views, 0u);
  EXPECT_GT(reached.checkpoints_stable, 0u);
  EXPECT_GT(reached.states_installed, 0u);
  EXPECT_GT(reached.certs_carried, 0u);
}

TEST(NodeReplica, EveryMutationGivesTheSameTrace) {
  for (const auto& info : pbft::all_mutations()) {
    CheckSpace c{.malicious = 1, .requests = 6, .clients = 2, .mutation = info.mutation};
    for (NetworkMode mode : {NetworkMode::async, NetworkMode::timed}) {
      c.network = mode;
      const CheckSchedules schedules(c);
      for (std::uint64_t i = 0; i < 4; ++i)
        model::testing::expect_same_trace(schedules.scenario(i), builtin_node(), c.seed + i,
                                          std::string(info.name) + " schedule " + std::to_string(i));
    }
  }
}

TEST(NodeReplica, StoredRegressionsReplayOverTheProtocol) {
  EXPECT_GE(model::testing::expect_regressions_replay(builtin_node()), 10u);
}

// Processes come from a pool: a search of many scenarios on one thread
// starts about one process per replica, not one per world.
TEST(NodeReplica, WorldsShareProcessesAndNoneOutliveTheSearch) {
  const std::size_t before = live_node_processes();  // builtin_node()'s pool, kept for the whole program
  {
    CheckSpace c{.malicious = 1};
    c.replica = node(std::string(PBFTSIM_BIN) + " node");
    const CheckSchedules schedules(c);
    SearchProgress progress;
    const SearchOutcome r = search(schedules, {.schedules = 60, .threads = 1}, progress);
    EXPECT_FALSE(r.violation);
    EXPECT_LE(live_node_processes(), before + 3);  // idle in the pool: one per honest replica
  }
  EXPECT_EQ(live_node_processes(), before);
}

// One run of a small scenario with each replica a node of `command`.
std::string error_of(const std::string& command, std::chrono::milliseconds limit = std::chrono::milliseconds(10'000)) {
  const std::size_t before = live_node_processes();
  std::string error;
  {
    CheckSpace c{.malicious = 1};
    c.replica = node(command, limit);
    const Scenario s = CheckSchedules(c).scenario(0);
    Tape t = Tape::from_seed(1);
    error = input_error_of([&] { run_scenario(s, t); });
  }
  EXPECT_EQ(live_node_processes(), before) << command;
  return error;
}

TEST(NodeReplica, ANodeThatCrashesIsOneLineWithItsStatusAndStderr) {
  EXPECT_THAT(error_of("echo 'cannot import pbft' >&2; exit 3"),
              MatchesRegex("replica [0-9] \\(node `echo 'cannot import pbft' >&2; exit 3`\\) exited with status 3 "
                           "before (reading its input|it answered); its stderr ends: cannot import pbft at input 0: "
                           "\\{\"time\":0,\"src\":\"harness\",\"dest\":\"r[0-9]\",\"body\":\\{.*\"type\":\"init\".*"));
  EXPECT_THAT(error_of("/nonexistent/node"), HasSubstr("exited with status 127"));
  EXPECT_THAT(error_of("/nonexistent/node"), HasSubstr("/nonexistent/node: not found"));
  // Dies in the middle of a run: after init and two inputs (sed -u passes
  // three lines unbuffered, then quits).
  EXPECT_THAT(error_of(std::string("sed -u 3q | ") + PBFTSIM_BIN + " node"),
              MatchesRegex("replica [0-9] \\(node `sed -u 3q \\| .*`\\) (exited with status 0|closed its) "
                           "before (reading its input|it answered) at input 3: \\{\"time\":0,\"src\":.*"));
  EXPECT_THAT(error_of("kill -SEGV $$"), HasSubstr("was killed by signal 11 (Segmentation fault)"));
}

TEST(NodeReplica, ANodeThatAnswersGarbageIsOneLineQuotingIt) {
  EXPECT_THAT(error_of("read line; echo hello"),
              MatchesRegex("replica [0-9] \\(node `read line; echo hello`\\) answered with a line that is not an "
                           "effect \\(not JSON\\): hello at input 0: .*"));
  EXPECT_THAT(error_of(R"(read line; echo '{"src":"r9","dest":"harness","body":{"type":"done"}}')"),
              HasSubstr("(\"src\" is \"r9\", this node is"));
  EXPECT_THAT(
      error_of(R"(read line; echo '{"src":"r0","dest":"all","body":{"type":"commit","view":0,"seq":1,"digest":"0000000000000001","replica":0}}'; )"
               R"(echo '{"src":"r0","dest":"harness","body":{"type":"done"}}'; sleep 5)"),
      HasSubstr("answered init with effects (only done is expected)"));
}

TEST(NodeReplica, ANodeThatFailsOrRefusesInitIsOneLine) {
  EXPECT_THAT(error_of(PBFTSIM_SOURCE_DIR "/plugin/tests/refusing_node.sh"),
              HasSubstr("failed: mutation not planted at input 0: {"));
}

TEST(NodeReplica, ANodeThatHangsIsStoppedAtTheStepLimit) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(error_of("sleep 30", std::chrono::milliseconds(300)),
              HasSubstr("did not answer in time (step limit 300 ms) at input 0"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));  // not the 30 s of sleep
  EXPECT_THAT(error_of(std::string("sh -c 'head -n 2; sleep 30' | ") + PBFTSIM_BIN + " node", std::chrono::milliseconds(300)),
              HasSubstr("did not answer in time"));
}

TEST(NodeReplica, CopyingANodeMidRunIsRefused) {
  const pbft::Config config = pbft::make_config(4);
  NodeReplica a(builtin_node().node, config, 1);
  pbft::Effects fx;
  a.on_timer(99, fx);  // a stale token: no effects, but an input taken
  EXPECT_THROW(NodeReplica b(a), InternalError);
  NodeReplica fresh(builtin_node().node, config, 1);
  EXPECT_THROW(fresh = a, InternalError);
  a.release();
  NodeReplica c(a);  // after its run: fine
}

}  // namespace
