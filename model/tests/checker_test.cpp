// The checkers on hand-made histories: each invariant is reported with the
// right kind and a description naming where; faulty replicas are excluded.
#include <gtest/gtest.h>

#include <string>

#include "helpers.h"
#include "model/checkers.h"
#include "model/scenario.h"

namespace model {
namespace {

using testing::contains;

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
  ASSERT_TRUE(c.failed());
  const Violation& v = *c.violation();
  EXPECT_EQ(v.kind, ViolationKind::agreement);
  EXPECT_EQ(v.replica, 2u);
  EXPECT_EQ(v.seq, 5u);
  EXPECT_TRUE(contains(v.description, "replica 1"));
  EXPECT_TRUE(contains(v.description, "replica 2"));
  EXPECT_TRUE(contains(v.description, "seq 5"));
}

TEST_F(CheckersTest, AgreementAcrossViews) {
  Checkers c(s);
  c.on_commit(3, 0, 2, kD1);
  c.on_commit(1, 4, 2, kD2);
  ASSERT_TRUE(c.failed());
  const Violation& v = *c.violation();
  EXPECT_EQ(v.kind, ViolationKind::agreement);
  EXPECT_EQ(v.replica, 1u);
  EXPECT_EQ(v.view, 4u);
  EXPECT_EQ(v.seq, 2u);
  EXPECT_TRUE(contains(v.description, "replica 3"));
  EXPECT_TRUE(contains(v.description, "view 0"));
  EXPECT_TRUE(contains(v.description, "view 4"));
}

TEST_F(CheckersTest, AgreementBetweenExecutionAndCommit) {
  // An execution is a commit too.
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(0, exec(1, request(0, 1)));
  c.on_commit(1, 1, 1, pbft::kNullDigest);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.violation()->kind, ViolationKind::agreement);
  EXPECT_TRUE(contains(c.violation()->description, "null"));
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
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.violation()->kind, ViolationKind::agreement);
  EXPECT_EQ(c.violation()->replica, 2u);
}

TEST_F(CheckersTest, ValidityUnsubmittedRequest) {
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(1, exec(1, request(0, 1)));  // submitted: fine
  c.on_execute(1, null_exec(2));            // null requests are fine
  EXPECT_FALSE(c.failed());
  c.on_execute(1, exec(3, request(1, 1)));  // client 1 never submitted anything
  ASSERT_TRUE(c.failed());
  const Violation& v = *c.violation();
  EXPECT_EQ(v.kind, ViolationKind::validity);
  EXPECT_EQ(v.replica, 1u);
  EXPECT_EQ(v.seq, 3u);
  EXPECT_TRUE(contains(v.description, "replica 1"));
  EXPECT_TRUE(contains(v.description, "seq 3"));
  EXPECT_TRUE(contains(v.description, "client 1"));
}

TEST_F(CheckersTest, ValidityFutureTimestampOrForgedOperation) {
  {
    Checkers c(s);
    c.on_submit(0, 1, 0);
    c.on_execute(2, exec(1, request(0, 2)));  // timestamp 2 not submitted yet
    ASSERT_TRUE(c.failed());
    EXPECT_EQ(c.violation()->kind, ViolationKind::validity);
  }
  {
    Checkers c(s);
    c.on_submit(0, 1, 0);
    pbft::Request forged = request(0, 1);
    forged.operation ^= 1;
    c.on_execute(2, exec(1, forged));
    ASSERT_TRUE(c.failed());
    EXPECT_EQ(c.violation()->kind, ViolationKind::validity);
  }
}

TEST_F(CheckersTest, IntegrityGap) {
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(2, null_exec(1));
  c.on_execute(2, exec(3, request(0, 1)));  // skips seq 2
  ASSERT_TRUE(c.failed());
  const Violation& v = *c.violation();
  EXPECT_EQ(v.kind, ViolationKind::integrity);
  EXPECT_EQ(v.replica, 2u);
  EXPECT_EQ(v.seq, 3u);
  EXPECT_TRUE(contains(v.description, "replica 2"));
  EXPECT_TRUE(contains(v.description, "seq 3"));
}

TEST_F(CheckersTest, IntegrityRepeatedSequenceNumber) {
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(0, exec(1, request(0, 1)));
  c.on_execute(0, exec(1, request(0, 1)));
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.violation()->kind, ViolationKind::integrity);
  EXPECT_EQ(c.violation()->replica, 0u);
  EXPECT_EQ(c.violation()->seq, 1u);
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
  ASSERT_TRUE(c.failed());
  const Violation& v = *c.violation();
  EXPECT_EQ(v.kind, ViolationKind::integrity);
  EXPECT_EQ(v.replica, 3u);
  EXPECT_EQ(v.seq, 3u);
  EXPECT_TRUE(contains(v.description, "replica 3"));
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
  ASSERT_TRUE(c.failed());
  const Violation& v = *c.violation();
  EXPECT_EQ(v.kind, ViolationKind::client_consistency);
  EXPECT_TRUE(contains(v.description, "client 0"));
  EXPECT_TRUE(contains(v.description, "timestamp 1"));
}

TEST_F(CheckersTest, ClientConsistencyResultForUnexecutedRequest) {
  Checkers c(s);
  c.on_submit(1, 1, 0);
  c.on_client_accept(1, 1, 0x55);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.violation()->kind, ViolationKind::client_consistency);
  EXPECT_TRUE(contains(c.violation()->description, "client 1"));
}

TEST_F(CheckersTest, ClientConsistencyIgnoresFaultyReplicasResults) {
  s.faults = {{2, StrategyKind::random}};
  Checkers c(s);
  c.on_submit(0, 1, 0);
  c.on_execute(2, exec(1, request(0, 1), 0x77));  // only the faulty replica produced 0x77
  c.on_client_accept(0, 1, 0x77);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.violation()->kind, ViolationKind::client_consistency);
}

TEST_F(CheckersTest, LocalSanityTwoPreparesOneSlot) {
  Checkers c(s);
  c.on_honest_send(1, pbft::Prepare{0, 3, kD1, 1});
  c.on_honest_send(1, pbft::Prepare{0, 3, kD1, 1});  // the same prepare again: fine
  c.on_honest_send(1, pbft::Prepare{1, 3, kD2, 1});  // another view: fine
  c.on_honest_send(2, pbft::Prepare{0, 3, kD2, 2});  // another replica: fine
  EXPECT_FALSE(c.failed());
  c.on_honest_send(1, pbft::Prepare{1, 3, kD1, 1});
  ASSERT_TRUE(c.failed());
  const Violation& v = *c.violation();
  EXPECT_EQ(v.kind, ViolationKind::local_sanity);
  EXPECT_EQ(v.replica, 1u);
  EXPECT_EQ(v.view, 1u);
  EXPECT_EQ(v.seq, 3u);
  EXPECT_TRUE(contains(v.description, "replica 1"));
  EXPECT_TRUE(contains(v.description, "seq 3"));
  EXPECT_TRUE(contains(v.description, "PREPARE"));
}

TEST_F(CheckersTest, LocalSanityTwoCommitsOneSlot) {
  Checkers c(s);
  c.on_honest_send(0, pbft::Commit{2, 7, kD1, 0});
  c.on_honest_send(0, pbft::Commit{2, 7, pbft::kNullDigest, 0});
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.violation()->kind, ViolationKind::local_sanity);
  EXPECT_EQ(c.violation()->seq, 7u);
  EXPECT_TRUE(contains(c.violation()->description, "COMMIT"));
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
  c.on_execute(1, exec(1, request(0, 1)));  // one honest replica is not enough
  c.check_liveness(1'101, false);
  ASSERT_TRUE(c.failed());
  const Violation& v = *c.violation();
  EXPECT_EQ(v.kind, ViolationKind::liveness);
  EXPECT_EQ(v.replica, 2u);  // the first honest laggard; 0 is faulty
  EXPECT_TRUE(contains(v.description, "replica 2"));
  EXPECT_TRUE(contains(v.description, "client 0"));
}

TEST_F(CheckersTest, LivenessBoundStartsAtGst) {
  s.check_liveness = true;
  s.liveness_bound_us = 1'000;
  s.network.gst_us = 50'000;
  Checkers c(s);
  c.on_submit(1, 1, 10);
  c.check_liveness(40'000, false);
  c.check_liveness(51'000, true);  // final, at the deadline
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.violation()->kind, ViolationKind::liveness);
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
  for (pbft::ReplicaId r = 0; r < 3; ++r) c.on_execute(r, exec(1, request(0, 1)));
  EXPECT_TRUE(c.all_executed());
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
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.violation()->kind, ViolationKind::local_sanity);
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
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.violation()->kind, ViolationKind::agreement);
  EXPECT_EQ(c.violation()->seq, 1u);
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
