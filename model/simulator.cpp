#include "model/simulator.h"
#include "model/replica_boundary.h"
#include "model/scenario_limits.h"
#include "plugin/node_json.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

namespace model {

using pbft::Destination;
using pbft::Message;
using pbft::ReplicaId;

namespace {
bool is_timer(const auto& item) {
  using K = std::decay_t<decltype(item.kind)>;
  return item.kind == K::replica_timer || item.kind == K::client_timer || item.kind == K::client_release;
}
}  // namespace

// The simulator reaches honest replicas only through the replica boundary.
static_assert(ReplicaUnderTest<pbft::Replica>);
static_assert(ReplicaUnderTest<PluginReplica>);
static_assert(ReplicaUnderTest<NodeReplica>);

namespace {
std::vector<bool> honest_mask(const Scenario& s) {
  std::vector<bool> honest(s.config.n, true);
  for (const auto& f : s.faults) honest[f.replica] = false;
  return honest;
}
}  // namespace

Simulator::Simulator(const Scenario& s)
    : scenario_(s),
      fresh_replicas_(s.config.n),
      fresh_checkers_(scenario_),
      fresh_faulty_(s.config.n),
      faulty_(s.config.n),
      checkers_(scenario_),
      boundary_(honest_mask(s), s.auth),
      replica_timer_(s.config.n, 0),
      network_(make_network(scenario_)),
      judging_liveness_(s.check_liveness && s.network.mode == NetworkMode::timed) {
#ifndef NDEBUG
  validate(s);  // the caller's promise (scenarios are checked where read or drawn); throws if broken
#endif
  coalition_ = Coalition::of(scenario_);
  for (ReplicaId r = 0; r < s.config.n; ++r) {
    if (s.is_faulty(r)) continue;
    fresh_replicas_[r].emplace(make_honest_replica(s.replica, s.config, r));
  }
  honest_ = fresh_replicas_;
  for (const auto& f : s.faults) {
    fresh_faulty_[f.replica] = make_strategy(f.strategy, s.config, f.replica);
    faulty_[f.replica] = make_strategy(f.strategy, s.config, f.replica);
  }
  fresh_clients_.reserve(s.workload.clients);
  for (pbft::ClientId c = 0; c < s.workload.clients; ++c)
    fresh_clients_.emplace_back(c, s.config.n, s.config.f, s.workload.requests_per_client);
  // Room for a round of broadcasts up front: growth reallocations showed up
  // as a fifth of a short run's cost.
  const std::size_t room = std::size_t{4} * s.config.n * s.config.n;
  slab_.reserve(room);
  free_.reserve(room);
  effects_.sends.reserve(8);
  effects_.events.reserve(8);
}

Simulator::~Simulator() = default;

void Simulator::record(TraceEvent e) {
  if (!tracing()) return;
  e.time_us = now_us_;
  e.step = stats_.steps;
  hash_ = hash_event(hash_, e);
  if (sink_) sink_->on_event(e);
}

void Simulator::schedule(Item item, std::uint64_t delay_us) {
  item.time = now_us_ + delay_us;
  item.order = order_++;
  if (item.carries_message()) ++sent_[item.message].holders;
  const std::uint32_t index = store(item);
  if (steering_) {
    if (names_.size() <= index) names_.resize(slab_.size());
    names_[index] = name_of(item);
  }
  network_->push({.time = item.time, .order = item.order, .index = index, .timer = is_timer(item)});
}

std::uint64_t Simulator::name_of(const Item& item) const {
  // Not the timer token or the send order: a name must survive deleting
  // other deliveries, which renumbers both.
  TraceEvent e = item.carries_message() ? sent_[item.message].summary : TraceEvent{};
  e.from = item.from;
  e.to = item.to;
  return pbft::mix64(hash_event(static_cast<std::uint64_t>(item.kind) + 1, e));
}

void Simulator::follow(const std::vector<std::uint64_t>* script, Schedule* log) {
  if (scenario_.network.mode != NetworkMode::async) return;
  if (!script && !log) {
    steering_.reset();
    network_->steer(nullptr);
    return;
  }
  if (!steering_) steering_.emplace([this](std::uint32_t index) { return names_[index]; });
  steering_->follow(script, log);
  network_->steer(&*steering_);
}

void Simulator::transmit(std::uint32_t from, std::uint32_t to, std::uint32_t message, bool resend) {
  if (!resend) ++stats_.sent;
  const auto& net = scenario_.network;
  const Endpoint dest = Endpoint::unpack(to);
  const Item item{.from = from, .to = dest.id, .message = message,
                  .kind = dest.is_client() ? Item::Kind::to_client : Item::Kind::to_replica};
  const auto trace = [&](EventType type, std::uint64_t extra) {
    TraceEvent e = sent_[message].summary;
    e.type = type;
    e.from = from;
    e.to = to;
    e.extra = extra;
    e.time_us = now_us_;  // record() sets these too; a send goes to the sink directly
    e.step = stats_.steps;
    return e;
  };
  const Transmission t = network_->transmit(from, to, now_us_, *tape_);
  if (t.dropped) {
    ++stats_.dropped;
    record(trace(EventType::drop, net.retransmit));
    if (net.retransmit)  // the link tries again later (`to` keeps the client offset)
      schedule(Item{.from = from, .to = to, .message = message, .kind = Item::Kind::resend}, net.retransmit_after_us);
    return;
  }
  // Sends are not part of the run's hash: the deliveries that follow are.
  if (sink_) sink_->on_event(trace(EventType::send, t.delay_us));
  if (t.duplicate_delay_us) {
    ++stats_.duplicated;
    schedule(item, *t.duplicate_delay_us);
  }
  schedule(item, t.delay_us);
}

std::uint32_t Simulator::keep(Message&& m) {
  std::uint32_t index = 0;
  if (free_sent_.empty()) {
    index = static_cast<std::uint32_t>(sent_.size());
    sent_.emplace_back();
  } else {
    index = free_sent_.back();
    free_sent_.pop_back();
  }
  Sent& slot = sent_[index];
  if (tracing() || steering_) slot.summary = summarize(m);  // steering names items by it
  slot.message = std::move(m);
  if (index < encoded_.size()) encoded_[index].clear();  // plug-ins only: the slot holds a new message
  slot.holders = 1;  // the sender's, until it releases the message
  return index;
}

std::span<const std::uint8_t> Simulator::encoded(std::uint32_t message) {
  if (encoded_.size() < sent_.size()) encoded_.resize(sent_.size());
  wire::Bytes& bytes = encoded_[message];
  if (bytes.empty()) {
    if (scenario_.replica.node) {
      const std::string body = node_json::to_json(sent_[message].message).dump();
      bytes.assign(body.begin(), body.end());
    } else {
      wire::encode(sent_[message].message, bytes);
    }
  }
  return bytes;
}

void Simulator::release(std::uint32_t message) {
  // Only the index goes back: the message is overwritten when the slot is
  // reused, and destroyed with the rest at the next reset.
  if (--sent_[message].holders == 0) free_sent_.push_back(message);
}

void Simulator::send(std::uint32_t from, Destination to, Message&& m, bool honest) {
  if (honest) {
    boundary_.record_honest(m);
    checkers_.on_honest_send(from, m);
  }
  // The sender holds the message while transmitting, so a send whose copies
  // all vanish (dropped for good, or no valid recipient) still frees its slot.
  const std::uint32_t message = keep(std::move(m));
  switch (to.kind) {
    case Destination::Kind::replica:
      if (to.id < scenario_.config.n && to.id != from) transmit(from, to.id, message);
      break;
    case Destination::Kind::all_replicas:
      for (ReplicaId r = 0; r < scenario_.config.n; ++r)
        if (r != from) transmit(from, r, message);
      break;
    case Destination::Kind::client:
      if (to.id < clients_.size()) transmit(from, Endpoint::client(to.id).packed(), message);
      break;
  }
  release(message);
}

void Simulator::set_replica_timer(ReplicaId r, const pbft::TimerOp& op) {
  if (!op.set) {
    if (replica_timer_[r] == op.token) replica_timer_[r] = 0;
    return;
  }
  replica_timer_[r] = op.token;
  forget_timer(Item::Kind::replica_timer, r);
  schedule(Item{.token = op.token, .to = r, .kind = Item::Kind::replica_timer}, op.delay_us);
}

std::uint32_t Simulator::store(const Item& item) {
  if (free_.empty()) {
    slab_.push_back(item);
    return static_cast<std::uint32_t>(slab_.size() - 1);
  }
  const std::uint32_t index = free_.back();
  free_.pop_back();
  slab_[index] = item;
  return index;
}

Simulator::Item Simulator::take(std::uint32_t index) {
  free_.push_back(index);
  return slab_[index];
}

void Simulator::forget_timer(Item::Kind kind, std::uint32_t to) {
  network_->forget_timers([&](std::uint32_t i) { return slab_[i].kind == kind && slab_[i].to == to; },
                          [&](std::uint32_t i) { take(i); });
}

template <class Input>
void Simulator::activate(ReplicaId r, Input input) {
  if (honest_[r]) {
    effects_.clear();
    give_input(*honest_[r], now_us_, [&](auto& replica) { input(replica, effects_); });
    apply_honest(r);
  } else {
    StrategyContext ctx{*tape_, scenario_, coalition_, outgoing_, strategy_timers_, known_requests_};
    input(*faulty_[r], ctx);
    apply_faulty(r);
  }
}

void Simulator::apply_honest(ReplicaId r) {
  for (auto& s : effects_.sends) send(r, s.to, std::move(s.message), true);
  for (const auto& t : effects_.timers) {
    if (t.set) checkers_.on_honest_timer(r, now_us_, t.delay_us);
    set_replica_timer(r, t);
  }
  // A state transfer comes before the executions it enables.
  for (const auto& ev : effects_.events)
    if (ev.kind == pbft::EventKind::state_installed && effects_.installed_state)
      checkers_.on_state_installed(r, ev.seq, *effects_.installed_state);
  for (const auto& e : effects_.executions) {
    checkers_.on_execute(r, e);
    record({.type = EventType::execute, .from = r, .view = e.view, .seq = e.seq, .digest = e.digest,
            .extra = e.applied});
  }
  for (const auto& ev : effects_.events) {
    switch (ev.kind) {
      case pbft::EventKind::prepared: ++coverage_.prepared; break;
      case pbft::EventKind::committed:
        ++coverage_.committed;
        checkers_.on_commit(r, ev.view, ev.seq, ev.digest);
        record({.type = EventType::commit, .from = r, .view = ev.view, .seq = ev.seq, .digest = ev.digest});
        break;
      case pbft::EventKind::checkpoint_stable:
        ++coverage_.checkpoints_stable;
        checkers_.on_stable(r, ev.seq);
        record({.type = EventType::checkpoint, .from = r, .seq = ev.seq, .digest = ev.digest});
        break;
      case pbft::EventKind::view_change_start:
        ++coverage_.view_changes_started;
        record({.type = EventType::view_change, .from = r, .view = ev.view});
        break;
      case pbft::EventKind::new_view_entered:
        ++coverage_.new_views;
        ++stats_.view_changes;
        stats_.max_view = std::max(stats_.max_view, ev.view);
        record({.type = EventType::new_view, .from = r, .view = ev.view});
        break;
      case pbft::EventKind::cert_carried: ++coverage_.certs_carried; break;
      case pbft::EventKind::state_installed:
        ++coverage_.states_installed;
        record({.type = EventType::state, .from = r, .seq = ev.seq, .digest = ev.digest});
        break;
      case pbft::EventKind::rejected: ++coverage_.rejections; break;
    }
  }
}

void Simulator::apply_faulty(ReplicaId r) {
  for (auto& o : outgoing_) {
    if (!boundary_.admits(r, o.as, o.message)) {
      ++stats_.blocked_forgeries;
      continue;
    }
    send(o.as, o.to, std::move(o.message), false);
  }
  outgoing_.clear();
  for (const auto& t : strategy_timers_) set_replica_timer(r, t);
  strategy_timers_.clear();
}

void Simulator::client_send(pbft::ClientId c, bool broadcast) {
  const auto& req = clients_[c].current();
  if (!req) return;
  const std::uint32_t from = Endpoint::client(c).packed();
  const std::uint32_t message = keep(Message{*req});
  if (broadcast) {
    for (ReplicaId r = 0; r < scenario_.config.n; ++r) transmit(from, r, message);
  } else {
    transmit(from, scenario_.config.primary(clients_[c].believed_view()), message);
  }
  release(message);
  forget_timer(Item::Kind::client_timer, c);
  schedule(Item{.token = clients_[c].arm_timer(), .to = c, .kind = Item::Kind::client_timer},
           scenario_.workload.client_timeout_us);
}

void Simulator::submit_next(pbft::ClientId c) {
  auto req = clients_[c].next();
  if (!req) return;
  clients_[c].submitted_at_us = now_us_;
  boundary_.record_submitted(c, req->timestamp);
  checkers_.on_submit(c, req->timestamp, now_us_);
  record({.type = EventType::submit, .from = Endpoint::client(c).packed(), .digest = pbft::digest_of(*req),
          .extra = req->timestamp});
  client_send(c, false);
}

void Simulator::deliver(const Item& item) {
  // A message is read only before the replica's effects are applied: new
  // sends may grow sent_ and move it.
  switch (item.kind) {
    case Item::Kind::to_replica: {
      ++stats_.delivered;
      const Message& message = sent_[item.message].message;
      if (tracing()) {
        TraceEvent e = sent_[item.message].summary;
        e.type = EventType::deliver;
        e.from = item.from;
        e.to = item.to;
        record(e);
      }
      const Endpoint sender = Endpoint::unpack(item.from);
      if (!sender.is_client()) {
        activate(item.to, [&](auto& node, auto& sink) {
          using Node = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<Node, PluginReplica>) {
            node.on_message(sender.id, encoded(item.message), sink);  // encoded once for all its recipients
          } else if constexpr (std::is_same_v<Node, NodeReplica>) {
            const auto text = encoded(item.message);
            node.on_message(sender.id, std::string_view(reinterpret_cast<const char*>(text.data()), text.size()), sink);
          } else {
            node.on_message(sender.id, message, sink);
          }
        });
      } else if (auto* req = std::get_if<pbft::Request>(&message)) {
        const pbft::ClientId c = sender.id;
        activate(item.to, [&](auto& node, auto& sink) { node.on_client_request(c, *req, sink); });
      }
      break;
    }
    case Item::Kind::to_client: {
      ++stats_.delivered;
      const auto* reply = std::get_if<pbft::Reply>(&sent_[item.message].message);
      if (!reply || item.from >= scenario_.config.n) break;
      Client& client = clients_[item.to];
      const auto accepted = client.on_reply(item.from, *reply);
      if (!accepted) break;
      ++stats_.accepted;
      if (scenario_.network.mode == NetworkMode::timed) stats_.latencies_us.push_back(now_us_ - client.submitted_at_us);
      record({.type = EventType::accept, .from = Endpoint::client(item.to).packed(), .digest = *accepted,
              .extra = reply->timestamp});
      checkers_.on_client_accept(item.to, reply->timestamp, *accepted);
      // `reply` points into sent_, which the sends below may move: not read after this.
      if (client.done()) {
        ++clients_done_;
      } else if (scenario_.workload.closed_loop) {
        submit_next(item.to);
      } else {
        // Open loop: the next request is released on its own schedule.
        const std::uint64_t release = client.accepted() * scenario_.workload.open_loop_interval_us;
        schedule(Item{.to = item.to, .kind = Item::Kind::client_release}, release > now_us_ ? release - now_us_ : 0);
      }
      break;
    }
    case Item::Kind::replica_timer: {
      const ReplicaId r = item.to;
      if (replica_timer_[r] != item.token) break;  // cancelled or superseded
      replica_timer_[r] = 0;
      ++stats_.timers_fired;
      record({.type = EventType::timer, .to = r, .extra = item.token});
      activate(r, [&](auto& node, auto& sink) { node.on_timer(item.token, sink); });
      break;
    }
    case Item::Kind::client_timer: {
      Client& client = clients_[item.to];
      if (client.timer_token() != item.token || !client.outstanding()) break;
      ++stats_.timers_fired;
      record({.type = EventType::timer, .to = Endpoint::client(item.to).packed(), .extra = item.token});
      client_send(item.to, true);  // retransmit to every replica (§4.1)
      break;
    }
    case Item::Kind::client_release: submit_next(item.to); break;
    case Item::Kind::resend: transmit(item.from, item.to, item.message, true); break;
  }
}

void Simulator::reset(Tape& tape, TraceSink* sink) {
  tape_ = &tape;
  sink_ = sink;
  now_us_ = order_ = hash_ = 0;
  for (ReplicaId r = 0; r < scenario_.config.n; ++r)
    if (fresh_replicas_[r]) *honest_[r] = *fresh_replicas_[r];
  for (const auto& f : scenario_.faults) faulty_[f.replica]->restart_from(*fresh_faulty_[f.replica]);
  clients_ = fresh_clients_;
  clients_done_ = 0;
  checkers_ = fresh_checkers_;
  boundary_.reset();
  coalition_.restart();
  known_requests_.clear();
  outgoing_.clear();
  strategy_timers_.clear();
  std::fill(replica_timer_.begin(), replica_timer_.end(), 0);
  network_->clear();
  if (steering_) steering_->restart();
  slab_.clear();
  free_.clear();
  sent_.clear();
  free_sent_.clear();
  stats_ = {};
  coverage_ = {};
}

void Simulator::start() {
  for (pbft::ClientId c = 0; c < clients_.size(); ++c) submit_next(c);
}

bool Simulator::finished() const {
  return scenario_.stop_when_done && clients_done_ == clients_.size() && checkers_.all_executed();
}

bool Simulator::step() {
  const auto next = network_->next(*tape_, stats_.steps);
  if (!next) return false;
  const Item item = take(next->index);
  now_us_ = next->now_us;
  // Liveness is judged as the clock passes each deadline, before the item
  // of the later time: a request accepted late broke the bound too, and the
  // story of one never accepted ends at its deadline, not at the horizon.
  if (judging_liveness_) checkers_.check_liveness(now_us_, false);
  if (!checkers_.failed()) deliver(item);
  if (item.carries_message()) release(item.message);
  return true;
}

RunResult Simulator::run(Tape& tape, TraceSink* sink) {
  reset(tape, sink);
  start();
  bool reached_horizon = false, cut_short = false, abandoned = false;
  const bool timed = scenario_.network.mode == NetworkMode::timed;
  while (!checkers_.failed()) {
    if (delivery_limit_ > 0 && stats_.delivered >= delivery_limit_) {
      cut_short = true;
      break;
    }
    if (abandon_ && (stats_.steps & 255) == 0 && abandon_->load(std::memory_order_relaxed)) {
      abandoned = true;
      cut_short = true;
      break;
    }
    if (!step()) {
      // The network's step budget (async: max_steps; timed: the ceiling)
      // with work still in flight: counted past the budget, never taken.
      if (stats_.steps > (timed ? kTimedStepCeiling : scenario_.network.max_steps)) {
        stats_.stopped_by_steps = true;
        cut_short = timed;  // the horizon was not reached: no end-of-run liveness verdict
        break;
      }
      // A request whose deadline lies past the horizon: run on until it has
      // passed, so that every submitted request is judged (none undecided).
      if (!network_->idle() && network_->extend_horizon(checkers_.last_deadline_us())) continue;
      reached_horizon = true;
      break;
    }
    if (clients_done_ == clients_.size() && finished()) break;
  }
  stats_.end_time_us = now_us_;
  if (timed && !cut_short) {
    // Nothing happens before the horizon once the run has reached it, and
    // nothing ever again when nothing is in flight.
    const std::uint64_t judged_at =
        reached_horizon ? std::max({now_us_, network_->horizon_us(), network_->idle() ? checkers_.last_deadline_us() : 0})
                        : now_us_;
    checkers_.check_liveness(judged_at, true);
  }
  RunResult result;
  result.violation = checkers_.violation();
  if (result.violation) {
    record({.type = EventType::violation, .from = result.violation->replica, .view = result.violation->view,
            .seq = result.violation->seq, .extra = static_cast<std::uint64_t>(result.violation->kind)});
  }
  result.all_executed = checkers_.all_executed();
  result.abandoned = abandoned;
  result.stats = std::move(stats_);
  result.coverage = coverage_;
  result.event_hash = hashing_ ? hash_ : 0;
  // Node processes go back to their pool between runs (model/node_replica.h).
  if (scenario_.replica.node)
    for (auto& r : honest_)
      if (r) std::get<NodeReplica>(*r).release();
  return result;
}

RunResult run_scenario(const Scenario& s, Tape& tape, TraceSink* sink) {
  Simulator sim(s);
  return sim.run(tape, sink);
}

}  // namespace model
