// The Byzantine strategies. Each drives an honest Replica copy (its view,
// log and timers stay plausible) and rewrites what that copy sends.
#include "model/strategy_powers.h"
#include "model/wrapped_strategy.h"

namespace model {

using pbft::Destination;
using pbft::Message;
using pbft::ReplicaId;

namespace {

using namespace strategies;

class Silent final : public Strategy {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  void on_message(ReplicaId, const Message&, StrategyContext&) override {}
  void on_client_request(pbft::ClientId, const pbft::Request&, StrategyContext&) override {}
  void on_timer(std::uint64_t, StrategyContext&) override {}
};

// Primary: conflicting pre-prepares to two halves of the replicas.
// Backup: votes for both the real digest and another one.
class Equivocate final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    if (auto* pp = std::get_if<pbft::PrePrepare>(&s.message); pp && ctx.tape.pick(2)) {
      pbft::PrePrepare other = *pp;
      other.digest = pbft::kNullDigest;
      other.request = {};
      const ReplicaId half = replica_.config().n / 2;
      return send_each(ctx, [&](ReplicaId r) -> Message { return r < half ? *pp : other; });
    }
    send(ctx, s.to, s.message);
    if (auto* p = std::get_if<pbft::Prepare>(&s.message); p && ctx.tape.pick(2))
      send(ctx, s.to, with_digest(*p, other_digest(p->digest, ctx)));
    if (auto* c = std::get_if<pbft::Commit>(&s.message); c && ctx.tape.pick(2))
      send(ctx, s.to, with_digest(*c, other_digest(c->digest, ctx)));
  }
};

// Votes with the real digest to half of the replicas and another to the rest.
class ConflictingVotes final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    const auto split = [&](auto vote) {
      const auto other = with_digest(vote, other_digest(vote.digest, ctx));
      send_each(ctx, [&](ReplicaId r) -> Message { return r % 2 ? Message{vote} : Message{other}; });
    };
    if (auto* p = std::get_if<pbft::Prepare>(&s.message); p && ctx.tape.pick(2)) return split(*p);
    if (auto* c = std::get_if<pbft::Commit>(&s.message); c && ctx.tape.pick(2)) return split(*c);
    send(ctx, s.to, s.message);
  }
};

// Normal-case messages stamped with an older (stale) or newer (future) view.
class WrongView final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  WrongView(const pbft::Config& c, ReplicaId id, bool future) : Wrapped(c, id), future_(future) {}

 protected:
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    Message m = s.message;
    const auto shift = [&](pbft::View& v) {
      if (!ctx.tape.pick(2)) return;
      if (future_) v += 1 + ctx.tape.pick(3);
      else if (v > 0) v -= 1;
    };
    if (auto* pp = std::get_if<pbft::PrePrepare>(&m)) shift(pp->view);
    else if (auto* p = std::get_if<pbft::Prepare>(&m)) shift(p->view);
    else if (auto* c = std::get_if<pbft::Commit>(&m)) shift(c->view);
    send(ctx, s.to, std::move(m));
  }

 private:
  bool future_;
};

// VIEW-CHANGEs that hide prepared certificates or roll the checkpoint back;
// as new primary, NEW-VIEWs whose O does not follow from V.
class ViewChangeTamper final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    if (auto* vcp = std::get_if<pbft::ViewChangePtr>(&s.message); vcp && *vcp) {
      pbft::ViewChange vc = **vcp;
      switch (ctx.tape.pick(4)) {
        case 1: vc.prepared.clear(); break;
        case 2:
          if (!vc.prepared.empty()) {
            auto newest = std::max_element(vc.prepared.begin(), vc.prepared.end(), [](auto& a, auto& b) {
              return a.pre_prepare.view < b.pre_prepare.view;
            });
            vc.prepared.erase(newest);
          }
          break;
        case 3:  // claim the initial checkpoint; keep only certificates that still fit
          vc.stable_seq = 0;
          vc.checkpoint_proof.clear();
          std::erase_if(vc.prepared, [&](auto& c) { return c.pre_prepare.seq > replica_.config().watermark_window; });
          break;
        default: break;
      }
      return send(ctx, s.to, std::make_shared<const pbft::ViewChange>(std::move(vc)));
    }
    if (auto* nvp = std::get_if<pbft::NewViewPtr>(&s.message); nvp && *nvp) {
      pbft::NewView nv = **nvp;
      auto carried = std::find_if(nv.pre_prepares.begin(), nv.pre_prepares.end(),
                                  [](const pbft::PrePrepare& pp) { return !pp.is_null(); });
      switch (ctx.tape.pick(3)) {
        case 1:  // drop an entry of O, or invent one
          if (!nv.pre_prepares.empty()) nv.pre_prepares.pop_back();
          else nv.pre_prepares.push_back({nv.view, 1, pbft::kNullDigest, {}, id_});
          break;
        case 2:  // replace a carried request by the null request
          if (carried == nv.pre_prepares.end()) break;
          carried->digest = pbft::kNullDigest;
          carried->request = {};
          break;
        default: return send(ctx, s.to, s.message);
      }
      return send(ctx, s.to, std::make_shared<const pbft::NewView>(std::move(nv)));
    }
    send(ctx, s.to, s.message);
  }
};

// Colluding replicas split the honest ones into two groups and tell each a
// different story for the same sequence number. With a faulty primary (or
// after forcing a view change to one) this breaks agreement once there are
// f+1 colluders; with auth off, one forger suffices.
class Split final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    auto& co = ctx.coalition;
    if (auto* pp = std::get_if<pbft::PrePrepare>(&s.message)) {
      if (!ctx.tape.pick(2)) return send(ctx, s.to, s.message);
      pbft::PrePrepare b = *pp;
      b.digest = other_digest(pp->digest, ctx);
      b.request = b.digest == pbft::kNullDigest || ctx.known_requests.empty() ? pbft::Request{}
                                                                              : ctx.known_requests.back();
      co.splits[{pp->view, pp->seq}] = {*pp, b};
      return send_each(ctx, [&](ReplicaId r) -> Message { return co.in_group_a[r] || co.member[r] ? *pp : b; });
    }
    const auto* p = std::get_if<pbft::Prepare>(&s.message);
    const auto* c = std::get_if<pbft::Commit>(&s.message);
    if ((p && co.splits.count({p->view, p->seq})) || (c && co.splits.count({c->view, c->seq})))
      return;  // votes on split slots are sent by vote_on_splits
    send(ctx, s.to, s.message);
  }

  void after(StrategyContext& ctx) override {
    auto& co = ctx.coalition;
    const auto& config = replica_.config();
    // No colluder leads this view: push the group to the next view one does.
    if (!co.member[config.primary(replica_.view())] && !replica_.in_view_change()) {
      pbft::View target = replica_.view() + 1;
      while (!co.member[config.primary(target)]) ++target;
      fx_.clear();
      replica_.suspect_primary(target, fx_);
      for (const auto& snd : fx_.sends) send(ctx, snd.to, snd.message);
      for (const auto& t : fx_.timers) ctx.timers.push_back(t);
    }
    vote_on_splits(ctx);
  }

 private:
  void vote_on_splits(StrategyContext& ctx) {
    auto& co = ctx.coalition;
    const auto& config = replica_.config();
    for (const auto& entry : co.splits) {
      const auto& key = entry.first;
      const auto& split = entry.second;
      if (voted_.count(key)) continue;
      voted_.insert(key);
      const auto story = [&](ReplicaId r) { return co.in_group_a[r] || co.member[r] ? split.group_a : split.group_b; };
      for (ReplicaId r = 0; r < config.n; ++r) {
        if (r == id_) continue;
        const pbft::PrePrepare& pp = story(r);
        if (id_ != config.primary(key.first)) send(ctx, Destination::replica(r), pbft::Prepare{pp.view, pp.seq, pp.digest, id_});
        send(ctx, Destination::replica(r), pbft::Commit{pp.view, pp.seq, pp.digest, id_});
        if (co.member[r]) continue;
        // Speak for the honest replicas of the other group too: without
        // authentication under their names; with it, only by writing their
        // ids into the messages' replica field (which a correct replica
        // ignores in favour of the authenticated sender).
        for (ReplicaId h = 0; h < config.n; ++h) {
          if (co.member[h] || h == r || co.in_group_a[h] == co.in_group_a[r]) continue;
          const ReplicaId as = ctx.scenario.auth ? id_ : h;
          if (h != config.primary(key.first)) send(ctx, Destination::replica(r), pbft::Prepare{pp.view, pp.seq, pp.digest, h}, as);
          send(ctx, Destination::replica(r), pbft::Commit{pp.view, pp.seq, pp.digest, h}, as);
        }
      }
    }
  }
  std::set<std::pair<pbft::View, pbft::Seq>> voted_;
};

// Two honest copies under one identity, each seeing part of the traffic.
class Twins final : public Strategy {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  Twins(const pbft::Config& c, ReplicaId id) : copies_{pbft::Replica(c, id), pbft::Replica(c, id)}, id_(id) {}
  void on_message(ReplicaId from, const Message& m, StrategyContext& ctx) override {
    each(ctx, [&](pbft::Replica& r, pbft::Effects& fx) { r.on_message(from, m, fx); });
  }
  void on_client_request(pbft::ClientId c, const pbft::Request& req, StrategyContext& ctx) override {
    each(ctx, [&](pbft::Replica& r, pbft::Effects& fx) { r.on_client_request(c, req, fx); });
  }
  void on_timer(std::uint64_t token, StrategyContext& ctx) override {
    const std::size_t which = token & 1;
    fx_.clear();
    copies_[which].on_timer(token >> 1, fx_);
    emit(which, ctx);
  }

 private:
  template <class F>
  void each(StrategyContext& ctx, F f) {
    const std::uint32_t who = ctx.tape.pick(3);  // 0: both copies see it
    for (std::size_t i = 0; i < 2; ++i) {
      if (who != 0 && who != i + 1) continue;
      fx_.clear();
      f(copies_[i], fx_);
      emit(i, ctx);
    }
  }
  void emit(std::size_t which, StrategyContext& ctx) {
    for (const auto& s : fx_.sends) ctx.out.push_back({id_, s.to, s.message});
    for (auto t : fx_.timers) {
      t.token = (t.token << 1) | which;
      ctx.timers.push_back(t);
    }
  }
  pbft::Replica copies_[2];
  pbft::Effects fx_;
  ReplicaId id_;
};

// Honest, plus tape-driven arbitrary messages.
class RandomMessages final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void after(StrategyContext& ctx) override {
    auto& t = ctx.tape;
    if (!t.pick(4)) return;
    const auto& config = replica_.config();
    const pbft::View view = replica_.view() + t.pick(3) - (replica_.view() > 0 ? 1 : 0);
    const pbft::Seq seq = replica_.stable_seq() + 1 + t.pick(config.watermark_window + 2);
    pbft::Digest digest = pbft::kNullDigest;
    pbft::Request request;
    if (!ctx.known_requests.empty() && t.pick(2)) {
      request = ctx.known_requests[t.pick(static_cast<std::uint32_t>(ctx.known_requests.size()))];
      digest = pbft::digest_of(request);
    }
    Message m;
    switch (t.pick(5)) {
      case 0: m = pbft::PrePrepare{view, seq, digest, request, id_}; break;
      case 1: m = pbft::Prepare{view, seq, digest, id_}; break;
      case 2: m = pbft::Commit{view, seq, digest, id_}; break;
      case 3: m = pbft::Checkpoint{seq - seq % config.checkpoint_interval, digest, id_}; break;
      default:
        m = std::make_shared<const pbft::ViewChange>(pbft::ViewChange{view + 1, 0, {}, {}, id_});
        break;
    }
    const std::uint32_t to = t.pick(config.n + 1);
    send(ctx, to == config.n ? Destination::all() : Destination::replica(to), std::move(m));
  }
};

// The tutorial's faulty replica: as primary, a different (bogus) digest to
// every replica; as backup, silent half the time, otherwise a prepare with
// the true or a fake digest, and never a commit.
class SeedFaulty final : public Wrapped {
 public:
  void restart_from(const Strategy& initial) override { restart(*this, initial); }
  using Wrapped::Wrapped;

 protected:
  void rewrite(const pbft::Send& s, StrategyContext& ctx) override {
    if (auto* pp = std::get_if<pbft::PrePrepare>(&s.message)) {
      return send_each(ctx, [&](ReplicaId r) -> Message { return with_digest(*pp, pp->digest ^ (r + 1)); });
    }
    if (auto* p = std::get_if<pbft::Prepare>(&s.message)) {
      switch (seed_backup_vote(ctx.tape)) {
        case SeedVote::honest: return send(ctx, s.to, s.message);
        case SeedVote::fake: return send(ctx, s.to, with_digest(*p, p->digest ^ 0xfa4eULL));
        case SeedVote::silent: return;
      }
      return;
    }
    if (std::holds_alternative<pbft::Commit>(s.message)) return;
    send(ctx, s.to, s.message);
  }
};

}  // namespace

std::unique_ptr<Strategy> make_strategy(StrategyKind kind, const pbft::Config& c, ReplicaId id) {
  switch (kind) {
    case StrategyKind::silent: return std::make_unique<Silent>();
    case StrategyKind::equivocate: return std::make_unique<Equivocate>(c, id);
    case StrategyKind::conflicting_votes: return std::make_unique<ConflictingVotes>(c, id);
    case StrategyKind::stale_view: return std::make_unique<WrongView>(c, id, false);
    case StrategyKind::future_view: return std::make_unique<WrongView>(c, id, true);
    case StrategyKind::viewchange_tamper: return std::make_unique<ViewChangeTamper>(c, id);
    case StrategyKind::split: return std::make_unique<Split>(c, id);
    case StrategyKind::twins: return std::make_unique<Twins>(c, id);
    case StrategyKind::random: return std::make_unique<RandomMessages>(c, id);
    case StrategyKind::seed: return std::make_unique<SeedFaulty>(c, id);
    case StrategyKind::replay:
    case StrategyKind::repropose:
    case StrategyKind::forge_state:
    case StrategyKind::choose_newview:
    case StrategyKind::wrong_role: return make_power_strategy(kind, c, id);
  }
  return std::make_unique<Silent>();
}

Coalition Coalition::of(const Scenario& s) {
  Coalition c;
  c.member.assign(s.config.n, false);
  c.in_group_a.assign(s.config.n, false);
  for (const auto& f : s.faults)
    if (f.strategy == StrategyKind::split) c.member[f.replica] = true;
  const std::uint32_t honest_count = s.config.n - s.malicious();
  std::uint32_t seen = 0;
  for (pbft::ReplicaId r = 0; r < s.config.n; ++r)
    if (!s.is_faulty(r)) c.in_group_a[r] = seen++ < (honest_count + 1) / 2;
  return c;
}

void Coalition::restart() {
  splits.clear();
  next_seq = 1;
}

}  // namespace model
