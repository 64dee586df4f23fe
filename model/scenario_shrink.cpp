#include "model/scenario_shrink.h"

#include "model/scenario_space.h"

namespace model {

namespace {

class Candidates {
 public:
  explicit Candidates(const Scenario& s) : original_(s) {}

  void add(const Scenario& c) {
    if (c == original_) return;
    try {
      validate(c);
    } catch (const InputError&) {
      return;  // e.g. a fault on a replica the smaller n no longer has
    }
    for (const Scenario& seen : out_)
      if (seen == c) return;
    out_.push_back(c);
  }
  std::vector<Scenario> take() { return std::move(out_); }

 private:
  const Scenario& original_;
  std::vector<Scenario> out_;
};

void add_smaller_workloads(const Scenario& s, Candidates& out) {
  Scenario one = s;
  one.workload.clients = 1;
  one.workload.requests_per_client = 1;
  out.add(one);
  Scenario fewer_clients = s;
  if (fewer_clients.workload.clients > 1) --fewer_clients.workload.clients;
  out.add(fewer_clients);
  Scenario fewer_requests = s;
  if (fewer_requests.workload.requests_per_client > 1) --fewer_requests.workload.requests_per_client;
  out.add(fewer_requests);
}

// A network without the faults it can inject before GST.
void calm_network(NetworkConfig& n) {
  n.drop_probability = 0;
  n.duplicate_probability = 0;
  n.reorder_probability = 0;
  n.partitions.clear();
  n.gst_us = 0;
  n.tail_probability = 0;
  n.retransmit = true;
}

// The protocol's knobs at the swarm's plainest values (the first of each
// table): short timeouts and small windows make long stories of view
// changes and retries.
void plain_interval(Scenario& c) {
  const std::uint32_t factor = c.config.watermark_window / c.config.checkpoint_interval;
  c.config.checkpoint_interval = space::kCheckpointIntervals[0];
  c.config.watermark_window = c.config.checkpoint_interval * factor;
}
void plain_window(Scenario& c) { c.config.watermark_window = c.config.checkpoint_interval * space::kWindowFactors[0]; }
void plain_view_timeout(Scenario& c) { c.config.view_change_timeout_us = space::kViewChangeTimeoutsUs[0]; }
void plain_client_timeout(Scenario& c) { c.workload.client_timeout_us = space::kClientTimeoutsUs[0]; }
void plain_knobs(Scenario& c) {
  plain_interval(c);
  plain_window(c);
  plain_view_timeout(c);
  plain_client_timeout(c);
}

Scenario changed(const Scenario& s, const auto& change) {
  Scenario c = s;
  change(c);
  return c;
}

// The plainest scenario with the same group, faults and workload, in one
// step: a violation that needs neither the network's faults nor the knobs
// need not pass through a longer story on the way there. A safety violation
// in the timed network is tried without time too (async), where the
// schedule minimizer can delete deliveries.
void add_plainest(const Scenario& s, Candidates& out) {
  const Scenario plainest = changed(s, [](Scenario& c) {
    calm_network(c.network);
    plain_knobs(c);
  });
  out.add(plainest);
  // ... and the smallest workload, the faulty replicas the first primaries.
  const Scenario smallest = changed(plainest, [](Scenario& c) {
    c.workload.clients = 1;
    c.workload.requests_per_client = 1;
    for (std::size_t i = 0; i < c.faults.size(); ++i) c.faults[i].replica = static_cast<pbft::ReplicaId>(i);
  });
  out.add(smallest);
  // ... and every faulty replica telling one plain kind of lie: a violation
  // the search met with a rarer strategy (one that needs a lucky schedule)
  // is often a plain lie's too, and fresh schedules find that one quickly.
  for (StrategyKind plain : {StrategyKind::silent, StrategyKind::equivocate, StrategyKind::conflicting_votes})
    out.add(changed(smallest, [plain](Scenario& c) {
      for (Fault& f : c.faults) f.strategy = plain;
    }));
  if (s.network.mode == NetworkMode::timed && !s.check_liveness) {
    out.add(changed(plainest, [](Scenario& c) { c.network.mode = NetworkMode::async; }));
    // ... and without time but with the knobs as they were: a bug that
    // needs a small window (reply-cache-stale's checkpoint at every request)
    // loses it among the plain knobs, and from the hostile default it then
    // stayed a 163-delivery timed story.
    out.add(changed(s, [](Scenario& c) {
      calm_network(c.network);
      c.network.mode = NetworkMode::async;
    }));
  }
}

// Each fault the network can inject, undone alone; all of them first.
void add_calmer_networks(const Scenario& s, Candidates& out) {
  const auto calm = [&](auto&& change) { return changed(s, [&](Scenario& c) { change(c.network); }); };
  out.add(calm(calm_network));
  out.add(calm([](NetworkConfig& n) { n.drop_probability = 0; }));
  out.add(calm([](NetworkConfig& n) { n.duplicate_probability = 0; }));
  out.add(calm([](NetworkConfig& n) { n.reorder_probability = 0; }));
  out.add(calm([](NetworkConfig& n) { n.partitions.clear(); }));
  out.add(calm([](NetworkConfig& n) { n.gst_us = 0; }));
  out.add(calm([](NetworkConfig& n) { n.tail_probability = 0; }));
  out.add(calm([](NetworkConfig& n) { n.retransmit = true; }));
  // Timed mode: one fixed delay leaves the order of events to the timers.
  out.add(calm([](NetworkConfig& n) { n.max_delay_us = n.min_delay_us; }));
}

// The knobs made plain, all at once, then each alone.
void add_plainer_knobs(const Scenario& s, Candidates& out) {
  out.add(changed(s, plain_knobs));
  out.add(changed(s, plain_interval));
  out.add(changed(s, plain_window));
  out.add(changed(s, plain_view_timeout));
  out.add(changed(s, plain_client_timeout));
}

void add_plainer_faults(const Scenario& s, Candidates& out) {
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    Scenario fewer = s;
    fewer.faults.erase(fewer.faults.begin() + static_cast<std::ptrdiff_t>(i));
    out.add(fewer);
  }
  // The faulty replicas as the lowest ids, the first primaries: a lie told by
  // the primary of view 0 needs no view change to matter.
  Scenario first = s;
  for (std::size_t i = 0; i < first.faults.size(); ++i) first.faults[i].replica = static_cast<pbft::ReplicaId>(i);
  out.add(first);
  // The plainest strategies, each a story of one kind of lie: silence, two
  // PRE-PREPAREs for one slot, votes for two digests.
  for (std::size_t i = 0; i < s.faults.size(); ++i)
    for (StrategyKind plain : {StrategyKind::silent, StrategyKind::equivocate, StrategyKind::conflicting_votes}) {
      if (s.faults[i].strategy == plain) break;  // already as plain as these get
      Scenario plainer = s;
      plainer.faults[i].strategy = plain;
      out.add(plainer);
    }
}

// n = 3f'+1 for each smaller f', with at most f' faulty replicas when the
// original had at most f (the first f' of them).
void add_fewer_replicas(const Scenario& s, Candidates& out) {
  const bool within_f = s.malicious() <= s.config.f;
  for (std::uint32_t f = 1; 3 * f + 1 < s.config.n; ++f) {
    Scenario c = s;
    if (within_f && c.faults.size() > f) c.faults.resize(f);
    const std::uint32_t n = 3 * f + 1;
    c.config.n = n;  // every other setting, the mutation too, stays
    c.config.f = pbft::make_config(n).f;
    for (Partition& p : c.network.partitions) p.isolated &= (std::uint64_t{1} << n) - 1;
    out.add(c);
    // Faulty replicas past the new n: as the same replica modulo n (the
    // primary of the same views), or as the lowest free ids.
    Scenario modulo = c;
    for (Fault& fault : modulo.faults) fault.replica %= n;
    out.add(modulo);
    Scenario lowest = c;
    std::uint64_t taken = 0;
    for (const Fault& fault : lowest.faults)
      if (fault.replica < n) taken |= std::uint64_t{1} << fault.replica;
    for (Fault& fault : lowest.faults) {
      if (fault.replica < n) continue;
      std::uint32_t id = 0;
      while (id < n && (taken >> id & 1) != 0) ++id;
      fault.replica = id;  // validate() refuses the candidate when none is free
      taken |= std::uint64_t{1} << id;
    }
    out.add(lowest);
  }
}

}  // namespace

std::vector<Scenario> simpler_scenarios(const Scenario& s) {
  Candidates out(s);
  add_plainest(s, out);
  add_smaller_workloads(s, out);
  if (s.network.mode == NetworkMode::timed) add_calmer_networks(s, out);  // async draws no delays or faults
  add_plainer_knobs(s, out);
  add_plainer_faults(s, out);
  add_fewer_replicas(s, out);
  if (s.check_liveness) {
    Scenario no_liveness = s;
    no_liveness.check_liveness = false;  // kept only when the violation was not liveness
    out.add(no_liveness);
  }
  return out.take();
}

}  // namespace model
