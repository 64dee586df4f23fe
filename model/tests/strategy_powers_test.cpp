// The adversary's powers (model/strategies_powers.cpp), each driven directly:
// over a range of tapes, the strategy does what its name says, and what it
// sends stays inside the boundary (it signs only as itself).
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>

#include "helpers.h"
#include "model/adversary.h"
#include "model/strategy.h"
#include "pbft/certificates.h"

namespace model {
namespace {

using testing::small_scenario;

pbft::Request request(pbft::ClientId c, pbft::Timestamp t) { return {c, t, operation_for(c, t)}; }

// One faulty replica `id` running `kind`, fed by hand.
struct Driven {
  Driven(StrategyKind kind, pbft::ReplicaId id, std::uint64_t seed)
      : scenario(small_scenario(4, NetworkMode::async, {{id, kind}})),
        coalition(Coalition::of(scenario)),
        tape(Tape::from_seed(seed)),
        strategy(make_strategy(kind, scenario.config, id)),
        id(id) {}
  StrategyContext ctx() { return {tape, scenario, coalition, out, timers, known}; }
  void deliver(pbft::ReplicaId from, const pbft::Message& m) {
    auto c = ctx();
    strategy->on_message(from, m, c);
  }
  void submit(const pbft::Request& r) {
    auto c = ctx();
    strategy->on_client_request(r.client, r, c);
  }
  // Everything sent so far must pass the boundary (all honest messages
  // it could embed were recorded by `boundary`).
  void expect_within(const Boundary& boundary) const {
    for (const auto& o : out) EXPECT_TRUE(boundary.admits(id, o.as, o.message)) << pbft::kind_name(pbft::kind_of(o.message));
  }
  template <class T>
  std::vector<T> sent() const {
    std::vector<T> found;
    for (const auto& o : out)
      if (auto* m = std::get_if<T>(&o.message)) found.push_back(*m);
    return found;
  }

  Scenario scenario;
  Coalition coalition;
  Tape tape;
  std::unique_ptr<Strategy> strategy;
  pbft::ReplicaId id;
  std::vector<Outgoing> out;
  std::vector<pbft::TimerOp> timers;
  std::vector<pbft::Request> known;
};

// True when `found` holds for the outgoing messages of some tape in 1..200.
bool some_tape(StrategyKind kind, pbft::ReplicaId id, const std::function<bool(Driven&)>& found) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Driven d(kind, id, seed);
    if (found(d)) return true;
  }
  return false;
}

TEST(StrategyPowers, WrongRolePrimarySendsAPrepare) {
  EXPECT_TRUE(some_tape(StrategyKind::wrong_role, 0, [](Driven& d) {
    d.submit(request(0, 1));
    for (const auto& p : d.sent<pbft::Prepare>())
      if (p.replica == 0 && p.seq == 1) return true;
    return false;
  }));
}

TEST(StrategyPowers, WrongRoleBackupSendsAPrePrepare) {
  const pbft::Request r = request(0, 1);
  EXPECT_TRUE(some_tape(StrategyKind::wrong_role, 2, [&](Driven& d) {
    d.deliver(0, pbft::PrePrepare{0, 1, pbft::digest_of(r), r, 0});
    for (const auto& pp : d.sent<pbft::PrePrepare>())
      if (pp.replica == 2 && pp.view == 0 && pp.seq == 1) return true;
    return false;
  }));
}

// VIEW-CHANGEs for view 1 from replicas 0, 2 and 3 (nothing prepared).
void ask_for_view_one(Driven& d, const std::vector<pbft::ReplicaId>& from, Boundary* boundary = nullptr) {
  for (pbft::ReplicaId r : from) {
    const pbft::Message vc = std::make_shared<const pbft::ViewChange>(pbft::ViewChange{1, 0, {}, {}, r});
    if (boundary) boundary->record_honest(vc);
    d.deliver(r, vc);
  }
}

TEST(StrategyPowers, WrongRoleBackupSendsANewViewForAViewItDoesNotLead) {
  // Replica 2 does not lead view 1 (replica 1 does).
  EXPECT_TRUE(some_tape(StrategyKind::wrong_role, 2, [](Driven& d) {
    ask_for_view_one(d, {0, 1, 3});
    for (const auto& nv : d.sent<pbft::NewViewPtr>())
      if (nv->view == 1 && nv->replica == 2) return true;
    return false;
  }));
}

TEST(StrategyPowers, ChooseNewViewSendsValidNewViewsThatDifferPerBackup) {
  bool differ = false;
  for (std::uint64_t seed = 1; seed <= 200 && !differ; ++seed) {
    Driven d(StrategyKind::choose_newview, 1, seed);  // replica 1 leads view 1
    Boundary boundary({true, false, true, true}, true);
    ask_for_view_one(d, {0, 2, 3}, &boundary);
    std::set<std::set<pbft::ReplicaId>> chosen;
    for (const auto& nv : d.sent<pbft::NewViewPtr>()) {
      ASSERT_TRUE(pbft::valid_new_view(d.scenario.config, *nv)) << "seed " << seed;
      std::set<pbft::ReplicaId> V;
      for (const auto& vc : nv->view_changes) V.insert(vc.replica);
      chosen.insert(V);
    }
    d.expect_within(boundary);
    differ = chosen.size() > 1;
  }
  EXPECT_TRUE(differ) << "every backup always got the same VIEW-CHANGEs";
}

TEST(StrategyPowers, ReplaySendsAMessageItReceivedAgain) {
  const pbft::Request r = request(0, 1);
  const pbft::PrePrepare pp{0, 1, pbft::digest_of(r), r, 0};
  EXPECT_TRUE(some_tape(StrategyKind::replay, 3, [&](Driven& d) {
    d.deliver(0, pp);
    d.deliver(1, pbft::Prepare{0, 1, pp.digest, 1});
    for (const auto& sent : d.sent<pbft::PrePrepare>())
      if (sent == pp) return true;  // a backup relaying the primary's PRE-PREPARE
    return false;
  }));
}

TEST(StrategyPowers, ReproposeRenumbersAKnownRequest) {
  const pbft::Request first = request(0, 1), second = request(1, 1);
  EXPECT_TRUE(some_tape(StrategyKind::repropose, 0, [&](Driven& d) {
    d.submit(first);
    d.submit(second);
    for (const auto& pp : d.sent<pbft::PrePrepare>())
      if (pp.seq == 2 && pp.request == first && pp.digest == pbft::digest_of(first)) return true;
    return false;
  }));
}

// A faulty replica's CHECKPOINTs that name another state than the honest
// ones at the same sequence number.
struct CheckpointWatch final : TraceSink {
  pbft::ReplicaId faulty = 3;
  std::map<pbft::Seq, pbft::Digest> honest;
  std::vector<std::pair<pbft::Seq, pbft::Digest>> faulty_sent;
  void on_event(const TraceEvent& e) override {
    if (e.type != EventType::send || e.kind != pbft::MessageKind::checkpoint) return;
    if (e.from == faulty) faulty_sent.emplace_back(e.seq, e.digest);
    else honest[e.seq] = e.digest;
  }
  bool made_up() const {
    for (const auto& [seq, digest] : faulty_sent)
      if (honest.count(seq) && honest.at(seq) != digest) return true;
    return false;
  }
};

TEST(StrategyPowers, ForgeStateCheckpointsAMadeUpState) {
  const Scenario s = small_scenario(4, NetworkMode::async, {{3, StrategyKind::forge_state}}, 4);
  Simulator sim(s);
  bool made_up = false;
  for (std::uint64_t seed = 1; seed <= 50 && !made_up; ++seed) {
    Tape t = Tape::from_seed(seed);
    CheckpointWatch watch;
    const RunResult r = sim.run(t, &watch);
    ASSERT_FALSE(r.violation) << "seed " << seed;
    made_up = watch.made_up();
  }
  EXPECT_TRUE(made_up);
}

}  // namespace
}  // namespace model
