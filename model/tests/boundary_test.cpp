// The adversary boundary: with auth on, a faulty replica cannot embed what an
// honest replica never signed, cannot speak as another replica, and cannot
// invent client requests; with auth off everything passes.
#include <gtest/gtest.h>

#include <memory>

#include "model/adversary.h"
#include "model/scenario.h"
#include "model/scenario_space.h"
#include "model/simulator.h"

namespace model {
namespace {

constexpr pbft::ReplicaId kFaulty = 3;
constexpr pbft::Digest kD = 0x4242;

std::vector<bool> honesty() { return {true, true, true, false}; }

pbft::Request request(pbft::ClientId c, pbft::Timestamp t) { return {c, t, operation_for(c, t)}; }

// A pre-prepare the faulty replica signs itself (a null request: no client needed).
pbft::PrePrepare own_pre_prepare() { return {0, 1, pbft::kNullDigest, {}, kFaulty}; }

pbft::Message view_change(std::vector<pbft::PreparedCert> certs, std::vector<pbft::Checkpoint> proof = {},
                          pbft::Seq stable = 0, pbft::ReplicaId signer = kFaulty) {
  return std::make_shared<const pbft::ViewChange>(pbft::ViewChange{1, stable, std::move(proof), std::move(certs), signer});
}

pbft::PreparedCert cert_with_prepares_from(std::initializer_list<pbft::ReplicaId> who, pbft::Digest d = pbft::kNullDigest) {
  pbft::PreparedCert c{own_pre_prepare(), {}};
  c.pre_prepare.digest = d;
  for (auto r : who) c.prepares.push_back({0, 1, d, r});
  return c;
}

TEST(Boundary, RejectsViewChangeWithUnsentHonestPrepare) {
  Boundary b(honesty(), true);
  const pbft::Message vc = view_change({cert_with_prepares_from({1, 2})});
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, vc));
  b.record_honest(pbft::Prepare{0, 1, pbft::kNullDigest, 1});
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, vc)) << "replica 2's prepare is still forged";
  b.record_honest(pbft::Prepare{0, 1, pbft::kNullDigest, 2});
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, vc));
}

TEST(Boundary, AdmitsPrepareAfterRecordHonest) {
  Boundary b(honesty(), true);
  const pbft::Prepare sent{0, 1, pbft::kNullDigest, 1};
  b.record_honest(sent);
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, view_change({cert_with_prepares_from({1})})));
  // A different prepare by the same replica (another digest, view or seq) is not the one it signed.
  pbft::PreparedCert other_digest = cert_with_prepares_from({1}, kD);
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, view_change({other_digest})));
  pbft::PreparedCert other_view = cert_with_prepares_from({1});
  other_view.prepares[0].view = 1;
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, view_change({other_view})));
}

TEST(Boundary, OwnAndFaultySignaturesNeedNoRecord) {
  Boundary b(honesty(), true);
  // Only the faulty replica's own prepare: it may sign whatever it likes.
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, view_change({cert_with_prepares_from({kFaulty})})));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, pbft::Prepare{5, 9, kD, kFaulty}));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, pbft::Commit{5, 9, kD, kFaulty}));
}

TEST(Boundary, RejectsHonestPrePrepareInCertificateUnlessSent) {
  Boundary b(honesty(), true);
  pbft::PreparedCert c = cert_with_prepares_from({kFaulty});
  c.pre_prepare.replica = 0;  // claims the honest primary signed it
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, view_change({c})));
  b.record_honest(c.pre_prepare);
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, view_change({c})));
}

TEST(Boundary, RejectsForgedCheckpointProof) {
  Boundary b(honesty(), true);
  const std::vector<pbft::Checkpoint> proof{{2, kD, 0}, {2, kD, 1}, {2, kD, kFaulty}};
  const pbft::Message vc = view_change({}, proof, 2);
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, vc));
  b.record_honest(pbft::Checkpoint{2, kD, 0});
  b.record_honest(pbft::Checkpoint{2, kD, 1});
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, vc));
  // The same proof in a state transfer.
  Boundary fresh(honesty(), true);
  pbft::StateTransfer st{2, nullptr, proof, kFaulty};
  EXPECT_FALSE(fresh.admits(kFaulty, kFaulty, st));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, st));
}

TEST(Boundary, RejectsNewViewWithForgedViewChange) {
  Boundary b(honesty(), true);
  pbft::ViewChange honest_vc{1, 0, {}, {}, 1};
  const auto nv = [&] {
    return pbft::Message{std::make_shared<const pbft::NewView>(
        pbft::NewView{1, {honest_vc, pbft::ViewChange{1, 0, {}, {}, kFaulty}}, {}, kFaulty})};
  };
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, nv())) << "replica 1 never sent that VIEW-CHANGE";
  b.record_honest(std::make_shared<const pbft::ViewChange>(honest_vc));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, nv()));
  // Tampering with the recorded VIEW-CHANGE (adding a certificate) is a forgery again.
  honest_vc.prepared.push_back(cert_with_prepares_from({kFaulty}));
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, nv()));
}

TEST(Boundary, AdmitsCertificatesOnThePrePreparesOfAnHonestNewView) {
  Boundary b(honesty(), true);
  // Honest replica 1 leads view 1 and re-issues seq 1 in O; backup 2 prepares it.
  const pbft::PrePrepare reissued{1, 1, pbft::kNullDigest, {}, 1};
  pbft::PreparedCert c{reissued, {{1, 1, pbft::kNullDigest, 2}}};
  const pbft::Message vc = view_change({c});
  b.record_honest(pbft::Prepare{1, 1, pbft::kNullDigest, 2});
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, vc)) << "replica 1 has not signed that pre-prepare yet";
  b.record_honest(std::make_shared<const pbft::NewView>(pbft::NewView{1, {}, {reissued}, 1}));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, vc));
  c.pre_prepare.seq = 2;  // not in O
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, view_change({c})));
}

TEST(Boundary, RejectsSendingAsAnotherReplica) {
  Boundary b(honesty(), true);
  const pbft::Prepare p{0, 1, kD, 1};
  b.record_honest(p);  // even a message replica 1 really sent cannot be re-sent under its name
  EXPECT_FALSE(b.admits(kFaulty, 1, p));
  EXPECT_FALSE(b.admits(kFaulty, 0, pbft::Commit{0, 1, kD, 0}));
  EXPECT_FALSE(b.admits(kFaulty, 2, pbft::Checkpoint{2, kD, 2}));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, pbft::Prepare{0, 1, kD, kFaulty}));
}

TEST(Boundary, RejectsRequestsNoClientSubmitted) {
  Boundary b(honesty(), true);
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, request(0, 1)));
  b.record_submitted(0, 2);
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, request(0, 1)));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, request(0, 2)));
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, request(0, 3))) << "not submitted yet";
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, request(1, 1))) << "another client";
  pbft::Request forged = request(0, 1);
  forged.operation += 1;
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, forged)) << "another operation";
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, pbft::Request{0, 0, operation_for(0, 0)})) << "timestamp 0";
}

TEST(Boundary, RejectsPrePrepareCarryingAnInventedRequest) {
  Boundary b(honesty(), true);
  const pbft::Request r = request(1, 1);
  const pbft::PrePrepare pp{0, 1, pbft::digest_of(r), r, kFaulty};
  EXPECT_FALSE(b.admits(kFaulty, kFaulty, pp));
  b.record_submitted(1, 1);
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, pp));
  // Null pre-prepares need no client.
  EXPECT_TRUE(Boundary(honesty(), true).admits(kFaulty, kFaulty, own_pre_prepare()));
}

TEST(Boundary, AuthOffAdmitsEverything) {
  Boundary b(honesty(), false);
  EXPECT_FALSE(b.enforced());
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, view_change({cert_with_prepares_from({0, 1, 2})})));
  EXPECT_TRUE(b.admits(kFaulty, 1, pbft::Prepare{0, 1, kD, 1}));
  EXPECT_TRUE(b.admits(kFaulty, 0, pbft::PrePrepare{0, 1, kD, request(0, 7), 0}));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, request(5, 9)));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty, view_change({}, {{2, kD, 0}, {2, kD, 1}, {2, kD, 2}}, 2)));
  EXPECT_TRUE(b.admits(kFaulty, kFaulty,
                       std::make_shared<const pbft::NewView>(pbft::NewView{1, {pbft::ViewChange{1, 0, {}, {}, 0}}, {}, kFaulty})));
}

// After a view change into v+1 that carries a certificate, the pre-prepares
// in the new primary's O are signed by it, and later certificates and
// VIEW-CHANGEs are built on them. A faulty replica that only relays and
// rearranges what honest replicas signed (viewchange_tamper, equivocate)
// must never be blocked, and as primary of v+2 its NEW-VIEW must get through.
struct ViewTwoWatch final : TraceSink {
  bool carried_into_one = false, faulty_view_two_entered = false;
  pbft::ReplicaId faulty = 2;  // the primary of view 2 at n = 4
  void on_event(const TraceEvent& e) override {
    if (e.type == EventType::new_view && e.view == 1) carried_into_one = true;
    if (e.type == EventType::new_view && e.view == 2 && e.from != faulty && carried_into_one)
      faulty_view_two_entered = true;
  }
};

TEST(Boundary, FaultyPrimaryOfALaterViewActsAfterCertificatesWereCarried) {
  for (const StrategyKind kind : {StrategyKind::viewchange_tamper, StrategyKind::equivocate}) {
    ScenarioSpace space;
    space.fixed_faults = {{2, kind}};
    space.modes = {NetworkMode::timed};
    space.view_change_timeouts_us = {25'000};
    space.drop = {0.3};
    space.retransmit = {true};
    space.gst_us = {1'000'000};
    space.requests = {6};
    space.clients = {2};
    space.horizon_us = 4'000'000;
    Tape none = Tape::from_values({});
    const Scenario s = draw(space, none);
    Simulator sim(s);
    int carried_then_acted = 0;
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
      Tape t = Tape::from_seed(seed);
      ViewTwoWatch watch;
      const RunResult r = sim.run(t, &watch);
      ASSERT_EQ(r.stats.blocked_forgeries, 0u)
          << strategy_name(kind) << ", seed " << seed << ": a relayed honest signature was taken for a forgery";
      ASSERT_FALSE(r.violation) << strategy_name(kind) << ", seed " << seed;
      if (r.coverage.certs_carried > 0 && watch.faulty_view_two_entered) ++carried_then_acted;
    }
    EXPECT_GT(carried_then_acted, 0) << strategy_name(kind)
                                     << ": no run where replica 2 led view 2 after certificates were carried";
  }
}

TEST(Boundary, SignedHashIsDeep) {
  const pbft::Prepare p{0, 1, kD, 1};
  EXPECT_EQ(signed_hash(pbft::Message{p}), signed_hash(pbft::Message{pbft::Prepare{0, 1, kD, 1}}));
  EXPECT_NE(signed_hash(pbft::Message{p}), signed_hash(pbft::Message{pbft::Prepare{0, 1, kD, 2}}));
  EXPECT_NE(signed_hash(pbft::Message{p}), signed_hash(pbft::Message{pbft::Commit{0, 1, kD, 1}}));
  pbft::ViewChange a{1, 0, {}, {cert_with_prepares_from({1})}, 2};
  pbft::ViewChange b = a;
  EXPECT_EQ(signed_hash(a), signed_hash(b));
  b.prepared[0].prepares[0].digest = kD;
  EXPECT_NE(signed_hash(a), signed_hash(b));
}

}  // namespace
}  // namespace model
