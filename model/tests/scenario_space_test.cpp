// The one draw: pick 0 everywhere is the simplest scenario of a space, a
// knob with one value costs no pick, every value of every knob is reachable,
// and whatever the picks, the drawn scenario is valid and within the space.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "model/scenario_space.h"
#include "model/search.h"
#include "model/tests/input_error_of.h"

namespace model {
namespace {

std::uint32_t zero(std::uint32_t) { return 0; }

TEST(ScenarioSpace, ZeroPicksGiveTheSimplestScenarioOfTheSwarm) {
  const Scenario s = draw(space::swarm({4, 7}), zero);
  EXPECT_EQ(s.config.n, 4u);
  EXPECT_EQ(s.malicious(), 0u);
  EXPECT_EQ(s.network.mode, NetworkMode::async);
  EXPECT_EQ(s.config.checkpoint_interval, 2u);
  EXPECT_EQ(s.config.watermark_window, 4u);
  EXPECT_EQ(s.config.view_change_timeout_us, 400'000u);
  EXPECT_EQ(s.workload.clients, 1u);
  EXPECT_EQ(s.workload.requests_per_client, 1u);
  EXPECT_TRUE(s.workload.closed_loop);
  EXPECT_EQ(s.network.drop_probability, 0.0);
  EXPECT_TRUE(s.network.partitions.empty());
  EXPECT_NO_THROW(validate(s));
}

TEST(ScenarioSpace, ZeroPicksMakeThePrimaryFaultyFirstOrSpareIt) {
  ScenarioSpace sp;
  sp.malice = {.rule = Malice::Rule::exactly, .count = 1};
  EXPECT_EQ(draw(sp, zero).faults, (std::vector<Fault>{{0, StrategyKind::silent}}));
  sp.fault_order = FaultOrder::backups_first;
  EXPECT_EQ(draw(sp, zero).faults, (std::vector<Fault>{{3, StrategyKind::silent}}));
}

// check's calm space with its workload given varies only the faulty
// replicas: its draw asks for one position per faulty replica and one
// strategy when they are mixed, so narrowing the other knobs to one value
// shifts no pick.
TEST(ScenarioSpace, AKnobWithOneValueCostsNoPick) {
  CheckSpace c{.n = 7, .malicious = 2, .requests = 4, .clients = 1, .network = NetworkMode::async, .calm = true};
  std::vector<std::uint32_t> asked;
  const auto count = [&](std::uint32_t k) {
    asked.push_back(k);
    return 0u;
  };
  draw(check_scenarios(c), count);
  EXPECT_EQ(asked, (std::vector<std::uint32_t>{7, std::size(kAllStrategies), 6, std::size(kAllStrategies)}));
  asked.clear();
  c.strategy = StrategyKind::split;
  draw(check_scenarios(c), count);
  EXPECT_EQ(asked, (std::vector<std::uint32_t>{7, 6}));
}

// check is hostile by default: over many schedules it draws both networks,
// every network fault, workloads larger than the watermark window and every
// checkpoint interval; each flag narrows its knob to one value.
TEST(ScenarioSpace, ChecksDefaultSpaceIsHostileAndFlagsNarrowIt) {
  const auto seen = [](const CheckSpace& c) {
    std::set<std::string> out;
    const ScenarioSpace sp = check_scenarios(c);
    for (std::uint64_t i = 0; i < 3'000; ++i) {
      Tape t = Tape::from_seed(i);
      const Scenario s = draw(sp, t);
      out.insert(s.network.mode == NetworkMode::timed ? "timed" : "async");
      if (s.network.drop_probability > 0) out.insert("drops");
      if (s.network.duplicate_probability > 0) out.insert("duplicates");
      if (s.network.reorder_probability > 0) out.insert("reordering");
      if (!s.network.partitions.empty()) out.insert("partitions");
      if (s.network.gst_us > 0) out.insert("gst");
      if (s.workload.clients > 1) out.insert("clients");
      if (s.workload.clients * s.workload.requests_per_client > s.config.watermark_window) out.insert("past window");
      if (s.config.checkpoint_interval != ScenarioSpace{}.checkpoint_intervals.front()) out.insert("interval");
      EXPECT_EQ(s.malicious(), c.malicious);
    }
    return out;
  };
  EXPECT_EQ(seen(CheckSpace{}), (std::set<std::string>{"async", "timed", "drops", "duplicates", "reordering",
                                                       "partitions", "gst", "clients", "past window", "interval"}));
  EXPECT_EQ(seen(CheckSpace{.requests = 2, .clients = 1, .network = NetworkMode::timed}),
            (std::set<std::string>{"timed", "drops", "duplicates", "reordering", "partitions", "gst", "interval"}));
  EXPECT_EQ(seen(CheckSpace{.network = NetworkMode::timed, .calm = true}),
            (std::set<std::string>{"timed", "clients", "past window"}));
}

// A run judged for liveness within a bound has a view-change timeout of at
// least a round trip at the worst delay after GST (§4.5.2's premise); the
// drawn timeouts below it stay in runs that judge safety only.
TEST(ScenarioSpace, JudgedLivenessWaitsAtLeastARoundTrip) {
  ScenarioSpace sp = space::swarm({4});
  space::judge_liveness(sp);
  bool raised = false;
  for (std::uint64_t i = 0; i < 2'000; ++i) {
    Tape t = Tape::from_seed(i);
    const Scenario s = draw(sp, t);
    if (!s.check_liveness) continue;
    const std::uint64_t worst = s.network.max_delay_us + (s.network.tail_probability > 0 ? s.network.tail_max_us : 0);
    ASSERT_GE(s.config.view_change_timeout_us, 2 * worst) << "seed " << i;
    raised |= std::find(std::begin(space::kViewChangeTimeoutsUs), std::end(space::kViewChangeTimeoutsUs),
                        s.config.view_change_timeout_us) == std::end(space::kViewChangeTimeoutsUs);
  }
  EXPECT_TRUE(raised) << "some drawn timeout was below the round trip";
}

TEST(ScenarioSpace, MaliceRules) {
  ScenarioSpace sp;
  const auto drawn = [&](std::uint32_t n, std::uint32_t pick) {
    sp.sizes = {n};
    return draw(sp, [pick](std::uint32_t k) { return pick % k; }).malicious();
  };
  sp.malice = {.rule = Malice::Rule::up_to_f, .count = 4};
  EXPECT_EQ(drawn(4, 0), 0u);
  EXPECT_EQ(drawn(4, 3), 1u);   // clamped to f
  EXPECT_EQ(drawn(10, 2), 2u);
  EXPECT_EQ(drawn(10, 4), 3u);  // f = 3
  sp.malice = {.rule = Malice::Rule::quorum_overlap};
  EXPECT_EQ(drawn(4, 0), 2u);   // f+1
  EXPECT_EQ(drawn(5, 0), 3u);   // quorums of 4 overlap in 3
  EXPECT_EQ(drawn(7, 0), 3u);
  sp.malice = {.rule = Malice::Rule::exactly, .count = 9};
  EXPECT_EQ(drawn(4, 0), 4u);   // at most n
}

// Random picks over the swarm: every scenario is valid and within the
// space, faulty replicas are distinct and listed by replica, liveness is
// judged only where it can hold, and every value of the main knobs shows up.
TEST(ScenarioSpace, EveryDrawIsValidAndEveryValueIsReachable) {
  ScenarioSpace sp = space::swarm({4, 5, 7, 10});
  sp.liveness = true;
  std::set<std::uint32_t> sizes, intervals, clients, requests, faulty;
  std::set<std::uint64_t> timeouts, gsts;
  std::set<double> drops;
  std::set<StrategyKind> strategies;
  int timed = 0, partitioned = 0, judged = 0;
  Tape picks = Tape::from_seed(7);
  for (int i = 0; i < 5'000; ++i) {
    const Scenario s = draw(sp, picks);
    ASSERT_NO_THROW(validate(s)) << i;
    ASSERT_LE(s.malicious(), s.config.f);
    for (std::size_t k = 1; k < s.faults.size(); ++k) ASSERT_LT(s.faults[k - 1].replica, s.faults[k].replica);
    for (const Fault& f : s.faults) strategies.insert(f.strategy);
    ASSERT_EQ(s.check_liveness, s.network.mode == NetworkMode::timed);
    if (s.check_liveness) {
      ASSERT_TRUE(s.network.retransmit);
    }
    sizes.insert(s.config.n);
    intervals.insert(s.config.checkpoint_interval);
    clients.insert(s.workload.clients);
    requests.insert(s.workload.requests_per_client);
    faulty.insert(s.malicious());
    if (!s.check_liveness) timeouts.insert(s.config.view_change_timeout_us);  // judged ones: at least a round trip
    gsts.insert(s.network.gst_us);
    drops.insert(s.network.drop_probability);
    timed += s.network.mode == NetworkMode::timed;
    partitioned += !s.network.partitions.empty();
    judged += s.check_liveness;
  }
  EXPECT_EQ(sizes, (std::set<std::uint32_t>{4, 5, 7, 10}));
  EXPECT_EQ(intervals, (std::set<std::uint32_t>{1, 2, 3, 4}));
  EXPECT_EQ(clients, (std::set<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(requests.size(), 6u);
  EXPECT_EQ(faulty, (std::set<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(timeouts.size(), std::size(space::kViewChangeTimeoutsUs));
  EXPECT_EQ(gsts.size(), std::size(space::kSafetyGstUs));
  EXPECT_EQ(drops.size(), std::size(space::kDropRates));
  EXPECT_EQ(strategies.size(), std::size(kAllStrategies));
  EXPECT_GT(timed, 2'000);
  EXPECT_GT(partitioned, 500);
  EXPECT_EQ(judged, timed);
}

TEST(ScenarioSpace, ValidateNamesWhatCannotBeDrawn) {
  ScenarioSpace sp;
  const auto problem = [&] { return testing::input_error_of([&] { validate(sp); }); };
  EXPECT_EQ(problem(), "");
  sp.requests.clear();
  EXPECT_EQ(problem(), "a knob of the scenario space has no value to draw");
  sp = {};
  sp.fixed_faults = {{5, StrategyKind::silent}};
  EXPECT_NE(problem().find("faulty replica 5"), std::string::npos);
  sp = {};
  sp.sizes = {0};
  EXPECT_NE(problem(), "");
}

}  // namespace
}  // namespace model
