// Replica construction, input dispatch, the log's slots and the view-change timer.
#include "pbft/replica.h"

#include <algorithm>
#include <cassert>

namespace pbft {

Replica::Replica(Config config, ReplicaId id)
    : config_(config),
      id_(id),
      slots_(config.watermark_window),
      votes_(std::size_t{config.watermark_window} * 2 * config.n, kNoDigest),
      service_(config.max_clients),
      checkpoint_votes_(std::size_t{config.watermark_window / config.checkpoint_interval} * config.n,
                        kNoDigest),
      checkpoint_vote_seq_(config.watermark_window / config.checkpoint_interval, 0),
      far_checkpoints_(std::size_t{config.n} * kFarPerSender),
      fetch_wanted_(config.n, 0),
      pending_(config.max_clients),
      assigned_(config.max_clients, 0),
      view_changes_(config.n),
      buffered_per_sender_(config.n, 0) {
  assert(validate(config).empty());
  assert(id < config.n);
}

void Replica::on_message(ReplicaId from, const Message& m, Effects& out) {
  if (from >= config_.n || from == id_) return reject(Rejection::bad_sender, out);
  std::visit(
      [&](const auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, Request>) handle_request(msg, false, out);
        else if constexpr (std::is_same_v<T, PrePrepare>) handle_pre_prepare(from, msg, out);
        else if constexpr (std::is_same_v<T, Prepare>) handle_prepare(from, msg, out);
        else if constexpr (std::is_same_v<T, Commit>) handle_commit(from, msg, out);
        else if constexpr (std::is_same_v<T, Checkpoint>) handle_checkpoint(from, msg, out);
        else if constexpr (std::is_same_v<T, ViewChangePtr>) handle_view_change(from, msg, out);
        else if constexpr (std::is_same_v<T, NewViewPtr>) handle_new_view(from, msg, out);
        else if constexpr (std::is_same_v<T, FetchState>) handle_fetch_state(from, msg, out);
        else if constexpr (std::is_same_v<T, StateTransfer>) handle_state_transfer(from, msg, out);
        else if constexpr (std::is_same_v<T, Status>) handle_status(from, msg, out);
        else reject(Rejection::bad_sender, out);  // replicas do not send replies to replicas
      },
      m);
}

void Replica::on_client_request(ClientId from, const Request& r, Effects& out) {
  if (r.client != from) return reject(Rejection::bad_sender, out);
  handle_request(r, true, out);
}

void Replica::on_timer(std::uint64_t token, Effects& out) {
  if (!timer_armed_ || token != timer_token_) return;  // cancelled or superseded
  timer_armed_ = false;
  start_view_change(view_ + 1, true, out);
}

// §4.5.2: the timer for view v+1 waits T, for v+2 2T, and so on: after the
// k-th consecutive expiry of its own timer a replica waits T·2^(k−1). A
// request timer outside a view change (k = 0) waits T.
std::uint64_t Replica::timeout_us() const {
  const std::uint32_t doublings = consecutive_view_changes_ > 0 ? consecutive_view_changes_ - 1 : 0;
  return config_.view_change_timeout_us << std::min<std::uint32_t>(doublings, 16);
}

void Replica::restart_timer(Effects& out) {
  timer_armed_ = true;
  out.timers.push_back({.set = true, .token = ++timer_token_, .delay_us = timeout_us()});
}

void Replica::stop_timer(Effects& out) {
  if (!timer_armed_) return;
  timer_armed_ = false;
  out.timers.push_back({.set = false, .token = timer_token_, .delay_us = 0});
}

void Replica::reject(Rejection why, Effects& out) {
  out.events.push_back({.kind = EventKind::rejected, .view = view_, .detail = why});
}

Replica::Slot* Replica::slot_for(Seq seq) {
  if (!in_watermarks(seq)) return nullptr;
  Slot& s = slots_[seq % config_.watermark_window];
  if (s.seq != seq) {  // the previous occupant is at or below h: garbage
    s = Slot{};
    s.seq = seq;
    const std::size_t base = (seq % config_.watermark_window) * 2 * config_.n;
    std::fill_n(votes_.begin() + static_cast<std::ptrdiff_t>(base), 2 * config_.n, kNoDigest);
  }
  return &s;
}

const Replica::Slot* Replica::find_slot(Seq seq) const {
  if (!in_watermarks(seq)) return nullptr;
  const Slot& s = slots_[seq % config_.watermark_window];
  return s.seq == seq ? &s : nullptr;
}

Digest& Replica::vote(const Slot& s, VoteKind kind, ReplicaId from) {
  return votes_[((s.seq % config_.watermark_window) * 2 + kind) * config_.n + from];
}

Digest Replica::vote(const Slot& s, VoteKind kind, ReplicaId from) const {
  return votes_[((s.seq % config_.watermark_window) * 2 + kind) * config_.n + from];
}

void Replica::reset_votes() {
  for (Slot& s : slots_) {
    s.has_pre_prepare = false;
    s.matching_prepares = s.matching_commits = 0;
    s.prepared = s.sent_commit = s.reported_commit = false;
  }
  std::fill(votes_.begin(), votes_.end(), kNoDigest);
  std::fill(assigned_.begin(), assigned_.end(), 0);
}

std::optional<Digest> Replica::accepted_digest(Seq seq) const {
  const Slot* s = find_slot(seq);
  if (!s || !s->has_pre_prepare) return std::nullopt;
  return s->pre_prepare.digest;
}

bool Replica::prepared(Seq seq) const {
  const Slot* s = find_slot(seq);
  return s && s->prepared;
}

bool Replica::committed(Seq seq) const {
  const Slot* s = find_slot(seq);
  return s && s->committed;
}

std::size_t Replica::footprint_bytes() const {
  std::size_t bytes = sizeof(*this) + slots_.capacity() * sizeof(Slot) +
                      votes_.capacity() * sizeof(Digest) +
                      checkpoint_votes_.capacity() * sizeof(Digest) +
                      far_checkpoints_.capacity() * sizeof(Checkpoint) +
                      fetch_wanted_.capacity() * sizeof(Seq) +
                      pending_.capacity() * sizeof(pending_[0]) +
                      buffered_.capacity() * sizeof(Buffered) +
                      service_.state().clients.capacity() * sizeof(ClientRecord);
  for (const auto& vc : view_changes_)
    if (vc) bytes += sizeof(ViewChange) + vc->prepared.size() * (sizeof(PreparedCert) + config_.n * sizeof(Prepare));
  return bytes;
}

}  // namespace pbft
