#pragma once
// Byzantine strategies. A faulty replica is a Strategy: it sees what is
// delivered to it and emits messages. Most strategies drive an honest
// Replica copy and rewrite what it sends; every choice they make is a tape
// pick whose answer 0 means "behave honestly".
#include <map>
#include <set>
#include <memory>
#include <vector>

#include "model/scenario.h"
#include "model/tape.h"
#include "pbft/replica.h"

namespace model {

// An outgoing message of a faulty replica; `as` differs from the faulty
// replica's id only when it tries to forge (the boundary blocks it unless auth is off).
struct Outgoing {
  pbft::ReplicaId as;
  pbft::Destination to;
  pbft::Message message;
};

// Shared knowledge of colluding replicas (the `split` attack): the two
// conflicting pre-prepares they issued for each (view, seq).
struct Coalition {
  struct Split {
    pbft::PrePrepare group_a, group_b;
  };
  std::vector<bool> member;      // by replica id
  std::vector<bool> in_group_a;  // honest replicas that see group_a's story
  std::map<std::pair<pbft::View, pbft::Seq>, Split> splits;
  pbft::Seq next_seq = 1;

  // The `split` replicas of a scenario, and the two groups they split the
  // honest replicas into: the first half of them, and the rest.
  static Coalition of(const Scenario& s);
  void restart();  // a new run: no splits yet
};

// The tutorial's faulty backup, answering a PRE-PREPARE: a PREPARE with
// the digest it got (pick 0), one with a fake digest, or nothing (half the
// time). The `seed` strategy and the seed profile's protocol both follow it.
enum class SeedVote : std::uint8_t { honest, fake, silent };
inline SeedVote seed_backup_vote(Tape& tape) {
  switch (tape.pick(4)) {
    case 0: return SeedVote::honest;
    case 1: return SeedVote::fake;
    default: return SeedVote::silent;
  }
}

struct StrategyContext {
  Tape& tape;
  const Scenario& scenario;
  Coalition& coalition;
  std::vector<Outgoing>& out;
  std::vector<pbft::TimerOp>& timers;
  // Requests seen by the faulty replica (from clients or in pre-prepares).
  std::vector<pbft::Request>& known_requests;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual void on_message(pbft::ReplicaId from, const pbft::Message& m, StrategyContext& ctx) = 0;
  virtual void on_client_request(pbft::ClientId c, const pbft::Request& r, StrategyContext& ctx) = 0;
  virtual void on_timer(std::uint64_t token, StrategyContext& ctx) = 0;
  // Becomes a copy of `initial`, a strategy of the same kind in its starting
  // state, keeping this one's memory: a search restarts strategies for every
  // schedule, and building them afresh was a few percent of it.
  virtual void restart_from(const Strategy& initial) = 0;

 protected:
  Strategy() = default;
  Strategy(const Strategy&) = default;
  Strategy& operator=(const Strategy&) = default;
};

std::unique_ptr<Strategy> make_strategy(StrategyKind kind, const pbft::Config& config,
                                        pbft::ReplicaId id);

}  // namespace model
