// The bug catalog (pbft/mutation.h): each mutation breaks one rule of the
// paper, and a scenario here observes the broken rule — while the same
// scenario on the correct protocol (Mutation::none) does not.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <set>

#include "pbft/certificates.h"
#include "tests/cluster.h"
#include "tests/garbage.h"
#include "tests/scenarios.h"

namespace pbft::test {
namespace {

// Each detector runs a scenario under `m` and returns true when it observes
// the bug.
using Detector = std::function<bool(Mutation)>;

// §4.2: prepared needs 2f prepares; with 2f-1 a backup prepares on its own prepare.
bool prepared_on_own_prepare(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  pre_prepare_only_at(c, 1, request(0, 1));
  return c.replica(1).prepared(1);
}

// §4.2: committed-local needs 2f+1 commits; with 2f, own + one more suffice.
bool committed_with_2f_commits(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  const Request r = request(0, 1);
  c.submit(0, r);
  c.deliver_if(!of_kind(MessageKind::commit));
  c.drop_if(of_kind(MessageKind::commit));
  c.inject(0, 1, Commit{0, 1, digest_of(r), 0});
  return c.replica(1).committed(1) || !c.executions(1).empty();
}

// §4.2: prepares must match the pre-prepare's digest.
bool prepared_with_mismatched_prepare(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  const Request r = request(0, 1);
  c.inject(0, 1, PrePrepare{0, 1, digest_of(r), r, 0});
  c.inject(2, 1, Prepare{0, 1, digest_of(request(0, 1, 5)), 2});
  return c.replica(1).prepared(1);
}

// §4.2: a second pre-prepare for (v, n) with another digest is refused.
bool second_preprepare_replaces_first(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  const Request a = request(0, 1), b = request(0, 1, 777);
  c.inject(0, 1, PrePrepare{0, 1, digest_of(a), a, 0});
  c.inject(0, 1, PrePrepare{0, 1, digest_of(b), b, 0});
  return c.replica(1).accepted_digest(1) == digest_of(b);
}

// §4.4: VIEW-CHANGE carries the prepared certificates; without them the
// prepared request is not carried into the new view.
bool prepared_request_not_carried(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  prepare_then_silence_primary(c, request(0, 1));
  for (ReplicaId b = 1; b < 4; ++b) c.fire_timer(b);
  c.deliver_all();
  return c.count_events(2, EventKind::cert_carried) == 0;
}

// §4.4: for each seq, O re-issues the certificate with the highest view.
bool new_view_picks_lower_view_certificate(Mutation m) {
  const Config c = test_config(4, 2, 4, m);
  const Request old_r = request(0, 1), new_r = request(1, 1);
  const auto cert = [](View v, const Request& r, ReplicaId primary, std::vector<ReplicaId> voters) {
    PreparedCert pc{.pre_prepare = {v, 1, digest_of(r), r, primary}, .prepares = {}};
    for (ReplicaId b : voters) pc.prepares.push_back({v, 1, digest_of(r), b});
    return pc;
  };
  const ViewChange a{.new_view = 2, .stable_seq = 0, .checkpoint_proof = {},
                     .prepared = {cert(0, old_r, 0, {1, 2})}, .replica = 1};
  const ViewChange b{.new_view = 2, .stable_seq = 0, .checkpoint_proof = {},
                     .prepared = {cert(1, new_r, 1, {2, 3})}, .replica = 2};
  const ViewChange e{.new_view = 2, .stable_seq = 0, .checkpoint_proof = {}, .prepared = {}, .replica = 3};
  EXPECT_TRUE(valid_view_change(c, a) && valid_view_change(c, b));
  const NewViewPlan plan = plan_new_view(c, 2, {a, b, e});
  EXPECT_EQ(plan.pre_prepares.size(), 1u);
  return !plan.pre_prepares.empty() && plan.pre_prepares[0].digest == digest_of(old_r);
}

// §4.1: votes count for the authenticated sender, not the claimed one.
bool claimed_primary_believed(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  const Request r = request(0, 1);
  c.inject(3, 1, PrePrepare{0, 1, digest_of(r), r, 0});  // sent by 3, claims 0
  return c.replica(1).accepted_digest(1).has_value();
}

// §4.3: a checkpoint is stable with 2f+1 matching CHECKPOINTs, not f+1.
bool stable_with_f_plus_1_checkpoints(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  c.drop_forever(of_kind(MessageKind::checkpoint));
  for (Timestamp t = 1; t <= 2; ++t) {
    c.submit(0, request(0, t));
    c.deliver_all();
  }
  c.inject(2, 1, Checkpoint{2, c.replica(2).service_state().digest(), 2});
  return c.replica(1).stable_seq() == 2;
}

// §4.2: requests execute only when committed-local.
bool executes_without_commits(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  c.submit(0, request(0, 1));
  c.deliver_if(!of_kind(MessageKind::commit));
  return !c.executions(1).empty();
}

// §4.4: backups check V and recompute O before accepting a NEW-VIEW.
bool tampered_new_view_accepted(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  const auto held = view_change_until_new_view(c, request(0, 1));
  if (held.empty()) return false;
  NewView bad = *std::get<NewViewPtr>(held[0].message);
  bad.pre_prepares.clear();  // drop the prepared request
  c.inject(1, 2, std::make_shared<const NewView>(bad));
  return !c.replica(2).in_view_change();
}

// §4.4: a new primary numbers new requests above max-s, after installing O.
// Replica 1 misses the checkpoint at 2 (so entering view 1 moves it there)
// and holds a queued request of another client; after the view change a new
// request arrives. The bug numbers the queued request at 4 before O sets
// next_seq_ back to 4, so the new request gets 4 as well.
bool new_primary_numbers_one_seq_twice(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  c.drop_forever(of_kind(MessageKind::checkpoint) && to_replica(1));
  for (Timestamp t = 1; t <= 2; ++t) {
    c.submit(0, request(0, t));
    c.deliver_all();
  }
  c.submit(1, request(1, 1));  // queued at 1; its forward to the primary is lost
  c.drop_if(to_replica(0));
  prepare_then_silence_primary(c, request(0, 3));
  for (ReplicaId b = 1; b < 4; ++b) c.fire_timer(b);
  c.deliver_if(!of_kind(MessageKind::pre_prepare));
  c.submit(1, request(2, 1));
  std::map<Seq, std::set<Digest>> numbered;  // what replica 1 pre-prepared in view 1
  for (const InFlight& f : c.in_flight()) {
    if (f.from != 1 || f.to != 2) continue;
    if (const auto* pp = std::get_if<PrePrepare>(&f.message); pp && pp->view == 1)
      numbered[pp->seq].insert(pp->digest);
    if (const auto* nv = std::get_if<NewViewPtr>(&f.message))
      for (const PrePrepare& pp : (*nv)->pre_prepares) numbered[pp.seq].insert(pp.digest);
  }
  return std::any_of(numbered.begin(), numbered.end(), [](const auto& e) { return e.second.size() > 1; });
}

// §4.3, §5.3.2: a fetched state is installed only when 2f+1 CHECKPOINTs
// certify its digest. Replica 3, cut off, is sent a made-up state with the
// real proof of checkpoint 2.
bool installs_state_the_proof_does_not_certify(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  c.isolate(3);
  for (Timestamp t = 1; t <= 2; ++t) {
    c.submit(0, request(0, t));
    c.deliver_all();
  }
  const Digest real = c.replica(0).service_state().digest();
  const std::vector<Checkpoint> proof{{2, real, 0}, {2, real, 1}, {2, real, 2}};
  ServiceState made_up = c.replica(0).service_state();
  made_up.chain ^= 1;
  c.inject(0, 3, StateTransfer{2, std::make_shared<const ServiceState>(made_up), proof, 0});
  return c.replica(3).last_executed() == 2;
}

// §4.1: a request executes at most once. Request (0, 1) executed at seq 1
// is pre-prepared again at seq 2 (as a faulty primary may), and commits there.
bool executes_a_request_twice(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  const Request r = request(0, 1);
  c.submit(0, r);
  c.deliver_all();
  for (ReplicaId b = 1; b < 4; ++b) c.inject(0, b, PrePrepare{0, 2, digest_of(r), r, 0});
  c.deliver_all();
  const auto& ex = c.executions(1);
  return std::count_if(ex.begin(), ex.end(), [](const Execution& e) { return e.applied; }) > 1;
}

// §4.1: a retransmitted request is answered with its own result. Client 0's
// requests 1 and 2 both executed; request 1 arrives again.
bool answers_with_another_requests_result(Mutation m) {
  Cluster c(test_config(4, 2, 4, m));
  for (Timestamp t = 1; t <= 2; ++t) {
    c.submit(0, request(0, t));
    c.deliver_all();
  }
  std::uint64_t first = 0;
  for (const Execution& e : c.executions(1))
    if (e.applied && e.request == request(0, 1)) first = e.result;
  for (const Send& s : c.submit(1, request(0, 1)).sends)
    if (const auto* reply = std::get_if<Reply>(&s.message); reply && reply->timestamp == 1 && reply->result != first)
      return true;
  return false;
}

const std::map<Mutation, Detector>& detectors() {
  static const std::map<Mutation, Detector> table{
      {Mutation::prepare_quorum_short, prepared_on_own_prepare},
      {Mutation::commit_quorum_short, committed_with_2f_commits},
      {Mutation::prepare_ignores_digest, prepared_with_mismatched_prepare},
      {Mutation::accept_second_preprepare, second_preprepare_replaces_first},
      {Mutation::viewchange_drops_certs, prepared_request_not_carried},
      {Mutation::newview_ignores_highest, new_view_picks_lower_view_certificate},
      {Mutation::trust_claimed_sender, claimed_primary_believed},
      {Mutation::checkpoint_stable_f1, stable_with_f_plus_1_checkpoints},
      {Mutation::execute_before_commit, executes_without_commits},
      {Mutation::skip_newview_validation, tampered_new_view_accepted},
      {Mutation::newview_issues_before_o, new_primary_numbers_one_seq_twice},
      {Mutation::state_transfer_skips_proof, installs_state_the_proof_does_not_certify},
      {Mutation::execute_twice, executes_a_request_twice},
      {Mutation::reply_cache_stale, answers_with_another_requests_result},
  };
  return table;
}

class MutationIsObservable : public ::testing::TestWithParam<std::string> {};

TEST_P(MutationIsObservable, BuggyBehaviourSeenOnlyWithTheMutation) {
  const std::optional<Mutation> m = parse_mutation(GetParam());
  ASSERT_TRUE(m);
  MutationInfo info{};
  for (const MutationInfo& i : all_mutations())
    if (i.mutation == *m) info = i;
  SCOPED_TRACE(std::string(info.rule));
  const auto it = detectors().find(info.mutation);
  ASSERT_NE(it, detectors().end()) << "no scenario detects mutation " << info.name;
  EXPECT_FALSE(it->second(Mutation::none)) << "the correct protocol shows the bug";
  EXPECT_TRUE(it->second(info.mutation)) << "mutation " << info.name << " not observed";
}

std::vector<std::string> catalog_without_none() {
  std::vector<std::string> out;
  for (const MutationInfo& i : all_mutations())
    if (i.mutation != Mutation::none) out.emplace_back(i.name);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Catalog, MutationIsObservable, ::testing::ValuesIn(catalog_without_none()),
                         [](const auto& tp) {
                           std::string name = tp.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// The garbage comparison has teeth: when the claimed sender is trusted, the
// same garbage changes what replica 2 executes.
TEST(MutationGarbage, TrustClaimedSenderLetsGarbageChangeExecutions) {
  const GarbageRun clean = run_with_garbage(0, 0);
  const GarbageRun dirty = run_with_garbage(10'000, 20, Mutation::trust_claimed_sender);
  EXPECT_FALSE(same_executions(clean.executions[2], dirty.executions[2]));
}

// Bug classes must stay observable protocol bugs, not crashes: a backup that
// skips NEW-VIEW validation (the mutation) and receives a forged NEW-VIEW
// with an absurd V and an O entry for a client that does not exist must stay
// memory-safe and bounded.
TEST(MutationSkipNewViewValidation, ForgedNewViewIsAcceptedButReplicaStaysSafe) {
  Cluster c(test_config(4, 2, 4, Mutation::skip_newview_validation));
  prepare_then_silence_primary(c, request(0, 1));
  for (ReplicaId b = 2; b < 4; ++b) c.fire_timer(b);
  c.drop_if(to_replica(1));
  // Byzantine primary 1: V claims a certificate at an enormous seq; O orders a
  // request from a client id out of range.
  const Request ghost{.client = UINT32_MAX, .timestamp = 1, .operation = 1};
  ViewChange vc{.new_view = 1, .stable_seq = 0, .checkpoint_proof = {}, .prepared = {}, .replica = 1};
  vc.prepared.push_back({.pre_prepare = {0, Seq{1} << 40, 5, ghost, 0}, .prepares = {}});
  NewView nv{.view = 1, .view_changes = {vc}, .pre_prepares = {{1, 1, digest_of(ghost), ghost, 1}}, .replica = 1};
  const auto forged = std::make_shared<const NewView>(nv);
  c.inject(1, 2, forged);
  c.inject(1, 3, forged);
  EXPECT_FALSE(c.replica(2).in_view_change()) << "the mutation accepts it";
  c.deliver_if(!to_replica(1));
  c.inject(1, 2, Commit{1, 1, digest_of(ghost), 1});
  c.inject(1, 3, Commit{1, 1, digest_of(ghost), 1});
  EXPECT_TRUE(c.replica(2).committed(1));
  ASSERT_EQ(c.executions(2).size(), 1u);
  EXPECT_FALSE(c.executions(2)[0].applied);
  EXPECT_LT(c.replica(2).footprint_bytes(), 1u << 20);
}

}  // namespace
}  // namespace pbft::test
