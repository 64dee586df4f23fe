#include "properties/replica_model.h"

#include <algorithm>

namespace props {

using pbft::Digest;
using pbft::Rejection;
using pbft::ReplicaId;
using pbft::Seq;

namespace {
const char* type_name(MsgType t) {
  switch (t) {
    case MsgType::pre_prepare: return "PRE-PREPARE";
    case MsgType::prepare: return "PREPARE";
    case MsgType::commit: return "COMMIT";
  }
  return "?";
}
const char* digest_name(DigestChoice d) {
  constexpr const char* names[] = {"A", "B", "null", "mismatch", "bad-client", "0"};
  return names[static_cast<int>(d)];
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const Delivery& d) {
  os << type_name(d.type) << "(view " << d.view << ", seq " << d.seq << ", digest " << digest_name(d.digest)
     << ", replica field " << d.claimed << ") from " << d.from;
  return os;
}

pbft::Request request_a(Seq seq) { return {.client = 0, .timestamp = seq, .operation = 1000 + seq}; }
pbft::Request request_b(Seq seq) { return {.client = 1, .timestamp = seq, .operation = 2000 + seq}; }

pbft::Message to_message(const pbft::Config& c, const Delivery& d) {
  Digest digest = pbft::kNoDigest;
  pbft::Request request;
  switch (d.digest) {
    case DigestChoice::a: request = request_a(d.seq); digest = pbft::digest_of(request); break;
    case DigestChoice::b: request = request_b(d.seq); digest = pbft::digest_of(request); break;
    case DigestChoice::null: digest = pbft::kNullDigest; break;
    case DigestChoice::mismatch:
      request = request_a(d.seq);
      digest = pbft::digest_of(request) ^ 0x5a5aULL;
      break;
    case DigestChoice::bad_client:
      request = {.client = c.max_clients, .timestamp = d.seq, .operation = 7};
      digest = pbft::digest_of(request);
      break;
    case DigestChoice::none: digest = pbft::kNoDigest; break;
  }
  switch (d.type) {
    case MsgType::pre_prepare: return pbft::PrePrepare{d.view, d.seq, digest, request, d.claimed};
    case MsgType::prepare: return pbft::Prepare{d.view, d.seq, digest, d.claimed};
    case MsgType::commit: return pbft::Commit{d.view, d.seq, digest, d.claimed};
  }
  return {};
}

ReplicaModel::ReplicaModel(pbft::Config c, ReplicaId self)
    : config(c), id(self), slots(c.watermark_window + 1), buffered_per_sender(c.n, 0) {
  for (auto& s : slots) {
    s.prepares.assign(c.n, pbft::kNoDigest);
    s.commits.assign(c.n, pbft::kNoDigest);
  }
}

std::uint32_t ReplicaModel::quorum() const {
  // Any two quorums share f+1 replicas: ⌈(n+f+1)/2⌉, which is 2f+1 at n = 3f+1.
  return (config.n + config.f + 2) / 2;
}

void ReplicaModel::check_prepared(Seq seq, Outcome& out) {
  Slot& s = slots[seq];
  if (s.prepared || !s.pre_prepare) return;
  const ReplicaId primary = config.primary(0);
  std::uint32_t matching = 0;
  for (ReplicaId r = 0; r < config.n; ++r)
    matching += r != primary && s.prepares[r] != pbft::kNoDigest && s.prepares[r] == *s.pre_prepare;
  if (matching < quorum() - 1) return;  // the pre-prepare stands for the primary's vote
  s.prepared = true;
  out.prepared.push_back(seq);
  s.commits[id] = *s.pre_prepare;  // and it commits
  check_committed(seq, out);
}

void ReplicaModel::check_committed(Seq seq, Outcome& out) {
  Slot& s = slots[seq];
  if (!s.prepared || s.committed) return;
  std::uint32_t matching = 0;
  for (ReplicaId r = 0; r < config.n; ++r) matching += s.commits[r] == *s.pre_prepare;
  if (matching < quorum()) return;
  s.committed = true;
  out.committed.push_back(seq);
  while (last_executed + 1 < slots.size() && slots[last_executed + 1].committed)
    out.executed.push_back(++last_executed);
}

Outcome ReplicaModel::deliver(const Delivery& d) {
  Outcome out;
  const auto reject = [&](Rejection r) {
    out.rejected = r;
    return out;
  };
  // Authentication: the network's sender, never itself, and the replica
  // field must name the sender.
  if (d.from >= config.n || d.from == id) return reject(Rejection::bad_sender);
  if (d.claimed != d.from) return reject(Rejection::bad_sender);
  // View 0 is current; later views are kept aside (within a per-sender
  // share and a horizon of 4n views) until the replica gets there.
  if (d.view > 0) {
    const std::uint32_t share = std::max<std::uint32_t>(1, config.max_buffered / config.n);
    if (d.view >= 4 * config.n || buffered_per_sender[d.from] >= share) return reject(Rejection::buffer_full);
    ++buffered_per_sender[d.from];
    ++buffered;
    out.buffered = true;
    return out;
  }
  // Watermarks: h = 0 < seq <= L.
  if (d.seq < 1 || d.seq > config.watermark_window) return reject(Rejection::outside_watermarks);
  Slot& s = slots[d.seq];
  const pbft::Message m = to_message(config, d);
  const ReplicaId primary = config.primary(0);
  switch (d.type) {
    case MsgType::pre_prepare: {
      if (d.from != primary) return reject(Rejection::bad_sender);
      const auto& pp = std::get<pbft::PrePrepare>(m);
      if (!pp.is_null() && (pp.request.client >= config.max_clients || pp.digest != pbft::digest_of(pp.request)))
        return reject(Rejection::bad_digest);
      if (s.pre_prepare) {
        if (*s.pre_prepare == pp.digest) return out;  // a duplicate: ignored quietly
        return reject(Rejection::conflicting_pre_prepare);
      }
      s.pre_prepare = pp.digest;
      s.prepares[id] = pp.digest;
      out.sent_prepare = true;
      check_prepared(d.seq, out);
      return out;
    }
    case MsgType::prepare: {
      if (d.from == primary) return reject(Rejection::bad_sender);  // the primary's pre-prepare is its vote
      const Digest digest = std::get<pbft::Prepare>(m).digest;
      if (s.prepares[d.from] != pbft::kNoDigest) return reject(Rejection::duplicate_vote);
      s.prepares[d.from] = digest;
      check_prepared(d.seq, out);
      return out;
    }
    case MsgType::commit: {
      const Digest digest = std::get<pbft::Commit>(m).digest;
      if (s.commits[d.from] != pbft::kNoDigest) return reject(Rejection::duplicate_vote);
      s.commits[d.from] = digest;
      check_committed(d.seq, out);
      return out;
    }
  }
  return out;
}

}  // namespace props
