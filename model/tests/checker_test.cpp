// The checkers on hand-made histories: each invariant is reported with the
// right kind and a description naming where; faulty replicas are excluded.
#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "helpers.h"
#include "model/checkers.h"
#include "model/scenario.h"

namespace model {
namespace {

// The checkers failed with a violation of `kind`, at `replica` and `seq` when
// given, whose description mentions each of `mentions`.
::testing::AssertionResult reported(const Checkers& c, ViolationKind kind, std::optional<pbft::ReplicaId> replica = {},
                                    std::optional<pbft::Seq> seq = {},
                                    std::initializer_list<std::string_view> mentions = {}) {
  if (!c.failed()) return ::testing::AssertionFailure() << "no violation (wanted " << violation_name(kind) << ")";
  const Violation& v = *c.violation();
  const auto wrong = [&] {
    return ::testing::AssertionFailure() << violation_name(v.kind) << " at replica " << v.replica << " view " << v.view
                                         << " seq " << v.seq << " (\"" << v.description << "\"): ";
  };
  if (v.kind != kind) return wrong() << "wanted " << violation_name(kind);
  if (replica && v.replica != *replica) return wrong() << "wanted replica " << *replica;
  if (seq && v.seq != *seq) return wrong() << "wanted seq " << *seq;
  for (std::string_view m : mentions)
    if (v.description.find(m) == std::string::npos) return wrong() << "the description does not mention \"" << m << "\"";
  return ::testing::AssertionSuccess();
}

pbft::Request request(pbft::ClientId c, pbft::Timestamp t) { return {c, t, operation_for(c, t)}; }

pbft::Execution exec(pbft::Seq n, const pbft::Request& r, std::uint64_t result = 0, pbft::View v = 0) {
  return {.seq = n, .view = v, .digest = pbft::digest_of(r), .request = r, .applied = true,
          .result = result ? result : 0x1000 + n};
}

pbft::Execution null_exec(pbft::Seq n, pbft::View v = 0) {
  return {.seq = n, .view = v, .digest = pbft::kNullDigest, .request = {}, .applied = false, .result = 0};
}

class CheckersTest : public ::testing::Test {
 protected:
  CheckersTest() {
    s.config = pbft::make_config(4);
    s.workload.clients = 2;
    s.workload.requests_per_client = 3;
  }
  Scenario s;
};

constexpr pbft::Digest kD1 = 0x1111, kD2 = 0x2222;

TEST_F(CheckersTest, MatchingCommitsAreFine) {
  Checkers c(s);
  for (pbft::ReplicaId r = 0; r < 4; ++r) c.on_commit(r, 0, 1, kD1);
  c.on_commit(2, 1, 1, kD1);  // the same digest in a later view
  EXPECT_FALSE(c.failed());
}

TEST_F(CheckersTest, AgreementSameView) {
  Checkers c(s);
  c.on_commit(1, 0, 5, kD1);
  c.on_commit(2, 0, 5, kD2);
  EXPECT_TRUE(reported(c, ViolationKind::agreement, 2u, 5u, {"replica 1", "replica 2", "seq 5"}));
}

TEST_F(CheckersTest, AgreementAcrossViews) {
  Checkers c(s);
  c.on_commit(3, 0, 2, kD1);
  c.on_commit(1, 4, 2, kD2);
  ASSERT_TRUE(reported(c, ViolationKind::agreement, 1u, 2u, {"replica 3", "view 0", "view 4"}));
  EXPECT_EQ(c.violation()->view, 4u);
}

TEST_F(CheckersTest, AgreementBetweenExecutionAndCommit) {
  // An execution is a commit too.
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(0, exec(1, request(0, 1)));
  c.on_commit(1, 1, 1, pbft::kNullDigest);
  EXPECT_TRUE(reported(c, ViolationKind::agreement, {}, {}, {"null"}));
}

TEST_F(CheckersTest, FaultyReplicasConflictingCommitsAreNotReported) {
  s.faults = {{3, StrategyKind::equivocate}};
  Checkers c(s);
  c.on_commit(3, 0, 1, kD2);  // the faulty one first: it must not become the decision
  c.on_commit(0, 0, 1, kD1);
  c.on_commit(3, 0, 1, kD2);
  c.on_commit(1, 0, 1, kD1);
  c.on_commit(3, 1, 1, pbft::kNullDigest);
  // A faulty replica's out-of-order or invented executions are not judged either.
  c.on_execute(3, exec(7, request(1, 3)));
  c.on_execute(3, exec(7, request(1, 3)));
  c.on_honest_send(0, pbft::Prepare{0, 2, kD1, 0});
  EXPECT_FALSE(c.failed()) << c.violation()->description;
  // The honest replicas still are.
  c.on_commit(2, 0, 1, kD2);
  EXPECT_TRUE(reported(c, ViolationKind::agreement, 2u));
}

TEST_F(CheckersTest, ValidityUnsubmittedRequest) {
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(1, exec(1, request(0, 1)));  // submitted: fine
  c.on_execute(1, null_exec(2));            // null requests are fine
  EXPECT_FALSE(c.failed());
  c.on_execute(1, exec(3, request(1, 1)));  // client 1 never submitted anything
  EXPECT_TRUE(reported(c, ViolationKind::validity, 1u, 3u, {"replica 1", "seq 3", "client 1"}));
}

TEST_F(CheckersTest, ValidityFutureTimestampOrForgedOperation) {
  {
    Checkers c(s);
    c.on_submit(0, 1, 0);
    c.on_execute(2, exec(1, request(0, 2)));  // timestamp 2 not submitted yet
    EXPECT_TRUE(reported(c, ViolationKind::validity));
  }
  {
    Checkers c(s);
    c.on_submit(0, 1, 0);
    pbft::Request forged = request(0, 1);
    forged.operation ^= 1;
    c.on_execute(2, exec(1, forged));
    EXPECT_TRUE(reported(c, ViolationKind::validity));
  }
}

TEST_F(CheckersTest, IntegrityGap) {
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(2, null_exec(1));
  c.on_execute(2, exec(3, request(0, 1)));  // skips seq 2
  EXPECT_TRUE(reported(c, ViolationKind::integrity, 2u, 3u, {"replica 2", "seq 3"}));
}

TEST_F(CheckersTest, IntegrityRepeatedSequenceNumber) {
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(0, exec(1, request(0, 1)));
  c.on_execute(0, exec(1, request(0, 1)));
  EXPECT_TRUE(reported(c, ViolationKind::integrity, 0u, 1u));
}

TEST_F(CheckersTest, IntegrityRequestAppliedTwice) {
  Checkers c(s);
  c.on_submit(1, 1, 0);
  c.on_execute(3, exec(1, request(1, 1)));
  pbft::Execution dup = exec(2, request(1, 1));
  dup.applied = false;  // a duplicate timestamp that is skipped: fine
  c.on_execute(3, dup);
  EXPECT_FALSE(c.failed());
  c.on_execute(3, exec(3, request(1, 1)));  // applied again
  EXPECT_TRUE(reported(c, ViolationKind::integrity, 3u, 3u, {"replica 3"}));
}

TEST_F(CheckersTest, ClientConsistencyMatchingResultIsFine) {
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(1, exec(1, request(0, 1), 0xabc));
  c.on_client_accept(0, 1, 0xabc);
  EXPECT_FALSE(c.failed());
}

TEST_F(CheckersTest, ClientConsistencyResultNoHonestReplicaProduced) {
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(1, exec(1, request(0, 1), 0xabc));
  c.on_client_accept(0, 1, 0xdef);
  EXPECT_TRUE(reported(c, ViolationKind::client_consistency, {}, {}, {"client 0", "timestamp 1"}));
}

TEST_F(CheckersTest, ClientConsistencyResultForUnexecutedRequest) {
  Checkers c(s);
  c.on_submit(1, 1, 0);
  c.on_client_accept(1, 1, 0x55);
  EXPECT_TRUE(reported(c, ViolationKind::client_consistency, {}, {}, {"client 1"}));
}

TEST_F(CheckersTest, ClientConsistencyIgnoresFaultyReplicasResults) {
  s.faults = {{2, StrategyKind::random}};
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(2, exec(1, request(0, 1), 0x77));  // only the faulty replica produced 0x77
  c.on_client_accept(0, 1, 0x77);
  EXPECT_TRUE(reported(c, ViolationKind::client_consistency));
}

TEST_F(CheckersTest, AgreementOnResultsAcrossHonestExecutions) {
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(0, exec(1, request(0, 1), 0xabc));
  c.on_execute(1, exec(1, request(0, 1), 0xabc));  // the same result: fine
  EXPECT_FALSE(c.failed());
  // Every commit agreed, but replica 2's state diverged before seq 1.
  c.on_execute(2, exec(1, request(0, 1), 0xdef));
  EXPECT_TRUE(reported(c, ViolationKind::agreement, 2u, 1u,
                       {"agreement on results", "replica 2 computed 0000000000000def", "client 0's timestamp 1"}));
}

TEST_F(CheckersTest, ClientConsistencyWantsTheCommittedResultNotAnyHonestOne) {
  s.faults = {{3, StrategyKind::random}};
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(0, exec(1, request(0, 1), 0xabc));
  c.on_execute(3, exec(1, request(0, 1), 0xdef));  // faulty: neither judged nor the history
  c.on_client_accept(0, 1, 0xdef);
  EXPECT_TRUE(reported(c, ViolationKind::client_consistency, {}, {},
                       {"client 0", "timestamp 1", "committed history is 0000000000000abc"}));
}

TEST_F(CheckersTest, LocalSanityTwoPreparesOneSlot) {
  Checkers c(s);
  c.on_honest_send(1, pbft::Prepare{0, 3, kD1, 1});
  c.on_honest_send(1, pbft::Prepare{0, 3, kD1, 1});  // the same prepare again: fine
  c.on_honest_send(1, pbft::Prepare{1, 3, kD2, 1});  // another view: fine
  c.on_honest_send(2, pbft::Prepare{0, 3, kD2, 2});  // another replica: fine
  EXPECT_FALSE(c.failed());
  c.on_honest_send(1, pbft::Prepare{1, 3, kD1, 1});
  ASSERT_TRUE(reported(c, ViolationKind::local_sanity, 1u, 3u, {"replica 1", "seq 3", "PREPARE"}));
  EXPECT_EQ(c.violation()->view, 1u);
}

TEST_F(CheckersTest, LocalSanityTwoCommitsOneSlot) {
  Checkers c(s);
  c.on_honest_send(0, pbft::Commit{2, 7, kD1, 0});
  c.on_honest_send(0, pbft::Commit{2, 7, pbft::kNullDigest, 0});
  EXPECT_TRUE(reported(c, ViolationKind::local_sanity, {}, 7u, {"COMMIT"}));
}

TEST_F(CheckersTest, LocalSanityTwoPrePreparesOneSlotIncludingNewViewsO) {
  Checkers c(s);
  const pbft::Request a = request(0, 1), b = request(0, 2);
  c.on_honest_send(1, pbft::PrePrepare{5, 11, pbft::digest_of(a), a, 1});
  c.on_honest_send(1, pbft::PrePrepare{5, 12, pbft::digest_of(a), a, 1});  // another seq: fine
  c.on_honest_send(1, pbft::PrePrepare{6, 11, pbft::digest_of(b), b, 1});  // another view: fine
  EXPECT_FALSE(c.failed());
  // A NEW-VIEW's O is the new primary's pre-prepares: one for (7, 13), then another.
  auto nv = std::make_shared<const pbft::NewView>(
      pbft::NewView{.view = 7, .view_changes = {}, .pre_prepares = {{7, 13, pbft::digest_of(a), a, 3}}, .replica = 3});
  c.on_honest_send(3, nv);
  EXPECT_FALSE(c.failed());
  c.on_honest_send(3, pbft::PrePrepare{7, 13, pbft::digest_of(b), b, 3});
  ASSERT_TRUE(reported(c, ViolationKind::local_sanity, 3u, 13u, {"replica 3", "PRE-PREPARE", "view 7"}));
}

TEST_F(CheckersTest, LocalSanityTwoCheckpointsOneSeq) {
  s.config.checkpoint_interval = 2;  // honest replicas checkpoint at multiples of K
  s.config.watermark_window = 4;
  Checkers c(s);
  c.on_honest_send(2, pbft::Checkpoint{4, kD1, 2});
  c.on_honest_send(2, pbft::Checkpoint{4, kD1, 2});  // resent: fine
  c.on_honest_send(2, pbft::Checkpoint{6, kD2, 2});
  EXPECT_FALSE(c.failed());
  c.on_honest_send(2, pbft::Checkpoint{4, kD2, 2});
  EXPECT_TRUE(reported(c, ViolationKind::local_sanity, 2u, 4u, {"CHECKPOINT"}));
}

TEST_F(CheckersTest, AgreementOnStateAcrossHonestCheckpoints) {
  s.config.checkpoint_interval = 2;
  s.config.watermark_window = 4;
  Checkers c(s);
  c.on_honest_send(0, pbft::Checkpoint{4, kD1, 0});
  c.on_honest_send(1, pbft::Checkpoint{4, kD1, 1});  // the same state: fine
  c.on_honest_send(1, pbft::Checkpoint{6, kD2, 1});  // another checkpoint: fine
  c.on_honest_send(0, pbft::Checkpoint{6 + 2 * 9, kD1, 0});  // a slot reused far later: not compared
  EXPECT_FALSE(c.failed());
  // Every commit may have agreed, but replica 2 holds another state at 4.
  c.on_honest_send(2, pbft::Checkpoint{4, kD2, 2});
  EXPECT_TRUE(reported(c, ViolationKind::agreement, 2u, 4u,
                       {"agreement on state", "replica 0 checkpointed", "replica 2 checkpointed"}));
}

TEST_F(CheckersTest, LocalSanityTwoRepliesOneRequest) {
  Checkers c(s);
  c.on_honest_send(1, pbft::Reply{0, 3, 0, 1, 0x10});
  c.on_honest_send(1, pbft::Reply{2, 3, 0, 1, 0x10});  // resent from a later view: fine
  EXPECT_FALSE(c.failed());
  c.on_honest_send(1, pbft::Reply{2, 3, 0, 1, 0x11});
  EXPECT_TRUE(reported(c, ViolationKind::local_sanity, 1u, {}, {"REPLY", "client 0", "timestamp 3"}));
}

TEST_F(CheckersTest, LocalSanityTwoViewChangesOrNewViewsOneView) {
  Checkers c(s);
  const auto vc = [](pbft::Seq stable) {
    return std::make_shared<const pbft::ViewChange>(pbft::ViewChange{.new_view = 4, .stable_seq = stable, .replica = 0});
  };
  c.on_honest_send(0, vc(0));
  c.on_honest_send(0, vc(0));  // the same content again: fine
  EXPECT_FALSE(c.failed());
  c.on_honest_send(0, vc(2));
  EXPECT_TRUE(reported(c, ViolationKind::local_sanity, 0u, {}, {"VIEW-CHANGE", "view 4"}));

  Checkers d(s);
  const auto nv = [](std::vector<pbft::PrePrepare> o) {
    return std::make_shared<const pbft::NewView>(pbft::NewView{.view = 5, .view_changes = {}, .pre_prepares = std::move(o), .replica = 1});
  };
  d.on_honest_send(1, nv({}));
  EXPECT_FALSE(d.failed());
  d.on_honest_send(1, nv({{5, 1, pbft::kNullDigest, {}, 1}}));
  EXPECT_TRUE(reported(d, ViolationKind::local_sanity, 1u, {}, {"NEW-VIEW", "view 5"}));
}

TEST_F(CheckersTest, LivenessAfterTheBound) {
  s.check_liveness = true;
  s.liveness_bound_us = 1'000;
  s.network.gst_us = 0;
  s.faults = {{0, StrategyKind::silent}};
  Checkers c(s);
  c.on_submit(0, 1, 100);
  c.check_liveness(1'100, false);  // exactly at the deadline: not yet
  EXPECT_FALSE(c.failed());
  c.on_execute(1, exec(1, request(0, 1)));  // executed somewhere, but the client has no answer
  c.check_liveness(1'101, false);
  // 0 is faulty: three honest replicas, one executed it.
  EXPECT_TRUE(reported(c, ViolationKind::liveness, {}, {}, {"client 0", "request 1", "1 of 3 honest"}));
}

TEST_F(CheckersTest, LivenessBoundStartsAtGst) {
  s.check_liveness = true;
  s.liveness_bound_us = 1'000;
  s.network.gst_us = 50'000;
  Checkers c(s);
  c.on_submit(1, 1, 10);
  // Submitted at 10 us: 40 ms is long past submission + bound (1'010 us) but
  // before max(GST, submission) + bound = 51'000 us.
  c.check_liveness(40'000, false);
  EXPECT_FALSE(c.failed()) << "deadline is max(GST, submit) + bound";
  c.check_liveness(51'000, false);  // at the deadline, not final: not yet
  EXPECT_FALSE(c.failed());
  c.check_liveness(51'000, true);  // final, at the deadline
  EXPECT_TRUE(reported(c, ViolationKind::liveness, 0u, {}, {"client 1"}));
}

// The backoff a replica reached by GST is paid after it (§4.5.2): the deadline
// allows the longest timer set by GST, or the first each honest replica sets
// after it, doubled for up to f views with faulty primaries: L·(2^(f+1) − 1).
TEST_F(CheckersTest, LivenessAllowsTheBackoffReachedByGst) {
  s.check_liveness = true;
  s.liveness_bound_us = 1'000;
  s.network.gst_us = 50'000;
  ASSERT_EQ(s.config.f, 1u);
  Checkers c(s);
  c.on_submit(1, 1, 10);
  c.on_honest_timer(2, 40'000, 2'000);  // before GST
  c.on_honest_timer(3, 60'000, 3'000);  // replica 3's first after GST: L = 3 ms
  c.on_honest_timer(3, 70'000, 9'000);  // a later doubling: allowed for, not counted
  EXPECT_EQ(c.timer_credit_us(), 9'000u);
  c.check_liveness(60'000, false);  // 51'000 + 9'000: at the deadline
  EXPECT_FALSE(c.failed()) << "the bound and the backoff";
  c.check_liveness(60'001, false);
  EXPECT_TRUE(reported(c, ViolationKind::liveness, {}, {}, {"client 1", "plus 9000 us for the view-change backoff"}));
}

TEST_F(CheckersTest, LivenessIsTheClientsAnswer) {
  s.check_liveness = true;
  s.liveness_bound_us = 1'000;
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_submit(0, 2, 10);
  c.on_execute(1, exec(1, request(0, 1)));
  c.on_client_accept(0, 1, 0x1000 + 1);  // exec()'s result for seq 1
  c.check_liveness(5'000, true);  // request 1 answered, request 2 not
  EXPECT_TRUE(reported(c, ViolationKind::liveness, {}, {}, {"request 2"}));
}

TEST_F(CheckersTest, LivenessSatisfiedOrNotChecked) {
  s.liveness_bound_us = 1'000;
  {
    Checkers c(s);  // check_liveness off
    c.on_submit(0, 1, 0);
    c.check_liveness(1'000'000, true);
    EXPECT_FALSE(c.failed());
  }
  s.check_liveness = true;
  s.faults = {{3, StrategyKind::silent}};
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(0, exec(1, request(0, 1)));
  c.on_client_accept(0, 1, 0x1000 + 1);  // exec()'s result for seq 1
  EXPECT_FALSE(c.all_executed());  // replicas 1 and 2 lag: not a liveness violation
  c.check_liveness(1'000'000, true);
  EXPECT_FALSE(c.failed());
}

TEST_F(CheckersTest, AllExecutedTracksHonestReplicas) {
  s.faults = {{1, StrategyKind::silent}};
  Checkers c(s);
  EXPECT_TRUE(c.all_executed());
  c.on_submit(0, 1, 0);
  EXPECT_FALSE(c.all_executed());
  for (pbft::ReplicaId r : {0u, 2u}) c.on_execute(r, exec(1, request(0, 1)));
  EXPECT_FALSE(c.all_executed());
  c.on_execute(3, exec(1, request(0, 1)));
  EXPECT_TRUE(c.all_executed());
  EXPECT_FALSE(c.failed());
}

TEST_F(CheckersTest, KeepsTheFirstViolation) {
  Checkers c(s);
  c.on_honest_send(1, pbft::Prepare{0, 1, kD1, 1});
  c.on_honest_send(1, pbft::Prepare{0, 1, kD2, 1});
  c.on_commit(1, 0, 1, kD1);
  c.on_commit(2, 0, 1, kD2);
  EXPECT_TRUE(reported(c, ViolationKind::local_sanity, 1u));
}

TEST_F(CheckersTest, AgreementAcrossViewsAfterEveryoneExecuted) {
  // Every honest replica executed seq 1 with the client's request; later an
  // honest replica commits the null request at seq 1 in view 1 (what a NEW-VIEW
  // that lost the prepared certificate would make it do). Two honest replicas
  // then committed different requests at one sequence number across views.
  Checkers c(s);
  c.on_submit(0, 1, 0);
  for (pbft::ReplicaId r = 0; r < 4; ++r) c.on_execute(r, exec(1, request(0, 1)));
  ASSERT_FALSE(c.failed());
  c.on_commit(2, 1, 1, pbft::kNullDigest);
  EXPECT_TRUE(reported(c, ViolationKind::agreement, 2u, 1u));
}

TEST(ViolationNames, RoundTrip) {
  for (int i = 0; i < 6; ++i) {
    const auto k = static_cast<ViolationKind>(i);
    EXPECT_EQ(parse_violation(violation_name(k)), k);
  }
  EXPECT_FALSE(parse_violation("nonsense"));
}

}  // namespace
}  // namespace model
