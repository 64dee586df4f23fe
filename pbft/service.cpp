#include "pbft/service.h"

#include "pbft/hash.h"

namespace pbft {

Digest ServiceState::digest() const {
  Digest d = combine(applied, chain);
  for (const auto& c : clients) d = combine(combine(d, c.timestamp), c.result);
  return d == kNoDigest ? 1 : d;
}

std::optional<std::uint64_t> Service::apply(const Request& r) {
  if (r.client >= state_.clients.size()) return std::nullopt;
  auto& rec = state_.clients[r.client];
  if (r.timestamp <= rec.timestamp) return std::nullopt;
  state_.chain = combine(state_.chain, digest_of(r));
  ++state_.applied;
  rec = {r.timestamp, state_.chain};
  return state_.chain;
}

bool Service::executed(const Request& r) const {
  return r.client < state_.clients.size() && r.timestamp <= state_.clients[r.client].timestamp;
}

std::optional<std::uint64_t> Service::cached_result(const Request& r) const {
  if (r.client >= state_.clients.size()) return std::nullopt;
  const auto& rec = state_.clients[r.client];
  if (rec.timestamp != r.timestamp || rec.timestamp == 0) return std::nullopt;
  return rec.result;
}

}  // namespace pbft
