// The adversary's further powers (issue 14, item 2): replaying old authentic
// messages, re-proposing executed requests, made-up states, choosing the
// NEW-VIEW's VIEW-CHANGEs, and messages outside the sender's role. Each
// stays within the boundary (model/adversary.h): it signs only as itself and
// embeds honest signatures only as they were sent. Pick 0 is honest.
#include "model/strategy_powers.h"

#include <optional>

#include "model/wrapped_strategy.h"
#include "pbft/certificates.h"
#include "pbft/hash.h"
#include "pbft/service.h"

namespace model {

namespace {

using namespace strategies;

// Honest, plus, after each step, up to two old messages (delivered to it or
// sent by it, from a bounded history) sent again to any replica or to all.
class Replay final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void observe(ReplicaId, const Message& m, StrategyContext&) override { remember(m); }
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    remember(s.message);
    send(ctx, s.to, s.message);
  }
  void after(StrategyContext& ctx) override {
    if (history_.empty()) return;
    const std::uint32_t n = replica_.config().n;
    for (std::uint32_t k = ctx.tape.pick(3); k > 0; --k) {
      const Message& old = history_[ctx.tape.pick(static_cast<std::uint32_t>(history_.size()))];
      const std::uint32_t to = ctx.tape.pick(n + 1);
      send(ctx, to == n ? Destination::all() : Destination::replica(to), old);
    }
  }

 private:
  static constexpr std::size_t kHistory = 48;
  void remember(const Message& m) {
    if (history_.size() < kHistory) return history_.push_back(m);
    history_[next_++ % kHistory] = m;  // a ring: the oldest goes first
  }
  std::vector<Message> history_;
  std::size_t next_ = 0;
};

// As primary, replaces the request of a PRE-PREPARE by one this replica has
// seen before, executed or not: an honest replica must not execute it twice
// (the reply cache, §4.1), and the displaced request must still get through.
class Repropose final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    const auto* pp = std::get_if<pbft::PrePrepare>(&s.message);
    const auto& known = ctx.known_requests;
    if (!pp || known.empty() || !ctx.tape.pick(2)) return send(ctx, s.to, s.message);
    // Prefer requests the service already executed: the interesting re-proposal.
    std::vector<const pbft::Request*> executed;
    for (const auto& r : known)
      if (replica_.service_state().executed(r)) executed.push_back(&r);
    const pbft::Request& r = executed.empty()
                                 ? known[ctx.tape.pick(static_cast<std::uint32_t>(known.size()))]
                                 : *executed[ctx.tape.pick(static_cast<std::uint32_t>(executed.size()))];
    pbft::PrePrepare again = *pp;
    again.request = r;
    again.digest = pbft::digest_of(r);
    send(ctx, s.to, again);
  }
};

// Made-up states: its CHECKPOINTs certify another digest, and its answers to
// FETCH-STATE carry a state whose digest the (honest) proof does not certify,
// or a proof of its own checkpoint alone.
class ForgeState final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    if (auto* c = std::get_if<pbft::Checkpoint>(&s.message); c && ctx.tape.pick(2)) {
      pbft::Checkpoint made_up = *c;
      made_up.state_digest = pbft::mix64(c->state_digest + 1);
      return send(ctx, s.to, made_up);
    }
    if (auto* st = std::get_if<pbft::StateTransfer>(&s.message); st && st->state) {
      const std::uint32_t how = ctx.tape.pick(3);
      if (how == 0) return send(ctx, s.to, s.message);
      pbft::ServiceState state = *st->state;
      state.chain = pbft::mix64(state.chain + 1);
      ++state.applied;
      if (!state.clients.empty()) state.clients[0].result ^= 1;  // a stale reply in the cache
      pbft::StateTransfer made_up = *st;
      made_up.state = std::make_shared<const pbft::ServiceState>(std::move(state));
      if (how == 2) made_up.proof = {pbft::Checkpoint{st->seq, made_up.state->digest(), id_}};
      return send(ctx, s.to, std::move(made_up));
    }
    send(ctx, s.to, s.message);
  }
};

// The VIEW-CHANGEs a faulty replica has received, the newest per sender,
// valid ones only (a NEW-VIEW may include only valid ones).
class ViewChangeLog {
 public:
  void add(const pbft::Config& c, const Message& m) {
    const auto* p = std::get_if<pbft::ViewChangePtr>(&m);
    if (!p || !*p || (*p)->replica >= c.n || !pbft::valid_view_change(c, **p)) return;
    if (newest_.size() < c.n) newest_.resize(c.n);
    auto& stored = newest_[(*p)->replica];
    if (!stored || stored->new_view < (*p)->new_view) stored = *p;
  }
  // Those for view v, taken from a tape-chosen starting replica on.
  std::vector<pbft::ViewChange> for_view(pbft::View v, std::uint32_t start) const {
    std::vector<pbft::ViewChange> out;
    for (std::size_t i = 0; i < newest_.size(); ++i) {
      const auto& vc = newest_[(start + i) % newest_.size()];
      if (vc && vc->new_view == v) out.push_back(*vc);
    }
    return out;
  }

 private:
  std::vector<pbft::ViewChangePtr> newest_;
};

// A NEW-VIEW for view v from a quorum of the given VIEW-CHANGEs, with O as
// plan_new_view computes it (so it is valid); nothing without a quorum.
std::optional<pbft::NewView> new_view_from(const pbft::Config& c, pbft::View v, std::vector<pbft::ViewChange> V,
                                           ReplicaId id) {
  if (V.size() < c.quorum()) return std::nullopt;
  V.resize(c.quorum());
  pbft::NewViewPlan plan = pbft::plan_new_view(c, v, V);
  return pbft::NewView{.view = v, .view_changes = std::move(V), .pre_prepares = std::move(plan.pre_prepares),
                       .replica = id};
}

// As new primary, sends each backup a NEW-VIEW of its own choosing: any
// quorum of the valid VIEW-CHANGEs it holds (so different backups may get
// different, equally valid NEW-VIEWs), with its own VIEW-CHANGE stripped of
// its certificates or not; and when a VIEW-CHANGE for its view arrives
// after it sent NEW-VIEW, another NEW-VIEW, now with more to choose from.
class ChooseNewView final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void observe(ReplicaId, const Message& m, StrategyContext&) override {
    log_.add(replica_.config(), m);
    late_ = std::holds_alternative<pbft::ViewChangePtr>(m) && replica_.is_primary() && !replica_.in_view_change();
  }
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    log_.add(replica_.config(), s.message);
    const auto* nvp = std::get_if<pbft::NewViewPtr>(&s.message);
    if (!nvp || !*nvp) return send(ctx, s.to, s.message);
    send_each(ctx, [&](ReplicaId) -> Message {
      if (!ctx.tape.pick(2)) return s.message;
      auto nv = choose((*nvp)->view, ctx);
      return nv ? Message{std::move(nv)} : s.message;
    });
  }
  void after(StrategyContext& ctx) override {
    if (!late_ || replica_.view() == 0 || !ctx.tape.pick(2)) return;
    late_ = false;
    const std::uint32_t to = ctx.tape.pick(replica_.config().n);
    if (to == id_) return;
    if (auto nv = choose(replica_.view(), ctx)) send(ctx, Destination::replica(to), std::move(nv));
  }

 private:
  pbft::NewViewPtr choose(pbft::View v, StrategyContext& ctx) const {
    const pbft::Config& c = replica_.config();
    std::vector<pbft::ViewChange> V = log_.for_view(v, ctx.tape.pick(c.n));
    if (ctx.tape.pick(2))
      for (auto& vc : V)
        if (vc.replica == id_) vc.prepared.clear();  // its own: it may sign one without certificates
    auto nv = new_view_from(c, v, std::move(V), id_);
    return nv ? std::make_shared<const pbft::NewView>(std::move(*nv)) : nullptr;
  }
  ViewChangeLog log_;
  bool late_ = false;
};

// Messages outside its role: as primary, a PREPARE for its own
// PRE-PREPARE (which must never count); as backup, a PRE-PREPARE for the
// slot it prepares (the request, or the null request) and, when it asks for
// a view it does not lead, a NEW-VIEW for that view built from the
// VIEW-CHANGEs it holds. Now and then, at most once per view, a STATUS
// claiming it has nothing of its view, which makes honest replicas resend
// all they hold (§5.2). Once per view: its twin's answers to another faulty
// replica's STATUS pass through here too, and a lie per answer multiplied
// the traffic without bound.
class WrongRole final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void observe(ReplicaId, const Message& m, StrategyContext&) override { log_.add(replica_.config(), m); }
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    log_.add(replica_.config(), s.message);
    send(ctx, s.to, s.message);
    if (status_lie_view_ != replica_.view() && ctx.tape.pick(8) == 0) {
      status_lie_view_ = replica_.view();
      send(ctx, s.to, pbft::Status{replica_.view(), 0, 0, id_});
    }
    const pbft::Config& c = replica_.config();
    if (auto* pp = std::get_if<pbft::PrePrepare>(&s.message); pp && ctx.tape.pick(2))
      return send(ctx, s.to, pbft::Prepare{pp->view, pp->seq, pp->digest, id_});
    if (auto* p = std::get_if<pbft::Prepare>(&s.message); p && ctx.tape.pick(2)) {
      pbft::PrePrepare own{p->view, p->seq, pbft::kNullDigest, {}, id_};
      for (const auto& r : ctx.known_requests)
        if (pbft::digest_of(r) == p->digest && ctx.tape.pick(2)) {
          own.request = r;
          own.digest = p->digest;
          break;
        }
      return send(ctx, s.to, own);
    }
    if (auto* vcp = std::get_if<pbft::ViewChangePtr>(&s.message); vcp && *vcp && ctx.tape.pick(2)) {
      const pbft::View v = (*vcp)->new_view;
      if (c.primary(v) == id_) return;
      if (auto nv = new_view_from(c, v, log_.for_view(v, 0), id_))
        send(ctx, s.to, std::make_shared<const pbft::NewView>(std::move(*nv)));
    }
  }

 private:
  ViewChangeLog log_;
  std::optional<pbft::View> status_lie_view_;
};

}  // namespace

std::unique_ptr<Strategy> make_power_strategy(StrategyKind kind, const pbft::Config& c, ReplicaId id) {
  switch (kind) {
    case StrategyKind::replay: return std::make_unique<Replay>(c, id);
    case StrategyKind::repropose: return std::make_unique<Repropose>(c, id);
    case StrategyKind::forge_state: return std::make_unique<ForgeState>(c, id);
    case StrategyKind::choose_newview: return std::make_unique<ChooseNewView>(c, id);
    case StrategyKind::wrong_role: return std::make_unique<WrongRole>(c, id);
    default: return nullptr;
  }
}

}  // namespace model
