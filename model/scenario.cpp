#include "model/scenario.h"

#include <algorithm>

#include "pbft/hash.h"

namespace model {

namespace {
constexpr std::string_view kStrategyNames[] = {
    "silent", "equivocate", "conflicting-votes", "stale-view", "future-view",
    "viewchange-tamper", "split", "twins", "random", "seed",
    "replay", "repropose", "forge-state", "choose-newview", "wrong-role",
};
constexpr std::string_view kStrategySummaries[] = {
    "sends nothing",
    "as primary, conflicting PRE-PREPAREs to two halves; as backup, votes for two digests",
    "votes with the real digest to half of the replicas and another digest to the rest",
    "normal-case messages stamped with an older view",
    "normal-case messages stamped with a newer view",
    "VIEW-CHANGEs that hide certificates or roll the checkpoint back; NEW-VIEWs whose O does not follow",
    "colluders tell two halves of the honest replicas different stories (forcing a view change to a colluder)",
    "two honest copies under one identity, each seeing part of the traffic",
    "honest, plus arbitrary messages of every kind it can sign, driven by the tape",
    "the tutorial's faulty replica: bogus digests as primary, fake or missing votes as backup",
    "honest, plus old authentic messages (its own and relayed ones) sent again at any time",
    "as primary, re-proposes a request that already executed at a new sequence number",
    "CHECKPOINTs and state-transfer answers with made-up states (honest signatures it cannot forge)",
    "as new primary, chooses which valid VIEW-CHANGEs go into NEW-VIEW, per backup, and which of its certificates",
    "messages its role never sends: a primary's PREPARE, a backup's PRE-PREPARE and NEW-VIEW; a STATUS asking for all again",
};
}  // namespace

std::string_view strategy_name(StrategyKind k) { return kStrategyNames[static_cast<int>(k)]; }
std::string_view strategy_summary(StrategyKind k) { return kStrategySummaries[static_cast<int>(k)]; }

std::optional<StrategyKind> parse_strategy(std::string_view name) {
  for (auto k : kAllStrategies)
    if (strategy_name(k) == name) return k;
  return std::nullopt;
}

bool Scenario::is_faulty(pbft::ReplicaId r) const {
  return std::any_of(faults.begin(), faults.end(), [&](const Fault& f) { return f.replica == r; });
}

void validate(const Scenario& s) {
  if (auto e = pbft::validate(s.config); !e.empty()) throw InputError(e);
  if (s.workload.clients < 1 || s.workload.clients > s.config.max_clients)
    throw InputError("clients must be in 1.." + std::to_string(s.config.max_clients));
  if (s.faults.size() > s.config.n) throw InputError("more faulty replicas than replicas");
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    if (s.faults[i].replica >= s.config.n)
      throw InputError("faulty replica " + std::to_string(s.faults[i].replica) + " is not below n");
    for (std::size_t j = 0; j < i; ++j)
      if (s.faults[j].replica == s.faults[i].replica)
        throw InputError("replica " + std::to_string(s.faults[i].replica) + " is listed faulty twice");
  }
  const auto& net = s.network;
  if (net.min_delay_us > net.max_delay_us) throw InputError("min delay exceeds max delay");
  for (double p : {net.tail_probability, net.drop_probability, net.duplicate_probability,
                   net.reorder_probability})
    if (!(p >= 0 && p <= 1)) throw InputError("probabilities must be in [0, 1]");
  for (const auto& p : net.partitions)
    if (p.start_us > p.end_us) throw InputError("a partition ends before it starts");
}

std::uint64_t operation_for(pbft::ClientId c, pbft::Timestamp t) {
  return pbft::combine(0x6f70ULL + c, t);
}

}  // namespace model
