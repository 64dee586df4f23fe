#pragma once
// A PBFT replica as a pure, copyable value (Castro & Liskov, TOCS 2002).
// Inputs: a message with the sender the network authenticated, a client
// request, or the expiry of its one timer. Every input appends what the
// replica wants done to an Effects. No clock, randomness, I/O or globals.
#include <memory>
#include <optional>
#include <vector>

#include "pbft/config.h"
#include "pbft/effects.h"
#include "pbft/service.h"

namespace pbft {

class Replica {
 public:
  Replica(Config config, ReplicaId id);

  void on_message(ReplicaId from, const Message& m, Effects& out);
  void on_client_request(ClientId from, const Request& r, Effects& out);
  void on_timer(std::uint64_t token, Effects& out);
  // An external suspicion of the primary: start a view change to `target`
  // (> view) now, as if the timer had expired. Used by failure detectors and
  // by adversaries that drive their own replica copy.
  void suspect_primary(View target, Effects& out) { start_view_change(target, true, out); }

  // Observers, for tests, checkers and strategies.
  ReplicaId id() const { return id_; }
  const Config& config() const { return config_; }
  View view() const { return view_; }
  bool in_view_change() const { return in_view_change_; }
  bool is_primary() const { return config_.primary(view_) == id_; }
  Seq last_executed() const { return last_executed_; }
  Seq stable_seq() const { return h_; }
  Seq high_watermark() const { return h_ + config_.watermark_window; }
  const ServiceState& service_state() const { return service_.state(); }
  // Timer expiries since a request last executed in a view: the backoff (§4.5.2).
  std::uint32_t consecutive_view_changes() const { return consecutive_view_changes_; }
  std::size_t buffered_messages() const { return buffered_.size(); }
  // The digest this replica accepted in a pre-prepare for seq in the current view.
  std::optional<Digest> accepted_digest(Seq seq) const;
  bool prepared(Seq seq) const;
  bool committed(Seq seq) const;
  // An upper bound of the memory the replica's state holds, in bytes.
  std::size_t footprint_bytes() const;

 private:
  // One sequence number's log entry for the current view. Votes live in the
  // flat votes_ table (per sender, first vote sticks) so a Replica copies in
  // a few allocations.
  struct Slot {
    Seq seq = 0;  // 0: unused
    bool has_pre_prepare = false;
    PrePrepare pre_prepare;
    std::uint32_t matching_prepares = 0;
    std::uint32_t matching_commits = 0;
    bool prepared = false;
    bool sent_commit = false;
    bool reported_commit = false;  // committed-local reached in this view
    // Survive view changes: the newest certificate and the commit decision.
    bool has_cert = false;
    PrePrepare cert;
    std::uint64_t cert_voters = 0;  // backups whose prepares formed the certificate
    bool committed = false;
    Digest committed_digest = kNoDigest;
    Request committed_request;
    View committed_view = 0;
  };
  enum VoteKind { kPrepareVote = 0, kCommitVote = 1 };

  struct Buffered {
    ReplicaId from;
    Message message;
  };

  // normal_case.cpp
  void handle_request(const Request& r, bool from_client, Effects& out);
  void handle_pre_prepare(ReplicaId from, const PrePrepare& m, Effects& out);
  void handle_prepare(ReplicaId from, const Prepare& m, Effects& out);
  void handle_commit(ReplicaId from, const Commit& m, Effects& out);
  void accept_pre_prepare(const PrePrepare& m, Effects& out);
  void issue_pending(Effects& out);
  void check_prepared(Slot& s, Effects& out);
  void check_committed(Slot& s, Effects& out);
  void try_execute(Effects& out);
  // After executing requests or installing a state: the view-change timer
  // runs on only while a request still waits (§4.5.2).
  void request_timer_after_progress(Effects& out);
  bool admit_normal(ReplicaId from, ReplicaId claimed, View v, Seq n, const Message& m,
                    Effects& out, ReplicaId& voter);

  // checkpoint.cpp
  void take_checkpoint(Effects& out);
  void handle_checkpoint(ReplicaId from, const Checkpoint& m, Effects& out);
  void make_stable(Seq seq, Digest digest, std::vector<Checkpoint> proof, Effects& out);
  void handle_fetch_state(ReplicaId from, const FetchState& m, Effects& out);
  void answer_fetches(Effects& out);
  void handle_state_transfer(ReplicaId from, const StateTransfer& m, Effects& out);

  // retransmission.cpp
  void ask_for_retransmission(Effects& out);
  void handle_status(ReplicaId from, const Status& m, Effects& out);

  // view_change.cpp
  void start_view_change(View target, bool timed_out, Effects& out);
  void handle_view_change(ReplicaId from, const ViewChangePtr& m, Effects& out);
  void handle_new_view(ReplicaId from, const NewViewPtr& m, Effects& out);
  void arm_timer_on_view_change_quorum(Effects& out);
  void try_send_new_view(Effects& out);
  void enter_view(const NewView& nv, Effects& out);
  ViewChange make_view_change(View target) const;

  // timers (replica.cpp)
  void restart_timer(Effects& out);
  void stop_timer(Effects& out);
  std::uint64_t timeout_us() const;
  void reject(Rejection why, Effects& out);

  Slot* slot_for(Seq seq);  // nullptr outside (h, h+L]
  const Slot* find_slot(Seq seq) const;
  Digest& vote(const Slot& s, VoteKind kind, ReplicaId from);
  Digest vote(const Slot& s, VoteKind kind, ReplicaId from) const;
  void reset_votes();
  bool in_watermarks(Seq seq) const { return seq > h_ && seq <= high_watermark(); }
  void broadcast(Message m, Effects& out) { out.sends.push_back({Destination::all(), std::move(m)}); }

  Config config_;
  ReplicaId id_;
  View view_ = 0;
  bool in_view_change_ = false;
  std::uint32_t consecutive_view_changes_ = 0;

  // Log: slots_[seq % L], and their per-sender votes.
  std::vector<Slot> slots_;
  std::vector<Digest> votes_;
  Seq next_seq_ = 1;  // primary: next sequence number to assign
  Seq last_executed_ = 0;
  Service service_;

  // Stable checkpoint (low watermark h) and its proof.
  Seq h_ = 0;
  Digest stable_digest_ = kNoDigest;
  std::vector<Checkpoint> stable_proof_;
  std::shared_ptr<const ServiceState> stable_state_;
  // Checkpoint votes for (h, h+L]: checkpoint_votes_[(seq/K) % (L/K)][sender].
  std::vector<Digest> checkpoint_votes_;
  std::vector<Seq> checkpoint_vote_seq_;
  // Per sender, the kFarPerSender newest CHECKPOINTs it announced above this
  // replica's high watermark (sender r's at [r*k, (r+1)*k)): f+1 matching
  // ones mean this replica fell behind (§5.3.2). Keeping only the newest
  // missed a match when one sender had moved on to the next checkpoint.
  static constexpr std::size_t kFarPerSender = 4;
  std::vector<Checkpoint> far_checkpoints_;
  // Per replica, the checkpoint it asked this one's state for (0: none).
  std::vector<Seq> fetch_wanted_;
  // Snapshots of this replica's own checkpoints not yet stable, with their
  // digests (computing one walks every client record).
  struct OwnCheckpoint {
    Seq seq = 0;
    Digest digest = kNoDigest;
    std::shared_ptr<const ServiceState> snapshot;
  };
  std::vector<OwnCheckpoint> own_checkpoints_;

  // Client requests this replica waits to execute (one per client), and the
  // timestamps the primary assigned in the current view.
  std::vector<std::optional<Request>> pending_;
  std::vector<Timestamp> assigned_;

  // View change: each replica's newest valid VIEW-CHANGE.
  std::vector<ViewChangePtr> view_changes_;
  // Messages for a view this replica has not entered yet, capped per sender.
  std::vector<Buffered> buffered_;
  std::vector<std::uint32_t> buffered_per_sender_;

  // It rejected a message it may need later (above its window, or over its
  // buffer cap for a later view); it sends STATUS once its window moves or
  // it enters the view, and the others resend (§5.2).
  bool missed_messages_ = false;

  std::uint64_t timer_token_ = 0;
  bool timer_armed_ = false;
};

}  // namespace pbft
