// The scenario half of minimization: every candidate is valid, differs from
// the original, and is simpler in one way (never more faulty replicas,
// requests, network faults or replicas).
#include <gtest/gtest.h>

#include <algorithm>

#include "helpers.h"
#include "model/scenario_shrink.h"

namespace model {
namespace {

using testing::small_scenario;

Scenario hostile_n7() {
  Scenario s = small_scenario(7, NetworkMode::timed, {{0, StrategyKind::equivocate}, {6, StrategyKind::replay}}, 5);
  s.workload.clients = 3;
  s.network.drop_probability = 0.1;
  s.network.duplicate_probability = 0.1;
  s.network.reorder_probability = 0.2;
  s.network.partitions = {{100'000, 900'000, 0b1000001}};
  s.network.gst_us = 2'000'000;
  return s;
}

bool no_more_than(const Scenario& c, const Scenario& s) {
  return c.config.n <= s.config.n && c.malicious() <= s.malicious() &&
         c.workload.clients <= s.workload.clients &&
         c.workload.requests_per_client <= s.workload.requests_per_client &&
         c.network.drop_probability <= s.network.drop_probability &&
         c.network.duplicate_probability <= s.network.duplicate_probability &&
         c.network.reorder_probability <= s.network.reorder_probability &&
         c.network.partitions.size() <= s.network.partitions.size() && c.network.gst_us <= s.network.gst_us &&
         c.network.max_delay_us <= s.network.max_delay_us;
}

TEST(ScenarioShrink, EveryCandidateIsValidSimplerAndNew) {
  const Scenario s = hostile_n7();
  const auto candidates = simpler_scenarios(s);
  ASSERT_FALSE(candidates.empty());
  for (const Scenario& c : candidates) {
    EXPECT_NE(c, s);
    EXPECT_NO_THROW(validate(c));
    EXPECT_TRUE(no_more_than(c, s));
    EXPECT_EQ(c.config.mutation, s.config.mutation);
    EXPECT_EQ(std::count(candidates.begin(), candidates.end(), c), 1);
  }
}

TEST(ScenarioShrink, OffersEachSimplification) {
  const Scenario s = hostile_n7();
  const auto candidates = simpler_scenarios(s);
  const auto offers = [&](auto&& pred) { return std::any_of(candidates.begin(), candidates.end(), pred); };
  EXPECT_TRUE(offers([](const Scenario& c) { return c.workload.clients == 1 && c.workload.requests_per_client == 1; }));
  EXPECT_TRUE(offers([](const Scenario& c) {
    return c.network.drop_probability == 0 && c.network.partitions.empty() && c.network.gst_us == 0;
  }));
  EXPECT_TRUE(offers([](const Scenario& c) { return c.malicious() == 1; }));
  EXPECT_TRUE(offers([](const Scenario& c) {
    return c.faults.size() == 2 && c.faults[0].strategy == StrategyKind::silent;
  }));
  // n = 4 keeps at most f = 1 faulty replica: the first.
  EXPECT_TRUE(offers([](const Scenario& c) {
    return c.config.n == 4 && c.faults == std::vector<Fault>{{0, StrategyKind::equivocate}};
  }));
  EXPECT_FALSE(offers([](const Scenario& c) { return c.config.n == 4 && c.malicious() > 1; }));
}

// A violation found in the hostile space often needs none of its faults or
// knobs, but grows on the way when they go one at a time: the plainest
// scenario is offered in one step, also with the smallest workload and the
// faulty replicas as the first primaries, and (safety) without time.
TEST(ScenarioShrink, OffersThePlainestScenarioInOneStep) {
  Scenario s = hostile_n7();
  s.config.checkpoint_interval = 1;
  s.config.watermark_window = 3;
  s.config.view_change_timeout_us = 10'000;
  s.workload.client_timeout_us = 20'000;
  const auto candidates = simpler_scenarios(s);
  const auto plain = [](const Scenario& c) {
    return c.network.drop_probability == 0 && c.network.duplicate_probability == 0 &&
           c.network.reorder_probability == 0 && c.network.partitions.empty() && c.network.gst_us == 0 &&
           c.config.checkpoint_interval == 2 && c.config.watermark_window == 4 &&
           c.config.view_change_timeout_us == 400'000 && c.workload.client_timeout_us == 500'000;
  };
  const auto offers = [&](auto&& pred) { return std::any_of(candidates.begin(), candidates.end(), pred); };
  EXPECT_TRUE(offers([&](const Scenario& c) {
    return plain(c) && c.network.mode == NetworkMode::timed && c.workload.clients == 3 && c.faults == s.faults;
  }));
  EXPECT_TRUE(offers([&](const Scenario& c) {
    return plain(c) && c.workload.clients == 1 && c.workload.requests_per_client == 1 &&
           c.faults == std::vector<Fault>{{0, StrategyKind::equivocate}, {1, StrategyKind::replay}};
  }));
  // ... and with every faulty replica telling one plain lie (the search met
  // prepare-ignores-digest's liveness failure with conflicting votes at
  // replica 3 and a lucky schedule; without these it minimized to 2,306
  // deliveries at the run cap, with them to 128).
  for (StrategyKind lie : {StrategyKind::silent, StrategyKind::equivocate, StrategyKind::conflicting_votes})
    EXPECT_TRUE(offers([&](const Scenario& c) {
      return plain(c) && c.workload.clients == 1 && c.faults == std::vector<Fault>{{0, lie}, {1, lie}};
    })) << strategy_name(lie);
  // Without time, both with the plain knobs and with the knobs as they were
  // (reply-cache-stale needs K = 1: from the hostile default it stayed a
  // 163-delivery timed story without this candidate, 91 with it).
  EXPECT_TRUE(offers([&](const Scenario& c) { return plain(c) && c.network.mode == NetworkMode::async; }));
  EXPECT_TRUE(offers([&](const Scenario& c) {
    return c.network.mode == NetworkMode::async && c.network.partitions.empty() && c.config == s.config &&
           c.workload == s.workload && c.faults == s.faults;
  }));
  s.check_liveness = true;  // liveness needs time: no async candidate
  for (const Scenario& c : simpler_scenarios(s)) EXPECT_EQ(c.network.mode, NetworkMode::timed);
}

TEST(ScenarioShrink, FewerReplicasRenumberTheFaultyOnes) {
  const Scenario s = small_scenario(7, NetworkMode::async, {{6, StrategyKind::viewchange_tamper}}, 2);
  const auto candidates = simpler_scenarios(s);
  std::vector<pbft::ReplicaId> at_n4;
  for (const Scenario& c : candidates)
    if (c.config.n == 4) {
      EXPECT_EQ(c.config.f, 1u);
      ASSERT_EQ(c.faults.size(), 1u);
      at_n4.push_back(c.faults[0].replica);
    }
  // Replica 6 as 6 mod 4 = 2 (the primary of the same views) and as the lowest free id, 0.
  std::sort(at_n4.begin(), at_n4.end());
  EXPECT_EQ(at_n4, (std::vector<pbft::ReplicaId>{0, 2}));
}

TEST(ScenarioShrink, TheSimplestScenarioHasNoCandidates) {
  Scenario s = small_scenario(4, NetworkMode::async, {}, 1);
  s.network.tail_probability = 0;
  EXPECT_TRUE(simpler_scenarios(s).empty());
}

}  // namespace
}  // namespace model
