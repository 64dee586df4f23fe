// The sweep: the seed protocol against its analytic success rates, results
// independent of the thread count, full PBFT live and safe for m <= f, and
// the --malicious parser.
#include <cmath>

#include <gtest/gtest.h>

#include "model/seed_protocol.h"
#include "model/sweep.h"
#include "model/sweep_json.h"
#include "model/tests/input_error_of.h"

namespace model {
namespace {

// N shards' JSON, read back and merged, is one sweep's JSON; shards of
// different sweeps, or a missing shard, do not merge.
TEST(SweepShards, ThreeShardsMergedEqualOneSweep) {
  for (Profile profile : {Profile::seed, Profile::pbft}) {
    SweepConfig c{.profile = profile, .n = 4, .malicious = {0, 2}, .trials = 50, .threads = 2};
    const std::string one = sweep_json(run_sweep(c));
    std::vector<SweepResult> shards;
    for (std::uint64_t i : {2u, 0u, 1u}) {
      c.shard = {i, 3};
      shards.push_back(sweep_from_json(nlohmann::json::parse(sweep_json(run_sweep(c))), "shard"));
    }
    EXPECT_EQ(sweep_json(merge_sweeps(shards)), one);
    shards.pop_back();
    EXPECT_NE(testing::input_error_of([&] { merge_sweeps(shards); }), "");
  }
  SweepConfig a{.n = 4, .malicious = {0, 1}, .trials = 10, .shard = {0, 2}};
  SweepConfig b = a;
  b.shard = {1, 2};
  b.seed = 12;
  const std::string error = testing::input_error_of([&] { merge_sweeps({run_sweep(a), run_sweep(b)}); });
  EXPECT_NE(error.find("another sweep"), std::string::npos) << error;
}

TEST(SeedProtocol, AnalyticRatesForTheTutorialsGroup) {
  EXPECT_DOUBLE_EQ(seed_expectation(10, 0).success, 1.0);
  for (std::uint32_t m = 1; m <= 3; ++m) EXPECT_DOUBLE_EQ(seed_expectation(10, m).success, (10.0 - m) / 10.0);
  for (std::uint32_t m = 4; m <= 10; ++m) EXPECT_DOUBLE_EQ(seed_expectation(10, m).success, 0.0);
  // f = 0: a faulty primary's victims each commit their own digest alone.
  EXPECT_DOUBLE_EQ(seed_expectation(3, 1).success, 1.0);
  EXPECT_DOUBLE_EQ(seed_expectation(3, 1).agreement, 2.0 / 3.0);
}

// 2,000 trials per point: the measured rate lies within 4 binomial standard
// deviations of the analytic one (exactly on it when that is 0 or 1).
TEST(SeedProtocol, MeasuredRatesMatchTheAnalyticOnes) {
  for (std::uint32_t m : {0u, 1u, 3u, 4u, 9u}) {
    const SweepConfig c{.n = 10, .malicious = {m, m}, .trials = 2000, .threads = 2};
    const PointResult p = run_sweep(c).points.at(0);
    const double expected = seed_expectation(10, m).success;
    const double sigma = std::sqrt(expected * (1 - expected) / c.trials);
    EXPECT_NEAR(p.success_rate(), expected, 4 * sigma) << "malicious=" << m;
    EXPECT_NEAR(static_cast<double>(p.agreements) / c.trials, seed_expectation(10, m).agreement, 4 * sigma);
    EXPECT_EQ(p.violations, 0u);
    EXPECT_EQ(p.latencies_us.size(), p.successes);
    // Three hops of at most 55 ms each.
    if (!p.latencies_us.empty()) {
      EXPECT_LE(p.latencies_us.back(), 165'000u);
    }
  }
}

TEST(SeedProtocol, AllHonestTrialSendsTheTutorialsMessages) {
  Tape tape = Tape::from_seed(1);
  const SeedTrial t = run_seed_trial({.n = 10, .malicious = 0}, tape);
  EXPECT_TRUE(t.success);
  EXPECT_TRUE(t.agreement);
  EXPECT_EQ(t.sent, 10u + 100u + 100u);  // PRE-PREPAREs, PREPAREs, COMMITs
}

TEST(Sweep, ResultsDoNotDependOnTheThreadCount) {
  for (Profile profile : {Profile::seed, Profile::pbft}) {
    SweepConfig c{.profile = profile, .n = profile == Profile::seed ? 10u : 4u, .trials = 150, .threads = 1};
    c.malicious = {0, profile == Profile::seed ? 9u : 2u};
    const SweepResult one = run_sweep(c);
    c.threads = 4;
    const SweepResult four = run_sweep(c);
    EXPECT_EQ(one.points, four.points);
    EXPECT_EQ(sweep_csv(one), sweep_csv(four));
  }
}

TEST(Sweep, PbftIsLiveAndSafeUpToF) {
  const SweepConfig c{.profile = Profile::pbft, .n = 4, .malicious = {0, 1}, .trials = 100, .threads = 2};
  for (const PointResult& p : run_sweep(c).points) {
    EXPECT_EQ(p.successes, p.trials) << "malicious=" << p.malicious;
    EXPECT_EQ(p.violations, 0u) << "malicious=" << p.malicious;
    EXPECT_TRUE(p.liveness_judged) << "malicious=" << p.malicious;
    EXPECT_EQ(p.liveness_failures, 0u) << "malicious=" << p.malicious;
  }
}

// Liveness is judged where PBFT promises it (the pbft profile, m <= f) and
// reported per point: in the table, the CSV and the JSON, which merges.
TEST(Sweep, LivenessIsJudgedWherePbftPromisesItAndReportedPerPoint) {
  SweepResult r = run_sweep({.profile = Profile::pbft, .n = 4, .malicious = {0, 2}, .trials = 10});
  ASSERT_EQ(r.points.size(), 3u);
  EXPECT_TRUE(r.points[0].liveness_judged);
  EXPECT_TRUE(r.points[1].liveness_judged);
  EXPECT_FALSE(r.points[2].liveness_judged) << "m = 2 > f: PBFT promises nothing";
  for (const PointResult& p : run_sweep({.n = 4, .malicious = {0, 1}, .trials = 10}).points)
    EXPECT_FALSE(p.liveness_judged) << "the seed profile has no liveness to judge";

  r.points[1].liveness_failures = 3;  // as a replica with a liveness bug would
  const std::string table = sweep_table(r);
  EXPECT_NE(table.find(" liveness "), std::string::npos) << table;
  EXPECT_NE(table.find("      n/a "), std::string::npos) << table;
  const std::string csv = sweep_csv(r);
  EXPECT_NE(csv.find(",safety_violations,liveness_failures,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",0,3,"), std::string::npos) << csv;
  const SweepResult back = sweep_from_json(nlohmann::json::parse(sweep_json(r)), "sweep.json");
  EXPECT_EQ(back.points[1].liveness_failures, 3u);
  EXPECT_TRUE(back.points[1].liveness_judged);
  EXPECT_FALSE(back.points[2].liveness_judged);
}

TEST(Sweep, DefaultConfigurationIsTheTutorials) {
  const SweepConfig c;
  EXPECT_EQ(c.n, 10u);
  EXPECT_EQ(c.malicious, (MaliciousRange{0, 9}));
  EXPECT_EQ(c.trials, 6u);
  EXPECT_EQ(c.seed, 11u);
  const SweepResult r = run_sweep(c);
  ASSERT_EQ(r.points.size(), 10u);
  EXPECT_EQ(r.points[0].successes, 6u);
}

TEST(MaliciousRange, ParsesARangeOrANumber) {
  EXPECT_EQ(parse_malicious_range("0..9"), (MaliciousRange{0, 9}));
  EXPECT_EQ(parse_malicious_range("3"), (MaliciousRange{3, 3}));
  EXPECT_EQ(parse_malicious_range("2..2"), (MaliciousRange{2, 2}));
}

TEST(MaliciousRange, RejectsBadInput) {
  for (const char* bad : {"", "..", "5..2", "a..3", "1..", "..4", "-1..2", "1...3", "1..2..3", " 1", "1-3",
                          "99999999999"}) {
    EXPECT_NE(testing::input_error_of([&] { parse_malicious_range(bad); }).find("--malicious"), std::string::npos)
        << bad;
  }
}

TEST(SweepConfig, ValidateNamesTheFlag) {
  const auto problem = [](SweepConfig c) { return testing::input_error_of([&] { validate(c); }); };
  EXPECT_EQ(problem({}), "");
  EXPECT_NE(problem({.n = 0}).find("--n"), std::string::npos);
  EXPECT_NE(problem({.n = 65}).find("--n"), std::string::npos);
  EXPECT_NE(problem({.n = 4, .malicious = {0, 5}}).find("cannot exceed --n"), std::string::npos);
  EXPECT_NE(problem({.trials = 0}).find("--trials"), std::string::npos);
  EXPECT_NE(problem({.strategy = "nonsense"}).find("--strategy"), std::string::npos);
  EXPECT_EQ(problem({.n = 4, .malicious = {4, 4}}), "");  // m = n is allowed, and fails every trial
}

}  // namespace
}  // namespace model
