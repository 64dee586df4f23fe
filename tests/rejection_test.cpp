// Messages a correct replica must refuse (§4.2–4.4), each with the rule it breaks.
#include <gtest/gtest.h>

#include "tests/cluster.h"
#include "tests/scenarios.h"

namespace pbft::test {
namespace {

// §4.2: a backup accepts a message only for its current view: a prepare for a
// future view is kept aside and not counted.
TEST(Rejection, FutureViewPrepareIsNotCounted) {
  Cluster c(test_config());
  const Digest d = pre_prepare_only_at(c, 1, request(0, 1));
  c.inject(2, 1, Prepare{1, 1, d, 2});
  c.inject(3, 1, Prepare{5, 1, d, 3});
  EXPECT_FALSE(c.replica(1).prepared(1));
  EXPECT_EQ(c.replica(1).buffered_messages(), 2u);
  c.inject(2, 1, Prepare{0, 1, d, 2});  // the same vote for the current view counts
  EXPECT_TRUE(c.replica(1).prepared(1));
}

// §4.2: messages for an older view are stale and change nothing.
TEST(Rejection, StaleViewMessagesAreRejected) {
  Cluster c(test_config());
  prepare_then_silence_primary(c, request(0, 1));
  for (ReplicaId b = 1; b < 4; ++b) ASSERT_TRUE(c.fire_timer(b));
  c.deliver_all();
  ASSERT_EQ(c.replica(2).view(), 1u);
  const Request r = request(1, 1);
  const Digest d = digest_of(r);
  c.inject(0, 2, PrePrepare{0, 2, d, r, 0});
  c.inject(3, 2, Prepare{0, 2, d, 3});
  c.inject(1, 2, Prepare{0, 2, d, 1});
  c.inject(3, 2, Commit{0, 2, d, 3});
  EXPECT_EQ(c.count_rejections(2, Rejection::stale), 4u);
  EXPECT_EQ(c.replica(2).accepted_digest(2), std::nullopt);
  EXPECT_FALSE(c.replica(2).prepared(2));
  EXPECT_EQ(c.replica(2).last_executed(), 1u);
}

// §4.2: sequence numbers outside (h, h+L] are refused.
TEST(Rejection, OutsideWatermarksAtStart) {
  Cluster c(test_config(4, 2, 4));
  const Request r = request(0, 1);
  const Digest d = digest_of(r);
  for (Seq n : {Seq{0}, Seq{5}, Seq{1000}, Seq{UINT64_MAX}}) {
    SCOPED_TRACE(n);
    const Effects e = c.inject(0, 1, PrePrepare{0, n, d, r, 0});
    ASSERT_EQ(e.events.size(), 1u);
    EXPECT_EQ(e.events[0].detail, Rejection::outside_watermarks);
    EXPECT_TRUE(e.sends.empty());
  }
  c.inject(0, 1, PrePrepare{0, 4, d, r, 0});
  EXPECT_EQ(c.replica(1).accepted_digest(4), d);
}

// §4.2: a backup accepts at most one pre-prepare per (view, seq); a second one
// with another digest is rejected and the first one kept.
TEST(Rejection, ConflictingPrePrepareRejectedFirstKept) {
  Cluster c(test_config());
  const Request a = request(0, 1), b = request(0, 1, 777);
  ASSERT_NE(digest_of(a), digest_of(b));
  const Effects first = c.inject(0, 1, PrePrepare{0, 1, digest_of(a), a, 0});
  ASSERT_EQ(first.sends.size(), 1u);  // its PREPARE
  const Effects second = c.inject(0, 1, PrePrepare{0, 1, digest_of(b), b, 0});
  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_EQ(second.events[0].detail, Rejection::conflicting_pre_prepare);
  EXPECT_TRUE(second.sends.empty()) << "no PREPARE for the second digest";
  EXPECT_EQ(c.replica(1).accepted_digest(1), digest_of(a));
  // Prepares for b do not prepare it; prepares for a do.
  c.inject(2, 1, Prepare{0, 1, digest_of(b), 2});
  EXPECT_FALSE(c.replica(1).prepared(1));
  c.inject(3, 1, Prepare{0, 1, digest_of(a), 3});
  EXPECT_TRUE(c.replica(1).prepared(1));
  // A duplicate of the first is ignored quietly.
  const Effects dup = c.inject(0, 1, PrePrepare{0, 1, digest_of(a), a, 0});
  EXPECT_TRUE(dup.events.empty());
  EXPECT_TRUE(dup.sends.empty());
}

// §4.2: only the primary of the view pre-prepares, and the digest must be the request's.
TEST(Rejection, PrePrepareFromBackupOrWithWrongDigest) {
  Cluster c(test_config());
  const Request r = request(0, 1);
  EXPECT_EQ(c.inject(2, 1, PrePrepare{0, 1, digest_of(r), r, 2}).events.at(0).detail,
            Rejection::bad_sender);
  EXPECT_EQ(c.inject(0, 1, PrePrepare{0, 1, digest_of(r) ^ 1, r, 0}).events.at(0).detail,
            Rejection::bad_digest);
  EXPECT_EQ(c.replica(1).accepted_digest(1), std::nullopt);
}

// §4.4: a backup recomputes O from V; a NEW-VIEW whose O differs is rejected
// and the backup stays in the view change.
class TamperedNewView : public ::testing::TestWithParam<std::string> {};

TEST_P(TamperedNewView, IsRejectedAndReplicaStaysInViewChange) {
  Cluster c(test_config());
  const Request r = request(0, 1);
  const auto held = view_change_until_new_view(c, r);
  const InFlight* to2 = nullptr;
  for (const InFlight& m : held)
    if (m.to == 2) to2 = &m;
  ASSERT_NE(to2, nullptr);
  const NewViewPtr genuine = std::get<NewViewPtr>(to2->message);
  ASSERT_EQ(genuine->pre_prepares.size(), 1u);

  NewView bad = *genuine;
  const std::string& how = GetParam();
  if (how == "change_digest") {
    const Request other = request(0, 1, 999);
    bad.pre_prepares[0].digest = digest_of(other);
    bad.pre_prepares[0].request = other;
  } else if (how == "null_instead") {
    bad.pre_prepares[0].digest = kNullDigest;
    bad.pre_prepares[0].request = {};
  } else if (how == "drop_entry") {
    bad.pre_prepares.clear();
  } else if (how == "add_entry") {
    bad.pre_prepares.push_back({.view = 1, .seq = 2, .digest = kNullDigest, .request = {}, .replica = 1});
  } else if (how == "wrong_view_in_entry") {
    bad.pre_prepares[0].view = 0;
  } else if (how == "too_few_view_changes") {
    bad.view_changes.pop_back();
  }
  ASSERT_NE(bad, *genuine);
  ASSERT_TRUE(c.replica(2).in_view_change());
  const Effects e = c.inject(1, 2, std::make_shared<const NewView>(bad));
  ASSERT_EQ(e.events.size(), 1u);
  EXPECT_EQ(e.events[0].detail, Rejection::bad_new_view);
  EXPECT_TRUE(c.replica(2).in_view_change());
  EXPECT_EQ(c.replica(2).view(), 1u);
  EXPECT_EQ(c.count_events(2, EventKind::new_view_entered), 0u);
  // The genuine NEW-VIEW is still accepted.
  c.inject(1, 2, genuine);
  EXPECT_FALSE(c.replica(2).in_view_change());
  EXPECT_EQ(c.replica(2).accepted_digest(1), digest_of(r));
}

INSTANTIATE_TEST_SUITE_P(Section4_4, TamperedNewView,
                         ::testing::Values("change_digest", "null_instead", "drop_entry", "add_entry",
                                           "wrong_view_in_entry", "too_few_view_changes"),
                         [](const auto& tp) { return tp.param; });

// §4.4: only the primary of view v sends NEW-VIEW for v.
TEST(Rejection, NewViewFromNonPrimaryIsRejected) {
  Cluster c(test_config());
  const auto held = view_change_until_new_view(c, request(0, 1));
  ASSERT_FALSE(held.empty());
  NewView relabelled = *std::get<NewViewPtr>(held[0].message);
  relabelled.replica = 3;
  const Effects e = c.inject(3, 2, std::make_shared<const NewView>(relabelled));
  EXPECT_EQ(e.events.at(0).detail, Rejection::bad_sender);
  EXPECT_TRUE(c.replica(2).in_view_change());
  // Relayed by 3 unchanged: the network says 3 sent it, so it is not the primary's.
  const Effects relayed = c.inject(3, 2, held[0].message);
  EXPECT_EQ(relayed.events.at(0).detail, Rejection::bad_sender);
  EXPECT_TRUE(c.replica(2).in_view_change());
}

}  // namespace
}  // namespace pbft::test
