#include "fuzz/replica_harness.h"

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "fuzz/extra_counters.h"
#include "model/scenario.h"
#include "model/tape.h"
#include "pbft/certificates.h"
#include "pbft/replica.h"
#include "pbft/service.h"

namespace fuzz {

namespace {

using namespace pbft;

constexpr std::size_t kMaxInputs = 4096;
constexpr std::size_t kPool = 16;

// Counter layout (the schedule fuzzers' layout is separate: one binary each).
constexpr std::size_t kEventBase = 0;      // event kind (8) x rejection (16)
constexpr std::size_t kStateBase = 128;    // view, stable/K, executed, in view change, buffered
constexpr std::size_t kOpBase = 192;       // operation (16) x accepted-something (2)

template <class T>
void keep(std::vector<T>& pool, T item) {
  if (pool.size() >= kPool) pool.erase(pool.begin());
  pool.push_back(std::move(item));
}

struct Harness {
  Harness(std::span<const std::uint8_t> data, bool guide)
      : tape(model::Tape::from_bytes(data.size() > 2 ? data.subspan(2) : std::span<const std::uint8_t>{})),
        guide(guide),
        cfg(make_cfg(data)),
        id(((data.empty() ? 0 : data[0]) >> 1 & 7) % cfg.n),
        rep(cfg, id) {
    for (ClientId c = 0; c < std::min<std::uint32_t>(2, cfg.max_clients); ++c)
      for (Timestamp ts = 1; ts <= 2; ++ts) requests.push_back({c, ts, model::operation_for(c, ts)});
    const std::size_t per_cert = sizeof(PreparedCert) + cfg.n * sizeof(Prepare);
    out.footprint_bound = 2 * rep.footprint_bytes() + 2 * cfg.max_buffered * (sizeof(Message) + 16) +
                          cfg.n * (sizeof(ViewChange) + (cfg.watermark_window + 1) * per_cert) + 4096;
  }

  static Config make_cfg(std::span<const std::uint8_t> data) {
    const std::uint8_t b0 = data.size() > 0 ? data[0] : 0, b1 = data.size() > 1 ? data[1] : 0;
    static constexpr std::uint32_t kIntervals[] = {2, 3, 1, 4};
    static constexpr std::uint32_t kClients[] = {16, 2, 4, 1};
    Config c = make_config((b0 & 1) ? 7 : 4);
    c.checkpoint_interval = kIntervals[(b0 >> 4) & 3];
    c.watermark_window = c.checkpoint_interval * ((b0 & 0x40) ? 3 : 2);
    if (b0 & 0x80) c.max_buffered = 8;
    c.max_clients = kClients[b1 & 3];
    return c;
  }

  std::uint32_t pick(std::uint32_t k) { return tape.pick(k); }
  ReplicaId sender() { return pick(cfg.n); }
  View view() {
    const View v = rep.view();
    switch (pick(4)) {
      case 1: return v + 1;
      case 2: return v + 2;
      case 3: return v > 0 ? v - 1 : 0;
      default: return v;
    }
  }
  Seq seq() { return rep.stable_seq() + pick(cfg.watermark_window + 3); }
  Request request() {
    const std::uint32_t i = pick(static_cast<std::uint32_t>(requests.size()) + 1);
    if (i < requests.size()) return requests[i];
    const ClientId c = pick(cfg.max_clients + 1);
    const Timestamp ts = 1 + pick(4);
    Request r{c, ts, pick(4) ? model::operation_for(c, ts) : pick(3)};
    if (requests.size() < 8) requests.push_back(r);
    return r;
  }
  Digest digest(Seq n) {
    switch (pick(6)) {
      case 0:
        if (auto d = rep.accepted_digest(n)) return *d;
        return digest_of(requests.front());
      case 1: return digest_of(request());
      case 2: return kNullDigest;
      case 3: return kNoDigest;
      case 4:
        for (const auto& pp : pre_prepares)
          if (pp.seq == n) return pp.digest;
        return digest_of(request());
      default: return 1 + pick(65536);
    }
  }

  // 2f+1 (or, when the tape says so, fewer) CHECKPOINTs for (n, d) from distinct replicas.
  std::vector<Checkpoint> proof(Seq n, Digest d) {
    std::vector<Checkpoint> p;
    if (n == 0) return p;
    const std::uint32_t want = cfg.quorum() - (pick(8) == 0 ? 1 : 0);
    const ReplicaId first = pick(cfg.n);
    for (std::uint32_t k = 0; k < want && k < cfg.n; ++k) p.push_back({n, d, (first + k) % cfg.n});
    return p;
  }

  // A VIEW-CHANGE by `from` for `target`, valid unless the tape tampers with it.
  ViewChange view_change(ReplicaId from, View target) {
    ViewChange vc{.new_view = target, .replica = from};
    if (pick(2) && !own_checkpoints.empty()) {
      const Checkpoint& cp = own_checkpoints[pick(static_cast<std::uint32_t>(own_checkpoints.size()))];
      vc.stable_seq = cp.seq;
      vc.checkpoint_proof = proof(cp.seq, cp.state_digest);
    }
    const std::uint32_t certs = pick(3);
    for (std::uint32_t k = 0; k < certs && !pre_prepares.empty(); ++k) {
      const PrePrepare& pp = pre_prepares[pick(static_cast<std::uint32_t>(pre_prepares.size()))];
      if (pp.view >= target || pp.seq <= vc.stable_seq) continue;
      PreparedCert cert{.pre_prepare = pp, .prepares = {}};
      const ReplicaId primary = cfg.primary(pp.view);
      const std::uint32_t want = 2 * cfg.f - (pick(8) == 0 ? 1 : 0);
      for (ReplicaId r = pick(cfg.n), k2 = 0; k2 < cfg.n && cert.prepares.size() < want; ++k2, r = (r + 1) % cfg.n)
        if (r != primary) cert.prepares.push_back({pp.view, pp.seq, pp.digest, r});
      vc.prepared.push_back(std::move(cert));
    }
    std::sort(vc.prepared.begin(), vc.prepared.end(),
              [](const PreparedCert& a, const PreparedCert& b) { return a.pre_prepare.seq < b.pre_prepare.seq; });
    vc.prepared.erase(std::unique(vc.prepared.begin(), vc.prepared.end(),
                                  [](const PreparedCert& a, const PreparedCert& b) {
                                    return a.pre_prepare.seq == b.pre_prepare.seq;
                                  }),
                      vc.prepared.end());
    return vc;
  }

  NewView new_view(View v) {
    NewView nv{.view = v, .replica = cfg.primary(v)};
    std::uint64_t have = 0;
    for (const auto& vc : view_changes) {
      if (nv.view_changes.size() >= cfg.quorum()) break;
      if (vc->new_view != v || ((have >> vc->replica) & 1) || !valid_view_change(cfg, *vc)) continue;
      have |= std::uint64_t{1} << vc->replica;
      nv.view_changes.push_back(*vc);
    }
    for (ReplicaId r = pick(cfg.n), k = 0; k < cfg.n && nv.view_changes.size() < cfg.quorum(); ++k, r = (r + 1) % cfg.n) {
      if ((have >> r) & 1) continue;
      ViewChange vc = view_change(r, v);
      if (!valid_view_change(cfg, vc)) continue;
      have |= std::uint64_t{1} << r;
      nv.view_changes.push_back(std::move(vc));
    }
    if (nv.view_changes.size() >= cfg.quorum()) nv.pre_prepares = plan_new_view(cfg, v, nv.view_changes).pre_prepares;
    switch (pick(8)) {  // tampering
      case 1:
        if (!nv.view_changes.empty()) nv.view_changes.pop_back();
        break;
      case 2:
        if (!nv.pre_prepares.empty()) nv.pre_prepares.pop_back();
        break;
      case 3:
        if (!nv.pre_prepares.empty()) nv.pre_prepares.back().digest = digest(nv.pre_prepares.back().seq);
        break;
      default: break;
    }
    return nv;
  }

  // Re-signs a message the replica sent as `as`.
  static Message resign(Message m, ReplicaId as) {
    std::visit(
        [&](auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Request>) {
          } else if constexpr (std::is_same_v<T, ViewChangePtr>) {
            if (x) {
              auto copy = std::make_shared<ViewChange>(*x);
              copy->replica = as;
              x = std::move(copy);
            }
          } else if constexpr (std::is_same_v<T, NewViewPtr>) {
            if (x) {
              auto copy = std::make_shared<NewView>(*x);
              copy->replica = as;
              x = std::move(copy);
            }
          } else {
            x.replica = as;
          }
        },
        m);
    return m;
  }

  bool step() {
    const std::uint32_t op = pick(13);
    fx.clear();
    switch (op) {
      case 0: {
        const Request r = request();
        rep.on_client_request(pick(4) ? r.client : pick(cfg.max_clients + 1), r, fx);
        break;
      }
      case 1: rep.on_timer(pick(4) ? last_token : pick(64), fx); break;
      case 2:
      case 3: {
        if (sent.empty()) return deliver(sender(), Prepare{view(), seq(), digest(1), 0}, op);
        const Message& m = sent[pick(static_cast<std::uint32_t>(sent.size()))];
        const ReplicaId s = sender();
        return deliver(s, pick(8) ? resign(m, s) : m, op);
      }
      case 4: {
        const View v = view();
        const ReplicaId s = pick(4) ? cfg.primary(v) : sender();
        const Seq n = seq();
        const Request r = request();
        const Digest d = pick(4) ? digest_of(r) : digest(n);
        PrePrepare pp{v, n, d, r, s};
        if (pre_prepares.size() < kPool && d != kNoDigest) keep(pre_prepares, pp);
        return deliver(s, pp, op);
      }
      case 5: {
        const ReplicaId s = sender();
        const Seq n = seq();
        return deliver(s, Prepare{view(), n, digest(n), s}, op);
      }
      case 6: {
        const ReplicaId s = sender();
        const Seq n = seq();
        return deliver(s, Commit{view(), n, digest(n), s}, op);
      }
      case 7: {
        const ReplicaId s = sender();
        Checkpoint cp{0, kNoDigest, s};
        if (!own_checkpoints.empty() && pick(4)) {
          const Checkpoint& own = own_checkpoints[pick(static_cast<std::uint32_t>(own_checkpoints.size()))];
          cp.seq = own.seq;
          cp.state_digest = pick(8) ? own.state_digest : digest(own.seq);
        } else {
          cp.seq = rep.stable_seq() + cfg.checkpoint_interval * pick(cfg.watermark_window / cfg.checkpoint_interval + 4);
          cp.state_digest = digest(cp.seq);
        }
        return deliver(s, cp, op);
      }
      case 8: {
        const ReplicaId s = sender();
        auto vc = std::make_shared<const ViewChange>(view_change(s, rep.view() + pick(3)));
        keep(view_changes, ViewChangePtr(vc));
        return deliver(s, ViewChangePtr(vc), op);
      }
      case 9: {
        const View v = rep.view() + pick(3);
        auto nv = std::make_shared<const NewView>(new_view(v));
        return deliver(pick(8) ? cfg.primary(v) : sender(), NewViewPtr(nv), op);
      }
      case 10: {
        const ReplicaId s = sender();
        return deliver(s, FetchState{pick(2) ? rep.stable_seq() : seq(), s}, op);
      }
      case 11: {
        const ReplicaId s = sender();
        StateTransfer st{.replica = s};
        if (!states.empty() && pick(4)) {
          const auto& [n, state] = states[pick(static_cast<std::uint32_t>(states.size()))];
          st.seq = n;
          st.state = state;
          st.proof = proof(n, state->digest());
        } else {
          auto state = std::make_shared<ServiceState>(rep.service_state());
          state->applied += pick(3);
          st.seq = seq();
          st.proof = proof(st.seq, state->digest());
          if (pick(4)) st.state = std::move(state);
        }
        return deliver(s, st, op);
      }
      default: {
        // One op for the rarer inputs, so the stored seeds keep their meaning.
        const ReplicaId s = sender();
        if (pick(3) == 2) {
          const Status st{rep.view() + pick(2), pick(2) ? rep.stable_seq() : seq(),
                          pick(2) ? rep.last_executed() : seq(), s};
          return deliver(s, st, op);
        }
        if (pick(2)) return deliver(s, request(), op);
        return deliver(s, Reply{view(), 1 + pick(3), pick(cfg.max_clients + 1), s, pick(4)}, op);
      }
    }
    return after(op);
  }

  bool deliver(ReplicaId from, const Message& m, std::uint32_t op) {
    rep.on_message(from, m, fx);
    return after(op);
  }

  bool fail(std::string what) {
    out.failure = fmt::format("replica {} of n={} (K={}, L={}), after {} inputs: {}", id, cfg.n,
                              cfg.checkpoint_interval, cfg.watermark_window, out.inputs, what);
    return false;
  }

  // The checks, after every input.
  bool after(std::uint32_t op) {
    ++out.inputs;
    bool accepted = false;
    for (const Event& e : fx.events) {
      switch (e.kind) {
        case EventKind::prepared: out.prepared = true; break;
        case EventKind::committed: out.committed = true; break;
        case EventKind::checkpoint_stable: out.checkpoint_stable = true; break;
        case EventKind::view_change_start: out.view_change_started = true; break;
        case EventKind::new_view_entered: out.new_view_entered = true; break;
        case EventKind::cert_carried: out.cert_carried = true; break;
        case EventKind::state_installed:
          out.state_installed = true;
          last_executed = std::max(last_executed, e.seq);
          break;
        case EventKind::rejected: break;
      }
      accepted |= e.kind != EventKind::rejected;
      if (guide) bump_counter(kEventBase + static_cast<std::size_t>(e.kind) * 16 + static_cast<std::size_t>(e.detail));
    }
    for (const Execution& e : fx.executions) {
      out.executed = true;
      if (e.seq != last_executed + 1)
        return fail(fmt::format("executed seq {} after seq {} (a gap or a repeat)", e.seq, last_executed));
      last_executed = e.seq;
    }
    for (const Send& s : fx.sends) {
      const Message& m = s.message;
      if (kind_of(m) != MessageKind::request && claimed_sender(m) != id)
        return fail(fmt::format("sent a {} signed as replica {}", kind_name(kind_of(m)), claimed_sender(m)));
      if (auto* p = std::get_if<Prepare>(&m)) {
        auto [it, fresh] = prepares_sent.emplace(std::pair{p->view, p->seq}, p->digest);
        if (!fresh && it->second != p->digest)
          return fail(fmt::format("local sanity: two PREPAREs for view {} seq {}: {:016x} and {:016x}", p->view,
                                  p->seq, it->second, p->digest));
      } else if (auto* c = std::get_if<Commit>(&m)) {
        auto [it, fresh] = commits_sent.emplace(std::pair{c->view, c->seq}, c->digest);
        if (!fresh && it->second != c->digest)
          return fail(fmt::format("local sanity: two COMMITs for view {} seq {}: {:016x} and {:016x}", c->view,
                                  c->seq, it->second, c->digest));
      } else if (auto* pp = std::get_if<PrePrepare>(&m)) {
        keep(pre_prepares, *pp);
      } else if (auto* cp = std::get_if<Checkpoint>(&m)) {
        keep(own_checkpoints, *cp);
        if (rep.service_state().digest() == cp->state_digest)
          keep(states, std::pair{cp->seq, std::make_shared<const ServiceState>(rep.service_state())});
      } else if (auto* vc = std::get_if<ViewChangePtr>(&m)) {
        if (*vc) keep(view_changes, *vc);
      }
      if (sent.size() >= 4 * kPool) sent.erase(sent.begin());
      sent.push_back(m);
    }
    for (const TimerOp& t : fx.timers)
      if (t.set) last_token = t.token;
    if (rep.view() < last_view) return fail(fmt::format("view went back from {} to {}", last_view, rep.view()));
    if (rep.stable_seq() < last_stable)
      return fail(fmt::format("stable checkpoint went back from {} to {}", last_stable, rep.stable_seq()));
    last_view = rep.view();
    last_stable = rep.stable_seq();
    const std::size_t footprint = rep.footprint_bytes();
    out.max_footprint = std::max(out.max_footprint, footprint);
    if (footprint > out.footprint_bound)
      return fail(fmt::format("footprint {} bytes exceeds the bound {}", footprint, out.footprint_bound));
    if (guide) {
      bump_counter(kStateBase + std::min<View>(rep.view(), 15));
      bump_counter(kStateBase + 16 + std::min<Seq>(rep.stable_seq() / cfg.checkpoint_interval, 15));
      bump_counter(kStateBase + 32 + std::min<Seq>(rep.last_executed(), 15));
      bump_counter(kStateBase + 48 + rep.in_view_change() * 8 +
                   std::min<std::size_t>(rep.buffered_messages() * 8 / (cfg.max_buffered + 1), 7));
      bump_counter(kOpBase + op * 2 + accepted);
    }
    return true;
  }

  model::Tape tape;
  bool guide;
  Config cfg;
  ReplicaId id;
  Replica rep;
  Effects fx;
  ReplicaRun out;
  std::vector<Request> requests;
  std::vector<Message> sent;
  std::vector<PrePrepare> pre_prepares;
  std::vector<Checkpoint> own_checkpoints;
  std::vector<std::pair<Seq, std::shared_ptr<const ServiceState>>> states;
  std::vector<ViewChangePtr> view_changes;
  std::map<std::pair<View, Seq>, Digest> prepares_sent, commits_sent;
  std::uint64_t last_token = 0;
  Seq last_executed = 0, last_stable = 0;
  View last_view = 0;
};

}  // namespace

ReplicaRun run_replica(std::span<const std::uint8_t> data, bool guide) {
  Harness h(data, guide);
  while (!h.tape.exhausted() && h.out.inputs < kMaxInputs)
    if (!h.step()) break;
  return std::move(h.out);
}

}  // namespace fuzz
