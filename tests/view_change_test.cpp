// View changes (§4.4) and their timeouts (§4.5.2): a faulty primary is
// detected by the backups' timers and a request prepared in the old view is
// carried into the new one by the NEW-VIEW's re-issued pre-prepares.
#include <gtest/gtest.h>

#include <set>

#include "tests/cluster.h"
#include "tests/scenarios.h"

namespace pbft::test {
namespace {

// §4.4: a slot decided in view 0 may be decided again in a later view, and
// that decision must agree; the harness can only judge it when it is told.
// Replica 1 commits seq 1 in view 0 (the only one to get the COMMITs), then
// the view changes and seq 1 commits again in view 1: both are reported.
TEST(ViewChange, ACommitInALaterViewOnADecidedSlotIsReported) {
  Cluster c(test_config());
  const Request r = request(0, 1);
  c.submit_all(r);
  c.deliver_if(!(of_kind(MessageKind::commit) && !to_replica(1)));
  c.drop_if(of_kind(MessageKind::commit));
  ASSERT_TRUE(c.replica(1).committed(1));
  ASSERT_FALSE(c.replica(2).committed(1));
  c.isolate(0);
  // Replica 1 executed the request and stopped its timer; 2 and 3 time out,
  // and their f+1 VIEW-CHANGEs take replica 1 along.
  for (ReplicaId b = 2; b < 4; ++b) ASSERT_TRUE(c.fire_timer(b)) << "backup " << b << " has no timer";
  c.deliver_all();
  ASSERT_EQ(c.replica(1).view(), 1u);
  std::set<View> views;
  for (const Event& e : c.events_of(1, EventKind::committed)) {
    EXPECT_EQ(e.seq, 1u);
    EXPECT_EQ(e.digest, digest_of(r));
    views.insert(e.view);
  }
  EXPECT_EQ(views, (std::set<View>{0, 1}));
  EXPECT_EQ(c.count_events(1, EventKind::committed), 2u) << "once per view";
  EXPECT_EQ(c.executions(1).size(), 1u) << "the first decision executes, once";
}

// §4.4: the request prepared in view 0 (its commits lost, then the primary
// silenced) is re-issued by NEW-VIEW at the same seq with the same digest,
// and every honest replica executes it there in view 1.
TEST(ViewChange, PreparedRequestIsCarriedIntoNewView) {
  Cluster c(test_config());
  const Request r = request(0, 1);
  prepare_then_silence_primary(c, r);
  for (ReplicaId i = 0; i < 4; ++i) {
    EXPECT_TRUE(c.replica(i).prepared(1)) << i;
    EXPECT_FALSE(c.replica(i).committed(1)) << i;
  }
  for (ReplicaId b = 1; b < 4; ++b) ASSERT_TRUE(c.fire_timer(b)) << "backup " << b << " has no timer";
  c.deliver_all();
  for (ReplicaId i = 1; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(c.replica(i).view(), 1u);
    EXPECT_FALSE(c.replica(i).in_view_change());
    EXPECT_EQ(c.replica(i).is_primary(), i == 1);
    EXPECT_EQ(c.count_events(i, EventKind::new_view_entered), 1u);
    const auto carried = c.events_of(i, EventKind::cert_carried);
    ASSERT_EQ(carried.size(), 1u);
    EXPECT_EQ(carried[0].seq, 1u);
    EXPECT_EQ(carried[0].digest, digest_of(r));
    EXPECT_EQ(carried[0].view, 1u);
    ASSERT_EQ(c.executions(i).size(), 1u);
    EXPECT_EQ(c.executions(i)[0].seq, 1u);
    EXPECT_EQ(c.executions(i)[0].view, 1u);
    EXPECT_EQ(c.executions(i)[0].request, r);
    EXPECT_EQ(c.executions(i)[0].result, c.executions(1)[0].result);
  }
  EXPECT_EQ(c.matching_replies(0, 1), 3u) << "1, 2 and 3 reply; 0 is cut off";
  // The new view makes progress: the next request executes at seq 2.
  c.submit_all(request(1, 1));
  c.deliver_all();
  for (ReplicaId i = 1; i < 4; ++i) EXPECT_EQ(c.replica(i).last_executed(), 2u) << i;
}

// §4.4: the VIEW-CHANGE carries the prepared certificate: the pre-prepare and
// 2f matching prepares from distinct backups.
TEST(ViewChange, ViewChangeCarriesPreparedCertificate) {
  Cluster c(test_config());
  const Request r = request(0, 1);
  prepare_then_silence_primary(c, r);
  ASSERT_TRUE(c.fire_timer(2));
  ASSERT_EQ(c.count_in_flight(of_kind(MessageKind::view_change)), 2u);  // to 1 and 3
  const auto& vc = std::get<ViewChangePtr>(c.in_flight().front().message);
  ASSERT_TRUE(vc);
  EXPECT_EQ(vc->new_view, 1u);
  EXPECT_EQ(vc->replica, 2u);
  EXPECT_EQ(vc->stable_seq, 0u);
  ASSERT_EQ(vc->prepared.size(), 1u);
  const PreparedCert& cert = vc->prepared[0];
  EXPECT_EQ(cert.pre_prepare.seq, 1u);
  EXPECT_EQ(cert.pre_prepare.view, 0u);
  EXPECT_EQ(cert.pre_prepare.digest, digest_of(r));
  EXPECT_GE(cert.prepares.size(), 2u);
  std::set<ReplicaId> senders;
  for (const Prepare& p : cert.prepares) {
    EXPECT_NE(p.replica, 0u);
    EXPECT_LT(p.replica, 4u);
    EXPECT_EQ(p.digest, digest_of(r));
    EXPECT_EQ(p.view, 0u);
    EXPECT_EQ(p.seq, 1u);
    senders.insert(p.replica);
  }
  EXPECT_EQ(senders.size(), cert.prepares.size()) << "prepares from distinct backups";
  EXPECT_TRUE(c.replica(2).in_view_change());
  EXPECT_EQ(c.replica(2).view(), 1u);
}

// §4.5.2: the timer a backup starts once 2f+1 replicas ask for view v+1
// runs on after the NEW-VIEW until a request executes in v+1 ("if the timer
// expires before it receives a valid new-view message for v+1 or before it
// executes a request in the new view"): entering the view does not give the
// new primary a fresh timeout (it did; issue 14, item 6).
TEST(ViewChange, EnteringTheViewKeepsTheViewChangeTimerRunning) {
  Cluster c(test_config());
  c.isolate(0);
  for (ReplicaId b = 1; b < 4; ++b) c.submit(b, request(0, 1));
  c.deliver_all();  // the forwards to the primary are lost
  for (ReplicaId b = 1; b < 4; ++b) ASSERT_TRUE(c.fire_timer(b));
  c.deliver_if(of_kind(MessageKind::view_change));
  ASSERT_TRUE(c.armed_timer(2)) << "2f+1 VIEW-CHANGEs for view 1 arm the timer";
  const std::uint64_t token = c.armed_timer(2)->token;
  // The NEW-VIEW arrives; no PREPARE does, so the request is not executed.
  c.drop_forever(of_kind(MessageKind::prepare));
  c.deliver_all();
  ASSERT_TRUE(c.executions(2).empty());
  ASSERT_EQ(c.replica(2).view(), 1u);
  ASSERT_FALSE(c.replica(2).in_view_change());
  ASSERT_TRUE(c.armed_timer(2)) << "the request still waits";
  EXPECT_EQ(c.armed_timer(2)->token, token) << "entering view 1 restarted the view change's timer";
}

// §4.4: gaps below the highest prepared seq are filled with null requests.
TEST(ViewChange, GapsBecomeNullRequests) {
  Cluster c(test_config(4, 4, 8));
  c.submit_all(request(0, 1));
  c.submit_all(request(1, 1));
  // seq 1's pre-prepare never reaches anyone; seq 2 prepares everywhere.
  c.drop_if([](const InFlight& m) {
    auto* p = std::get_if<PrePrepare>(&m.message);
    return p && p->seq == 1;
  });
  c.deliver_if(!of_kind(MessageKind::commit));
  c.isolate(0);
  for (ReplicaId b = 1; b < 4; ++b) ASSERT_TRUE(c.fire_timer(b));
  c.deliver_all();
  for (ReplicaId i = 1; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(c.replica(i).view(), 1u);
    ASSERT_GE(c.executions(i).size(), 2u);
    EXPECT_EQ(c.executions(i)[0].digest, kNullDigest);
    EXPECT_FALSE(c.executions(i)[0].applied);
    EXPECT_EQ(c.executions(i)[1].digest, digest_of(request(1, 1)));
    // Client 0's request is then ordered in the new view.
    ASSERT_EQ(c.executions(i).size(), 3u);
    EXPECT_EQ(c.executions(i)[2].request, request(0, 1));
  }
}

// §4.5.2: when the view change to v+1 does not complete in time the replica
// moves to v+2 and waits twice as long; executing a request resets the timeout.
TEST(ViewChange, ConsecutiveViewChangeTimeoutDoubles) {
  Cluster c(test_config());
  const std::uint64_t T = c.config().view_change_timeout_us;
  const Request r = request(0, 1);
  prepare_then_silence_primary(c, r);
  ASSERT_TRUE(c.armed_timer(2));
  ASSERT_EQ(c.armed_timer(2)->delay_us, T);
  // The new primary (1) never sends its NEW-VIEW for view 1.
  c.drop_forever(of_kind(MessageKind::new_view) && from_replica(1));
  for (ReplicaId b = 1; b < 4; ++b) ASSERT_TRUE(c.fire_timer(b));
  c.deliver_all();
  ASSERT_TRUE(c.replica(2).in_view_change());
  ASSERT_TRUE(c.armed_timer(2));
  const std::uint64_t first = c.armed_timer(2)->delay_us;
  EXPECT_EQ(c.replica(2).consecutive_view_changes(), 1u);
  ASSERT_TRUE(c.fire_timer(2));
  ASSERT_TRUE(c.fire_timer(3));
  EXPECT_EQ(c.replica(3).view(), 2u);
  EXPECT_EQ(c.replica(3).consecutive_view_changes(), 2u);
  EXPECT_FALSE(c.armed_timer(3)) << "two VIEW-CHANGEs for view 2 are not a quorum";
  // Replica 1 joins (f+1 ask for view 2); then 3 holds a quorum and arms.
  c.deliver_if(of_kind(MessageKind::view_change));
  ASSERT_TRUE(c.armed_timer(3));
  EXPECT_EQ(first, T) << "§4.5.2: the timer for view v+1 waits T (it waited 2T before)";
  EXPECT_EQ(c.armed_timer(3)->delay_us, 2 * first) << "second consecutive view change";
  c.deliver_all();
  // View 2 (primary 2) completes and executes the request carried twice.
  for (ReplicaId i = 1; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(c.replica(i).view(), 2u);
    EXPECT_FALSE(c.replica(i).in_view_change());
    ASSERT_EQ(c.executions(i).size(), 1u);
    EXPECT_EQ(c.executions(i)[0].request, r);
    EXPECT_EQ(c.replica(i).consecutive_view_changes(), 0u) << "reset by the execution";
  }
  c.submit(3, request(1, 1));
  ASSERT_TRUE(c.armed_timer(3));
  EXPECT_EQ(c.armed_timer(3)->delay_us, T) << "back to the base timeout";
}

// §4.5.2 doubles the timeout when the replica's own timer expires before the
// view change completes. A replica taken along by f+1 VIEW-CHANGEs has not
// waited at all: doubling then let views passed in quick succession (before
// GST) raise its timeout to T·2^k with no time spent, and after GST progress
// waited that long (the hostile liveness search found a primary whose next
// timeout was 10 s with T = 10 ms).
TEST(ViewChange, JoiningALaterViewDoesNotDoubleTheTimeout) {
  Cluster c(test_config());
  const std::uint64_t T = c.config().view_change_timeout_us;
  const auto view_change = [](View v, ReplicaId r) {
    return std::make_shared<const ViewChange>(ViewChange{.new_view = v, .replica = r});
  };
  // Replicas 1 and 2 ask for view 1, then view 2: replica 3 is taken along
  // twice, and with its own VIEW-CHANGE a quorum asks for view 2.
  for (View v = 1; v <= 2; ++v) {
    for (ReplicaId r = 1; r <= 2; ++r) c.inject(r, 3, view_change(v, r));
    ASSERT_EQ(c.replica(3).view(), v);
    ASSERT_TRUE(c.replica(3).in_view_change());
  }
  ASSERT_TRUE(c.armed_timer(3));
  EXPECT_EQ(c.armed_timer(3)->delay_us, T) << "replica 3 never timed out (it waited 2T before)";
  EXPECT_EQ(c.replica(3).consecutive_view_changes(), 0u);
  // Its own expiry does double.
  ASSERT_TRUE(c.fire_timer(3));
  EXPECT_EQ(c.replica(3).view(), 3u);
  EXPECT_EQ(c.replica(3).consecutive_view_changes(), 1u);
}

// §4.5.2: the timer for view v+1 starts only when 2f+1 replicas ask for it.
// A replica that suspected the primary alone must not escalate alone: it
// would drift past the view the others later choose.
TEST(ViewChange, LoneViewChangeArmsNoTimerUntilAQuorumAsks) {
  Cluster c(test_config());
  prepare_then_silence_primary(c, request(0, 1));
  ASSERT_TRUE(c.fire_timer(1));
  EXPECT_TRUE(c.replica(1).in_view_change());
  EXPECT_FALSE(c.armed_timer(1)) << "one VIEW-CHANGE of 2f+1";
  c.deliver_all();
  EXPECT_FALSE(c.armed_timer(1));
  EXPECT_EQ(c.replica(1).view(), 1u);
  ASSERT_TRUE(c.fire_timer(2));
  ASSERT_TRUE(c.fire_timer(3));
  c.deliver_all();
  for (ReplicaId i = 1; i < 4; ++i) {
    EXPECT_EQ(c.replica(i).view(), 1u) << i;
    EXPECT_EQ(c.replica(i).last_executed(), 1u) << i;
  }
}

// §4.5.2: f+1 VIEW-CHANGEs for a later view make a replica join it before its
// own timer expires; fewer do not.
TEST(ViewChange, JoinsAfterFPlus1ViewChanges) {
  Cluster c(test_config());
  prepare_then_silence_primary(c, request(0, 1));
  ASSERT_TRUE(c.fire_timer(1));
  c.deliver_if(of_kind(MessageKind::view_change) && to_replica(3));
  EXPECT_FALSE(c.replica(3).in_view_change()) << "one VIEW-CHANGE is not f+1";
  ASSERT_TRUE(c.fire_timer(2));
  c.deliver_if(of_kind(MessageKind::view_change) && to_replica(3));
  EXPECT_TRUE(c.replica(3).in_view_change());
  EXPECT_EQ(c.replica(3).view(), 1u);
  c.deliver_all();
  for (ReplicaId i = 1; i < 4; ++i) EXPECT_EQ(c.replica(i).last_executed(), 1u) << i;
}

// §4.4: a replica that missed the view change (the old primary, reconnected)
// enters the new view on a valid NEW-VIEW.
TEST(ViewChange, LateReplicaAdoptsValidNewView) {
  Cluster c(test_config());
  prepare_then_silence_primary(c, request(0, 1));
  for (ReplicaId b = 1; b < 4; ++b) ASSERT_TRUE(c.fire_timer(b));
  // Capture the NEW-VIEW from 1 before the network loses it.
  c.deliver_if(!of_kind(MessageKind::new_view));
  NewViewPtr nv;
  for (const InFlight& m : c.in_flight())
    if (auto* p = std::get_if<NewViewPtr>(&m.message)) nv = *p;
  ASSERT_TRUE(nv);
  c.deliver_all();
  c.clear_drop_rules();
  c.inject(1, 0, nv);
  EXPECT_EQ(c.replica(0).view(), 1u);
  EXPECT_FALSE(c.replica(0).in_view_change());
  EXPECT_FALSE(c.replica(0).is_primary());
  c.deliver_all();
  c.submit_all(request(1, 1));
  c.deliver_all();
  EXPECT_EQ(c.replica(0).last_executed(), 2u);
}

}  // namespace
}  // namespace pbft::test
