#pragma once
// The building blocks of the Byzantine strategies (model/strategies*.cpp):
// Wrapped drives an honest Replica copy, so the faulty replica's view, log
// and timers stay plausible, and rewrites what that copy sends.
#include <algorithm>
#include <cassert>
#include <typeinfo>

#include "model/strategy.h"

namespace model::strategies {

using pbft::Destination;
using pbft::Message;
using pbft::ReplicaId;

// restart_from for a final strategy class: plain copy assignment.
template <class Self>
inline void restart(Self& self, const Strategy& initial) {
  assert(typeid(initial) == typeid(Self));
  self = static_cast<const Self&>(initial);
}

class Wrapped : public Strategy {
 public:
  Wrapped(const pbft::Config& c, ReplicaId id) : replica_(c, id), id_(id) {}

  void on_message(ReplicaId from, const Message& m, StrategyContext& ctx) override {
    learn(m, ctx);
    observe(from, m, ctx);
    fx_.clear();
    replica_.on_message(from, m, fx_);
    emit(ctx);
  }
  void on_client_request(pbft::ClientId c, const pbft::Request& r, StrategyContext& ctx) override {
    learn(r, ctx);
    fx_.clear();
    replica_.on_client_request(c, r, fx_);
    emit(ctx);
  }
  void on_timer(std::uint64_t token, StrategyContext& ctx) override {
    fx_.clear();
    replica_.on_timer(token, fx_);
    emit(ctx);
  }

 protected:
  // Default: behave honestly.
  virtual void rewrite(const pbft::Send& s, StrategyContext& ctx) { send(ctx, s.to, s.message); }
  virtual void after(StrategyContext&) {}
  // Sees every message delivered to the faulty replica, before its copy does.
  virtual void observe(ReplicaId, const Message&, StrategyContext&) {}

  void send(StrategyContext& ctx, Destination to, Message m, ReplicaId as) {
    ctx.out.push_back({as, to, std::move(m)});
  }
  void send(StrategyContext& ctx, Destination to, Message m) { send(ctx, to, std::move(m), id_); }
  // Sends a per-destination message to every replica but this one.
  template <class Make>
  void send_each(StrategyContext& ctx, Make make) {
    for (ReplicaId r = 0; r < replica_.config().n; ++r)
      if (r != id_) send(ctx, Destination::replica(r), make(r));
  }
  void emit(StrategyContext& ctx) {
    for (const auto& s : fx_.sends) rewrite(s, ctx);
    for (const auto& t : fx_.timers) ctx.timers.push_back(t);
    after(ctx);
  }
  static void learn(const Message& m, StrategyContext& ctx) {
    const pbft::Request* r = std::get_if<pbft::Request>(&m);
    if (auto* pp = std::get_if<pbft::PrePrepare>(&m); pp && !pp->is_null()) r = &pp->request;
    if (!r) return;
    auto& known = ctx.known_requests;
    if (std::find(known.begin(), known.end(), *r) != known.end()) return;
    if (known.size() >= 64) known.erase(known.begin());
    known.push_back(*r);
  }

  pbft::Replica replica_;
  pbft::Effects fx_;
  ReplicaId id_;
};

// Another digest for the same slot: the null request (any primary may sign
// one), or a known request when the original was null.
inline pbft::Digest other_digest(pbft::Digest d, const StrategyContext& ctx) {
  if (d != pbft::kNullDigest) return pbft::kNullDigest;
  return ctx.known_requests.empty() ? pbft::kNullDigest + 1 : pbft::digest_of(ctx.known_requests.back());
}

template <class Vote>
Vote with_digest(Vote v, pbft::Digest d) {
  v.digest = d;
  return v;
}

}  // namespace model::strategies
