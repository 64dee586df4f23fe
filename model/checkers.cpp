#include "model/checkers.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace model {

using pbft::Digest;
using pbft::ReplicaId;
using pbft::Seq;
using pbft::View;

namespace {
constexpr std::string_view kViolationNames[] = {
    "agreement", "validity", "integrity", "client-consistency", "local-sanity", "liveness",
};
constexpr std::size_t kResultsKept = 256;

std::string hex(Digest d) { return d == pbft::kNullDigest ? "null" : fmt::format("{:016x}", d); }
}  // namespace

std::string_view violation_name(ViolationKind k) { return kViolationNames[static_cast<int>(k)]; }

std::optional<ViolationKind> parse_violation(std::string_view name) {
  for (int i = 0; i < 6; ++i)
    if (kViolationNames[i] == name) return static_cast<ViolationKind>(i);
  return std::nullopt;
}

Checkers::Checkers(const Scenario& s)
    : scenario_(&s),
      honest_(s.config.n, true),
      replicas_(s.config.n),
      submitted_(s.workload.clients, 0),
      clients_(s.workload.clients),
      timer_after_gst_(s.check_liveness ? s.config.n : 0, false) {
  for (const auto& f : s.faults) honest_[f.replica] = false;
  const std::size_t ring = 2 * s.config.watermark_window;
  for (auto& r : replicas_) {
    r.applied.assign(s.config.max_clients, 0);
    r.pre_prepares.resize(ring);
    r.prepares.resize(ring);
    r.commits.resize(ring);
    r.checkpoints.resize(ring / s.config.checkpoint_interval + 1);
    r.replies.assign(s.config.max_clients, {0, 0});
  }
  states_.resize(4 * (s.config.watermark_window / s.config.checkpoint_interval) + 1);
  // Keyed by timestamp: a client's timestamps run 1..requests, so a ring one
  // longer never reuses a slot (and a search copies these for every run).
  const std::size_t results = std::min<std::size_t>(kResultsKept, std::size_t{s.workload.requests_per_client} + 1);
  for (auto& c : clients_) c.results.assign(results, {0, 0});  // timestamps start at 1
}

void Checkers::fail(ViolationKind k, ReplicaId r, View v, Seq n, std::string what) {
  if (violation_) return;  // keep the first
  violation_ = Violation{k, std::move(what), r, v, n};
}

bool Checkers::submitted(const pbft::Request& r) const {
  return r.client < submitted_.size() && r.timestamp >= 1 && r.timestamp <= submitted_[r.client] &&
         r.operation == operation_for(r.client, r.timestamp);
}

void Checkers::on_commit(ReplicaId r, View v, Seq n, Digest d) {
  if (!honest_[r] || n < decided_base_) return;
  const std::size_t i = decided_head_ + (n - decided_base_);
  if (i >= decided_.size()) decided_.resize(i + 1);
  Decision& first = decided_[i];
  if (first.digest == pbft::kNoDigest) {
    first = {d, r, v};
    return;
  }
  if (first.digest != d)
    fail(ViolationKind::agreement, r, v, n,
         fmt::format("agreement: replica {} committed {} at seq {} in view {}, but replica {} "
                     "committed {} at seq {} in view {}",
                     first.replica, hex(first.digest), n, first.view, r, hex(d), n, v));
}

void Checkers::on_execute(ReplicaId r, const pbft::Execution& e) {
  if (!honest_[r]) return;
  ReplicaRecord& rec = replicas_[r];
  if (e.seq != rec.last_executed + 1)
    return fail(ViolationKind::integrity, r, e.view, e.seq,
                fmt::format("integrity: replica {} executed seq {} after seq {} (a gap or a repeat)",
                            r, e.seq, rec.last_executed));
  rec.last_executed = e.seq;
  on_commit(r, e.view, e.seq, e.digest);  // an execution is a commit too
  if (e.digest == pbft::kNullDigest) return;
  if (!submitted(e.request))
    return fail(ViolationKind::validity, r, e.view, e.seq,
                fmt::format("validity: replica {} executed a request no client submitted "
                            "(client {}, timestamp {}) at seq {}",
                            r, e.request.client, e.request.timestamp, e.seq));
  if (!e.applied) return;
  auto& last = rec.applied[e.request.client];
  if (e.request.timestamp <= last)
    return fail(ViolationKind::integrity, r, e.view, e.seq,
                fmt::format("integrity: replica {} applied client {}'s timestamp {} after {}", r,
                            e.request.client, e.request.timestamp, last));
  last = e.request.timestamp;
  // Agreement on results: the request's result in the committed history is
  // the first honest one; every honest replica that applies it must compute
  // the same (one that computes another has a diverged state, caught here
  // before its next checkpoint), and a client must accept exactly that.
  auto& [ts, result] = clients_[e.request.client].results[e.request.timestamp % clients_[e.request.client].results.size()];
  if (ts == e.request.timestamp && result != e.result)
    return fail(ViolationKind::agreement, r, e.view, e.seq,
                fmt::format("agreement on results: replica {} computed {:016x} for client {}'s timestamp {}, "
                            "but another honest replica computed {:016x}",
                            r, e.result, e.request.client, ts, result));
  ts = e.request.timestamp;
  result = e.result;
}

void Checkers::on_stable(ReplicaId r, Seq n) {
  if (!honest_[r]) return;
  replicas_[r].stable = std::max(replicas_[r].stable, n);
  Seq low = n;
  for (ReplicaId i = 0; i < replicas_.size(); ++i)
    if (honest_[i]) low = std::min(low, replicas_[i].stable);
  while (decided_base_ <= low && decided_head_ < decided_.size()) {
    ++decided_head_;
    ++decided_base_;
  }
  if (decided_head_ > 1024 && decided_head_ * 2 > decided_.size()) {
    decided_.erase(decided_.begin(), decided_.begin() + static_cast<std::ptrdiff_t>(decided_head_));
    decided_head_ = 0;
  }
}

void Checkers::on_state_installed(ReplicaId r, Seq n, const pbft::ServiceState& state) {
  if (!honest_[r]) return;
  auto& rec = replicas_[r];
  rec.last_executed = std::max(rec.last_executed, n);
  // The installed state (its digest certified by 2f+1 checkpoints) carries
  // every client's last executed timestamp.
  for (std::size_t c = 0; c < rec.applied.size() && c < state.clients.size(); ++c)
    rec.applied[c] = std::max(rec.applied[c], state.clients[c].timestamp);
}

void Checkers::sane_vote(ReplicaId r, std::vector<Vote>& ring, std::size_t key, View v, Seq n,
                         Digest d, const char* what) {
  Vote& slot = ring[key % ring.size()];
  if (slot.view == v && slot.seq == n && slot.digest != d && slot.digest != pbft::kNoDigest)
    fail(ViolationKind::local_sanity, r, v, n,
         fmt::format("local sanity: honest replica {} sent two {}s for view {} seq {}: {} and {}", r,
                     what, v, n, hex(slot.digest), hex(d)));
  slot = {v, n, d};
}

void Checkers::agree_on_state(ReplicaId r, Seq n, Digest state) {
  StateVote& slot = states_[(n / scenario_->config.checkpoint_interval) % states_.size()];
  if (slot.seq != n || slot.digest == pbft::kNoDigest) {
    slot = {n, state, r};
    return;
  }
  if (slot.digest != state)
    fail(ViolationKind::agreement, r, 0, n,
         fmt::format("agreement on state: replica {} checkpointed state {} at seq {}, but replica {} "
                     "checkpointed {}",
                     slot.replica, hex(slot.digest), n, r, hex(state)));
}

void Checkers::on_honest_send(ReplicaId r, const pbft::Message& m) {
  ReplicaRecord& rec = replicas_[r];
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, pbft::PrePrepare>) {
          sane_vote(r, rec.pre_prepares, x.seq, x.view, x.seq, x.digest, "PRE-PREPARE");
        } else if constexpr (std::is_same_v<T, pbft::Prepare>) {
          sane_vote(r, rec.prepares, x.seq, x.view, x.seq, x.digest, "PREPARE");
        } else if constexpr (std::is_same_v<T, pbft::Commit>) {
          sane_vote(r, rec.commits, x.seq, x.view, x.seq, x.digest, "COMMIT");
        } else if constexpr (std::is_same_v<T, pbft::Checkpoint>) {
          sane_vote(r, rec.checkpoints, x.seq / scenario_->config.checkpoint_interval, 0, x.seq,
                    x.state_digest, "CHECKPOINT");
          agree_on_state(r, x.seq, x.state_digest);
        } else if constexpr (std::is_same_v<T, pbft::Reply>) {
          if (x.client >= rec.replies.size()) return;
          auto& last = rec.replies[x.client];
          if (last.first == x.timestamp && last.second != x.result)
            fail(ViolationKind::local_sanity, r, x.view, 0,
                 fmt::format("local sanity: honest replica {} sent two REPLYs to client {} for timestamp "
                             "{}: {:016x} and {:016x}",
                             r, x.client, x.timestamp, last.second, x.result));
          last = {x.timestamp, x.result};
        } else if constexpr (std::is_same_v<T, pbft::ViewChangePtr>) {
          if (!x) return;
          if (rec.view_change && rec.view_change->new_view == x->new_view && *rec.view_change != *x)
            fail(ViolationKind::local_sanity, r, x->new_view, 0,
                 fmt::format("local sanity: honest replica {} sent two different VIEW-CHANGEs for view {}",
                             r, x->new_view));
          rec.view_change = x;
        } else if constexpr (std::is_same_v<T, pbft::NewViewPtr>) {
          if (!x) return;
          if (rec.new_view && rec.new_view->view == x->view && *rec.new_view != *x)
            fail(ViolationKind::local_sanity, r, x->view, 0,
                 fmt::format("local sanity: honest replica {} sent two different NEW-VIEWs for view {}",
                             r, x->view));
          rec.new_view = x;
          // O's pre-prepares are the new primary's, signed as any other.
          for (const pbft::PrePrepare& pp : x->pre_prepares)
            sane_vote(r, rec.pre_prepares, pp.seq, pp.view, pp.seq, pp.digest, "PRE-PREPARE");
        }
      },
      m);
}

void Checkers::on_submit(pbft::ClientId c, pbft::Timestamp t, std::uint64_t now_us) {
  submitted_[c] = std::max(submitted_[c], t);
  if (scenario_->check_liveness) clients_[c].outstanding.push_back({t, now_us});
}

void Checkers::on_client_accept(pbft::ClientId c, pbft::Timestamp t, std::uint64_t result) {
  clients_[c].accepted = std::max(clients_[c].accepted, t);
  const auto& [ts, committed] = clients_[c].results[t % clients_[c].results.size()];
  if (ts == t && committed == result) return;
  fail(ViolationKind::client_consistency, 0, 0, 0,
       ts == t ? fmt::format("client consistency: client {} accepted result {:016x} for timestamp {}, "
                             "but its result in the committed history is {:016x}",
                             c, result, t, committed)
               : fmt::format("client consistency: client {} accepted result {:016x} for timestamp {}, "
                             "which no honest replica executed",
                             c, result, t));
}

bool Checkers::all_executed() const {
  for (pbft::ClientId c = 0; c < submitted_.size(); ++c)
    for (ReplicaId r = 0; r < replicas_.size(); ++r)
      if (honest_[r] && replicas_[r].applied[c] < submitted_[c]) return false;
  return true;
}

std::uint64_t Checkers::last_deadline_us() const {
  if (!scenario_->check_liveness) return 0;
  std::uint64_t last = 0;
  for (const ClientLog& log : clients_)
    for (std::size_t i = log.outstanding_head; i < log.outstanding.size(); ++i)
      if (log.outstanding[i].timestamp > log.accepted)
        last = std::max(last, std::max(scenario_->network.gst_us, log.outstanding[i].submitted_us) +
                                  scenario_->liveness_bound_us + timer_credit_us());
  return last;
}

void Checkers::on_honest_timer(ReplicaId r, std::uint64_t now_us, std::uint64_t delay_us) {
  if (!scenario_->check_liveness) return;
  if (now_us > scenario_->network.gst_us) {
    if (timer_after_gst_[r]) return;  // later doublings are what the credit allows for
    timer_after_gst_[r] = true;
  }
  backoff_at_gst_us_ = std::max(backoff_at_gst_us_, delay_us);
}

std::uint64_t Checkers::timer_credit_us() const {
  if (backoff_at_gst_us_ == 0) return 0;
  const std::uint32_t doublings = std::min<std::uint32_t>(scenario_->config.f + 1, 32);
  const std::uint64_t factor = (std::uint64_t{1} << doublings) - 1;
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() / 4;  // deadlines add to it
  return backoff_at_gst_us_ > limit / factor ? limit : backoff_at_gst_us_ * factor;
}

void Checkers::check_liveness(std::uint64_t now_us, bool final) {
  if (!scenario_->check_liveness || violation_) return;
  const std::uint64_t gst = scenario_->network.gst_us;
  for (pbft::ClientId c = 0; c < clients_.size(); ++c) {
    ClientLog& log = clients_[c];
    while (log.outstanding_head < log.outstanding.size() &&
           log.outstanding[log.outstanding_head].timestamp <= log.accepted)
      ++log.outstanding_head;
    if (log.outstanding_head * 2 > log.outstanding.size() && log.outstanding_head > 1024) {
      log.outstanding.erase(log.outstanding.begin(),
                            log.outstanding.begin() + static_cast<std::ptrdiff_t>(log.outstanding_head));
      log.outstanding_head = 0;
    }
    if (log.outstanding_head == log.outstanding.size()) continue;
    const Outstanding& o = log.outstanding[log.outstanding_head];
    const std::uint64_t credit = timer_credit_us();
    const std::uint64_t deadline = std::max(gst, o.submitted_us) + scenario_->liveness_bound_us + credit;
    if (now_us < deadline || (!final && now_us == deadline)) continue;
    std::uint32_t executed = 0, honest = 0;
    for (ReplicaId r = 0; r < replicas_.size(); ++r) {
      if (!honest_[r]) continue;
      ++honest;
      executed += replicas_[r].applied[c] >= o.timestamp;
    }
    return fail(ViolationKind::liveness, 0, 0, 0,
                fmt::format("liveness: client {}'s request {} (submitted at {} us) was not accepted by {} us "
                            "(bound {} us after max(GST, submission){}); {} of {} honest replicas executed it",
                            c, o.timestamp, o.submitted_us, now_us, scenario_->liveness_bound_us,
                            credit ? fmt::format(", plus {} us for the view-change backoff reached by GST", credit) : "",
                            executed, honest));
  }
}

}  // namespace model
