// Steering an async run by item names (model/schedule_steering.h): following
// a run's own schedule reproduces it; a schedule with a step deleted runs
// without that step; and every steered run replays from its recorded tape
// alone, which is what lets the minimizer keep it (the minimizer keeps only
// runs that end in a violation, so a replay stops where the steered run did).
#include <gtest/gtest.h>

#include "helpers.h"
#include "model/schedule_steering.h"
#include "model/simulator.h"

namespace model {
namespace {

using testing::small_scenario;

struct Steered {
  RunResult result;
  Schedule schedule;
  std::vector<std::uint32_t> recorded;
};

Steered run(Simulator& sim, Tape tape, const std::vector<std::uint64_t>* script) {
  Steered out;
  tape.record(true);
  sim.follow(script, &out.schedule);
  out.result = sim.run(tape);
  out.recorded = tape.recorded();
  return out;
}

std::vector<std::uint64_t> names(const Schedule& schedule) {
  std::vector<std::uint64_t> items;
  for (const ScheduleStep& step : schedule) items.push_back(step.item);
  return items;
}

RunResult replay_plain(Simulator& sim, const std::vector<std::uint32_t>& tape) {
  sim.follow(nullptr, nullptr);
  Tape t = Tape::from_values(tape);
  return sim.run(t);
}

Scenario busy_scenario() {
  // Faulty replicas that pick as they go: their choices share the tape with
  // the schedule's.
  return small_scenario(4, NetworkMode::async, {{0, StrategyKind::random}}, 4);
}

TEST(ScheduleSteering, FollowingARunsOwnScheduleReproducesIt) {
  Simulator sim(busy_scenario());
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Steered original = run(sim, Tape::from_seed(seed), nullptr);
    ASSERT_FALSE(original.schedule.empty());
    const auto script = names(original.schedule);
    const Steered again = run(sim, Tape::from_values(other_choices(original.recorded, original.schedule)), &script);
    EXPECT_EQ(again.result.event_hash, original.result.event_hash) << "seed " << seed;
    EXPECT_EQ(again.result.stats.delivered, original.result.stats.delivered) << "seed " << seed;
    EXPECT_EQ(names(again.schedule), script) << "seed " << seed;
  }
}

TEST(ScheduleSteering, ADeletedStepIsLeftOutAndTheRunReplaysFromItsTape) {
  Simulator sim(busy_scenario());
  const Steered original = run(sim, Tape::from_seed(3), nullptr);
  ASSERT_GT(original.schedule.size(), 10u);
  const auto other = other_choices(original.recorded, original.schedule);
  std::uint64_t shorter = 0;
  for (std::size_t k = 0; k < 10; ++k) {
    auto script = names(original.schedule);
    script.erase(script.begin() + static_cast<std::ptrdiff_t>(k));
    const Steered steered = run(sim, Tape::from_values(other), &script);
    EXPECT_LT(steered.schedule.size(), original.schedule.size()) << "step " << k;
    // Steps the deletion caused are skipped; the rest keep the script's order.
    std::size_t at = 0;
    for (const ScheduleStep& step : steered.schedule) {
      while (at < script.size() && script[at] != step.item) ++at;
      ASSERT_LT(at++, script.size()) << "step " << k << ": an item the script does not name, or out of order";
    }
    // Past the script's end the steered run stops, while the tape would go
    // on with picks of 0: the replay stops at the same step.
    Scenario capped = busy_scenario();
    capped.network.max_steps = steered.schedule.size();
    Simulator plain(capped);
    const RunResult replayed = replay_plain(plain, steered.recorded);
    EXPECT_EQ(replayed.event_hash, steered.result.event_hash) << "step " << k;
    EXPECT_EQ(replayed.stats.delivered, steered.result.stats.delivered) << "step " << k;
    shorter += steered.result.stats.delivered < original.result.stats.delivered;
  }
  EXPECT_GT(shorter, 0u) << "no deletion left a delivery out";
}

TEST(ScheduleSteering, OtherChoicesAreTheTapeWithoutTheSchedulesPicks) {
  const Schedule schedule{{.item = 1, .first_pick = 1, .end_pick = 3}, {.item = 2, .first_pick = 4, .end_pick = 5}};
  EXPECT_EQ(other_choices({10, 11, 12, 13, 14, 15}, schedule), (std::vector<std::uint32_t>{10, 13, 15}));
  // A trimmed tape: picks past its end were zeros.
  EXPECT_EQ(other_choices({10, 11}, schedule), (std::vector<std::uint32_t>{10}));
}

TEST(ScheduleSteering, TimedRunsAreNotSteered) {
  Simulator sim(small_scenario(4, NetworkMode::timed, {}, 2));
  const Steered original = run(sim, Tape::from_seed(1), nullptr);
  EXPECT_TRUE(original.schedule.empty());
}

}  // namespace
}  // namespace model
