#pragma once
// A tiny hand-driven harness for the unit tests: n Replica values, a FIFO of
// in-flight (from, to, message) sends expanded from Effects, each replica's
// armed timer, and logs of what every replica executed and reported. Nothing
// happens unless a test asks for it: deliver, drop, fire a timer, submit.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "pbft/replica.h"

namespace pbft::test {

struct InFlight {
  ReplicaId from;
  ReplicaId to;
  Message message;
};
using MessagePred = std::function<bool(const InFlight&)>;

struct ClientReply {
  ReplicaId from;
  Reply reply;
};

// Small windows so checkpoints and watermarks come into play after a few requests.
inline Config test_config(std::uint32_t n = 4, std::uint32_t k = 2, std::uint32_t window = 4,
                          Mutation mutation = Mutation::none) {
  Config c = make_config(n);
  c.checkpoint_interval = k;
  c.watermark_window = window;
  c.max_clients = 8;
  c.mutation = mutation;
  return c;
}

inline Request request(ClientId client, Timestamp ts, std::uint64_t op = 0) {
  return Request{.client = client, .timestamp = ts, .operation = op == 0 ? 1000 + ts : op};
}

// Predicates over in-flight messages.
inline MessagePred of_kind(MessageKind k) {
  return [k](const InFlight& m) { return kind_of(m.message) == k; };
}
inline MessagePred from_replica(ReplicaId r) {
  return [r](const InFlight& m) { return m.from == r; };
}
inline MessagePred to_replica(ReplicaId r) {
  return [r](const InFlight& m) { return m.to == r; };
}
inline MessagePred touching(ReplicaId r) {
  return [r](const InFlight& m) { return m.from == r || m.to == r; };
}
inline MessagePred operator!(MessagePred p) {
  return [p = std::move(p)](const InFlight& m) { return !p(m); };
}
inline MessagePred operator&&(MessagePred a, MessagePred b) {
  return [a = std::move(a), b = std::move(b)](const InFlight& m) { return a(m) && b(m); };
}
inline MessagePred operator||(MessagePred a, MessagePred b) {
  return [a = std::move(a), b = std::move(b)](const InFlight& m) { return a(m) || b(m); };
}

class Cluster {
 public:
  explicit Cluster(Config config) : config_(config) {
    for (ReplicaId r = 0; r < config.n; ++r) replicas_.emplace_back(config, r);
    executions_.resize(config.n);
    events_.resize(config.n);
    timer_ops_.resize(config.n);
    armed_.resize(config.n);
  }

  std::uint32_t size() const { return config_.n; }
  const Config& config() const { return config_; }
  Replica& replica(ReplicaId r) { return replicas_.at(r); }
  const Replica& replica(ReplicaId r) const { return replicas_.at(r); }

  // --- inputs -------------------------------------------------------------
  // A client sends r to one replica / to every replica.
  Effects submit(ReplicaId to, const Request& r) {
    Effects e;
    replicas_.at(to).on_client_request(r.client, r, e);
    apply(to, e);
    return e;
  }
  void submit_all(const Request& r) {
    for (ReplicaId i = 0; i < size(); ++i) submit(i, r);
  }
  // Delivers m to `to` now, as if `from` sent it (bypasses the queue and the
  // drop rules). Returns what the replica did.
  Effects inject(ReplicaId from, ReplicaId to, const Message& m) {
    Effects e;
    replicas_.at(to).on_message(from, m, e);
    apply(to, e);
    return e;
  }
  // Fires r's armed timer; false when none is armed.
  bool fire_timer(ReplicaId r) {
    if (!armed_.at(r)) return false;
    const std::uint64_t token = armed_[r]->token;
    armed_[r].reset();
    Effects e;
    replicas_[r].on_timer(token, e);
    apply(r, e);
    return true;
  }

  // --- network --------------------------------------------------------------
  // Delivers in-flight messages in FIFO order until none is left.
  std::size_t deliver_all(std::size_t max_steps = 1'000'000) {
    return deliver_if([](const InFlight&) { return true; }, max_steps);
  }
  // Delivers the oldest in-flight message; false when none is left.
  bool deliver_one() {
    if (queue_.empty()) return false;
    InFlight m = std::move(queue_.front());
    queue_.pop_front();
    Effects e;
    replicas_.at(m.to).on_message(m.from, m.message, e);
    apply(m.to, e);
    return true;
  }
  // Delivers, in FIFO order, the in-flight messages matching p (including the
  // ones that deliveries produce) until none matches; the rest stay queued.
  std::size_t deliver_if(const MessagePred& p, std::size_t max_steps = 1'000'000) {
    std::size_t delivered = 0;
    for (;;) {
      auto it = std::find_if(queue_.begin(), queue_.end(), p);
      if (it == queue_.end()) return delivered;
      InFlight m = std::move(*it);
      queue_.erase(it);
      Effects e;
      replicas_.at(m.to).on_message(m.from, m.message, e);
      apply(m.to, e);
      if (++delivered >= max_steps) {
        ADD_FAILURE() << "deliver_if: no quiescence after " << max_steps << " deliveries";
        return delivered;
      }
    }
  }
  // Removes the in-flight messages matching p; returns how many.
  std::size_t drop_if(const MessagePred& p) {
    const std::size_t before = queue_.size();
    std::erase_if(queue_, p);
    return before - queue_.size();
  }
  // From now on, sends matching p are dropped as they are sent.
  void drop_forever(MessagePred p) { rules_.push_back(std::move(p)); }
  void clear_drop_rules() { rules_.clear(); }
  // r is cut off: everything in flight from or to it is dropped, now and later.
  void isolate(ReplicaId r) {
    drop_if(touching(r));
    drop_forever(touching(r));
  }
  const std::deque<InFlight>& in_flight() const { return queue_; }
  std::size_t count_in_flight(const MessagePred& p) const {
    return static_cast<std::size_t>(std::count_if(queue_.begin(), queue_.end(), p));
  }

  // --- observations -------------------------------------------------------
  const std::vector<Execution>& executions(ReplicaId r) const { return executions_.at(r); }
  const std::vector<Event>& events(ReplicaId r) const { return events_.at(r); }
  const std::vector<TimerOp>& timer_ops(ReplicaId r) const { return timer_ops_.at(r); }
  const std::optional<TimerOp>& armed_timer(ReplicaId r) const { return armed_.at(r); }
  const std::vector<ClientReply>& replies(ClientId c) { return replies_[c]; }

  std::vector<Event> events_of(ReplicaId r, EventKind k) const {
    std::vector<Event> out;
    for (const Event& e : events_.at(r))
      if (e.kind == k) out.push_back(e);
    return out;
  }
  std::size_t count_events(ReplicaId r, EventKind k) const { return events_of(r, k).size(); }
  std::size_t count_rejections(ReplicaId r, Rejection why) const {
    std::size_t n = 0;
    for (const Event& e : events_of(r, EventKind::rejected)) n += e.detail == why;
    return n;
  }
  // The largest number of distinct replicas that sent client c the same
  // result for timestamp ts.
  std::size_t matching_replies(ClientId c, Timestamp ts) {
    std::map<std::uint64_t, std::uint64_t> voters;  // result -> bitmask of replicas
    for (const ClientReply& r : replies_[c])
      if (r.reply.timestamp == ts) voters[r.reply.result] |= std::uint64_t{1} << r.from;
    std::size_t best = 0;
    for (const auto& [result, mask] : voters)
      best = std::max<std::size_t>(best, static_cast<std::size_t>(std::popcount(mask)));
    return best;
  }

 private:
  void apply(ReplicaId r, const Effects& e) {
    for (const Send& s : e.sends) {
      switch (s.to.kind) {
        case Destination::Kind::replica: enqueue({r, s.to.id, s.message}); break;
        case Destination::Kind::all_replicas:
          for (ReplicaId to = 0; to < size(); ++to)
            if (to != r) enqueue({r, to, s.message});
          break;
        case Destination::Kind::client:
          if (const Reply* reply = std::get_if<Reply>(&s.message))
            replies_[s.to.id].push_back({r, *reply});
          else ADD_FAILURE() << "replica " << r << " sent a non-reply to client " << s.to.id;
          break;
      }
    }
    for (const TimerOp& t : e.timers) {
      timer_ops_[r].push_back(t);
      if (t.set) armed_[r] = t;
      else if (armed_[r] && armed_[r]->token == t.token) armed_[r].reset();
    }
    executions_[r].insert(executions_[r].end(), e.executions.begin(), e.executions.end());
    events_[r].insert(events_[r].end(), e.events.begin(), e.events.end());
  }
  void enqueue(InFlight m) {
    for (const auto& rule : rules_)
      if (rule(m)) return;
    queue_.push_back(std::move(m));
  }

  Config config_;
  std::vector<Replica> replicas_;
  std::deque<InFlight> queue_;
  std::vector<MessagePred> rules_;
  std::vector<std::vector<Execution>> executions_;
  std::vector<std::vector<Event>> events_;
  std::vector<std::vector<TimerOp>> timer_ops_;
  std::vector<std::optional<TimerOp>> armed_;
  std::map<ClientId, std::vector<ClientReply>> replies_;
};

}  // namespace pbft::test
