// Checkpoints, watermarks and garbage collection (§4.3), and state transfer
// for a replica that fell behind the stable checkpoint (§5.3.2).
#include <algorithm>

#include "pbft/certificates.h"
#include "pbft/replica.h"

namespace pbft {

void Replica::take_checkpoint(Effects& out) {
  const Seq n = last_executed_;
  auto snapshot = std::make_shared<const ServiceState>(service_.state());
  const Digest d = snapshot->digest();
  own_checkpoints_.push_back({n, d, std::move(snapshot)});
  const Checkpoint cp{n, d, id_};
  broadcast(cp, out);
  if (in_watermarks(n)) handle_checkpoint(id_, cp, out);
}

void Replica::handle_checkpoint(ReplicaId from, const Checkpoint& m, Effects& out) {
  ReplicaId voter = from;
  if (m.replica != from) {
    if (config_.mutation != Mutation::trust_claimed_sender || m.replica >= config_.n)
      return reject(Rejection::bad_sender, out);
    voter = m.replica;
  }
  if (m.seq <= h_) return;  // already stable: nothing to learn
  const Seq K = config_.checkpoint_interval;
  if (m.seq % K != 0 || m.state_digest == kNoDigest) return reject(Rejection::outside_watermarks, out);
  if (m.seq > high_watermark()) {
    // A replica that missed more than L sequence numbers never sees the
    // checkpoints that would move its window; f+1 matching announcements
    // beyond it (one from an honest replica) make it fetch the state (§5.3.2).
    const auto mine = far_checkpoints_.begin() + static_cast<std::ptrdiff_t>(voter * kFarPerSender);
    const auto end = mine + kFarPerSender;
    auto oldest = std::min_element(mine, end, [](const auto& a, const auto& b) { return a.seq < b.seq; });
    // One announcement per sender and seq (the first), replacing its oldest.
    if (std::none_of(mine, end, [&](const Checkpoint& c) { return c.seq == m.seq; }) && m.seq > oldest->seq) {
      *oldest = {m.seq, m.state_digest, voter};
      std::uint32_t matching = 0;
      for (const Checkpoint& c : far_checkpoints_)
        matching += c.seq == m.seq && c.state_digest == m.state_digest;
      if (matching == config_.weak_quorum()) broadcast(FetchState{m.seq, id_}, out);
    }
    return reject(Rejection::outside_watermarks, out);
  }

  const std::size_t row = (m.seq / K) % (config_.watermark_window / K);
  Digest* votes = &checkpoint_votes_[row * config_.n];
  if (checkpoint_vote_seq_[row] != m.seq) {  // the row held a checkpoint now below h
    checkpoint_vote_seq_[row] = m.seq;
    std::fill_n(votes, config_.n, kNoDigest);
  }
  if (votes[voter] != kNoDigest) return reject(Rejection::duplicate_vote, out);
  votes[voter] = m.state_digest;

  // Counted first: the proof is built only once, when the checkpoint turns stable.
  std::uint32_t matching = 0;
  for (ReplicaId r = 0; r < config_.n; ++r) matching += votes[r] == m.state_digest;
  if (matching < config_.checkpoint_quorum()) return;
  std::vector<Checkpoint> proof;
  proof.reserve(matching);
  for (ReplicaId r = 0; r < config_.n; ++r)
    if (votes[r] == m.state_digest) proof.push_back({m.seq, m.state_digest, r});
  make_stable(m.seq, m.state_digest, std::move(proof), out);
  issue_pending(out);  // the window moved: a primary may have requests queued
  ask_for_retransmission(out);
}

void Replica::make_stable(Seq seq, Digest digest, std::vector<Checkpoint> proof, Effects& out) {
  if (seq <= h_) return;
  h_ = seq;  // slots at or below h are garbage from now on (slot_for reuses them)
  stable_digest_ = digest;
  stable_proof_ = std::move(proof);
  stable_state_.reset();
  for (const auto& own : own_checkpoints_)
    if (own.seq == seq && own.digest == digest) stable_state_ = own.snapshot;
  std::erase_if(own_checkpoints_, [&](const auto& c) { return c.seq <= seq; });
  out.events.push_back({.kind = EventKind::checkpoint_stable, .view = view_, .seq = seq, .digest = digest});
  if (last_executed_ < seq) broadcast(FetchState{seq, id_}, out);
  answer_fetches(out);
  // No issue_pending here: entering a view moves the checkpoint before O is
  // installed, and numbering requests then reuses O's sequence numbers.
  // Callers issue once their state is whole.
}

void Replica::handle_fetch_state(ReplicaId from, const FetchState& m, Effects& out) {
  if (m.seq == 0 || m.seq >= kMaxSeq) return reject(Rejection::outside_watermarks, out);
  // Asked before this replica has that state (its checkpoint is not stable
  // yet, or it is behind too): remember and answer once it does. The
  // request is sent once, so dropping it would strand the asker.
  fetch_wanted_[from] = std::max(fetch_wanted_[from], m.seq);
  answer_fetches(out);
}

void Replica::answer_fetches(Effects& out) {
  if (!stable_state_) return;
  for (ReplicaId r = 0; r < config_.n; ++r) {
    if (fetch_wanted_[r] == 0 || fetch_wanted_[r] > h_) continue;
    fetch_wanted_[r] = 0;
    out.sends.push_back({Destination::replica(r), StateTransfer{h_, stable_state_, stable_proof_, id_}});
  }
}

void Replica::handle_state_transfer(ReplicaId from, const StateTransfer& m, Effects& out) {
  if (m.replica != from) return reject(Rejection::bad_sender, out);
  if (!m.state || m.seq <= last_executed_) return;  // nothing new
  if (m.state->clients.size() != config_.max_clients) return reject(Rejection::bad_certificate, out);
  const Digest d = m.state->digest();
  if (config_.mutation != Mutation::state_transfer_skips_proof && !valid_checkpoint_proof(config_, m.seq, d, m.proof))
    return reject(Rejection::bad_certificate, out);

  service_.install(*m.state);
  last_executed_ = m.seq;
  for (auto& pending : pending_)
    if (pending && service_.executed(*pending)) pending.reset();
  if (m.seq > h_) make_stable(m.seq, d, m.proof, out);
  if (m.seq == h_) {
    stable_state_ = m.state;
    answer_fetches(out);
  }
  out.events.push_back({.kind = EventKind::state_installed, .view = view_, .seq = m.seq, .digest = d});
  out.installed_state = m.state;
  try_execute(out);
  issue_pending(out);
  // The requests the state covers no longer wait: without this, the timer
  // armed for them fired later and the replica left the view alone.
  request_timer_after_progress(out);
  ask_for_retransmission(out);
}

}  // namespace pbft
