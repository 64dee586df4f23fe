#pragma once
// The protocol's messages (Castro & Liskov, TOCS 2002, §4). Signatures are
// modelled as authenticity: the network tells a replica who sent a message,
// and a replica id inside an embedded message (a prepare inside a certificate,
// a view change inside a NEW-VIEW) is taken as that replica's signature. The
// simulator's adversary boundary makes sure faulty replicas cannot forge them.
#include <memory>
#include <variant>
#include <vector>

#include "pbft/types.h"

namespace pbft {

struct Request {
  ClientId client = 0;
  Timestamp timestamp = 0;
  std::uint64_t operation = 0;
  friend bool operator==(const Request&, const Request&) = default;
};

// Digest of a request; never kNoDigest or kNullDigest.
Digest digest_of(const Request& r);

struct PrePrepare {
  View view = 0;
  Seq seq = 0;
  Digest digest = kNoDigest;  // kNullDigest for the null request
  Request request;            // piggybacked; ignored for the null request
  ReplicaId replica = 0;      // claimed sender (the primary)
  bool is_null() const { return digest == kNullDigest; }
  friend bool operator==(const PrePrepare&, const PrePrepare&) = default;
};

struct Prepare {
  View view = 0;
  Seq seq = 0;
  Digest digest = kNoDigest;
  ReplicaId replica = 0;
  friend bool operator==(const Prepare&, const Prepare&) = default;
};

struct Commit {
  View view = 0;
  Seq seq = 0;
  Digest digest = kNoDigest;
  ReplicaId replica = 0;
  friend bool operator==(const Commit&, const Commit&) = default;
};

struct Reply {
  View view = 0;
  Timestamp timestamp = 0;
  ClientId client = 0;
  ReplicaId replica = 0;
  std::uint64_t result = 0;
  friend bool operator==(const Reply&, const Reply&) = default;
};

struct Checkpoint {
  Seq seq = 0;
  Digest state_digest = kNoDigest;
  ReplicaId replica = 0;
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// Proof that a request prepared at the sender: the pre-prepare and 2f
// matching prepares from distinct backups (the paper's P_m).
struct PreparedCert {
  PrePrepare pre_prepare;
  std::vector<Prepare> prepares;
  friend bool operator==(const PreparedCert&, const PreparedCert&) = default;
};

struct ViewChange {
  View new_view = 0;
  Seq stable_seq = 0;                         // h: the sender's last stable checkpoint
  std::vector<Checkpoint> checkpoint_proof;   // 2f+1 CHECKPOINTs for stable_seq (empty at 0)
  std::vector<PreparedCert> prepared;         // one per sequence number above h
  ReplicaId replica = 0;
  friend bool operator==(const ViewChange&, const ViewChange&) = default;
};

struct NewView {
  View view = 0;
  std::vector<ViewChange> view_changes;  // V: 2f+1 valid VIEW-CHANGEs for `view`
  std::vector<PrePrepare> pre_prepares;  // O: re-issued requests, nulls for gaps
  ReplicaId replica = 0;
  friend bool operator==(const NewView&, const NewView&) = default;
};

// The replicated service's state, sent to a replica that fell behind the
// last stable checkpoint (state transfer, §5.3.2).
struct ServiceState;

struct FetchState {
  Seq seq = 0;  // the stable checkpoint the sender needs
  ReplicaId replica = 0;
  friend bool operator==(const FetchState&, const FetchState&) = default;
};

struct StateTransfer {
  Seq seq = 0;
  std::shared_ptr<const ServiceState> state;
  std::vector<Checkpoint> proof;  // 2f+1 CHECKPOINTs certifying the state's digest
  ReplicaId replica = 0;
  friend bool operator==(const StateTransfer& a, const StateTransfer& b);
};

// What a replica has, sent after it missed messages (rejected above its
// high watermark, or over its buffer cap for a later view) once its window
// moved or it entered the view: the receiver-based retransmission of §5.2
// (the thesis's STATUS-ACTIVE without the P and C bitmaps; a peer resends
// its own messages above last_executed). Unsigned content: a lie only makes
// honest replicas resend what they already signed.
struct Status {
  View view = 0;
  Seq stable_seq = 0;
  Seq last_executed = 0;
  ReplicaId replica = 0;
  friend bool operator==(const Status&, const Status&) = default;
};

// Large messages are shared and immutable so that copying a Message (a
// broadcast, a trace, a twin) never copies certificates.
using ViewChangePtr = std::shared_ptr<const ViewChange>;
using NewViewPtr = std::shared_ptr<const NewView>;

using Message = std::variant<Request, PrePrepare, Prepare, Commit, Reply, Checkpoint,
                             ViewChangePtr, NewViewPtr, FetchState, StateTransfer, Status>;

enum class MessageKind : std::uint8_t {
  request, pre_prepare, prepare, commit, reply, checkpoint, view_change, new_view,
  fetch_state, state_transfer, status,
};
inline MessageKind kind_of(const Message& m) { return static_cast<MessageKind>(m.index()); }
const char* kind_name(MessageKind k);

// Deep equality (through the shared pointers).
bool same_message(const Message& a, const Message& b);

// The replica id a message claims as its sender (clients' requests: none).
ReplicaId claimed_sender(const Message& m);

}  // namespace pbft
