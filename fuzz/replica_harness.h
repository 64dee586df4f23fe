#pragma once
// replica_fuzzer's harness: bytes -> a sequence of inputs into one honest
// pbft::Replica (messages from any authenticated sender, client requests,
// timer expiries), checked after every input:
//   - no crash (sanitizers, assertions);
//   - footprint_bytes() stays under a bound that depends on the
//     configuration only, never on how many inputs came before;
//   - local sanity: never two different PREPAREs or COMMITs for one
//     (view, seq), never a message signed with another replica's id;
//   - views and the stable checkpoint never go back; executions come in
//     sequence order without gaps (but for an installed state).
//
// Bytes: 2 header bytes, then operations read through a model::Tape.
//   byte 0  bit 0 n (4 | 7), bits 1-3 replica id (mod n), bits 4-5 K
//           (2, 3, 1, 4), bit 6 L = 2K | 3K, bit 7 small buffer (8 messages)
//   byte 1  bits 0-1 max clients (16, 2, 4, 1)
// Each operation: pick(13) chooses a client request, a timer, an echo of a
// message the replica sent (re-signed by another sender: the quickest way to
// quorums), or a PRE-PREPARE, PREPARE, COMMIT, CHECKPOINT, VIEW-CHANGE,
// NEW-VIEW, FETCH-STATE, STATE, REPLY or a REQUEST relayed by a replica,
// with fields near the replica's own view, watermarks and digests.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace fuzz {

struct ReplicaRun {
  std::string failure;  // empty: every check held
  std::size_t inputs = 0;
  std::size_t max_footprint = 0, footprint_bound = 0;
  bool prepared = false, committed = false, executed = false, checkpoint_stable = false,
       view_change_started = false, new_view_entered = false, cert_carried = false,
       state_installed = false;
};

// guide: set libFuzzer's extra counters from protocol events and rejections.
ReplicaRun run_replica(std::span<const std::uint8_t> data, bool guide);

}  // namespace fuzz
