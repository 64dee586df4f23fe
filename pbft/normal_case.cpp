// The normal case (§4.2): REQUEST → PRE-PREPARE → PREPARE → COMMIT → execute
// in sequence order → REPLY.
#include <algorithm>
#include <cassert>

#include "pbft/replica.h"

namespace pbft {

bool Replica::admit_normal(ReplicaId from, ReplicaId claimed, View v, Seq n, const Message& m,
                           Effects& out, ReplicaId& voter) {
  voter = from;
  if (claimed != from) {
    // A message's own replica field is not its signature; only the
    // authenticated sender is.
    if (config_.mutation != Mutation::trust_claimed_sender || claimed >= config_.n) {
      reject(Rejection::bad_sender, out);
      return false;
    }
    voter = claimed;
  }
  if (v < view_) {
    reject(Rejection::stale, out);
    return false;
  }
  if (v > view_ || in_view_change_) {
    // For a view this replica has not entered yet: keep it, within the sender's share.
    const std::uint32_t share = std::max<std::uint32_t>(1, config_.max_buffered / config_.n);
    if (v >= view_ + config_.n * 4 || buffered_per_sender_[from] >= share) {
      reject(Rejection::buffer_full, out);
      missed_messages_ = true;
      return false;
    }
    ++buffered_per_sender_[from];
    buffered_.push_back({from, m});
    return false;
  }
  if (!in_watermarks(n)) {
    reject(Rejection::outside_watermarks, out);
    if (n > high_watermark()) missed_messages_ = true;
    return false;
  }
  return true;
}

void Replica::handle_request(const Request& r, bool from_client, Effects& out) {
  if (r.client >= config_.max_clients) return reject(Rejection::unknown_client, out);
  if (service_.executed(r)) {
    // Retransmission of an executed request: resend the cached reply (§4.1).
    if (auto result = service_.cached_result(r, config_.mutation != Mutation::reply_cache_stale); result && from_client)
      out.sends.push_back({Destination::client(r.client),
                           Reply{view_, r.timestamp, r.client, id_, *result}});
    return;
  }
  auto& pending = pending_[r.client];
  if (pending && pending->timestamp > r.timestamp) return reject(Rejection::stale, out);
  const bool resent = pending && pending->timestamp == r.timestamp;
  pending = r;
  if (in_view_change_) return;  // waiting for the view change instead
  if (is_primary()) {
    issue_pending(out);
    // A request arriving again that the primary ordered but has not executed
    // means its client is still waiting: the backups it needs may have left
    // for a later view, which nobody joins unless f+1 time out. So the
    // primary times it too (a lone backup otherwise strands the view).
    if (resent && !timer_armed_) restart_timer(out);
    return;
  }
  if (from_client) out.sends.push_back({Destination::replica(config_.primary(view_)), r});
  if (!timer_armed_) restart_timer(out);
}

void Replica::issue_pending(Effects& out) {
  if (!is_primary() || in_view_change_) return;
  next_seq_ = std::max(next_seq_, h_ + 1);
  for (ClientId c = 0; c < config_.max_clients; ++c) {
    const auto& pending = pending_[c];
    if (!pending || assigned_[c] >= pending->timestamp) continue;
    if (next_seq_ > high_watermark()) return;  // wait for the next stable checkpoint
    const PrePrepare pp{view_, next_seq_++, digest_of(*pending), *pending, id_};
    assigned_[c] = pending->timestamp;
    Slot& s = *slot_for(pp.seq);
    // One number, one request per view (§4.2): a slot this view already
    // pre-prepared means next_seq_ went backwards.
    assert(config_.mutation == Mutation::newview_issues_before_o ||
           !(s.has_pre_prepare && s.pre_prepare.view == view_));
    s.has_pre_prepare = true;
    s.pre_prepare = pp;
    broadcast(pp, out);
    check_prepared(s, out);
  }
}

void Replica::handle_pre_prepare(ReplicaId from, const PrePrepare& m, Effects& out) {
  ReplicaId voter;
  if (!admit_normal(from, m.replica, m.view, m.seq, m, out, voter)) return;
  // Only the primary pre-prepares in its view, and it never accepts one: its
  // own numbering is the only one it follows.
  if (voter != config_.primary(view_) || is_primary()) return reject(Rejection::bad_sender, out);
  if (!m.is_null() && (m.request.client >= config_.max_clients || m.digest != digest_of(m.request)))
    return reject(Rejection::bad_digest, out);
  const Slot& s = *slot_for(m.seq);
  if (s.has_pre_prepare) {
    if (s.pre_prepare.digest == m.digest) return;  // duplicate
    // One digest per view and sequence number (§4.2).
    if (config_.mutation != Mutation::accept_second_preprepare)
      return reject(Rejection::conflicting_pre_prepare, out);
  }
  accept_pre_prepare(m, out);
}

void Replica::accept_pre_prepare(const PrePrepare& m, Effects& out) {
  Slot& s = *slot_for(m.seq);
  s.has_pre_prepare = true;
  s.pre_prepare = m;
  s.prepared = false;
  if (is_primary()) return check_prepared(s, out);
  vote(s, kPrepareVote, id_) = m.digest;
  broadcast(Prepare{view_, m.seq, m.digest, id_}, out);
  const ReplicaId primary = config_.primary(view_);
  const bool any_digest = config_.mutation == Mutation::prepare_ignores_digest;
  s.matching_prepares = 0;
  for (ReplicaId r = 0; r < config_.n; ++r) {
    const Digest d = vote(s, kPrepareVote, r);
    if (r != primary && d != kNoDigest && (any_digest || d == m.digest)) ++s.matching_prepares;
  }
  check_prepared(s, out);
}

void Replica::handle_prepare(ReplicaId from, const Prepare& m, Effects& out) {
  ReplicaId voter;
  if (!admit_normal(from, m.replica, m.view, m.seq, m, out, voter)) return;
  if (voter == config_.primary(view_)) return reject(Rejection::bad_sender, out);
  Slot& s = *slot_for(m.seq);
  Digest& recorded = vote(s, kPrepareVote, voter);
  if (recorded != kNoDigest) return reject(Rejection::duplicate_vote, out);
  recorded = m.digest;
  if (!s.has_pre_prepare) return;
  if (m.digest == s.pre_prepare.digest || config_.mutation == Mutation::prepare_ignores_digest) {
    ++s.matching_prepares;
    check_prepared(s, out);
  }
}

void Replica::check_prepared(Slot& s, Effects& out) {
  if (s.prepared || !s.has_pre_prepare || s.matching_prepares < config_.prepare_quorum()) return;
  s.prepared = true;
  const Digest d = s.pre_prepare.digest;
  const ReplicaId primary = config_.primary(view_);
  // Keep the certificate: the pre-prepare and the backups whose prepares match.
  s.has_cert = true;
  s.cert = s.pre_prepare;
  s.cert_voters = 0;
  for (ReplicaId r = 0; r < config_.n; ++r)
    if (r != primary && vote(s, kPrepareVote, r) == d) s.cert_voters |= std::uint64_t{1} << r;
  out.events.push_back({.kind = EventKind::prepared, .view = view_, .seq = s.seq, .digest = d});

  if (config_.mutation == Mutation::execute_before_commit && !s.committed) {
    s.committed = true;
    s.committed_digest = d;
    s.committed_request = s.pre_prepare.request;
    s.committed_view = view_;
    try_execute(out);
  }
  s.sent_commit = true;
  vote(s, kCommitVote, id_) = d;
  broadcast(Commit{view_, s.seq, d, id_}, out);
  s.matching_commits = 0;
  for (ReplicaId r = 0; r < config_.n; ++r)
    if (vote(s, kCommitVote, r) == d) ++s.matching_commits;
  check_committed(s, out);
}

void Replica::handle_commit(ReplicaId from, const Commit& m, Effects& out) {
  ReplicaId voter;
  if (!admit_normal(from, m.replica, m.view, m.seq, m, out, voter)) return;
  Slot& s = *slot_for(m.seq);
  Digest& recorded = vote(s, kCommitVote, voter);
  if (recorded != kNoDigest) return reject(Rejection::duplicate_vote, out);
  recorded = m.digest;
  if (s.prepared && m.digest == s.pre_prepare.digest) {
    ++s.matching_commits;
    check_committed(s, out);
  }
}

void Replica::check_committed(Slot& s, Effects& out) {
  if (!s.prepared || s.matching_commits < config_.commit_quorum() || s.reported_commit) return;
  // Every committed-local decision is reported, once per view: one in a later
  // view on a slot decided before must agree with it (§4.4), and the
  // harness judges only what it is told.
  s.reported_commit = true;
  out.events.push_back({.kind = EventKind::committed, .view = view_, .seq = s.seq, .digest = s.pre_prepare.digest});
  if (s.committed) return;  // decided already, in an earlier view: that decision executes
  s.committed = true;
  s.committed_digest = s.pre_prepare.digest;
  s.committed_request = s.pre_prepare.request;
  s.committed_view = view_;
  try_execute(out);
}

void Replica::try_execute(Effects& out) {
  bool executed_request = false;
  for (;;) {
    const Seq n = last_executed_ + 1;
    const Slot* s = find_slot(n);
    if (!s || !s->committed) break;
    Execution e{.seq = n, .view = s->committed_view, .digest = s->committed_digest,
                .request = s->committed_request};
    if (e.digest != kNullDigest) {
      const Request& r = s->committed_request;
      if (auto result = service_.apply(r, config_.mutation != Mutation::execute_twice)) {
        e.applied = true;
        e.result = *result;
        executed_request = true;
        out.sends.push_back(
            {Destination::client(r.client), Reply{view_, r.timestamp, r.client, id_, *result}});
      }
      // The client id was checked when the request was pre-prepared, except
      // under Mutation::skip_newview_validation: stay in bounds regardless.
      if (r.client < pending_.size()) {
        auto& pending = pending_[r.client];
        if (pending && pending->timestamp <= r.timestamp) pending.reset();
      }
    }
    last_executed_ = n;
    out.executions.push_back(e);
    if (n % config_.checkpoint_interval == 0) take_checkpoint(out);
  }
  if (!executed_request) return;
  // §4.5.2: the backoff ends with a request executed in the view, not with
  // an old one executed after a state transfer during a view change.
  if (!in_view_change_) consecutive_view_changes_ = 0;
  request_timer_after_progress(out);
}

void Replica::request_timer_after_progress(Effects& out) {
  if (in_view_change_) return;
  // Stop the timer, or restart it while other requests still wait (§4.5.2);
  // a primary keeps one only once a client resent (handle_request).
  const bool waiting = std::any_of(pending_.begin(), pending_.end(),
                                   [](const auto& p) { return p.has_value(); });
  if (waiting && (!is_primary() || timer_armed_)) restart_timer(out);
  else stop_timer(out);
}

}  // namespace pbft
