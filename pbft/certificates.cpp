#include "pbft/certificates.h"

#include <algorithm>

namespace pbft {

namespace {
// Distinct, in-range replica ids, as a bitmask; nullopt on a duplicate or a bad id.
bool add_voter(const Config& c, std::uint64_t& mask, ReplicaId r) {
  if (r >= c.n) return false;
  const std::uint64_t bit = std::uint64_t{1} << r;
  if (mask & bit) return false;
  mask |= bit;
  return true;
}

bool valid_request_digest(const Config& c, const PrePrepare& pp) {
  if (pp.is_null()) return true;
  return pp.request.client < c.max_clients && pp.digest == digest_of(pp.request);
}
}  // namespace

bool valid_checkpoint_proof(const Config& c, Seq seq, Digest digest,
                            const std::vector<Checkpoint>& proof) {
  if (seq == 0) return proof.empty();
  if (seq % c.checkpoint_interval != 0 || digest == kNoDigest) return false;
  if (proof.size() > c.n) return false;
  std::uint64_t voters = 0;
  for (const auto& cp : proof) {
    if (cp.seq != seq || cp.state_digest != digest) return false;
    if (!add_voter(c, voters, cp.replica)) return false;
  }
  return proof.size() >= c.checkpoint_quorum();
}

bool valid_prepared_cert(const Config& c, const PreparedCert& cert, View below, Seq low,
                         Seq high) {
  const PrePrepare& pp = cert.pre_prepare;
  if (pp.view >= below || pp.seq <= low || pp.seq > high) return false;
  if (pp.replica != c.primary(pp.view)) return false;
  if (!valid_request_digest(c, pp)) return false;
  if (cert.prepares.size() > c.n) return false;
  std::uint64_t voters = 0;
  for (const auto& p : cert.prepares) {
    if (p.view != pp.view || p.seq != pp.seq || p.digest != pp.digest) return false;
    if (p.replica == pp.replica) return false;  // prepares come from backups
    if (!add_voter(c, voters, p.replica)) return false;
  }
  return cert.prepares.size() >= c.prepare_quorum();
}

Digest proven_digest(const ViewChange& vc) {
  return vc.checkpoint_proof.empty() ? kNoDigest : vc.checkpoint_proof.front().state_digest;
}

bool valid_view_change(const Config& c, const ViewChange& vc) {
  if (vc.new_view == 0 || vc.new_view >= kMaxView || vc.replica >= c.n) return false;
  if (!valid_checkpoint_proof(c, vc.stable_seq, proven_digest(vc), vc.checkpoint_proof))
    return false;
  if (vc.prepared.size() > c.watermark_window) return false;
  const Seq high = vc.stable_seq + c.watermark_window;
  Seq previous = vc.stable_seq;
  for (const auto& cert : vc.prepared) {
    // Sorted by sequence number, one certificate each.
    if (cert.pre_prepare.seq <= previous) return false;
    previous = cert.pre_prepare.seq;
    if (!valid_prepared_cert(c, cert, vc.new_view, vc.stable_seq, high)) return false;
  }
  return true;
}

NewViewPlan plan_new_view(const Config& c, View v, const std::vector<ViewChange>& V) {
  NewViewPlan plan;
  for (const auto& vc : V) {
    if (vc.stable_seq > plan.min_s || (vc.stable_seq == plan.min_s && plan.min_s_proof.empty())) {
      plan.min_s = vc.stable_seq;
      plan.min_s_digest = proven_digest(vc);
      plan.min_s_proof = vc.checkpoint_proof;
    }
  }
  plan.max_s = plan.min_s;
  for (const auto& vc : V)
    for (const auto& cert : vc.prepared) plan.max_s = std::max(plan.max_s, cert.pre_prepare.seq);
  // A valid V has every certificate in (min_s, min_s + L]. The cap (and the
  // overflow-free loop) matter only for a V nobody checked
  // (Mutation::skip_newview_validation), which must not run away.
  plan.max_s = plan.min_s + std::min<Seq>(plan.max_s - plan.min_s, c.watermark_window);

  const bool lowest = c.mutation == Mutation::newview_ignores_highest;
  for (Seq i = 1; i <= plan.max_s - plan.min_s; ++i) {
    const Seq n = plan.min_s + i;
    const PrePrepare* chosen = nullptr;
    for (const auto& vc : V)
      for (const auto& cert : vc.prepared) {
        if (cert.pre_prepare.seq != n) continue;
        const bool better = !chosen || (lowest ? cert.pre_prepare.view < chosen->view
                                               : cert.pre_prepare.view > chosen->view);
        if (better) chosen = &cert.pre_prepare;
      }
    PrePrepare pp{.view = v, .seq = n, .digest = kNullDigest, .request = {}, .replica = c.primary(v)};
    if (chosen) {
      pp.digest = chosen->digest;
      pp.request = chosen->is_null() ? Request{} : chosen->request;
    }
    plan.pre_prepares.push_back(pp);
  }
  return plan;
}

bool valid_new_view(const Config& c, const NewView& nv) {
  if (nv.view == 0 || nv.view >= kMaxView || nv.replica != c.primary(nv.view)) return false;
  if (nv.view_changes.size() < c.quorum() || nv.view_changes.size() > c.n) return false;
  if (nv.pre_prepares.size() > c.watermark_window) return false;
  std::uint64_t senders = 0;
  for (const auto& vc : nv.view_changes) {
    if (vc.new_view != nv.view || !add_voter(c, senders, vc.replica)) return false;
    if (!valid_view_change(c, vc)) return false;
  }
  return plan_new_view(c, nv.view, nv.view_changes).pre_prepares == nv.pre_prepares;
}

}  // namespace pbft
