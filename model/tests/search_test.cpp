// The deterministic search: the reported violation is the smallest failing
// schedule index whatever the thread count, and N shards merged give exactly
// what one search gives.
#include <gtest/gtest.h>

#include "model/search_summary.h"
#include "model/tests/input_error_of.h"

namespace model {
namespace {

// Schedule 235 is the first failing one (the catalog's bug that numbers O's
// sequence numbers again; local sanity sees it quickly). The calm space with
// a fixed workload, where it is found late: many schedules for the threads
// and shards to share (the hostile default finds it at schedule 4).
CheckSpace buggy_space() {
  CheckSpace c;
  c.mutation = pbft::Mutation::newview_issues_before_o;
  c.calm = true;
  c.network = NetworkMode::async;
  c.requests = 4;
  c.clients = 1;
  return c;
}

SearchSummary run_one(const CheckSpace& space, std::uint64_t schedules, Shard shard, unsigned threads) {
  SearchSummary s;
  s.space = space;
  s.schedule_budget = schedules;
  s.shard = shard;
  s.threads = threads;
  SearchProgress progress;
  const SearchOutcome o = search(CheckSchedules(space), {.schedules = schedules, .threads = threads, .shard = shard}, progress);
  s.schedules = o.schedules;
  s.deliveries = o.deliveries;
  s.seconds = o.seconds;
  s.stopped_by = o.stopped_by;
  if (o.violation) s.violation = FoundViolation{.schedule = *o.violation, .counterexample = "ce.jsonl"};
  return s;
}

void expect_same_result(const SearchSummary& merged, const SearchSummary& one) {
  EXPECT_EQ(merged.violation, one.violation);
  EXPECT_EQ(merged.schedules, one.schedules);
  EXPECT_EQ(merged.stopped_by, one.stopped_by);
  EXPECT_EQ(to_json(merged)["n"], to_json(one)["n"]);
  EXPECT_EQ(merged.shard, Shard{});
}

TEST(Search, SmallestFailingIndexWhateverTheThreadCount) {
  const SearchSummary one = run_one(buggy_space(), 2'000, {}, 1);
  ASSERT_TRUE(one.violation);
  EXPECT_EQ(one.violation->schedule, 37u);
  EXPECT_EQ(one.schedules, 38u);
  for (unsigned threads : {2u, 3u}) {
    const SearchSummary many = run_one(buggy_space(), 2'000, {}, threads);
    EXPECT_EQ(many.violation, one.violation) << threads << " threads";
    EXPECT_EQ(many.schedules, one.schedules) << threads << " threads";
  }
}

TEST(Search, ThreeShardsMergedEqualOneSearch) {
  const SearchSummary one = run_one(buggy_space(), 2'000, {}, 2);
  for (std::uint64_t count : {3u, 5u}) {
    std::vector<SearchSummary> shards;
    for (std::uint64_t i = 0; i < count; ++i) shards.push_back(run_one(buggy_space(), 2'000, {i, count}, 2));
    // The failing index belongs to one shard; the others run past it.
    const MergeResult m = merge_shards(shards);
    EXPECT_FALSE(m.caveat);
    expect_same_result(m.merged, one);
  }
}

TEST(Search, ShardsWithoutViolationAddUpToTheBudget) {
  CheckSpace clean;  // the fixed protocol: no violation in 300 schedules
  const SearchSummary one = run_one(clean, 300, {}, 2);
  ASSERT_FALSE(one.violation);
  EXPECT_EQ(one.schedules, 300u);
  std::vector<SearchSummary> shards;
  for (std::uint64_t i = 0; i < 3; ++i) shards.push_back(run_one(clean, 300, {i, 3}, 1));
  EXPECT_EQ(shards[0].schedules + shards[1].schedules + shards[2].schedules, 300u);
  const MergeResult m = merge_shards(shards);
  EXPECT_FALSE(m.caveat);
  expect_same_result(m.merged, one);
  EXPECT_EQ(m.merged.deliveries, shards[0].deliveries + shards[1].deliveries + shards[2].deliveries);
}

TEST(Search, SummaryRoundTripsThroughJson) {
  SearchSummary s = run_one(buggy_space(), 400, {0, 2}, 1);  // 312 is even
  ASSERT_TRUE(s.violation);
  s.violation->kind = "local-sanity";
  s.violation->description = "d";
  const SearchSummary back = summary_from_json(to_json(s), "s.json");
  EXPECT_EQ(to_json(back), to_json(s));
  EXPECT_FALSE(to_json(s).contains("liveness"));  // off: as summaries before --liveness
  s.space.liveness = true;
  s.space.gst_us = 300'000;
  const SearchSummary live = summary_from_json(to_json(s), "s.json");
  EXPECT_EQ(live.space, s.space);
  EXPECT_EQ(to_json(live)["liveness"]["gst_us"], 300'000);
}

// A schedule space whose schedule 300 cannot be built (as a plug-in that
// fails in the middle of a search): the error reaches the caller on its own
// thread, whatever the thread count, instead of terminating the process.
class FailingSchedules final : public ScheduleSpace {
 public:
  Scenario scenario(std::uint64_t i) const override {
    if (i == 300) throw InputError("schedule 300 cannot be built");
    return base_.scenario(i);
  }
  Tape tape(std::uint64_t i) const override { return base_.tape(i); }

 private:
  CheckSchedules base_{CheckSpace{}};
};

TEST(Search, AWorkersErrorStopsTheSearchAndReachesTheCaller) {
  for (unsigned threads : {1u, 2u, 4u}) {
    SearchProgress progress;
    EXPECT_EQ(testing::input_error_of([&] {
                search(FailingSchedules(), {.schedules = 100'000, .threads = threads}, progress);
              }),
              "schedule 300 cannot be built")
        << threads << " thread(s)";
    EXPECT_LT(progress.done.load(), 100'000u);  // the others stopped
  }
}

// Why merge_shards refused, or "" when it merged.
std::string merge_error(std::vector<SearchSummary> shards) {
  return testing::input_error_of([&] { merge_shards(std::move(shards)); });
}

TEST(Search, MergeRefusesShardsThatDoNotBelongTogether) {
  CheckSpace clean;
  const SearchSummary a = run_one(clean, 10, {0, 2}, 1), b = run_one(clean, 10, {1, 2}, 1);
  EXPECT_NE(merge_error({a}).find("1 summaries for a search in 2 shards"), std::string::npos);
  EXPECT_NE(merge_error({a, a}).find("shard 1 is missing or given twice"), std::string::npos);
  SearchSummary other = b;
  other.space.seed = 7;
  EXPECT_NE(merge_error({a, other}).find("\"seed\" is 7"), std::string::npos);
  SearchSummary plugged = b;
  plugged.replica = "my replica";  // a plug-in's shard does not merge with the built-in's
  EXPECT_NE(merge_error({a, plugged}).find("\"replica\" is \"my replica\", shard 0 has \"built-in\""),
            std::string::npos);
  SearchSummary calm = b;
  calm.space.calm = true;  // nor does a calm search with a hostile one
  EXPECT_NE(merge_error({a, calm}).find("\"calm\" is true"), std::string::npos) << merge_error({a, calm});
  SearchSummary live = b;
  live.space.liveness = true;  // nor does a liveness search with a safety one
  EXPECT_NE(merge_error({a, live}).find("\"liveness\""), std::string::npos) << merge_error({a, live});
  EXPECT_EQ(merge_error({b, a}), "");
}

TEST(Search, AShardStoppedEarlyLeavesTheViolationUnproven) {
  const SearchSummary found = run_one(buggy_space(), 2'000, {0, 2}, 1);  // its first: 254
  ASSERT_TRUE(found.violation);
  SearchSummary early = run_one(buggy_space(), 2'000, {1, 2}, 1);
  early.stopped_by = StopReason::time_limit;  // as if its time ran out
  early.violation.reset();
  early.schedules = 10;
  const MergeResult m = merge_shards({found, early});
  ASSERT_TRUE(m.caveat);
  EXPECT_NE(m.caveat->find("not proven the smallest"), std::string::npos) << *m.caveat;
  EXPECT_EQ(m.merged.stopped_by, StopReason::time_limit);
  EXPECT_EQ(m.merged.violation->schedule, 254u);
}

TEST(Search, MergeRefusesAViolationOutsideItsShard) {
  SearchSummary a = run_one(buggy_space(), 2'000, {0, 2}, 1);
  SearchSummary b = run_one(buggy_space(), 2'000, {1, 2}, 1);
  ASSERT_TRUE(a.violation);
  a.violation->schedule = 313;  // odd: shard 1's
  EXPECT_NE(merge_error({a, b}).find("reports schedule 313, which is not one of its own"), std::string::npos);
  SearchSummary other_count = run_one(CheckSpace{}, 10, {1, 3}, 1);
  other_count.stopped_by = StopReason::schedules;
  EXPECT_NE(merge_error({b, other_count}).find("belongs to a search in 3 shards"), std::string::npos);
}

TEST(Search, AnInterruptStopsBeforeClaimingMore) {
  std::atomic<bool> interrupt{true};
  SearchProgress progress;
  const SearchOutcome o =
      search(CheckSchedules(buggy_space()), {.schedules = 2'000, .threads = 2, .interrupt = &interrupt}, progress);
  EXPECT_FALSE(o.violation);
  EXPECT_EQ(o.schedules, 0u);
  EXPECT_EQ(o.stopped_by, StopReason::interrupted);
}

TEST(Search, ParsesShards) {
  EXPECT_EQ(parse_shard("2/3"), (Shard{2, 3}));
  EXPECT_EQ(parse_shard("0/1"), (Shard{0, 1}));
  for (const char* bad : {"3/3", "1/0", "a/2", "1/", "/2", "1", "-1/2", "1/2/3", ""})
    EXPECT_FALSE(parse_shard(bad)) << bad;
  EXPECT_EQ(shard_size({1, 3}, 10), 3u);  // 1, 4, 7
  EXPECT_EQ(shard_size({0, 3}, 10), 4u);  // 0, 3, 6, 9
  EXPECT_EQ(shard_size({5, 8}, 3), 0u);
}

}  // namespace
}  // namespace model
