// The normal case (§4.2): REQUEST → PRE-PREPARE → PREPARE → COMMIT → execute in
// sequence order → REPLY, driven message by message.
#include <gtest/gtest.h>

#include "tests/cluster.h"
#include "tests/scenarios.h"

namespace pbft::test {
namespace {

class NormalCase : public ::testing::TestWithParam<std::uint32_t> {};

// §4.2: every replica executes the request at seq 1 with the same result and
// the client accepts f+1 matching replies (§4.1).
TEST_P(NormalCase, RequestExecutesAtSeq1EverywhereWithMatchingReplies) {
  Cluster c(test_config(GetParam(), 4, 8));
  const Request r = request(0, 1);
  c.submit(0, r);
  c.deliver_all();
  const std::uint64_t result = c.executions(0).at(0).result;
  for (ReplicaId i = 0; i < c.size(); ++i) {
    SCOPED_TRACE(i);
    ASSERT_EQ(c.executions(i).size(), 1u);
    const Execution& e = c.executions(i)[0];
    EXPECT_EQ(e.seq, 1u);
    EXPECT_EQ(e.view, 0u);
    EXPECT_EQ(e.digest, digest_of(r));
    EXPECT_EQ(e.request, r);
    EXPECT_TRUE(e.applied);
    EXPECT_EQ(e.result, result);
    EXPECT_EQ(c.replica(i).last_executed(), 1u);
    EXPECT_TRUE(c.replica(i).committed(1));
    EXPECT_EQ(c.replica(i).service_state(), c.replica(0).service_state());
  }
  EXPECT_GE(c.matching_replies(0, 1), c.config().f + 1);
  EXPECT_EQ(c.matching_replies(0, 1), c.size());
}

// §4.2: requests are executed in sequence-number order 1, 2, 3, …
TEST_P(NormalCase, SeveralRequestsExecuteInOrder) {
  Cluster c(test_config(GetParam(), 4, 8));
  std::vector<Request> sent;
  for (Timestamp t = 1; t <= 5; ++t) {
    sent.push_back(request(static_cast<ClientId>(t % 3), t));
    c.submit(0, sent.back());  // queued together: the primary pipelines them
  }
  c.deliver_all();
  for (ReplicaId i = 0; i < c.size(); ++i) {
    SCOPED_TRACE(i);
    ASSERT_EQ(c.executions(i).size(), sent.size());
    for (std::size_t k = 0; k < sent.size(); ++k) {
      EXPECT_EQ(c.executions(i)[k].seq, k + 1);
      EXPECT_EQ(c.executions(i)[k].request, sent[k]);
      EXPECT_EQ(c.executions(i)[k].result, c.executions(0)[k].result);
    }
  }
  for (const Request& r : sent) EXPECT_EQ(c.matching_replies(r.client, r.timestamp), c.size());
}

INSTANTIATE_TEST_SUITE_P(Groups, NormalCase, ::testing::Values(4u, 7u, 10u),
                         [](const auto& tp) { return std::string("n").append(std::to_string(tp.param)); });

// §4.2: prepared(m, v, n, i) needs the pre-prepare and 2f matching prepares
// from distinct backups (i's own prepare counts); the primary sends none.
TEST(NormalCase, PreparedNeedsPrePrepareAnd2fMatchingPrepares) {
  for (std::uint32_t n : {4u, 7u}) {
    SCOPED_TRACE(n);
    Cluster c(test_config(n, 4, 8));
    // Only replica 1 sees the pre-prepare; it prepares alone.
    const Digest d = pre_prepare_only_at(c, 1, request(0, 1));
    EXPECT_EQ(c.replica(1).accepted_digest(1), d);
    EXPECT_FALSE(c.replica(1).prepared(1));
    // Feed replica 1 prepares from other backups one at a time.
    std::uint32_t prepares = 1;  // its own
    for (ReplicaId b = 2; b < n; ++b) {
      c.inject(b, 1, Prepare{0, 1, d, b});
      ++prepares;
      EXPECT_EQ(c.replica(1).prepared(1), prepares >= 2 * c.config().f) << prepares << " prepares";
    }
    EXPECT_EQ(c.count_events(1, EventKind::prepared), 1u);
  }
}

// §4.2: a prepare for another digest does not count toward prepared.
TEST(NormalCase, PreparesMustMatchThePrePrepareDigest) {
  Cluster c(test_config());
  const Digest d = pre_prepare_only_at(c, 1, request(0, 1));
  c.inject(2, 1, Prepare{0, 1, digest_of(request(0, 2)), 2});
  EXPECT_FALSE(c.replica(1).prepared(1));
  c.inject(3, 1, Prepare{0, 1, d, 3});
  EXPECT_TRUE(c.replica(1).prepared(1));
}

// §4.2: the primary's prepare is not a backup's: it never counts.
TEST(NormalCase, PrimaryPrepareIsNotCounted) {
  Cluster c(test_config());
  const Digest d = pre_prepare_only_at(c, 1, request(0, 1));
  const Effects e = c.inject(0, 1, Prepare{0, 1, d, 0});
  EXPECT_FALSE(c.replica(1).prepared(1));
  ASSERT_EQ(e.events.size(), 1u);
  EXPECT_EQ(e.events[0].detail, Rejection::bad_sender);
}

// §4.2: committed-local needs prepared plus 2f+1 matching commits (own included).
TEST(NormalCase, CommittedNeedsPreparedAnd2fPlus1MatchingCommits) {
  Cluster c(test_config());
  const Request r = request(0, 1);
  const Digest d = digest_of(r);
  c.submit(0, r);
  c.deliver_if(!of_kind(MessageKind::commit));
  c.drop_if(of_kind(MessageKind::commit));
  ASSERT_TRUE(c.replica(1).prepared(1));
  EXPECT_FALSE(c.replica(1).committed(1));  // own commit only
  c.inject(2, 1, Commit{0, 1, d ^ 1, 2});   // wrong digest: no vote
  EXPECT_FALSE(c.replica(1).committed(1));
  c.inject(0, 1, Commit{0, 1, d, 0});  // the primary's commit counts
  EXPECT_FALSE(c.replica(1).committed(1)) << "2 of 2f+1 = 3";
  EXPECT_TRUE(c.executions(1).empty());
  c.inject(3, 1, Commit{0, 1, d, 3});
  EXPECT_TRUE(c.replica(1).committed(1));
  ASSERT_EQ(c.executions(1).size(), 1u);
  EXPECT_EQ(c.executions(1)[0].digest, d);
}

// §4.2: commits that arrive before the replica prepared are counted once it does.
TEST(NormalCase, EarlyCommitsCountOncePrepared) {
  Cluster c(test_config());
  const Digest d = pre_prepare_only_at(c, 1, request(0, 1));
  c.inject(0, 1, Commit{0, 1, d, 0});
  c.inject(3, 1, Commit{0, 1, d, 3});
  EXPECT_FALSE(c.replica(1).committed(1));
  c.inject(2, 1, Prepare{0, 1, d, 2});  // prepared → own commit → 3 commits
  EXPECT_TRUE(c.replica(1).committed(1));
  EXPECT_EQ(c.replica(1).last_executed(), 1u);
}

// §4.2: execution waits for every lower sequence number to commit.
TEST(NormalCase, ExecutionWaitsForLowerSequenceNumbers) {
  Cluster c(test_config(4, 4, 8));
  c.submit(0, request(0, 1));
  c.submit(0, request(1, 1));
  // Hold back everything about seq 1 for replica 2.
  const MessagePred seq1_to_2 = [](const InFlight& m) {
    if (m.to != 2) return false;
    if (auto* p = std::get_if<PrePrepare>(&m.message)) return p->seq == 1;
    if (auto* p = std::get_if<Prepare>(&m.message)) return p->seq == 1;
    if (auto* p = std::get_if<Commit>(&m.message)) return p->seq == 1;
    return false;
  };
  c.deliver_if(!seq1_to_2);
  EXPECT_TRUE(c.replica(2).committed(2));
  EXPECT_TRUE(c.executions(2).empty());
  c.deliver_all();
  ASSERT_EQ(c.executions(2).size(), 2u);
  EXPECT_EQ(c.executions(2)[0].seq, 1u);
  EXPECT_EQ(c.executions(2)[1].seq, 2u);
}

// §4.1: a retransmitted, already executed request gets the cached reply and is
// not ordered again.
TEST(NormalCase, RetransmittedRequestGetsCachedReply) {
  Cluster c(test_config());
  const Request r = request(0, 1);
  c.submit(0, r);
  c.deliver_all();
  ASSERT_EQ(c.replies(0).size(), 4u);
  c.submit(2, r);
  ASSERT_EQ(c.replies(0).size(), 5u);
  EXPECT_EQ(c.replies(0).back().from, 2u);
  EXPECT_EQ(c.replies(0).back().reply.result, c.executions(2)[0].result);
  c.deliver_all();
  for (ReplicaId i = 0; i < c.size(); ++i) EXPECT_EQ(c.executions(i).size(), 1u) << "replica " << i;
}

// §4.1: a backup relays a client's request to the primary and starts its timer.
TEST(NormalCase, BackupRelaysRequestToPrimaryAndArmsTimer) {
  Cluster c(test_config());
  const Request r = request(3, 7);
  c.submit(2, r);
  EXPECT_EQ(c.count_in_flight(of_kind(MessageKind::request) && to_replica(0)), 1u);
  ASSERT_TRUE(c.armed_timer(2));
  EXPECT_EQ(c.armed_timer(2)->delay_us, c.config().view_change_timeout_us);
  c.deliver_all();
  for (ReplicaId i = 0; i < 4; ++i) EXPECT_EQ(c.replica(i).last_executed(), 1u);
  EXPECT_FALSE(c.armed_timer(2)) << "executing the request stops the timer (§4.5.2)";
}

}  // namespace
}  // namespace pbft::test
