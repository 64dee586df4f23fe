#pragma once
// An abstract model of which normal-case messages a single PBFT backup must
// accept or reject (Castro & Liskov §4.2), for the stateful property. The
// replica stays in view 0 with h = 0 (nothing drives a view change or makes
// a checkpoint stable), so the model tracks per sequence number the accepted
// pre-prepare digest and the first vote of each sender, and predicts the
// outcome of every delivery: the rejection reason, or acceptance with the
// prepared / committed transitions, the PREPARE / COMMIT the replica sends,
// and the executions.
#include <cstdint>
#include <optional>
#include <ostream>
#include <vector>

#include "pbft/config.h"
#include "pbft/effects.h"
#include "pbft/messages.h"

namespace props {

enum class MsgType : std::uint8_t { pre_prepare, prepare, commit };

// What digest a delivered message carries.
enum class DigestChoice : std::uint8_t {
  a,          // the slot's request A
  b,          // the slot's request B (another client)
  null,       // the null request
  mismatch,   // pre-prepare: request A with a digest that is not A's; votes: some unknown digest
  bad_client, // pre-prepare: a request from a client id >= max_clients (with its true digest)
  none,       // the digest 0 (kNoDigest): no request has it
};

struct Delivery {
  MsgType type = MsgType::pre_prepare;
  pbft::ReplicaId from = 0;
  pbft::ReplicaId claimed = 0;  // the replica field inside the message
  pbft::View view = 0;
  pbft::Seq seq = 1;
  DigestChoice digest = DigestChoice::a;
};
std::ostream& operator<<(std::ostream& os, const Delivery& d);

// The requests a slot's pre-prepares carry.
pbft::Request request_a(pbft::Seq seq);
pbft::Request request_b(pbft::Seq seq);
pbft::Message to_message(const pbft::Config& c, const Delivery& d);

struct Outcome {
  std::optional<pbft::Rejection> rejected;
  bool buffered = false;
  bool sent_prepare = false;  // accepted a pre-prepare: PREPARE broadcast
  std::vector<pbft::Seq> prepared, committed, executed;
  bool sent_commit() const { return !prepared.empty(); }
};

struct ReplicaModel {
  pbft::Config config;
  pbft::ReplicaId id = 1;
  struct Slot {
    std::optional<pbft::Digest> pre_prepare;
    std::vector<pbft::Digest> prepares, commits;  // by sender; kNoDigest: no vote
    bool prepared = false, committed = false;
  };
  std::vector<Slot> slots;  // slots[seq], 1..L
  std::vector<std::uint32_t> buffered_per_sender;
  std::size_t buffered = 0;
  pbft::Seq last_executed = 0;

  ReplicaModel(pbft::Config c, pbft::ReplicaId self);
  // Prepared: the pre-prepare and quorum()-1 matching prepares from distinct
  // backups (its own included); committed: quorum() matching commits.
  std::uint32_t quorum() const;
  // Applies a delivery, returning what the replica must do.
  Outcome deliver(const Delivery& d);

 private:
  void check_prepared(pbft::Seq seq, Outcome& out);
  void check_committed(pbft::Seq seq, Outcome& out);
};

}  // namespace props
