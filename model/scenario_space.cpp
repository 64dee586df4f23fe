#include "model/scenario_space.h"

namespace model::space {

NetworkConfig tutorial_network() {
  return {.mode = NetworkMode::timed, .min_delay_us = 5'000, .max_delay_us = 35'000, .tail_probability = 0.05,
          .tail_exponential = false, .tail_max_us = 20'000};
}

std::vector<Fault> draw_faults(Tape& tape, std::vector<pbft::ReplicaId> order, std::uint32_t m,
                               std::optional<StrategyKind> fixed, std::span<const StrategyKind> mix) {
  std::vector<Fault> out;
  const auto n = static_cast<std::uint32_t>(order.size());
  for (std::uint32_t k = 0; k < m && k < n; ++k) {
    std::swap(order[k], order[k + tape.pick(n - k)]);
    const StrategyKind kind = fixed ? *fixed : mix[tape.pick(static_cast<std::uint32_t>(mix.size()))];
    out.push_back({order[k], kind});
  }
  return out;
}

std::vector<pbft::ReplicaId> place_faults(const std::vector<std::uint32_t>& raw, std::uint32_t m, std::uint32_t n) {
  std::vector<pbft::ReplicaId> out;
  std::vector<bool> taken(n, false);
  for (std::uint32_t i = 0; i < m && i < n; ++i) {
    pbft::ReplicaId r = (i < raw.size() ? raw[i] : 0) % n;
    while (taken[r]) r = (r + 1) % n;
    taken[r] = true;
    out.push_back(r);
  }
  return out;
}

Partition two_replica_partition(std::uint64_t start_us, std::uint64_t length_us, std::uint32_t a, std::uint32_t b,
                                std::uint32_t n) {
  return {start_us, start_us + length_us, (std::uint64_t{1} << (a % n)) | (std::uint64_t{1} << (b % n))};
}

void judge_liveness(Scenario& s) {
  s.check_liveness = true;
  s.liveness_bound_us = kLivenessBoundUs;
  s.horizon_us = liveness_horizon_us(s.network.gst_us);
}

}  // namespace model::space
