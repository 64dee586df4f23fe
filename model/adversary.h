#pragma once
// The adversary boundary. Faulty replicas may send anything they can sign;
// a signed item inside their messages that names an honest signer (a prepare
// in a certificate, a checkpoint in a proof, a VIEW-CHANGE in a NEW-VIEW)
// must be one that honest replica really sent, and a client request must be
// one the client really submitted. With auth off the boundary is lifted and
// faulty replicas may also send under an honest replica's name.
#include <cstdint>
#include <vector>

#include "model/hash_set.h"
#include "pbft/messages.h"

namespace model {

// A deep hash of a signed message's contents.
std::uint64_t signed_hash(const pbft::Message& m);
std::uint64_t signed_hash(const pbft::ViewChange& vc);

class Boundary {
 public:
  Boundary(std::vector<bool> honest, bool auth);

  bool enforced() const { return auth_; }
  // Forgets what was sent and submitted, keeping the memory (a new run).
  void reset() {
    signed_.clear();
    submitted_.clear();
  }
  // Honest replicas' signed messages that can be embedded by others.
  void record_honest(const pbft::Message& m);
  void record_submitted(pbft::ClientId c, pbft::Timestamp t);
  // May faulty `sender` send m (under the name `as`)?
  bool admits(pbft::ReplicaId sender, pbft::ReplicaId as, const pbft::Message& m) const;

 private:
  bool genuine_request(const pbft::Request& r) const;
  bool signed_by_honest_ok(pbft::ReplicaId signer, std::uint64_t hash) const;
  bool check_pre_prepare(const pbft::PrePrepare& pp) const;
  bool check_view_change(const pbft::ViewChange& vc) const;
  bool check_proof(const std::vector<pbft::Checkpoint>& proof) const;

  std::vector<bool> honest_;
  bool auth_;
  bool adversary_;  // some replica is faulty
  HashSet signed_;
  std::vector<pbft::Timestamp> submitted_;
};

}  // namespace model
