#pragma once
// What a replica asks of the world after one input: messages to send, its
// single view-change timer to set or cancel, requests it executed, and
// protocol events for observers (checkers, traces, fuzzer guidance). The
// caller owns an Effects, clears it, and reuses it to avoid allocations.
#include <vector>

#include "pbft/messages.h"

namespace pbft {

struct Destination {
  enum class Kind : std::uint8_t { replica, all_replicas, client };
  Kind kind = Kind::all_replicas;
  std::uint32_t id = 0;  // replica or client id
  static Destination replica(ReplicaId r) { return {Kind::replica, r}; }
  static Destination all() { return {Kind::all_replicas, 0}; }  // every replica but the sender
  static Destination client(ClientId c) { return {Kind::client, c}; }
  friend bool operator==(const Destination&, const Destination&) = default;
};

struct Send {
  Destination to;
  Message message;
};

struct TimerOp {
  bool set = false;          // false: cancel
  std::uint64_t token = 0;   // echoed back by on_timer; stale tokens are ignored
  std::uint64_t delay_us = 0;
};

struct Execution {
  Seq seq = 0;
  View view = 0;
  Digest digest = kNoDigest;  // kNullDigest for a null request
  Request request;
  bool applied = false;       // false: null request or duplicate timestamp
  std::uint64_t result = 0;
};

enum class EventKind : std::uint8_t {
  prepared,           // seq prepared with digest in view
  committed,          // seq committed-local with digest in view
  checkpoint_stable,  // seq became the stable checkpoint
  view_change_start,  // sent VIEW-CHANGE for view
  new_view_entered,   // entered view (as primary or backup)
  cert_carried,       // NEW-VIEW re-issued a prepared (non-null) request at seq
  state_installed,    // caught up to seq by state transfer
  rejected,           // an input was rejected (the reason is in `detail`)
};

enum class Rejection : std::uint8_t {
  none, bad_sender, outside_watermarks, conflicting_pre_prepare, bad_digest,
  duplicate_vote, bad_certificate, bad_new_view, buffer_full, unknown_client, stale,
};

struct Event {
  EventKind kind;
  View view = 0;
  Seq seq = 0;
  Digest digest = kNoDigest;
  Rejection detail = Rejection::none;
};

struct Effects {
  std::vector<Send> sends;
  std::vector<TimerOp> timers;
  std::vector<Execution> executions;
  std::vector<Event> events;
  // The state a state transfer installed (with a state_installed event).
  std::shared_ptr<const ServiceState> installed_state;
  void clear() {
    installed_state.reset();
    sends.clear();
    timers.clear();
    executions.clear();
    events.clear();
  }
};

const char* event_name(EventKind k);
const char* rejection_name(Rejection r);

}  // namespace pbft
