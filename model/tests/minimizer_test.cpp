// The minimizer: from a violating run it returns a tape no longer than the
// recorded one that reproduces the same kind of violation and replays exactly;
// a run without a violation has nothing to minimize.
#include <gtest/gtest.h>

#include <algorithm>

#include "helpers.h"
#include "model/minimizer.h"
#include "model/trace.h"

namespace model {
namespace {

using testing::first_violating;
using testing::small_scenario;
using testing::split_pair;
using testing::tmp_path;

constexpr std::uint64_t kBudget = 1'500;

// The split attack with f+1 colluders and its first violating run.
struct Violating {
  Scenario scenario;
  Recorded recorded;  // empty when no seed in 200 violates
};

Violating violating_split(NetworkMode mode) {
  Violating v{split_pair(mode), {}};
  if (auto found = first_violating(v.scenario)) v.recorded = std::move(found->recorded);
  return v;
}

class Minimizer : public ::testing::TestWithParam<NetworkMode> {};

TEST_P(Minimizer, ShrinksAndReproduces) {
  const Violating v = violating_split(GetParam());
  ASSERT_TRUE(v.recorded.result.violation) << "no violating split run in 200 seeds";
  const ViolationKind kind = v.recorded.result.violation->kind;

  const auto m = minimize(v.scenario, v.recorded.tape, kBudget);
  ASSERT_TRUE(m);
  EXPECT_LE(m->tape.size(), v.recorded.tape.size());
  EXPECT_GE(m->runs, 1u);
  EXPECT_LE(m->runs, kBudget);
  ASSERT_TRUE(m->result.violation);
  EXPECT_EQ(m->result.violation->kind, kind);
  EXPECT_LE(m->scenario.workload.requests_per_client, v.scenario.workload.requests_per_client);
  EXPECT_LE(m->scenario.workload.clients, v.scenario.workload.clients);

  // Replaying the minimized tape reproduces the same kind and the same run.
  Tape t = Tape::from_values(m->tape);
  const RunResult again = run_scenario(m->scenario, t);
  ASSERT_TRUE(again.violation);
  EXPECT_EQ(again.violation->kind, kind);
  EXPECT_EQ(again.event_hash, m->result.event_hash);

  // Through a trace file too.
  const std::string path = tmp_path(GetParam() == NetworkMode::timed ? "min_timed.jsonl" : "min_async.jsonl");
  RunResult written;
  ASSERT_NO_THROW(write_trace(path, m->scenario, m->tape, &written));
  const Trace trace = read_trace(path);
  ASSERT_TRUE(trace.verdict);
  EXPECT_EQ(*trace.verdict, kind);
  EXPECT_EQ(trace.event_hash, m->result.event_hash);
  EXPECT_EQ(replay(trace).event_hash, trace.event_hash);
}

TEST_P(Minimizer, MinimizedTapeIsWhatItsReplayConsumes) {
  // Replaying the minimized tape consumes it all; past its end the run reads
  // the benign answer 0, so the replay's recording is the tape padded with zeros.
  const Violating v = violating_split(GetParam());
  ASSERT_TRUE(v.recorded.result.violation);
  const auto m = minimize(v.scenario, v.recorded.tape, kBudget);
  ASSERT_TRUE(m);
  EXPECT_LT(m->tape.size(), v.recorded.tape.size()) << "nothing was minimized";
  Tape t = Tape::from_values(m->tape);
  const Recorded rec = run_recorded(m->scenario, t);
  ASSERT_GE(rec.tape.size(), m->tape.size());
  EXPECT_TRUE(std::equal(m->tape.begin(), m->tape.end(), rec.tape.begin()));
  for (std::size_t i = m->tape.size(); i < rec.tape.size(); ++i) ASSERT_EQ(rec.tape[i], 0u) << "pick " << i;
  EXPECT_EQ(rec.result.event_hash, m->result.event_hash);
}

INSTANTIATE_TEST_SUITE_P(Model, Minimizer, ::testing::Values(NetworkMode::async, NetworkMode::timed),
                         [](const auto& pinfo) { return pinfo.param == NetworkMode::timed ? "timed" : "async"; });

TEST_P(Minimizer, ReachesAOneMinimalTapeWithinItsBudget) {
  const Violating v = violating_split(GetParam());
  ASSERT_TRUE(v.recorded.result.violation);
  const auto m = minimize(v.scenario, v.recorded.tape, 50'000);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->capped) << m->runs << " runs";
  EXPECT_LE(m->result.stats.delivered, v.recorded.result.stats.delivered);
  EXPECT_EQ(one_minimality_gap(m->scenario, m->tape), "");
  // The recorded tape is not: the check can fail.
  EXPECT_NE(one_minimality_gap(v.scenario, v.recorded.tape), "");
}

TEST(MinimizerScenario, DropsTheFaultsAndTheWorkloadTheViolationDoesNotNeed) {
  // The split pair under a hostile timed network with three clients: the
  // violation needs the two colluders, not the lossy links or the clients.
  Scenario s = split_pair(NetworkMode::timed);
  s.workload.clients = 3;
  s.network.duplicate_probability = 0.2;
  s.network.reorder_probability = 0.2;
  const auto found = first_violating(s);
  ASSERT_TRUE(found) << "no violating run in 200 seeds";
  const auto m = minimize(s, found->recorded.tape, 50'000);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->scenario.workload.clients, 1u);
  EXPECT_EQ(m->scenario.network.duplicate_probability, 0);
  EXPECT_EQ(m->scenario.network.reorder_probability, 0);
  EXPECT_EQ(m->scenario.malicious(), 2u) << "one colluder alone cannot split the honest replicas";
  EXPECT_LE(m->result.stats.delivered, found->recorded.result.stats.delivered);
}

TEST(MinimizerNoViolation, ReturnsNullopt) {
  for (NetworkMode mode : {NetworkMode::async, NetworkMode::timed}) {
    const Scenario s = small_scenario(4, mode, {{1, StrategyKind::equivocate}}, 3);
    Tape t = Tape::from_seed(5);
    const Recorded rec = run_recorded(s, t);
    ASSERT_FALSE(rec.result.violation) << rec.result.violation->description;
    EXPECT_FALSE(minimize(s, rec.tape, 100));
  }
  EXPECT_FALSE(minimize(small_scenario(4, NetworkMode::async), {}, 100));
}

TEST(MinimizerBudget, RespectsMaxRuns) {
  const Violating v = violating_split(NetworkMode::async);
  ASSERT_TRUE(v.recorded.result.violation);
  const auto m = minimize(v.scenario, v.recorded.tape, 5);
  ASSERT_TRUE(m);
  EXPECT_LE(m->runs, 5u);
  ASSERT_TRUE(m->result.violation);
  EXPECT_EQ(m->result.violation->kind, v.recorded.result.violation->kind);
}

}  // namespace
}  // namespace model
