#include "pbft/service.h"

#include "pbft/hash.h"

namespace pbft {

Digest ServiceState::digest() const {
  // Every replica digests its state at every checkpoint, and most client
  // slots were never used: those are left out (their index goes in with
  // the rest, so the digest still tells states apart).
  Digest d = mix64(mix64(applied ^ 0x7374617465ULL) ^ chain);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const ClientRecord& c = clients[i];
    if (c.timestamp == 0 && c.result == 0) continue;
    d = mix64(mix64(mix64(d ^ i) ^ c.timestamp) ^ c.result);
  }
  return d == kNoDigest ? 1 : d;
}

std::optional<std::uint64_t> Service::apply(const Request& r, bool at_most_once) {
  if (r.client >= state_.clients.size()) return std::nullopt;
  auto& rec = state_.clients[r.client];
  if (at_most_once && r.timestamp <= rec.timestamp) return std::nullopt;
  state_.chain = combine(state_.chain, digest_of(r));
  ++state_.applied;
  rec = {r.timestamp, state_.chain};
  return state_.chain;
}

bool Service::executed(const Request& r) const { return state_.executed(r); }

std::optional<std::uint64_t> Service::cached_result(const Request& r, bool exact) const {
  if (r.client >= state_.clients.size()) return std::nullopt;
  const auto& rec = state_.clients[r.client];
  if ((exact ? rec.timestamp != r.timestamp : rec.timestamp < r.timestamp) || rec.timestamp == 0) return std::nullopt;
  return rec.result;
}

}  // namespace pbft
