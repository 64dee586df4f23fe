#include "model/scenario_space.h"

#include <algorithm>
#include <iterator>
#include <string>

namespace model {

namespace {

// One value of a knob; a knob with one value asks for no pick.
template <class T>
T one_of(const std::vector<T>& values, const Pick& pick) {
  return values.size() == 1 ? values[0] : values[pick(static_cast<std::uint32_t>(values.size()))];
}

std::uint32_t faulty_count(const Malice& m, const pbft::Config& c, const Pick& pick) {
  switch (m.rule) {
    case Malice::Rule::exactly: return std::min(m.count, c.n);
    case Malice::Rule::up_to_f: return std::min(m.count == 0 ? 0 : pick(m.count + 1), c.f);
    case Malice::Rule::quorum_overlap: return std::min(std::max(c.f + 1, 2 * c.quorum() - c.n), c.n);
  }
  return 0;
}

// m replicas without replacement: a partial Fisher-Yates shuffle of the
// candidates in the space's order, so picks of 0 take them in that order.
std::vector<Fault> draw_faults(const ScenarioSpace& sp, std::uint32_t n, std::uint32_t m, const Pick& pick) {
  std::vector<pbft::ReplicaId> order(n);
  for (std::uint32_t i = 0; i < n; ++i) order[i] = sp.fault_order == FaultOrder::primary_first ? i : n - 1 - i;
  std::vector<Fault> out;
  for (std::uint32_t k = 0; k < m; ++k) {
    if (n - k > 1) std::swap(order[k], order[k + pick(n - k)]);
    out.push_back({order[k], one_of(sp.strategies, pick)});
  }
  return out;
}

void draw_timed_faults(const ScenarioSpace& sp, std::uint32_t n, NetworkConfig& net, const Pick& pick) {
  net.drop_probability = one_of(sp.drop, pick);
  net.duplicate_probability = one_of(sp.duplicate, pick);
  net.reorder_probability = one_of(sp.reorder, pick);
  net.tail_exponential = one_of(sp.tail_exponential, pick);
  net.retransmit = one_of(sp.retransmit, pick);
  net.gst_us = one_of(sp.gst_us, pick);
  for (std::uint32_t i = 0; i < sp.partitions; ++i) {
    if (pick(2) == 0) continue;
    const std::uint64_t start = one_of(sp.partition_start_us, pick);
    const std::uint64_t length = one_of(sp.partition_length_us, pick);
    const std::uint32_t a = pick(n), b = pick(n);  // equal: one replica cut off
    net.partitions.push_back({start, start + length, (std::uint64_t{1} << a) | (std::uint64_t{1} << b)});
  }
}

// A bounded liveness judgment presumes what PBFT's does (§4.5.2): after GST
// the view-change timeout outlasts a round trip, or doubles until it does.
// Far below it, progress is only eventual: a replica that has just executed
// (its backoff reset to T) leaves each new view before the view can execute
// anything, and the doublings each failed view costs the others outgrow any
// bound (found by check --liveness with T = 10 ms and 55 ms delays). So a
// run judged for liveness waits at least a round trip at the worst delay.
std::uint64_t judged_timeout_floor_us(const NetworkConfig& net) {
  return 2 * (net.max_delay_us + (net.tail_probability > 0 ? net.tail_max_us : 0));
}

}  // namespace

Scenario draw(const ScenarioSpace& sp, const Pick& pick) {
  Scenario s;
  const std::uint32_t n = one_of(sp.sizes, pick);
  s.config = pbft::make_config(n);
  s.config.checkpoint_interval = one_of(sp.checkpoint_intervals, pick);
  s.config.watermark_window = s.config.checkpoint_interval * one_of(sp.window_factors, pick);
  s.config.view_change_timeout_us = one_of(sp.view_change_timeouts_us, pick);
  s.config.mutation = sp.mutation;

  s.faults = sp.fixed_faults.empty() ? draw_faults(sp, n, faulty_count(sp.malice, s.config, pick), pick)
                                     : sp.fixed_faults;
  std::sort(s.faults.begin(), s.faults.end(), [](const Fault& a, const Fault& b) { return a.replica < b.replica; });

  s.workload.clients = one_of(sp.clients, pick);
  s.workload.requests_per_client = one_of(sp.requests, pick);
  s.workload.closed_loop = one_of(sp.closed_loop, pick);
  s.workload.client_timeout_us = one_of(sp.client_timeouts_us, pick);

  s.network = sp.network;
  s.network.mode = one_of(sp.modes, pick);
  s.network.max_steps = sp.steps_per_n2 ? sp.steps_per_n2 * n * n : sp.max_steps;
  s.horizon_us = sp.horizon_us;
  if (s.network.mode == NetworkMode::timed) {
    draw_timed_faults(sp, n, s.network, pick);
    if (sp.liveness && s.malicious() <= s.config.f) {
      s.network.retransmit = true;  // liveness after GST needs links that retransmit
      s.check_liveness = true;
      s.liveness_bound_us = sp.liveness_bound_us;
      s.horizon_us = s.network.gst_us + sp.liveness_horizon_after_gst_us;
      s.config.view_change_timeout_us = std::max(s.config.view_change_timeout_us, judged_timeout_floor_us(s.network));
    }
  }
  s.auth = sp.auth;
  s.replica = sp.replica;
  s.stop_when_done = sp.stop_when_done;
  return s;
}

Scenario draw(const ScenarioSpace& sp, Tape& tape) {
  return draw(sp, [&tape](std::uint32_t k) { return tape.pick(k); });
}

void validate(const ScenarioSpace& sp) {
  if (sp.sizes.empty() || sp.modes.empty() || sp.checkpoint_intervals.empty() || sp.window_factors.empty() ||
      sp.view_change_timeouts_us.empty() || sp.clients.empty() || sp.requests.empty() || sp.closed_loop.empty() ||
      sp.client_timeouts_us.empty() || sp.drop.empty() || sp.duplicate.empty() || sp.reorder.empty() ||
      sp.tail_exponential.empty() || sp.retransmit.empty() || sp.gst_us.empty() || sp.partition_start_us.empty() ||
      sp.partition_length_us.empty())
    throw InputError("a knob of the scenario space has no value to draw");
  if (sp.fixed_faults.empty() && sp.strategies.empty())
    throw InputError("faulty replicas are drawn but no strategy is allowed");
  // Each n with its simplest draw (and the fixed faults) must run.
  for (const std::uint32_t n : sp.sizes) {
    if (n < 1 || n > pbft::kMaxReplicas)
      throw InputError("n = " + std::to_string(n) + " is not in 1.." + std::to_string(pbft::kMaxReplicas));
    ScenarioSpace one = sp;
    one.sizes = {n};
    for (const Fault& f : sp.fixed_faults)
      if (f.replica >= n)
        throw InputError("faulty replica " + std::to_string(f.replica) + " is not below n = " + std::to_string(n));
    validate(draw(one, [](std::uint32_t) { return 0u; }));
  }
}

namespace space {

NetworkConfig tutorial_network() {
  return {.mode = NetworkMode::timed, .min_delay_us = 5'000, .max_delay_us = 35'000, .tail_probability = 0.05,
          .tail_exponential = false, .tail_max_us = 20'000};
}

namespace {
template <class T, std::size_t N>
std::vector<T> all(const T (&table)[N]) {
  return {std::begin(table), std::end(table)};
}
}  // namespace

ScenarioSpace swarm(std::vector<std::uint32_t> sizes) {
  ScenarioSpace s;
  s.sizes = std::move(sizes);
  s.malice = {.rule = Malice::Rule::up_to_f, .count = 4};  // f+1 at n = 10: a draw leans toward f
  s.strategies = all(kAllStrategies);
  s.modes = {NetworkMode::async, NetworkMode::timed};
  s.checkpoint_intervals = all(kCheckpointIntervals);
  s.window_factors = all(kWindowFactors);
  s.view_change_timeouts_us = all(kViewChangeTimeoutsUs);
  s.clients = {1, 2, 3};
  s.requests = {1, 2, 3, 4, 5, 6};
  s.client_timeouts_us = all(kClientTimeoutsUs);
  s.drop = all(kDropRates);
  s.duplicate = all(kDuplicateRates);
  s.reorder = all(kReorderRates);
  s.tail_exponential = {false, true};
  s.retransmit = {true, false};
  s.gst_us = all(kSafetyGstUs);
  s.partitions = 2;
  s.partition_start_us = all(kPartitionStartUs);
  s.partition_length_us = all(kPartitionLengthUs);
  s.max_steps = 4'000;
  s.horizon_us = kSafetyHorizonUs;
  return s;
}

void calm(ScenarioSpace& s) {
  s.checkpoint_intervals = {kCheckpointIntervals[0]};
  s.window_factors = {kWindowFactors[0]};
  s.view_change_timeouts_us = {kViewChangeTimeoutsUs[0]};
  s.client_timeouts_us = {kClientTimeoutsUs[0]};
  s.drop = {kDropRates[0]};
  s.duplicate = {kDuplicateRates[0]};
  s.reorder = {kReorderRates[0]};
  s.tail_exponential = {false};
  s.retransmit = {true};
  s.gst_us = {kSafetyGstUs[0]};
  s.partitions = 0;
}

void judge_liveness(ScenarioSpace& s) {
  s.modes = {NetworkMode::timed};
  s.retransmit = {true};
  s.gst_us = all(kGstUs);
  s.liveness = true;
  s.liveness_bound_us = kLivenessBoundUs;
  s.liveness_horizon_after_gst_us = 2 * kLivenessBoundUs;
}

}  // namespace space

}  // namespace model
