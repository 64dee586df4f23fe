#include "model/seed_protocol.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <vector>

#include "model/network.h"
#include "model/scenario_space.h"
#include "model/strategy.h"

namespace model {

// Analytic success rate. Messages are never dropped and a commit takes three
// hops of at most 35 + 20 ms (165 ms, well inside 2 s), so timing never
// decides a trial: only who is faulty does. With h = n − m honest replicas
// and q = 2f+1:
//  - honest primary (probability (n−m)/n): every honest replica accepts the
//    true digest and prepares it. Faulty replicas never COMMIT, so an honest
//    replica sees at most h COMMITs: all commit iff h ≥ q (the h honest
//    PREPAREs alone then prepare everyone), none commits otherwise;
//  - faulty primary (probability m/n): each replica got a digest no other
//    replica holds, so an honest replica sees one PREPARE for its digest,
//    its own. It prepares, and then commits alone, only when q = 1 (f = 0,
//    n ≤ 3): success without agreement;
//  - m = n: no honest replica to commit, counted as a failure.
// So success = (n−m)/n·[h ≥ q] + m/n·[f = 0] for m < n, and agreement (a
// success with the true digest) = (n−m)/n·[h ≥ q]. For n = 10 (q = 7):
// m = 0 → 1, m = 1..3 → (10−m)/10, m ≥ 4 → 0.
SeedExpectation seed_expectation(std::uint32_t n, std::uint32_t malicious) {
  if (n == 0 || malicious >= n) return {};
  const std::uint32_t f = (n - 1) / 3, honest = n - malicious;
  const double p_honest_primary = static_cast<double>(honest) / n;
  const double agreement = honest >= 2 * f + 1 ? p_honest_primary : 0.0;
  return {.success = agreement + (f == 0 ? 1.0 - p_honest_primary : 0.0), .agreement = agreement};
}

namespace {

enum class Kind : std::uint8_t { pre_prepare, prepare, commit };

struct Message {
  std::uint64_t time = 0, order = 0;  // order breaks ties: first sent, first delivered
  std::uint32_t from = 0, to = 0;
  Kind kind = Kind::pre_prepare;
  std::uint64_t digest = 0;
};

// Digests are distinct by construction (the true one, one per replica from
// an equivocating primary, one fake per faulty backup), so matching votes
// are exactly equal digests.
constexpr std::uint64_t kTrueDigest = 1;
constexpr std::uint32_t kPrimary = 0;

struct Votes {
  std::uint64_t digest = 0;
  std::uint64_t senders = 0;  // bitmask: a replica counts once
};

struct Node {
  bool faulty = false;
  bool pre_prepared = false;  // a PRE-PREPARE was accepted (or, if faulty, answered)
  std::uint64_t digest = 0;   // the accepted one
  bool prepared = false;      // 2f+1 matching PREPAREs: COMMIT sent
  bool committed = false;
  std::vector<Votes> prepares, commits;  // may arrive before the PRE-PREPARE
};

std::uint32_t count(std::vector<Votes>& votes, std::uint64_t digest) {
  for (const auto& v : votes)
    if (v.digest == digest) return static_cast<std::uint32_t>(std::popcount(v.senders));
  return 0;
}

void add(std::vector<Votes>& votes, std::uint64_t digest, std::uint32_t from) {
  for (auto& v : votes)
    if (v.digest == digest) {
      v.senders |= std::uint64_t{1} << from;
      return;
    }
  votes.push_back({digest, std::uint64_t{1} << from});
}

class SeedRun {
 public:
  SeedRun(const SeedConfig& c, const ScenarioSpace& faults, Tape& tape)
      : c_(c), faults_(faults), tape_(tape), quorum_(2 * ((c.n - 1) / 3) + 1), nodes_(c.n) {
    assert(c.n >= 1 && c.n <= 64 && c.malicious <= c.n);
  }

  SeedTrial run() {
    choose_faulty();
    if (nodes_[kPrimary].faulty) {
      for (std::uint32_t r = 0; r < c_.n; ++r) send(kPrimary, r, Kind::pre_prepare, 2 + r);
    } else {
      broadcast(kPrimary, Kind::pre_prepare, kTrueDigest);
    }
    while (!queue_.empty() && committed_ < honest_) {
      std::pop_heap(queue_.begin(), queue_.end(), later);
      const Message m = queue_.back();
      queue_.pop_back();
      if (m.time > c_.deadline_us) break;
      now_us_ = m.time;
      deliver(m);
    }
    return result();
  }

 private:
  static bool later(const Message& a, const Message& b) {
    return a.time != b.time ? a.time > b.time : a.order > b.order;
  }

  void choose_faulty() {
    for (const Fault& f : draw(faults_, tape_).faults) nodes_[f.replica].faulty = true;
    honest_ = c_.n - c_.malicious;
  }

  // The tutorial's network (model/scenario_space.h), drawn as the timed
  // network draws it: 5-35 ms, with probability 0.05 an extra 0-20 ms.
  void send(std::uint32_t from, std::uint32_t to, Kind kind, std::uint64_t digest) {
    const std::uint64_t delay = timed_transmission(network_, c_.n, from, to, now_us_, tape_).delay_us;
    queue_.push_back({now_us_ + delay, order_++, from, to, kind, digest});
    std::push_heap(queue_.begin(), queue_.end(), later);
    ++sent_;
  }

  void broadcast(std::uint32_t from, Kind kind, std::uint64_t digest) {
    for (std::uint32_t r = 0; r < c_.n; ++r) send(from, r, kind, digest);
  }

  void deliver(const Message& m) {
    Node& node = nodes_[m.to];
    if (node.faulty) return on_faulty(m);
    switch (m.kind) {
      case Kind::pre_prepare:
        if (node.pre_prepared || m.from != kPrimary) return;
        node.pre_prepared = true;
        node.digest = m.digest;
        broadcast(m.to, Kind::prepare, m.digest);
        break;
      case Kind::prepare: add(node.prepares, m.digest, m.from); break;
      case Kind::commit: add(node.commits, m.digest, m.from); break;
    }
    advance(m.to);
  }

  // The tutorial's faulty backup: on PRE-PREPARE, silent w.p. 1/2, else a
  // PREPARE with the digest it got (pick 0, the honest answer) or a fake;
  // never a COMMIT. A faulty primary only equivocates at the start.
  void on_faulty(const Message& m) {
    Node& node = nodes_[m.to];
    if (m.to == kPrimary || m.kind != Kind::pre_prepare || node.pre_prepared) return;
    node.pre_prepared = true;
    switch (seed_backup_vote(tape_)) {
      case SeedVote::honest: broadcast(m.to, Kind::prepare, m.digest); break;
      case SeedVote::fake: broadcast(m.to, Kind::prepare, 2 + c_.n + m.to); break;
      case SeedVote::silent: break;
    }
  }

  // PBFT's rules: prepared = the PRE-PREPARE plus 2f+1 matching PREPAREs;
  // committed = prepared plus 2f+1 matching COMMITs.
  void advance(std::uint32_t r) {
    Node& node = nodes_[r];
    if (!node.pre_prepared || node.committed) return;
    if (!node.prepared && count(node.prepares, node.digest) >= quorum_) {
      node.prepared = true;
      broadcast(r, Kind::commit, node.digest);
    }
    if (node.prepared && count(node.commits, node.digest) >= quorum_) {
      node.committed = true;
      ++committed_;
      latency_us_ = now_us_;
    }
  }

  SeedTrial result() const {
    SeedTrial t;
    t.sent = sent_;
    t.success = honest_ > 0 && committed_ == honest_;
    t.latency_us = t.success ? latency_us_ : 0;
    bool all_true = true;
    std::uint64_t first = 0;
    for (const Node& node : nodes_) {
      if (node.faulty || !node.committed) continue;
      all_true = all_true && node.digest == kTrueDigest;
      if (first == 0) first = node.digest;
      t.disagreement = t.disagreement || node.digest != first;
    }
    t.agreement = t.success && all_true;
    return t;
  }

  const SeedConfig& c_;
  const ScenarioSpace& faults_;
  Tape& tape_;
  const NetworkConfig network_ = space::tutorial_network();
  const std::uint32_t quorum_;
  std::vector<Node> nodes_;
  std::vector<Message> queue_;  // a min-heap on (time, order)
  std::uint64_t now_us_ = 0, order_ = 0, sent_ = 0, latency_us_ = 0;
  std::uint32_t honest_ = 0, committed_ = 0;
};

}  // namespace

ScenarioSpace seed_faults(const SeedConfig& c) {
  ScenarioSpace s;
  s.sizes = {c.n};
  s.malice = {.rule = Malice::Rule::exactly, .count = c.malicious};
  s.strategies = {StrategyKind::seed};
  s.fault_order = FaultOrder::backups_first;
  return s;
}

SeedTrial run_seed_trial(const SeedConfig& c, const ScenarioSpace& faults, Tape& tape) {
  return SeedRun(c, faults, tape).run();
}

}  // namespace model
