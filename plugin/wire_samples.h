#pragma once
// One message of every kind, with nested certificates and a service state:
// the wire format's unit tests and the wire fuzzer's seeds.
#include <memory>
#include <vector>

#include "pbft/messages.h"
#include "pbft/service.h"

namespace wire::samples {

using namespace pbft;

inline PrePrepare pre_prepare(View v, Seq n) {
  const Request r{.client = 2, .timestamp = 7, .operation = 0xdeadbeefcafeULL};
  return {.view = v, .seq = n, .digest = digest_of(r), .request = r, .replica = static_cast<ReplicaId>(v % 4)};
}

inline Checkpoint checkpoint(ReplicaId r) { return {.seq = 8, .state_digest = 0x1234567890abcdefULL, .replica = r}; }

inline ViewChangePtr view_change(ReplicaId r) {
  ViewChange v{.new_view = 3, .stable_seq = 8, .checkpoint_proof = {checkpoint(0), checkpoint(1), checkpoint(2)}};
  PreparedCert cert{.pre_prepare = pre_prepare(2, 9)};
  for (ReplicaId p = 0; p < 2; ++p)
    cert.prepares.push_back({.view = 2, .seq = 9, .digest = cert.pre_prepare.digest, .replica = p + 1});
  v.prepared = {cert, {.pre_prepare = pre_prepare(2, 10)}};
  v.replica = r;
  return std::make_shared<const ViewChange>(v);
}

inline std::vector<Message> every_kind() {
  auto state = std::make_shared<ServiceState>();
  state->applied = 5;
  state->chain = 0xfeedULL;
  state->clients = {{.timestamp = 3, .result = 99}, {}, {.timestamp = 1, .result = 1ULL << 63}};
  const NewView nv{.view = 3,
                   .view_changes = {*view_change(0), *view_change(1), *view_change(3)},
                   .pre_prepares = {pre_prepare(3, 9), {.view = 3, .seq = 10, .digest = kNullDigest, .replica = 3}},
                   .replica = 3};
  return {
      Request{.client = 1, .timestamp = 2, .operation = 3},
      pre_prepare(0, 1),
      Prepare{.view = 1, .seq = 2, .digest = 3, .replica = 63},
      Commit{.view = ~0ULL, .seq = 1ULL << 40, .digest = kNullDigest, .replica = 0},
      Reply{.view = 4, .timestamp = 5, .client = 15, .replica = 2, .result = 77},
      checkpoint(3),
      view_change(2),
      std::make_shared<const NewView>(nv),
      FetchState{.seq = 16, .replica = 1},
      StateTransfer{.seq = 16, .state = state, .proof = {checkpoint(0), checkpoint(2)}, .replica = 0},
      Status{.view = 2, .stable_seq = 8, .last_executed = ~0ULL, .replica = 3},
  };
}

}  // namespace wire::samples
