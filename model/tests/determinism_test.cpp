// Determinism: one scenario and one tape give one run — the same event hash,
// the same trace file byte for byte — in both network modes, with and without
// faulty replicas; the recorded tape of a seeded run replays it exactly.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "helpers.h"
#include "model/trace.h"

namespace model {
namespace {

using testing::slurp;
using testing::small_scenario;
using testing::tmp_path;

struct Case {
  const char* name;
  NetworkMode mode;
  std::vector<Fault> faults;
};

class Determinism : public ::testing::TestWithParam<Case> {
 protected:
  Scenario scenario() const {
    Scenario s = small_scenario(4, GetParam().mode, GetParam().faults, 4);
    // Exercise every network pick in timed mode.
    s.network.drop_probability = 0.05;
    s.network.duplicate_probability = 0.05;
    s.network.reorder_probability = 0.05;
    s.network.tail_probability = 0.2;
    s.network.gst_us = 300'000;
    return s;
  }
};

TEST_P(Determinism, SameTapeSameHash) {
  const Scenario s = scenario();
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const RunResult a = testing::run_seed(s, seed);
    const RunResult b = testing::run_seed(s, seed);
    EXPECT_EQ(a.event_hash, b.event_hash) << "seed " << seed;
    EXPECT_EQ(a.stats.delivered, b.stats.delivered);
    EXPECT_EQ(a.stats.sent, b.stats.sent);
    EXPECT_EQ(a.stats.steps, b.stats.steps);
    EXPECT_EQ(a.stats.end_time_us, b.stats.end_time_us);
    EXPECT_EQ(a.stats.latencies_us, b.stats.latencies_us);
    EXPECT_EQ(a.violation.has_value(), b.violation.has_value());
    EXPECT_EQ(a.all_executed, b.all_executed);
    EXPECT_GT(a.stats.delivered, 0u);
  }
}

// The minimizer's research stops runs at a delivery limit: a limited run is
// the same run up to the limit and stops there without a verdict, and the
// next unlimited run is whole again.
TEST_P(Determinism, ADeliveryLimitCutsTheSameRunShort) {
  Scenario s = scenario();
  s.check_liveness = GetParam().mode == NetworkMode::timed;
  Simulator sim(s);
  Tape full_tape = Tape::from_seed(7);
  const RunResult full = sim.run(full_tape);
  ASSERT_GT(full.stats.delivered, 20u);
  sim.limit_deliveries(full.stats.delivered / 2);
  Tape cut_tape = Tape::from_seed(7);
  const RunResult cut = sim.run(cut_tape);
  EXPECT_EQ(cut.stats.delivered, full.stats.delivered / 2);
  EXPECT_FALSE(cut.violation) << cut.violation->description;
  sim.limit_deliveries(0);
  Tape again_tape = Tape::from_seed(7);
  const RunResult again = sim.run(again_tape);
  EXPECT_EQ(again.event_hash, full.event_hash);
  EXPECT_EQ(again.stats.delivered, full.stats.delivered);
}

TEST_P(Determinism, AnAbandonFlagStopsARunWithin256Steps) {
  // A search's time limit reaches into a long run (Simulator::abandon_when);
  // a flag that is never set changes nothing.
  Scenario s = scenario();
  s.faults.clear();  // a long honest run, whatever the parameter's strategy
  s.workload.requests_per_client = 40;
  s.network.max_steps = 200'000;
  Simulator sim(s);
  std::atomic<bool> flag{false};
  sim.abandon_when(&flag);
  Tape full_tape = Tape::from_seed(7);
  const RunResult full = sim.run(full_tape);
  ASSERT_GT(full.stats.steps, 1'000u);
  EXPECT_FALSE(full.abandoned);
  // Raised mid-run, at step 300, as a watching thread would.
  struct RaiseAt final : TraceSink {
    explicit RaiseAt(std::atomic<bool>& f) : flag(f) {}
    std::atomic<bool>& flag;
    void on_event(const TraceEvent& e) override {
      if (e.step >= 300) flag.store(true);
    }
  } raise(flag);
  Tape cut_tape = Tape::from_seed(7);
  const RunResult cut = sim.run(cut_tape, &raise);
  EXPECT_TRUE(cut.abandoned);
  EXPECT_GE(cut.stats.steps, 300u);
  EXPECT_LE(cut.stats.steps, 300u + 256u);
  EXPECT_FALSE(cut.violation) << cut.violation->description;
  Simulator plain(s);
  Tape plain_tape = Tape::from_seed(7);
  EXPECT_EQ(plain.run(plain_tape).event_hash, full.event_hash);
}

TEST_P(Determinism, ReusedSimulatorMatchesAFreshOne) {
  // A Simulator resets itself between runs: whatever ran before, a tape
  // gives the run a fresh world gives it.
  const Scenario s = scenario();
  Simulator reused(s);
  for (std::uint64_t seed : {5u, 6u, 7u, 5u}) {
    Tape a = Tape::from_seed(seed), b = Tape::from_seed(seed);
    const RunResult fresh = run_scenario(s, a);
    const RunResult again = reused.run(b);
    EXPECT_EQ(fresh.event_hash, again.event_hash) << "seed " << seed;
    EXPECT_EQ(fresh.stats.delivered, again.stats.delivered) << "seed " << seed;
    EXPECT_EQ(fresh.stats.latencies_us, again.stats.latencies_us) << "seed " << seed;
    EXPECT_EQ(fresh.violation.has_value(), again.violation.has_value()) << "seed " << seed;
    EXPECT_EQ(fresh.coverage.committed, again.coverage.committed) << "seed " << seed;
  }
}

struct Counter : TraceSink {
  std::uint64_t events = 0;
  void on_event(const TraceEvent&) override { ++events; }
};

TEST_P(Determinism, SkippingTheHashChangesNothingElse) {
  // `check` searches without hashing; its verdicts must be the hashed runs'.
  const Scenario s = scenario();
  Simulator quiet(s), hashed(s);
  quiet.set_hashing(false);
  for (std::uint64_t seed : {8u, 9u, 10u, 11u}) {
    Tape a = Tape::from_seed(seed), b = Tape::from_seed(seed);
    const RunResult q = quiet.run(a), h = hashed.run(b);
    EXPECT_EQ(q.event_hash, 0u);
    EXPECT_NE(h.event_hash, 0u);
    EXPECT_EQ(q.stats.delivered, h.stats.delivered) << "seed " << seed;
    EXPECT_EQ(q.stats.sent, h.stats.sent) << "seed " << seed;
    EXPECT_EQ(q.stats.latencies_us, h.stats.latencies_us) << "seed " << seed;
    EXPECT_EQ(q.violation.has_value(), h.violation.has_value()) << "seed " << seed;
    EXPECT_EQ(q.all_executed, h.all_executed) << "seed " << seed;
    EXPECT_EQ(a.picks(), b.picks()) << "seed " << seed;
    // A sink still sees every event, hashed or not.
    Counter quiet_events, hashed_events;
    Tape c = Tape::from_seed(seed), d = Tape::from_seed(seed);
    quiet.run(c, &quiet_events);
    hashed.run(d, &hashed_events);
    EXPECT_GT(quiet_events.events, h.stats.delivered);
    EXPECT_EQ(quiet_events.events, hashed_events.events) << "seed " << seed;
  }
}

TEST_P(Determinism, RecordedTapeReplaysTheSeededRun) {
  const Scenario s = scenario();
  for (std::uint64_t seed : {4u, 5u}) {
    const RunResult plain = testing::run_seed(s, seed);
    Tape t = Tape::from_seed(seed);
    const Recorded rec = run_recorded(s, t);
    EXPECT_EQ(rec.result.event_hash, plain.event_hash) << "recording changed the run";
    Tape values = Tape::from_values(rec.tape);
    const RunResult again = run_scenario(s, values);
    EXPECT_EQ(again.event_hash, plain.event_hash) << "seed " << seed;
  }
}

TEST_P(Determinism, TraceFilesAreByteIdentical) {
  const Scenario s = scenario();
  Tape t = Tape::from_seed(17);
  const Recorded rec = run_recorded(s, t);
  const std::string tag = std::string(GetParam().name);
  const std::string p1 = tmp_path("det_" + tag + "_1.jsonl"), p2 = tmp_path("det_" + tag + "_2.jsonl");
  RunResult r1, r2;
  ASSERT_NO_THROW(write_trace(p1, s, rec.tape, &r1));
  ASSERT_NO_THROW(write_trace(p2, s, rec.tape, &r2));
  EXPECT_EQ(r1.event_hash, r2.event_hash);
  EXPECT_EQ(r1.event_hash, rec.result.event_hash);
  const std::string a = slurp(p1), b = slurp(p2);
  EXPECT_GT(a.size(), 100u);
  EXPECT_TRUE(a == b) << "trace files differ (" << a.size() << " vs " << b.size() << " bytes)";
}

TEST_P(Determinism, DifferentSeedsGiveDifferentRuns) {
  const Scenario s = scenario();
  std::set<std::uint64_t> hashes;
  constexpr int kSeeds = 12;
  for (int seed = 100; seed < 100 + kSeeds; ++seed) hashes.insert(testing::run_seed(s, seed).event_hash);
  EXPECT_GE(hashes.size(), static_cast<std::size_t>(kSeeds - 2));
}

const Case kCases[] = {
    {"timed_honest", NetworkMode::timed, {}},
    {"async_honest", NetworkMode::async, {}},
    {"timed_faulty", NetworkMode::timed, {{0, StrategyKind::equivocate}}},
    {"async_faulty", NetworkMode::async, {{2, StrategyKind::random}}},
    {"async_split", NetworkMode::async, {{0, StrategyKind::split}, {1, StrategyKind::split}}},
    {"timed_twins", NetworkMode::timed, {{1, StrategyKind::twins}}},
};
INSTANTIATE_TEST_SUITE_P(Model, Determinism, ::testing::ValuesIn(kCases),
                         [](const auto& pinfo) { return std::string(pinfo.param.name); });

TEST(Determinism, HashCoversTheScenario) {
  // Same tape, different scenario: a different run.
  Scenario a = small_scenario(4, NetworkMode::timed);
  Scenario b = a;
  b.workload.requests_per_client = a.workload.requests_per_client + 1;
  EXPECT_NE(testing::run_seed(a, 1).event_hash, testing::run_seed(b, 1).event_hash);
  Scenario c = a;
  c.faults = {{3, StrategyKind::silent}};
  EXPECT_NE(testing::run_seed(a, 1).event_hash, testing::run_seed(c, 1).event_hash);
}

}  // namespace
}  // namespace model
