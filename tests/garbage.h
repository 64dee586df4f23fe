#pragma once
// Random garbage a faulty replica can send: every message kind, fields biased
// toward boundary values (0, the current window, UINT64_MAX, kMaxView, ids
// >= n). Top-level `replica` fields may lie (they are not signatures), but
// messages embedded in certificates only carry the faulty sender's id or
// out-of-range ids: the faulty replica cannot forge honest signatures.
#include <cstdint>
#include <random>
#include <set>

#include "pbft/certificates.h"
#include "pbft/service.h"
#include "tests/cluster.h"

namespace pbft::test {

class Garbage {
 public:
  Garbage(const Config& c, ReplicaId faulty, std::uint64_t seed)
      : config_(c), faulty_(faulty), rng_(seed) {}

  Message next() {
    switch (pick(11)) {
      case 0: return request_();
      case 1: return pre_prepare();
      case 2: return Prepare{view(), seq(), digest(), claimed()};
      case 3: return Commit{view(), seq(), digest(), claimed()};
      case 4: return Reply{view(), seq(), client(), claimed(), rng_()};
      case 5: return checkpoint(claimed());
      case 6: return pick(20) == 0 ? ViewChangePtr{} : std::make_shared<const ViewChange>(view_change(claimed()));
      case 7: return pick(20) == 0 ? NewViewPtr{} : std::make_shared<const NewView>(new_view());
      case 8: return FetchState{seq(), claimed()};
      case 9: return Status{view(), seq(), seq(), claimed()};
      default: return state_transfer();
    }
  }
  // Sender as the network reports it: mostly the faulty replica, sometimes an
  // id out of range.
  ReplicaId sender() {
    switch (pick(8)) {
      case 0: return config_.n;
      case 1: return UINT32_MAX;
      default: return faulty_;
    }
  }

 private:
  std::uint64_t pick(std::uint64_t k) { return std::uniform_int_distribution<std::uint64_t>(0, k - 1)(rng_); }
  View view() {
    switch (pick(8)) {
      case 0: return UINT64_MAX;
      case 1: return kMaxView - pick(2);
      case 2: return pick(64);
      case 3: return rng_();
      default: return pick(4);
    }
  }
  Seq seq() {
    switch (pick(8)) {
      case 0: return UINT64_MAX - pick(2);
      case 1: return rng_();
      case 2: return pick(64);
      default: return pick(2 * config_.watermark_window + 2);
    }
  }
  ClientId client() { return pick(6) == 0 ? static_cast<ClientId>(rng_()) : static_cast<ClientId>(pick(config_.max_clients + 1)); }
  Request request_() { return Request{client(), seq(), pick(4)}; }
  Digest digest() {
    switch (pick(5)) {
      case 0: return kNoDigest;
      case 1: return kNullDigest;
      case 2: return digest_of(request_());
      default: return rng_();
    }
  }
  ReplicaId any_id() { return pick(5) == 0 ? static_cast<ReplicaId>(rng_()) : static_cast<ReplicaId>(pick(config_.n + 2)); }
  // A top-level replica field: mostly the truth, sometimes a lie.
  ReplicaId claimed() { return pick(4) == 0 ? any_id() : faulty_; }
  ReplicaId own_id() {  // a "signature" the faulty replica can produce
    switch (pick(6)) {
      case 0: return config_.n + static_cast<ReplicaId>(pick(3));
      case 1: return UINT32_MAX;
      default: return faulty_;
    }
  }
  PrePrepare pre_prepare(ReplicaId signer) {
    Request r = request_();
    Digest d = pick(2) ? digest_of(r) : digest();
    return PrePrepare{view(), seq(), d, r, signer};
  }
  PrePrepare pre_prepare() { return pre_prepare(pick(2) ? claimed() : any_id()); }
  Checkpoint checkpoint(ReplicaId signer) { return Checkpoint{seq(), digest(), signer}; }
  std::vector<Checkpoint> proof() {
    std::vector<Checkpoint> p;
    const Seq s = seq();
    const Digest d = digest();
    for (std::uint64_t i = pick(6); i > 0; --i)
      p.push_back(pick(4) ? Checkpoint{s, d, own_id()} : checkpoint(own_id()));
    return p;
  }
  ViewChange view_change(ReplicaId replica) {
    ViewChange vc{.new_view = view(), .stable_seq = seq(), .checkpoint_proof = proof(), .prepared = {},
                  .replica = replica};
    for (std::uint64_t i = pick(4); i > 0; --i) {
      PreparedCert cert{.pre_prepare = pre_prepare(own_id()), .prepares = {}};
      for (std::uint64_t j = pick(4); j > 0; --j)
        cert.prepares.push_back(pick(2) ? Prepare{cert.pre_prepare.view, cert.pre_prepare.seq,
                                                  cert.pre_prepare.digest, own_id()}
                                        : Prepare{view(), seq(), digest(), own_id()});
      vc.prepared.push_back(std::move(cert));
    }
    return vc;
  }
  NewView new_view() {
    NewView nv{.view = view(), .view_changes = {}, .pre_prepares = {}, .replica = claimed()};
    for (std::uint64_t i = pick(5); i > 0; --i) {
      ViewChange vc = view_change(own_id());
      if (pick(2)) vc.new_view = nv.view;
      nv.view_changes.push_back(std::move(vc));
    }
    // plan_new_view needs a valid V (it walks every seq up to the highest certificate).
    bool valid = true;
    for (const auto& vc : nv.view_changes) valid = valid && valid_view_change(config_, vc);
    if (valid && pick(2)) nv.pre_prepares = plan_new_view(config_, nv.view, nv.view_changes).pre_prepares;
    for (std::uint64_t i = pick(3); i > 0; --i) nv.pre_prepares.push_back(pre_prepare(own_id()));
    return nv;
  }
  StateTransfer state_transfer() {
    std::shared_ptr<const ServiceState> state;
    if (pick(6) != 0) {
      ServiceState s;
      s.applied = pick(10);
      s.chain = rng_();
      s.clients.resize(pick(4) == 0 ? pick(3) : config_.max_clients);
      state = std::make_shared<const ServiceState>(std::move(s));
    }
    std::vector<Checkpoint> p = proof();
    Seq s = seq();
    if (state && pick(2)) {  // a proof that at least names the state's digest
      s = (pick(4) + 1) * config_.checkpoint_interval;
      for (auto& cp : p) cp = {s, state->digest(), cp.replica};
    }
    return StateTransfer{s, state, std::move(p), claimed()};
  }

  Config config_;
  ReplicaId faulty_;
  std::mt19937_64 rng_;
};

}  // namespace pbft::test

namespace pbft::test {

// The same honest run — ten requests from three clients, K = 2, L = 4, so
// checkpoints and garbage collection happen — with garbage messages from
// faulty replica 3 (or out-of-range ids) delivered to replica 2: `per_round`
// before every request and `per_step` between any two honest deliveries.
// Replica 2's answers to the garbage go to the faulty sender and are dropped.
struct GarbageRun {
  std::vector<std::vector<Execution>> executions;  // per replica
  std::size_t garbage = 0;                         // messages injected
  std::set<Rejection> rejections;                  // the reasons replica 2 gave for refusing them
  std::size_t footprint = 0;                       // replica 2's, at the end
};

inline GarbageRun run_with_garbage(std::size_t per_round, std::size_t per_step,
                                   Mutation m = Mutation::none, std::uint64_t seed = 1) {
  Cluster c(test_config(4, 2, 4, m));
  Garbage g(c.config(), 3, seed);
  GarbageRun run;
  Effects scratch;
  const auto inject = [&](std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      scratch.clear();
      c.replica(2).on_message(g.sender(), g.next(), scratch);
      for (const Event& e : scratch.events)
        if (e.kind == EventKind::rejected) run.rejections.insert(e.detail);
    }
    run.garbage += count;
  };
  for (Timestamp round = 0; round < 10; ++round) {
    inject(per_round);
    c.submit_all(request(static_cast<ClientId>(round % 3), round / 3 + 1));
    while (c.deliver_one()) inject(per_step);
  }
  for (ReplicaId r = 0; r < c.size(); ++r) run.executions.push_back(c.executions(r));
  run.footprint = c.replica(2).footprint_bytes();
  return run;
}

inline bool same_executions(const std::vector<Execution>& a, const std::vector<Execution>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].seq != b[i].seq || a[i].view != b[i].view || a[i].digest != b[i].digest ||
        !(a[i].request == b[i].request) || a[i].applied != b[i].applied || a[i].result != b[i].result)
      return false;
  return true;
}

}  // namespace pbft::test
