#include "model/scenario.h"

#include <algorithm>

#include "pbft/hash.h"

namespace model {

namespace {
constexpr std::string_view kStrategyNames[] = {
    "silent", "equivocate", "conflicting-votes", "stale-view", "future-view",
    "viewchange-tamper", "split", "twins", "random", "seed",
};
}

std::string_view strategy_name(StrategyKind k) { return kStrategyNames[static_cast<int>(k)]; }

std::optional<StrategyKind> parse_strategy(std::string_view name) {
  for (auto k : kAllStrategies)
    if (strategy_name(k) == name) return k;
  return std::nullopt;
}

bool Scenario::is_faulty(pbft::ReplicaId r) const {
  return std::any_of(faults.begin(), faults.end(), [&](const Fault& f) { return f.replica == r; });
}

std::string validate(const Scenario& s) {
  if (auto e = pbft::validate(s.config); !e.empty()) return e;
  if (s.workload.clients < 1 || s.workload.clients > s.config.max_clients)
    return "clients must be in 1.." + std::to_string(s.config.max_clients);
  if (s.faults.size() > s.config.n) return "more faulty replicas than replicas";
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    if (s.faults[i].replica >= s.config.n)
      return "faulty replica " + std::to_string(s.faults[i].replica) + " is not below n";
    for (std::size_t j = 0; j < i; ++j)
      if (s.faults[j].replica == s.faults[i].replica)
        return "replica " + std::to_string(s.faults[i].replica) + " is listed faulty twice";
  }
  const auto& net = s.network;
  if (net.min_delay_us > net.max_delay_us) return "min delay exceeds max delay";
  for (double p : {net.tail_probability, net.drop_probability, net.duplicate_probability,
                   net.reorder_probability})
    if (!(p >= 0 && p <= 1)) return "probabilities must be in [0, 1]";
  for (const auto& p : net.partitions)
    if (p.start_us > p.end_us) return "a partition ends before it starts";
  return {};
}

std::uint64_t operation_for(pbft::ClientId c, pbft::Timestamp t) {
  return pbft::combine(0x6f70ULL + c, t);
}

}  // namespace model
