// Bad input from faulty peers: every malformed message is rejected without a
// crash, memory stays bounded, and what honest replicas execute is unchanged.
#include <gtest/gtest.h>

#include <string>

#include "pbft/certificates.h"
#include "tests/cluster.h"
#include "tests/garbage.h"
#include "tests/scenarios.h"

namespace pbft::test {
namespace {

Rejection only_rejection(const Effects& e) {
  if (e.events.size() != 1 || e.events[0].kind != EventKind::rejected) return Rejection::none;
  return e.events[0].detail;
}

// §4.1 (authenticated channels): senders outside the group, the replica
// itself, and replica fields that differ from the authenticated sender.
TEST(BadInput, SenderOutOfRangeOrNotTheAuthenticatedOne) {
  Cluster c(test_config());
  const Request r = request(0, 1);
  const Digest d = digest_of(r);
  for (ReplicaId from : {4u, 5u, 64u, UINT32_MAX, 1u /* itself */}) {
    SCOPED_TRACE(from);
    EXPECT_EQ(only_rejection(c.inject(from, 1, PrePrepare{0, 1, d, r, 0})), Rejection::bad_sender);
    EXPECT_EQ(only_rejection(c.inject(from, 1, Prepare{0, 1, d, from})), Rejection::bad_sender);
    EXPECT_EQ(only_rejection(c.inject(from, 1, Checkpoint{2, d, from})), Rejection::bad_sender);
  }
  // Claimed sender differs from the authenticated one.
  EXPECT_EQ(only_rejection(c.inject(3, 1, PrePrepare{0, 1, d, r, 0})), Rejection::bad_sender);
  EXPECT_EQ(only_rejection(c.inject(3, 1, Prepare{0, 1, d, 2})), Rejection::bad_sender);
  EXPECT_EQ(only_rejection(c.inject(3, 1, Prepare{0, 1, d, 7})), Rejection::bad_sender);
  EXPECT_EQ(only_rejection(c.inject(3, 1, Commit{0, 1, d, 0})), Rejection::bad_sender);
  EXPECT_EQ(only_rejection(c.inject(3, 1, Checkpoint{2, d, 2})), Rejection::bad_sender);
  EXPECT_EQ(only_rejection(c.inject(3, 1, StateTransfer{2, nullptr, {}, 2})), Rejection::bad_sender);
  ViewChange vc{.new_view = 1, .stable_seq = 0, .checkpoint_proof = {}, .prepared = {}, .replica = 2};
  EXPECT_EQ(only_rejection(c.inject(3, 1, std::make_shared<const ViewChange>(vc))), Rejection::bad_sender);
  // Replicas do not send replies to replicas; clients only speak for themselves.
  EXPECT_EQ(only_rejection(c.inject(3, 1, Reply{0, 1, 0, 3, 42})), Rejection::bad_sender);
  Effects e;
  c.replica(1).on_client_request(2, request(1, 1), e);
  EXPECT_EQ(only_rejection(e), Rejection::bad_sender);
  e.clear();
  c.replica(1).on_client_request(100, request(100, 1), e);
  EXPECT_EQ(only_rejection(e), Rejection::unknown_client);
  EXPECT_EQ(c.replica(1).accepted_digest(1), std::nullopt);
  EXPECT_TRUE(c.in_flight().empty());
}

// Views and sequence numbers at the top of their range.
TEST(BadInput, HugeViewsAndSequenceNumbers) {
  Cluster c(test_config());
  const Request r = request(0, 1);
  const Digest d = digest_of(r);
  constexpr std::uint64_t kMax = UINT64_MAX;
  EXPECT_EQ(only_rejection(c.inject(0, 1, PrePrepare{kMax, 1, d, r, 0})), Rejection::buffer_full);
  EXPECT_EQ(only_rejection(c.inject(2, 1, Prepare{kMax, 1, d, 2})), Rejection::buffer_full);
  EXPECT_EQ(only_rejection(c.inject(2, 1, Commit{kMaxView, 1, d, 2})), Rejection::buffer_full);
  EXPECT_EQ(only_rejection(c.inject(0, 1, PrePrepare{0, kMax, d, r, 0})), Rejection::outside_watermarks);
  EXPECT_EQ(only_rejection(c.inject(2, 1, Prepare{0, kMax, d, 2})), Rejection::outside_watermarks);
  EXPECT_EQ(only_rejection(c.inject(2, 1, Commit{0, kMax, d, 2})), Rejection::outside_watermarks);
  EXPECT_EQ(only_rejection(c.inject(2, 1, Checkpoint{kMax, d, 2})), Rejection::outside_watermarks);
  EXPECT_EQ(only_rejection(c.inject(2, 1, Checkpoint{kMax - 1, d, 2})), Rejection::outside_watermarks);
  for (View v : {kMax, kMaxView, kMaxView + 1}) {
    ViewChange vc{.new_view = v, .stable_seq = 0, .checkpoint_proof = {}, .prepared = {}, .replica = 2};
    EXPECT_EQ(only_rejection(c.inject(2, 1, std::make_shared<const ViewChange>(vc))),
              Rejection::bad_certificate);
    NewView nv{.view = v, .view_changes = {}, .pre_prepares = {}, .replica = c.config().primary(v)};
    const ReplicaId from = nv.replica == 1 ? 2 : nv.replica;  // 1 cannot send to itself
    EXPECT_EQ(only_rejection(c.inject(from, 1, std::make_shared<const NewView>(nv))), Rejection::bad_new_view);
  }
  ViewChange stale{.new_view = 1, .stable_seq = kMax, .checkpoint_proof = {}, .prepared = {}, .replica = 2};
  EXPECT_EQ(only_rejection(c.inject(2, 1, std::make_shared<const ViewChange>(stale))), Rejection::bad_certificate);
  EXPECT_TRUE(c.inject(2, 1, FetchState{kMax, 2}).sends.empty());
  auto state = std::make_shared<const ServiceState>(c.replica(1).service_state());
  EXPECT_EQ(only_rejection(c.inject(2, 1, StateTransfer{kMax - 1, state, {}, 2})), Rejection::bad_certificate);
  // Nothing of it stuck: the replica still runs the normal case.
  EXPECT_EQ(c.replica(1).view(), 0u);
  EXPECT_FALSE(c.replica(1).in_view_change());
  EXPECT_EQ(c.replica(1).stable_seq(), 0u);
  c.submit(0, r);
  c.deliver_all();
  EXPECT_EQ(c.replica(1).last_executed(), 1u);
}

// Null shared pointers where certificates are expected.
TEST(BadInput, NullSharedPointers) {
  Cluster c(test_config());
  EXPECT_EQ(only_rejection(c.inject(2, 1, ViewChangePtr{})), Rejection::bad_certificate);
  EXPECT_EQ(only_rejection(c.inject(1, 2, NewViewPtr{})), Rejection::bad_new_view);
  const Effects e = c.inject(2, 1, StateTransfer{2, nullptr, {}, 2});
  EXPECT_TRUE(e.sends.empty());
  EXPECT_EQ(c.count_events(1, EventKind::state_installed), 0u);
  EXPECT_EQ(claimed_sender(Message{ViewChangePtr{}}), 0u);
  EXPECT_TRUE(same_message(Message{NewViewPtr{}}, Message{NewViewPtr{}}));
  EXPECT_FALSE(same_message(Message{NewViewPtr{}},
                            Message{std::make_shared<const NewView>()}));
}

// §4.4: a VIEW-CHANGE's checkpoint proof and prepared certificates must hold.
// Replica 3 holds a genuine VIEW-CHANGE from 2; a tampered one from 1 must
// not count as the second (f+1-th) vote that would pull it into view 1.
struct CapturedViewChanges {
  Cluster c{test_config(4, 2, 4)};
  ViewChange from1, from2;
  CapturedViewChanges() {
    for (Timestamp t = 1; t <= 2; ++t) {  // h = 2 everywhere
      c.submit(0, request(0, t));
      c.deliver_all();
    }
    prepare_then_silence_primary(c, request(1, 1));  // seq 3 prepared
    c.fire_timer(1);
    c.fire_timer(2);
    for (const InFlight& m : c.in_flight()) {
      if (m.to != 3) continue;
      const auto& vc = *std::get<ViewChangePtr>(m.message);
      (m.from == 1 ? from1 : from2) = vc;
    }
    c.drop_if(to_replica(3));
  }
};

using Tamper = void (*)(ViewChange&);
struct TamperCase {
  const char* name;
  Tamper tamper;
  // Why replica 3 refuses it: the certificate is bad, or (a VIEW-CHANGE for
  // view 0) it is for a view not above the current one.
  Rejection expected = Rejection::bad_certificate;
  friend void PrintTo(const TamperCase& t, std::ostream* os) { *os << t.name; }
};
class TamperedViewChange : public ::testing::TestWithParam<TamperCase> {};

TEST(BadInput, CapturedViewChangesAreGenuine) {
  CapturedViewChanges s;
  ASSERT_EQ(s.from1.stable_seq, 2u);
  ASSERT_EQ(s.from1.checkpoint_proof.size(), 3u);
  ASSERT_EQ(s.from1.prepared.size(), 1u);
  ASSERT_GE(s.from1.prepared[0].prepares.size(), 2u);
  EXPECT_TRUE(valid_view_change(s.c.config(), s.from1));
  s.c.inject(1, 3, std::make_shared<const ViewChange>(s.from1));
  EXPECT_FALSE(s.c.replica(3).in_view_change());
  s.c.inject(2, 3, std::make_shared<const ViewChange>(s.from2));
  EXPECT_TRUE(s.c.replica(3).in_view_change()) << "f+1 genuine VIEW-CHANGEs";
}

TEST_P(TamperedViewChange, IsRejectedAndNotCounted) {
  CapturedViewChanges s;
  ViewChange bad = s.from1;
  GetParam().tamper(bad);
  ASSERT_NE(bad, s.from1);
  EXPECT_FALSE(valid_view_change(s.c.config(), bad));
  const Effects e = s.c.inject(1, 3, std::make_shared<const ViewChange>(bad));
  EXPECT_EQ(only_rejection(e), GetParam().expected) << rejection_name(only_rejection(e));
  s.c.inject(2, 3, std::make_shared<const ViewChange>(s.from2));
  EXPECT_FALSE(s.c.replica(3).in_view_change());
  EXPECT_EQ(s.c.replica(3).view(), 0u);
}

PreparedCert& cert(ViewChange& vc) { return vc.prepared.at(0); }

INSTANTIATE_TEST_SUITE_P(
    Section4_4, TamperedViewChange,
    ::testing::Values(
        TamperCase{"duplicate_prepare",
                                       [](ViewChange& v) { cert(v).prepares[1] = cert(v).prepares[0]; }},
        TamperCase{"prepare_wrong_view", [](ViewChange& v) { cert(v).prepares[0].view = 1; }},
        TamperCase{"prepare_wrong_seq", [](ViewChange& v) { cert(v).prepares[0].seq = 4; }},
        TamperCase{"prepare_wrong_digest", [](ViewChange& v) { cert(v).prepares[0].digest ^= 1; }},
        TamperCase{"prepare_from_primary",
                                       [](ViewChange& v) { cert(v).prepares[0].replica = 0; }},
        TamperCase{"prepare_bad_id", [](ViewChange& v) { cert(v).prepares[0].replica = 4; }},
        TamperCase{"too_few_prepares", [](ViewChange& v) { cert(v).prepares.resize(1); }},
        TamperCase{"too_many_prepares",
                                       [](ViewChange& v) {
                                         auto& p = cert(v).prepares;
                                         while (p.size() <= 4) p.push_back(p[0]);
                                       }},
        TamperCase{"preprepare_not_from_primary",
                                       [](ViewChange& v) { cert(v).pre_prepare.replica = 2; }},
        TamperCase{"cert_view_not_below_new_view",
                                       [](ViewChange& v) {
                                         cert(v).pre_prepare.view = 1;
                                         cert(v).pre_prepare.replica = 1;
                                         for (auto& p : cert(v).prepares) p.view = 1;
                                       }},
        TamperCase{"cert_at_or_below_h",
                                       [](ViewChange& v) {
                                         cert(v).pre_prepare.seq = 2;
                                         for (auto& p : cert(v).prepares) p.seq = 2;
                                       }},
        TamperCase{"cert_above_window",
                                       [](ViewChange& v) {
                                         cert(v).pre_prepare.seq = 7;
                                         for (auto& p : cert(v).prepares) p.seq = 7;
                                       }},
        TamperCase{"request_digest_mismatch",
                                       [](ViewChange& v) { cert(v).pre_prepare.request.operation ^= 1; }},
        TamperCase{"unknown_client",
                                       [](ViewChange& v) {
                                         auto& pp = cert(v).pre_prepare;
                                         pp.request.client = 1000;
                                         pp.digest = digest_of(pp.request);
                                         for (auto& p : cert(v).prepares) p.digest = pp.digest;
                                       }},
        TamperCase{"duplicate_cert", [](ViewChange& v) { v.prepared.push_back(cert(v)); }},
        TamperCase{"checkpoint_proof_duplicate",
                                       [](ViewChange& v) { v.checkpoint_proof[1] = v.checkpoint_proof[0]; }},
        TamperCase{"checkpoint_proof_short", [](ViewChange& v) { v.checkpoint_proof.pop_back(); }},
        TamperCase{"checkpoint_proof_mixed_digests",
                                       [](ViewChange& v) { v.checkpoint_proof[2].state_digest ^= 1; }},
        TamperCase{"checkpoint_proof_bad_id",
                                       [](ViewChange& v) { v.checkpoint_proof[2].replica = 9; }},
        TamperCase{"checkpoint_proof_missing", [](ViewChange& v) { v.checkpoint_proof.clear(); }},
        TamperCase{"stable_seq_not_checkpoint",
                                       [](ViewChange& v) {
                                         v.stable_seq = 3;
                                         for (auto& cp : v.checkpoint_proof) cp.seq = 3;
                                       }},
        TamperCase{"proof_at_zero", [](ViewChange& v) { v.stable_seq = 0; }},
        TamperCase{"new_view_zero", [](ViewChange& v) { v.new_view = 0; }, Rejection::stale}),
    [](const auto& tp) { return std::string(tp.param.name); });

// §4.4: NEW-VIEW's V holds 2f+1 VIEW-CHANGEs from distinct replicas, all for its view.
TEST(BadInput, NewViewWithDuplicateOrForeignViewChanges) {
  Cluster c(test_config());
  const auto held = view_change_until_new_view(c, request(0, 1));
  ASSERT_FALSE(held.empty());
  const NewView genuine = *std::get<NewViewPtr>(held[0].message);
  ASSERT_EQ(genuine.view_changes.size(), 3u);
  const auto with_o = [&](NewView nv) {  // O recomputed, so only V is wrong
    nv.pre_prepares = plan_new_view(c.config(), nv.view, nv.view_changes).pre_prepares;
    return std::make_shared<const NewView>(nv);
  };
  NewView dup = genuine;
  dup.view_changes[2] = dup.view_changes[0];
  NewView dup4 = genuine;
  dup4.view_changes.push_back(dup4.view_changes[0]);
  NewView foreign = genuine;
  foreign.view_changes[1].new_view = 2;
  NewView oversized = genuine;
  while (oversized.view_changes.size() <= c.size()) oversized.view_changes.push_back(genuine.view_changes[0]);
  for (const auto& nv : {with_o(dup), with_o(dup4), with_o(foreign), with_o(oversized)}) {
    EXPECT_EQ(only_rejection(c.inject(1, 2, nv)), Rejection::bad_new_view);
    EXPECT_TRUE(c.replica(2).in_view_change());
  }
  c.inject(1, 2, std::make_shared<const NewView>(genuine));
  EXPECT_FALSE(c.replica(2).in_view_change());
}

// §5.3.2: state is installed only with 2f+1 CHECKPOINTs for its digest.
struct CapturedStateTransfer {
  Cluster c{test_config(4, 2, 4)};
  StateTransfer genuine;
  CapturedStateTransfer() {
    c.isolate(3);
    for (Timestamp t = 1; t <= 2; ++t) {
      c.submit(0, request(0, t));
      c.deliver_all();
    }
    c.clear_drop_rules();
    const Effects e = c.inject(3, 0, FetchState{2, 3});
    for (const Send& s : e.sends)
      if (auto* st = std::get_if<StateTransfer>(&s.message)) genuine = *st;
    c.drop_if(of_kind(MessageKind::state_transfer));
  }
};

TEST(BadInput, StateTransferWithBadProof) {
  CapturedStateTransfer s;
  ASSERT_TRUE(s.genuine.state);
  ASSERT_EQ(s.genuine.proof.size(), 3u);
  std::vector<std::pair<const char*, StateTransfer>> bad;
  const auto variant = [&](const char* name, auto tamper) {
    StateTransfer st = s.genuine;
    tamper(st);
    bad.emplace_back(name, st);
  };
  variant("proof_duplicate", [](StateTransfer& st) { st.proof[2] = st.proof[0]; });
  variant("proof_short", [](StateTransfer& st) { st.proof.pop_back(); });
  variant("proof_empty", [](StateTransfer& st) { st.proof.clear(); });
  variant("proof_wrong_digest", [](StateTransfer& st) { st.proof[0].state_digest ^= 1; });
  variant("proof_wrong_seq", [](StateTransfer& st) { st.proof[0].seq = 4; });
  variant("proof_bad_id", [](StateTransfer& st) { st.proof[0].replica = 9; });
  variant("seq_not_proven", [](StateTransfer& st) { st.seq = 4; });
  variant("state_tampered", [](StateTransfer& st) {
    ServiceState x = *st.state;
    x.chain ^= 1;
    st.state = std::make_shared<const ServiceState>(x);
  });
  variant("state_wrong_client_count", [](StateTransfer& st) {
    ServiceState x = *st.state;
    x.clients.resize(x.clients.size() + 1);
    st.state = std::make_shared<const ServiceState>(x);
  });
  for (const auto& [name, st] : bad) {
    SCOPED_TRACE(name);
    EXPECT_EQ(only_rejection(s.c.inject(0, 3, st)), Rejection::bad_certificate);
    EXPECT_EQ(s.c.replica(3).last_executed(), 0u);
  }
  StateTransfer null_state = s.genuine;
  null_state.state.reset();
  s.c.inject(0, 3, null_state);
  EXPECT_EQ(s.c.count_events(3, EventKind::state_installed), 0u);
  EXPECT_EQ(s.c.replica(3).stable_seq(), 0u);
  s.c.inject(0, 3, s.genuine);
  EXPECT_EQ(s.c.count_events(3, EventKind::state_installed), 1u);
  EXPECT_EQ(s.c.replica(3).last_executed(), 2u);
}

// The proof checks on their own (certificates.h).
TEST(BadInput, CheckpointProofValidation) {
  const Config c = test_config();
  const Digest d = 1234;
  const std::vector<Checkpoint> good{{2, d, 0}, {2, d, 1}, {2, d, 3}};
  EXPECT_TRUE(valid_checkpoint_proof(c, 2, d, good));
  EXPECT_TRUE(valid_checkpoint_proof(c, 0, kNoDigest, {}));
  EXPECT_FALSE(valid_checkpoint_proof(c, 0, kNoDigest, good));
  EXPECT_FALSE(valid_checkpoint_proof(c, 2, d, {{2, d, 0}, {2, d, 1}, {2, d, 1}}));
  EXPECT_FALSE(valid_checkpoint_proof(c, 2, d, {{2, d, 0}, {2, d, 1}}));
  EXPECT_FALSE(valid_checkpoint_proof(c, 2, d, {{2, d, 0}, {2, d, 1}, {2, d, 4}}));
  EXPECT_FALSE(valid_checkpoint_proof(c, 2, d, {{2, d, 0}, {2, d, 1}, {4, d, 3}}));
  EXPECT_FALSE(valid_checkpoint_proof(c, 3, d, {{3, d, 0}, {3, d, 1}, {3, d, 3}}));
  EXPECT_FALSE(valid_checkpoint_proof(c, 2, kNoDigest, {{2, 0, 0}, {2, 0, 1}, {2, 0, 3}}));
  std::vector<Checkpoint> many(100, Checkpoint{2, d, 0});
  EXPECT_FALSE(valid_checkpoint_proof(c, 2, d, many));
}

// 100k random messages into one replica: rejected without a crash, and its
// memory stays bounded.
TEST(BadInput, RandomGarbageKeepsFootprintBounded) {
  Cluster c(test_config(4, 2, 4));
  const std::size_t fresh = c.replica(2).footprint_bytes();
  Garbage g(c.config(), 3, 7);
  Effects e;
  std::size_t at_10k = 0, peak = 0;
  for (int i = 1; i <= 100'000; ++i) {
    e.clear();
    c.replica(2).on_message(g.sender(), g.next(), e);
    peak = std::max(peak, c.replica(2).footprint_bytes());
    if (i == 10'000) at_10k = peak;
  }
  RecordProperty("fresh_bytes", std::to_string(fresh));
  RecordProperty("peak_bytes", std::to_string(peak));
  // Buffered future-view messages (max_buffered) and one VIEW-CHANGE per sender.
  const std::size_t bound = fresh + c.config().max_buffered * 128 + 64 * 1024;
  EXPECT_LE(peak, bound) << "fresh " << fresh;
  EXPECT_LE(peak, at_10k + 16 * 1024) << "still growing after 10k messages";
  EXPECT_LE(c.replica(2).buffered_messages(), c.config().max_buffered);
  EXPECT_EQ(c.replica(2).view(), 0u);
  EXPECT_EQ(c.replica(2).last_executed(), 0u);
}

// The important one: the garbage does not change what any replica executes.
TEST(BadInput, GarbageDoesNotChangeWhatIsExecuted) {
  const GarbageRun clean = run_with_garbage(0, 0);
  ASSERT_EQ(clean.executions[2].size(), 10u);
  for (std::uint64_t seed : {1u, 2u}) {
    const GarbageRun dirty = run_with_garbage(10'000, 20, Mutation::none, seed);
    EXPECT_GE(dirty.garbage, 100'000u);
    // The garbage reaches many of the replica's checks, not just the first:
    // measured, 8 of the 10 reasons (all but conflicting_pre_prepare and
    // bad_digest, which need a PRE-PREPARE from the primary, and the faulty
    // sender 3 is not the primary of view 0).
    std::string seen;
    for (Rejection why : dirty.rejections) seen += std::string(rejection_name(why)) + " ";
    EXPECT_GE(dirty.rejections.size(), 8u) << "seed " << seed << ": " << seen;
    for (ReplicaId r = 0; r < 4; ++r)
      EXPECT_TRUE(same_executions(clean.executions[r], dirty.executions[r]))
          << "replica " << r << " seed " << seed << ": " << dirty.executions[r].size() << " executions vs "
          << clean.executions[r].size();
  }
}

}  // namespace
}  // namespace pbft::test
