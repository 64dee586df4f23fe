// Checkpoints, watermarks and garbage collection (§4.3) and state transfer (§5.3.2).
#include <gtest/gtest.h>

#include "pbft/certificates.h"
#include "tests/cluster.h"

namespace pbft::test {
namespace {

// K = 2, L = 4 (test_config's default).
void run_requests(Cluster& c, ClientId client, Timestamp from, Timestamp to) {
  for (Timestamp t = from; t <= to; ++t) {
    c.submit(0, request(client, t));
    c.deliver_all();
  }
}

// §4.3: after K requests the checkpoint is stable (2f+1 matching CHECKPOINTs)
// at every replica and the log at or below h is discarded.
TEST(Checkpoint, StableAfterKRequestsAndLogTruncated) {
  Cluster c(test_config(4, 2, 4));
  run_requests(c, 0, 1, 1);
  for (ReplicaId i = 0; i < 4; ++i) {
    EXPECT_EQ(c.replica(i).stable_seq(), 0u);
    EXPECT_TRUE(c.replica(i).accepted_digest(1).has_value());
  }
  run_requests(c, 0, 2, 2);
  for (ReplicaId i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(c.replica(i).stable_seq(), 2u);
    EXPECT_EQ(c.replica(i).high_watermark(), 6u);
    EXPECT_EQ(c.replica(i).accepted_digest(1), std::nullopt);
    EXPECT_EQ(c.replica(i).accepted_digest(2), std::nullopt);
    EXPECT_FALSE(c.replica(i).committed(2));
    const auto stable = c.events_of(i, EventKind::checkpoint_stable);
    ASSERT_EQ(stable.size(), 1u);
    EXPECT_EQ(stable[0].seq, 2u);
    EXPECT_EQ(stable[0].digest, c.replica(0).service_state().digest());
  }
}

// §4.3: a checkpoint is stable only with 2f+1 matching CHECKPOINTs.
TEST(Checkpoint, StableNeeds2fPlus1MatchingCheckpoints) {
  Cluster c(test_config(4, 2, 4));
  c.drop_forever(of_kind(MessageKind::checkpoint));
  run_requests(c, 0, 1, 2);
  const Digest d = c.replica(1).service_state().digest();
  EXPECT_EQ(c.replica(1).stable_seq(), 0u);  // own vote only
  c.inject(2, 1, Checkpoint{2, d ^ 1, 2});    // another digest does not match
  EXPECT_EQ(c.replica(1).stable_seq(), 0u);
  c.inject(3, 1, Checkpoint{2, d, 3});
  EXPECT_EQ(c.replica(1).stable_seq(), 0u) << "2 of 3";
  c.inject(3, 1, Checkpoint{2, d, 3});
  EXPECT_EQ(c.count_rejections(1, Rejection::duplicate_vote), 1u);
  EXPECT_EQ(c.replica(1).stable_seq(), 0u) << "a duplicate is not a third vote";
  c.inject(0, 1, Checkpoint{2, d, 0});
  EXPECT_EQ(c.replica(1).stable_seq(), 2u);
}

// §4.3: with h the stable checkpoint, a replica accepts sequence numbers in
// (h, h+L] and rejects the rest.
TEST(Checkpoint, AcceptsUpToHighWatermarkAndRejectsBeyond) {
  Cluster c(test_config(4, 2, 4));
  run_requests(c, 0, 1, 2);
  ASSERT_EQ(c.replica(1).stable_seq(), 2u);
  const Request r = request(5, 1);
  const Digest d = digest_of(r);
  c.inject(0, 1, PrePrepare{0, 6, d, r, 0});  // h + L
  EXPECT_EQ(c.replica(1).accepted_digest(6), d);
  EXPECT_EQ(c.count_rejections(1, Rejection::outside_watermarks), 0u);
  c.inject(0, 1, PrePrepare{0, 7, d, r, 0});  // h + L + 1
  EXPECT_EQ(c.replica(1).accepted_digest(7), std::nullopt);
  EXPECT_EQ(c.count_rejections(1, Rejection::outside_watermarks), 1u);
  c.inject(0, 1, PrePrepare{0, 2, d, r, 0});  // at h
  EXPECT_EQ(c.count_rejections(1, Rejection::outside_watermarks), 2u);
  c.inject(2, 1, Prepare{0, 7, d, 2});
  c.inject(2, 1, Commit{0, 7, d, 2});
  EXPECT_EQ(c.count_rejections(1, Rejection::outside_watermarks), 4u);
}

// §4.3: the primary assigns no sequence number above h+L; it resumes once the
// next checkpoint is stable.
TEST(Checkpoint, PrimaryStopsAtHighWatermarkUntilCheckpointStable) {
  Cluster c(test_config(4, 2, 4));
  for (ClientId cl = 0; cl < 6; ++cl) c.submit(0, request(cl, 1));
  c.deliver_if(!of_kind(MessageKind::checkpoint));  // checkpoints held back
  for (ReplicaId i = 0; i < 4; ++i) {
    EXPECT_EQ(c.replica(i).last_executed(), 4u) << i;
    EXPECT_EQ(c.replica(i).stable_seq(), 0u) << i;
  }
  EXPECT_EQ(c.in_flight().size(), c.count_in_flight(of_kind(MessageKind::checkpoint)))
      << "nothing but checkpoints is left: seq 5 was not assigned";
  c.deliver_all();
  for (ReplicaId i = 0; i < 4; ++i) {
    EXPECT_EQ(c.replica(i).stable_seq(), 6u) << i;
    EXPECT_EQ(c.replica(i).last_executed(), 6u) << i;
  }
}

// §5.3.2: a replica that missed requests installs the stable state another
// replica sends it, when 2f+1 CHECKPOINTs prove its digest.
TEST(StateTransfer, LaggingReplicaInstallsProvenState) {
  Cluster c(test_config(4, 2, 4));
  c.isolate(3);
  run_requests(c, 0, 1, 4);
  ASSERT_EQ(c.replica(0).stable_seq(), 4u);
  EXPECT_EQ(c.replica(3).last_executed(), 0u);
  c.clear_drop_rules();
  c.inject(3, 0, FetchState{4, 3});
  ASSERT_EQ(c.count_in_flight(of_kind(MessageKind::state_transfer) && to_replica(3)), 1u);
  c.deliver_all();
  EXPECT_EQ(c.replica(3).last_executed(), 4u);
  EXPECT_EQ(c.replica(3).stable_seq(), 4u);
  EXPECT_EQ(c.replica(3).service_state(), c.replica(0).service_state());
  const auto installed = c.events_of(3, EventKind::state_installed);
  ASSERT_EQ(installed.size(), 1u);
  EXPECT_EQ(installed[0].seq, 4u);
  // And it takes part again: the next request executes everywhere.
  run_requests(c, 1, 1, 1);
  for (ReplicaId i = 0; i < 4; ++i) EXPECT_EQ(c.replica(i).last_executed(), 5u) << i;
}

// §5.3.2: a replica that was cut off for less than L sequence numbers learns
// the next stable checkpoint and fetches the state it missed.
TEST(StateTransfer, ReplicaBehindWithinWindowCatchesUp) {
  Cluster c(test_config(4, 2, 4));
  c.isolate(3);
  run_requests(c, 0, 1, 2);
  c.clear_drop_rules();
  run_requests(c, 0, 3, 4);
  EXPECT_EQ(c.replica(3).stable_seq(), 4u);
  EXPECT_EQ(c.replica(3).last_executed(), 4u);
  EXPECT_EQ(c.count_events(3, EventKind::state_installed), 1u);
  EXPECT_EQ(c.replica(3).service_state(), c.replica(0).service_state());
}

// §5.3.2: a replica that was cut off for more than L sequence numbers learns
// of a stable checkpoint beyond its high watermark and fetches the state.
TEST(StateTransfer, ReplicaBehindBeyondWindowCatchesUp) {
  Cluster c(test_config(4, 2, 4));
  c.isolate(3);
  run_requests(c, 0, 1, 6);
  ASSERT_EQ(c.replica(0).stable_seq(), 6u);
  c.clear_drop_rules();
  run_requests(c, 0, 7, 10);
  EXPECT_EQ(c.count_events(3, EventKind::state_installed), 1u);
  EXPECT_EQ(c.replica(3).last_executed(), 10u);
  EXPECT_EQ(c.replica(3).service_state(), c.replica(0).service_state());
}

// §4.5.2: a backup's timer runs while it waits to execute a request. One that
// catches up by state transfer no longer waits for the requests the state
// covers, so its timer stops; before, it stayed armed and the replica later
// left the view alone (issue 14, item 6).
TEST(StateTransfer, CatchingUpStopsTheTimerOfTheRequestsTheStateCovers) {
  Cluster c(test_config(4, 2, 4));
  c.isolate(3);
  c.submit(3, request(0, 1));  // replica 3 waits for it; its forward to the primary is lost
  run_requests(c, 0, 1, 4);
  ASSERT_EQ(c.replica(0).stable_seq(), 4u);
  c.clear_drop_rules();
  c.inject(3, 0, FetchState{4, 3});
  c.deliver_all();
  ASSERT_EQ(c.replica(3).last_executed(), 4u);
  EXPECT_FALSE(c.fire_timer(3)) << "nothing waits, yet the timer is armed";
  EXPECT_EQ(c.replica(3).view(), 0u);
  EXPECT_FALSE(c.replica(3).in_view_change());
}

// ... and while a request the state does not cover still waits, the timer
// runs on for it.
TEST(StateTransfer, CatchingUpKeepsTheTimerForARequestStillWaiting) {
  Cluster c(test_config(4, 2, 4));
  c.isolate(3);
  c.submit(3, request(1, 1));  // never reaches the others
  run_requests(c, 0, 1, 4);
  c.clear_drop_rules();
  c.drop_forever(of_kind(MessageKind::request));  // nor now
  c.inject(3, 0, FetchState{4, 3});
  c.deliver_all();
  ASSERT_EQ(c.replica(3).last_executed(), 4u);
  EXPECT_TRUE(c.fire_timer(3)) << "client 1's request still waits";
}

// §4.5.2: the timeout doubles with each consecutive view change, and is T
// again once the replica executes a request in the new view. A replica that
// catches up by state transfer during a view change executes old requests,
// not new ones in a new view: its backoff stands (before, any execution
// reset it; issue 14, item 6).
TEST(StateTransfer, CatchingUpDuringAViewChangeKeepsTheBackoff) {
  Cluster c(test_config(4, 2, 4));
  // Replica 3 misses the ordering of sequence numbers 1 and 2 but commits 3
  // and 4; it hears no CHECKPOINT, and checkpoint 4 never becomes stable.
  const MessagePred low_seq = [](const InFlight& m) {
    return std::visit(
        [](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, PrePrepare> || std::is_same_v<T, Prepare> || std::is_same_v<T, Commit>)
            return x.seq <= 2;
          else
            return false;
        },
        m.message);
  };
  const MessagePred checkpoint_4 = [](const InFlight& m) {
    const auto* cp = std::get_if<Checkpoint>(&m.message);
    return cp && cp->seq == 4;
  };
  c.drop_forever(low_seq && to_replica(3));
  c.drop_forever(of_kind(MessageKind::checkpoint) && to_replica(3));
  c.drop_forever(checkpoint_4);
  run_requests(c, 0, 1, 4);
  ASSERT_EQ(c.replica(0).stable_seq(), 2u);
  ASSERT_EQ(c.replica(3).last_executed(), 0u);
  // Replica 3 waits for a request only it has; its timer takes it into a view change alone.
  c.drop_forever(of_kind(MessageKind::request) || of_kind(MessageKind::view_change));
  c.submit(3, request(1, 1));
  ASSERT_TRUE(c.fire_timer(3));
  ASSERT_TRUE(c.replica(3).in_view_change());
  ASSERT_EQ(c.replica(3).consecutive_view_changes(), 1u);
  // It fetches checkpoint 2's state, installs it, and executes 3 and 4.
  c.inject(3, 0, FetchState{2, 3});
  c.deliver_all();
  ASSERT_EQ(c.replica(3).last_executed(), 4u) << "the state at 2, then the committed 3 and 4";
  EXPECT_TRUE(c.replica(3).in_view_change());
  EXPECT_EQ(c.replica(3).consecutive_view_changes(), 1u) << "an execution during the view change reset the backoff";
}

// §5.3.2: f+1 matching CHECKPOINTs above the high watermark make a replica
// fetch the state. Replica 0's announcement of 8 arrives, then its 10, then
// replica 2's 8: f+1 = 2 replicas announced (8, d). Before, only each
// sender's newest far checkpoint was kept, so 0's 8 was forgotten when its
// 10 came and replica 3 never fetched (issue 14, item 6).
TEST(StateTransfer, FPlusOneFarCheckpointsMatchEvenWhenOneSenderMovedOn) {
  Cluster c(test_config(4, 2, 4));  // replica 3's high watermark: 4
  const Digest d8 = 0x88, d10 = 0x1010;
  c.inject(0, 3, Checkpoint{8, d8, 0});
  c.inject(0, 3, Checkpoint{10, d10, 0});
  EXPECT_EQ(c.count_in_flight(of_kind(MessageKind::fetch_state) && from_replica(3)), 0u);
  c.inject(2, 3, Checkpoint{8, d8, 2});
  EXPECT_GT(c.count_in_flight(of_kind(MessageKind::fetch_state) && from_replica(3)), 0u)
      << "replicas 0 and 2 both announced checkpoint 8";
}

}  // namespace
}  // namespace pbft::test
