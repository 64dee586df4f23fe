#include "model/adversary.h"

#include <algorithm>

#include "model/scenario.h"
#include "pbft/hash.h"

namespace model {

namespace {
// Signed contents, hashed one word at a time (a bijective mix per word: half
// the work of pbft::combine, and these hashes never reach a trace). The type
// tag is mixed first, so a first field cannot cancel it by XOR: a VIEW-CHANGE
// must not hash like a CHECKPOINT with chosen fields.
struct Words {
  explicit Words(std::uint64_t tag) : h(pbft::mix64(tag)) {}
  std::uint64_t h;
  Words& operator<<(std::uint64_t w) {
    h = pbft::mix64(h ^ w);
    return *this;
  }
};
std::uint64_t hash_pp(const pbft::PrePrepare& p) {
  return (Words{1} << p.view << p.seq << p.digest << p.replica << p.request.client << p.request.timestamp
                   << p.request.operation)
      .h;
}
std::uint64_t hash_prepare(const pbft::Prepare& p) {
  return (Words{2} << p.view << p.seq << p.digest << p.replica).h;
}
std::uint64_t hash_checkpoint(const pbft::Checkpoint& c) {
  return (Words{3} << c.seq << c.state_digest << c.replica).h;
}
}  // namespace

std::uint64_t signed_hash(const pbft::ViewChange& vc) {
  Words w{4};
  w << vc.new_view << vc.stable_seq << vc.replica;
  for (const auto& c : vc.checkpoint_proof) w << hash_checkpoint(c);
  for (const auto& cert : vc.prepared) {
    w << hash_pp(cert.pre_prepare);
    for (const auto& p : cert.prepares) w << hash_prepare(p);
  }
  return w.h;
}

std::uint64_t signed_hash(const pbft::Message& m) {
  if (auto* pp = std::get_if<pbft::PrePrepare>(&m)) return hash_pp(*pp);
  if (auto* p = std::get_if<pbft::Prepare>(&m)) return hash_prepare(*p);
  if (auto* c = std::get_if<pbft::Checkpoint>(&m)) return hash_checkpoint(*c);
  if (auto* vc = std::get_if<pbft::ViewChangePtr>(&m)) return *vc ? signed_hash(**vc) : 0;
  return 0;
}

Boundary::Boundary(std::vector<bool> honest, bool auth)
    : honest_(std::move(honest)),
      auth_(auth),
      adversary_(std::find(honest_.begin(), honest_.end(), false) != honest_.end()) {}

void Boundary::record_honest(const pbft::Message& m) {
  // With no faulty replica nobody embeds anything: keep no registry (it
  // would grow with every message of a long run).
  if (!auth_ || !adversary_) return;
  switch (pbft::kind_of(m)) {
    case pbft::MessageKind::pre_prepare:
    case pbft::MessageKind::prepare:
    case pbft::MessageKind::checkpoint:
    case pbft::MessageKind::view_change: signed_.insert(signed_hash(m)); break;
    case pbft::MessageKind::new_view:
      // O's pre-prepares are signed by the new primary: backups log them,
      // build certificates on them and carry those into later VIEW-CHANGEs,
      // which anyone may relay.
      if (const auto& nv = std::get<pbft::NewViewPtr>(m))
        for (const auto& pp : nv->pre_prepares) signed_.insert(hash_pp(pp));
      break;
    default: break;
  }
}

void Boundary::record_submitted(pbft::ClientId c, pbft::Timestamp t) {
  if (c >= submitted_.size()) submitted_.resize(c + 1, 0);
  if (t > submitted_[c]) submitted_[c] = t;
}

bool Boundary::genuine_request(const pbft::Request& r) const {
  return r.client < submitted_.size() && r.timestamp >= 1 && r.timestamp <= submitted_[r.client] &&
         r.operation == operation_for(r.client, r.timestamp);
}

bool Boundary::signed_by_honest_ok(pbft::ReplicaId signer, std::uint64_t hash) const {
  if (signer >= honest_.size() || !honest_[signer]) return true;  // the adversary's own signature
  return signed_.contains(hash);
}

bool Boundary::check_pre_prepare(const pbft::PrePrepare& pp) const {
  // A request the pre-prepare really carries must come from a client.
  if (!pp.is_null() && pp.digest == pbft::digest_of(pp.request) && !genuine_request(pp.request))
    return false;
  return true;
}

bool Boundary::check_proof(const std::vector<pbft::Checkpoint>& proof) const {
  for (const auto& c : proof)
    if (!signed_by_honest_ok(c.replica, hash_checkpoint(c))) return false;
  return true;
}

bool Boundary::check_view_change(const pbft::ViewChange& vc) const {
  if (!check_proof(vc.checkpoint_proof)) return false;
  for (const auto& cert : vc.prepared) {
    if (!check_pre_prepare(cert.pre_prepare)) return false;
    if (!signed_by_honest_ok(cert.pre_prepare.replica, hash_pp(cert.pre_prepare))) return false;
    for (const auto& p : cert.prepares)
      if (!signed_by_honest_ok(p.replica, hash_prepare(p))) return false;
  }
  return true;
}

bool Boundary::admits(pbft::ReplicaId sender, pbft::ReplicaId as, const pbft::Message& m) const {
  if (!auth_) return true;
  if (as != sender) return false;  // the network authenticates senders
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, pbft::Request>) return genuine_request(x);
        else if constexpr (std::is_same_v<T, pbft::PrePrepare>) return check_pre_prepare(x);
        else if constexpr (std::is_same_v<T, pbft::ViewChangePtr>) return x && check_view_change(*x);
        else if constexpr (std::is_same_v<T, pbft::NewViewPtr>) {
          if (!x) return false;
          for (const auto& vc : x->view_changes) {
            if (!signed_by_honest_ok(vc.replica, signed_hash(vc))) return false;
            if (!check_view_change(vc)) return false;
          }
          for (const auto& pp : x->pre_prepares)
            if (!check_pre_prepare(pp)) return false;
          return true;
        } else if constexpr (std::is_same_v<T, pbft::StateTransfer>) return check_proof(x.proof);
        else return true;
      },
      m);
}

}  // namespace model
