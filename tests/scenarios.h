#pragma once
// Scenario steps shared by several test files.
#include "tests/cluster.h"

namespace pbft::test {

// §4.2 up to one backup's PREPARE: the primary (0) pre-prepares r and only
// `backup` receives the PRE-PREPARE (so it alone prepares); the other
// PRE-PREPAREs stay in flight. Returns r's digest.
inline Digest pre_prepare_only_at(Cluster& c, ReplicaId backup, const Request& r) {
  c.submit(0, r);
  c.deliver_if(of_kind(MessageKind::pre_prepare) && to_replica(backup));
  return digest_of(r);
}

// §4.2 up to PREPARED, then the primary fails: r goes to every replica (so
// every backup's timer runs), is pre-prepared and prepared everywhere, every
// COMMIT is lost, and replica 0 (the primary of view 0) is cut off.
inline void prepare_then_silence_primary(Cluster& c, const Request& r) {
  c.submit_all(r);
  c.deliver_if(!of_kind(MessageKind::commit));
  c.drop_if(of_kind(MessageKind::commit));
  c.isolate(0);
}

// Like the view-change tests: prepare r, silence the primary, fire every
// backup's timer and deliver everything except the NEW-VIEW messages, which
// are removed from the network and returned (one per receiver).
inline std::vector<InFlight> view_change_until_new_view(Cluster& c, const Request& r) {
  prepare_then_silence_primary(c, r);
  for (ReplicaId b = 1; b < c.size(); ++b) c.fire_timer(b);
  c.deliver_if(!of_kind(MessageKind::new_view));
  std::vector<InFlight> held;
  for (const InFlight& m : c.in_flight())
    if (kind_of(m.message) == MessageKind::new_view) held.push_back(m);
  c.drop_if(of_kind(MessageKind::new_view));
  return held;
}

}  // namespace pbft::test
