// Shrinking reaches the simplest case: a property that fails whenever a
// replica is faulty shrinks to one faulty replica (a silent one), n = 4, one
// client with one request, no network faults and an empty tape; one that
// fails on any view change shrinks to the smallest world that has one.
#include <gtest/gtest.h>

#include "properties/gen_scenario.h"
#include "properties/rc_search.h"

namespace props {
namespace {

TEST(Shrinking, FailingWheneverFaultyShrinksToOneSilentFaultAtN4) {
  for (auto mode : {model::NetworkMode::async, model::NetworkMode::timed}) {
    GenOptions o;
    o.mode = mode;
    const auto found = rc_find(
        gen_case(o), [](const Case& c, const model::RunResult&) { return c.scenario.malicious() >= 1; }, 500, true);
    ASSERT_TRUE(found) << "no case with a faulty replica in 500";
    const model::Scenario& s = found->c.scenario;
    EXPECT_EQ(s.malicious(), 1u);
    EXPECT_EQ(s.config.n, 4u);
    EXPECT_EQ(s.faults.at(0).strategy, model::StrategyKind::silent);
    EXPECT_EQ(s.faults.at(0).replica, 0u);
    EXPECT_EQ(s.workload.requests_per_client, 1u);
    EXPECT_EQ(s.workload.clients, 1u);
    EXPECT_EQ(s.config.checkpoint_interval, 2u);
    EXPECT_EQ(s.config.view_change_timeout_us, 400'000u);
    EXPECT_EQ(s.network.drop_probability, 0.0);
    EXPECT_EQ(s.network.duplicate_probability, 0.0);
    EXPECT_EQ(s.network.gst_us, 0u);
    EXPECT_TRUE(s.network.partitions.empty());
    EXPECT_TRUE(found->c.tape.empty());
    EXPECT_GT(found->shrink_steps, 0);
  }
}

TEST(Shrinking, FailingOnAViewChangeShrinksTheWorld) {
  GenOptions o;
  o.mode = model::NetworkMode::async;
  const auto found = rc_find(
      gen_case(o), [](const Case&, const model::RunResult& r) { return r.coverage.new_views > 0; }, 500, true);
  ASSERT_TRUE(found) << "no view change in 500 async cases";
  const model::Scenario& s = found->c.scenario;
  EXPECT_EQ(s.config.n, 4u);
  EXPECT_LE(s.malicious(), 1u);
  EXPECT_EQ(s.workload.requests_per_client, 1u);
  EXPECT_EQ(s.workload.clients, 1u);
  // A silent primary needs no tape at all: the timers fire once the
  // messages run out.
  if (s.malicious() == 1) {
    EXPECT_EQ(s.faults[0].strategy, model::StrategyKind::silent);
  }
  std::printf("view-change counterexample after shrinking: %s\n", summary(s, found->c.tape.size()).c_str());
}

}  // namespace
}  // namespace props
