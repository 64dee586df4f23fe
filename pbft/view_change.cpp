// View changes (§4.4): VIEW-CHANGE with the stable checkpoint proof and the
// prepared certificates, NEW-VIEW with V and O, validated by every backup,
// and timeouts that double with each consecutive view change (§4.5.2).
#include <algorithm>

#include "pbft/certificates.h"
#include "pbft/replica.h"

namespace pbft {

ViewChange Replica::make_view_change(View target) const {
  ViewChange vc{.new_view = target, .stable_seq = h_, .checkpoint_proof = stable_proof_,
                .prepared = {}, .replica = id_};
  if (config_.mutation == Mutation::viewchange_drops_certs) return vc;
  for (Seq n = h_ + 1; n <= high_watermark(); ++n) {
    const Slot* s = find_slot(n);
    if (!s || !s->has_cert) continue;
    PreparedCert cert{.pre_prepare = s->cert, .prepares = {}};
    for (ReplicaId r = 0; r < config_.n; ++r)
      if (s->cert_voters & (std::uint64_t{1} << r))
        cert.prepares.push_back({s->cert.view, n, s->cert.digest, r});
    vc.prepared.push_back(std::move(cert));
  }
  return vc;
}

void Replica::start_view_change(View target, bool timed_out, Effects& out) {
  if (target <= view_ || target >= kMaxView) return;
  view_ = target;
  in_view_change_ = true;
  // §4.5.2 doubles the wait each time this replica's timer expires without
  // progress. Joining f+1 others spent no time waiting: counting joins let a
  // replica pass views in quick succession before GST and then wait T·2^k
  // after it, with nobody else able to move the view.
  if (timed_out) ++consecutive_view_changes_;
  reset_votes();
  auto vc = std::make_shared<const ViewChange>(make_view_change(target));
  view_changes_[id_] = vc;
  broadcast(vc, out);
  out.events.push_back({.kind = EventKind::view_change_start, .view = target});
  stop_timer(out);
  arm_timer_on_view_change_quorum(out);
  try_send_new_view(out);
}

// The timer for view v starts only once a quorum has asked for v (§4.5.2).
// A replica that armed it on its own VIEW-CHANGE would escalate alone, past
// the view its peers later agree on, and no quorum would ever form. A
// VIEW-CHANGE for a later view counts too: its sender has left view v.
void Replica::arm_timer_on_view_change_quorum(Effects& out) {
  if (!in_view_change_ || timer_armed_) return;
  std::uint32_t asking = 0;
  for (const auto& v : view_changes_)
    if (v && v->new_view >= view_) ++asking;
  if (asking >= config_.quorum()) restart_timer(out);
}

void Replica::handle_view_change(ReplicaId from, const ViewChangePtr& m, Effects& out) {
  if (!m) return reject(Rejection::bad_certificate, out);
  const ViewChange& vc = *m;
  ReplicaId voter = from;
  if (vc.replica != from) {
    if (config_.mutation != Mutation::trust_claimed_sender || vc.replica >= config_.n)
      return reject(Rejection::bad_sender, out);
    voter = vc.replica;
  }
  if (vc.new_view < view_ || (vc.new_view == view_ && !in_view_change_))
    return reject(Rejection::stale, out);
  if (!pbft::valid_view_change(config_, vc)) return reject(Rejection::bad_certificate, out);
  auto& stored = view_changes_[voter];
  if (!stored || stored->new_view < vc.new_view) stored = m;

  // f+1 replicas want a later view: at least one is honest, so join the
  // smallest such view rather than wait for the timer (§4.5.2).
  std::uint32_t ahead = 0;
  View smallest = kMaxView;
  for (ReplicaId r = 0; r < config_.n; ++r) {
    const auto& v = view_changes_[r];
    if (r == id_ || !v || v->new_view <= view_) continue;
    ++ahead;
    smallest = std::min(smallest, v->new_view);
  }
  if (ahead >= config_.weak_quorum()) return start_view_change(smallest, false, out);
  arm_timer_on_view_change_quorum(out);
  try_send_new_view(out);
}

void Replica::try_send_new_view(Effects& out) {
  if (!in_view_change_ || config_.primary(view_) != id_) return;
  // Counted before copying: most VIEW-CHANGEs arrive before a quorum has.
  std::uint32_t asking = 0;
  for (ReplicaId r = 0; r < config_.n; ++r) asking += view_changes_[r] && view_changes_[r]->new_view == view_;
  if (asking < config_.quorum()) return;
  std::vector<ViewChange> V;
  V.reserve(config_.quorum());
  for (ReplicaId r = 0; r < config_.n && V.size() < config_.quorum(); ++r)
    if (view_changes_[r] && view_changes_[r]->new_view == view_) V.push_back(*view_changes_[r]);
  NewViewPlan plan = plan_new_view(config_, view_, V);
  auto nv = std::make_shared<const NewView>(
      NewView{.view = view_, .view_changes = std::move(V), .pre_prepares = std::move(plan.pre_prepares),
              .replica = id_});
  broadcast(nv, out);
  enter_view(*nv, out);
}

void Replica::handle_new_view(ReplicaId from, const NewViewPtr& m, Effects& out) {
  if (!m) return reject(Rejection::bad_new_view, out);
  const NewView& nv = *m;
  if (nv.view < view_ || (nv.view == view_ && !in_view_change_)) return reject(Rejection::stale, out);
  if (nv.view >= kMaxView) return reject(Rejection::bad_new_view, out);
  const bool trust_field = config_.mutation == Mutation::trust_claimed_sender;
  const ReplicaId sender = trust_field ? nv.replica : from;
  if ((!trust_field && nv.replica != from) || sender != config_.primary(nv.view))
    return reject(Rejection::bad_sender, out);
  if (config_.mutation == Mutation::skip_newview_validation) {
    // Only bounds are checked, so memory stays bounded.
    if (nv.pre_prepares.size() > config_.watermark_window || nv.view_changes.size() > config_.n)
      return reject(Rejection::bad_new_view, out);
  } else if (!valid_new_view(config_, nv)) {
    return reject(Rejection::bad_new_view, out);
  }
  enter_view(nv, out);
}

void Replica::enter_view(const NewView& nv, Effects& out) {
  view_ = nv.view;
  in_view_change_ = false;
  reset_votes();
  const NewViewPlan plan = plan_new_view(config_, nv.view, nv.view_changes);
  // The new view starts at min-s: its checkpoint becomes stable first. New
  // requests get numbers above max-s only once O is installed (§4.4); the
  // catalog's newview-issues-before-o numbers them here, reusing O's numbers.
  if (plan.min_s > h_ && valid_checkpoint_proof(config_, plan.min_s, plan.min_s_digest, plan.min_s_proof)) {
    make_stable(plan.min_s, plan.min_s_digest, plan.min_s_proof, out);
    if (config_.mutation == Mutation::newview_issues_before_o) issue_pending(out);
  }
  out.events.push_back({.kind = EventKind::new_view_entered, .view = view_});

  Seq max_seq = plan.max_s;
  for (const PrePrepare& pp : nv.pre_prepares) {
    max_seq = std::max(max_seq, pp.seq);
    if (!in_watermarks(pp.seq) || pp.view != view_) continue;
    if (!pp.is_null()) {
      out.events.push_back({.kind = EventKind::cert_carried, .view = view_, .seq = pp.seq, .digest = pp.digest});
      if (pp.request.client < config_.max_clients)
        assigned_[pp.request.client] = std::max(assigned_[pp.request.client], pp.request.timestamp);
    }
    accept_pre_prepare(pp, out);
  }
  if (is_primary()) next_seq_ = std::max(max_seq, h_) + 1;

  // §4.5.2: the timer started when 2f+1 asked for this view runs on until a
  // request executes in it, so a new primary that orders nothing is left as
  // soon as if it had sent no NEW-VIEW; a backup waiting without one starts it.
  const bool waiting = std::any_of(pending_.begin(), pending_.end(),
                                   [](const auto& p) { return p.has_value(); });
  if (!waiting || is_primary()) stop_timer(out);
  else if (!timer_armed_) restart_timer(out);

  // Messages that arrived early for this view are processed now; older ones dropped.
  std::vector<Buffered> early;
  early.swap(buffered_);
  std::fill(buffered_per_sender_.begin(), buffered_per_sender_.end(), 0);
  for (auto& b : early) {
    const View v = std::visit(
        [](const auto& x) -> View {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, PrePrepare> || std::is_same_v<T, Prepare> ||
                        std::is_same_v<T, Commit>)
            return x.view;
          else return 0;
        },
        b.message);
    if (v >= view_) on_message(b.from, b.message, out);
  }
  issue_pending(out);
  ask_for_retransmission(out);
}

}  // namespace pbft
