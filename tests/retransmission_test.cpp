// Receiver-based retransmission (Castro's thesis, §5.2): a replica that
// rejected messages it needs later asks for them with STATUS once it can
// accept them, instead of waiting for a view change.
#include <gtest/gtest.h>

#include "tests/cluster.h"

namespace pbft::test {
namespace {

// Counts the STATUS messages sent, dropping nothing.
MessagePred count_status(std::size_t& sent) {
  return [&sent](const InFlight& m) {
    sent += kind_of(m.message) == MessageKind::status;
    return false;
  };
}

// K = 2, L = 4. Replica 3 hears no CHECKPOINT, so its window stays (0, 4]
// and it rejects seq 5 while the others order it. Once the checkpoint at 4
// reaches it, it asks, and seq 5 executes there in view 0.
TEST(Retransmission, MessagesAboveTheWindowAreResentOnceItMoves) {
  Cluster c(test_config(4, 2, 4));
  c.drop_forever(to_replica(3) && of_kind(MessageKind::checkpoint));
  for (Timestamp t = 1; t <= 5; ++t) {
    c.submit(0, request(0, t));
    c.deliver_all();
  }
  ASSERT_EQ(c.replica(3).last_executed(), 4u);
  ASSERT_EQ(c.replica(0).last_executed(), 5u);
  ASSERT_GT(c.count_rejections(3, Rejection::outside_watermarks), 0u);
  c.clear_drop_rules();
  const Digest d4 = c.replica(3).service_state().digest();
  c.inject(0, 3, Checkpoint{4, d4, 0});
  c.inject(1, 3, Checkpoint{4, d4, 1});
  ASSERT_EQ(c.replica(3).stable_seq(), 4u);
  EXPECT_EQ(c.count_in_flight(of_kind(MessageKind::status) && from_replica(3)), 3u);
  c.deliver_all();
  EXPECT_EQ(c.replica(3).last_executed(), 5u) << "seq 5 stalled until a view change";
  EXPECT_EQ(c.replica(3).view(), 0u);
  EXPECT_EQ(c.count_events(3, EventKind::view_change_start), 0u);
}

// One message per sender is kept for a view not entered yet (max_buffered 4,
// n 4). Replica 3 keeps view 1's first PRE-PREPARE and PREPARE and drops
// the second ones; replica 0 is cut off, so view 1 needs replica 3's
// PREPAREs. Entering view 1 it asks, and both requests execute.
TEST(Retransmission, MessagesOverTheBufferCapAreResentOnceTheViewIsEntered) {
  Config config = test_config();
  config.max_buffered = 4;
  Cluster c(config);
  c.isolate(0);
  for (ReplicaId b = 1; b < 4; ++b) c.submit(b, request(0, 1));
  c.deliver_all();  // the forwards to the primary are lost
  for (ReplicaId b = 1; b < 4; ++b) ASSERT_TRUE(c.fire_timer(b));
  const MessagePred held = to_replica(3) && of_kind(MessageKind::new_view);
  c.deliver_if(!held);
  ASSERT_EQ(c.replica(1).view(), 1u);
  c.submit(1, request(1, 1));
  c.deliver_if(!held);
  ASSERT_GT(c.count_rejections(3, Rejection::buffer_full), 0u);
  c.deliver_all();
  EXPECT_EQ(c.replica(3).view(), 1u);
  EXPECT_EQ(c.replica(3).last_executed(), 2u) << "seq 2 stalled until a view change";
  EXPECT_EQ(c.replica(1).last_executed(), 2u);
}

// STATUS costs nothing when nothing was missed: a run of requests across
// checkpoints, and a view change, send none.
TEST(Retransmission, NoStatusWithoutAMiss) {
  Cluster c(test_config(4, 2, 4));
  std::size_t sent = 0;
  c.drop_forever(count_status(sent));
  for (Timestamp t = 1; t <= 9; ++t) {
    c.submit(0, request(0, t));
    c.deliver_all();
  }
  ASSERT_EQ(c.replica(3).last_executed(), 9u);
  EXPECT_EQ(sent, 0u);
}

// A STATUS is answered with the peer's own messages only: its CHECKPOINTs
// above the asker's and, in the same view, its votes above what the asker
// executed; one naming another sender is refused.
TEST(Retransmission, StatusIsAnsweredWithOwnMessagesOnly) {
  Cluster c(test_config(4, 2, 8));
  for (Timestamp t = 1; t <= 3; ++t) {
    c.submit(0, request(0, t));
    c.deliver_all();
  }
  const Effects e = c.inject(3, 1, Status{0, 0, 1, 3});
  std::size_t prepares = 0, commits = 0, checkpoints = 0;
  for (const Send& s : e.sends) {
    EXPECT_EQ(s.to, Destination::replica(3));
    EXPECT_EQ(claimed_sender(s.message), 1u);
    prepares += kind_of(s.message) == MessageKind::prepare;
    commits += kind_of(s.message) == MessageKind::commit;
    checkpoints += kind_of(s.message) == MessageKind::checkpoint;
  }
  EXPECT_EQ(prepares, 1u) << "seq 3; seq 2 is below the stable checkpoint";
  EXPECT_EQ(commits, 1u);
  EXPECT_EQ(checkpoints, 1u) << "the stable checkpoint at 2, which covers seq 2";
  EXPECT_TRUE(c.inject(2, 1, Status{0, 0, 1, 3}).sends.empty());
  EXPECT_EQ(c.count_rejections(1, Rejection::bad_sender), 1u);
  EXPECT_TRUE(c.inject(3, 1, Status{1, 2, 3, 3}).sends.empty()) << "another view, nothing above";
}

}  // namespace
}  // namespace pbft::test
