#pragma once
// Everything that defines a run besides the tape: the protocol configuration,
// the network, the workload and the faulty replicas.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.h"
#include "model/replica_impl.h"
#include "pbft/config.h"

namespace model {


enum class NetworkMode : std::uint8_t { timed, async };

struct Partition {
  std::uint64_t start_us = 0;
  std::uint64_t end_us = 0;
  std::uint64_t isolated = 0;  // bitmask of replicas cut off from the rest
  friend bool operator==(const Partition&, const Partition&) = default;
};

struct NetworkConfig {
  NetworkMode mode = NetworkMode::timed;
  // Timed mode: base delay uniform in [min, max]; with tail_probability an
  // extra delay, uniform in [0, tail_max] or exponential with mean tail_mean.
  std::uint64_t min_delay_us = 5'000;
  std::uint64_t max_delay_us = 35'000;
  double tail_probability = 0.05;
  bool tail_exponential = false;
  std::uint64_t tail_max_us = 20'000;
  std::uint64_t tail_mean_us = 10'000;
  double drop_probability = 0;
  // Links retransmit what they lose (as PBFT assumes): a dropped or
  // partitioned message is sent again after retransmit_after_us, until it
  // gets through (always after GST), so liveness after GST can hold. Off:
  // lost messages are lost for good.
  bool retransmit = true;
  std::uint64_t retransmit_after_us = 100'000;
  double duplicate_probability = 0;
  double reorder_probability = 0;  // an extra max_delay, letting later messages overtake
  std::vector<Partition> partitions;
  // After GST: no drops, duplicates, reordering or partitions, and delays
  // bounded by max + tail_max (an exponential tail is capped there).
  std::uint64_t gst_us = 0;
  // Async mode: deliveries (steps) before the run stops.
  std::uint64_t max_steps = 20'000;
  friend bool operator==(const NetworkConfig&, const NetworkConfig&) = default;
};

enum class StrategyKind : std::uint8_t {
  silent, equivocate, conflicting_votes, stale_view, future_view, viewchange_tamper,
  split, twins, random, seed,
  replay, repropose, forge_state, choose_newview, wrong_role,
};
std::string_view strategy_name(StrategyKind k);
std::string_view strategy_summary(StrategyKind k);  // one line, for --help
std::optional<StrategyKind> parse_strategy(std::string_view name);
inline constexpr StrategyKind kAllStrategies[] = {
    StrategyKind::silent, StrategyKind::equivocate, StrategyKind::conflicting_votes,
    StrategyKind::stale_view, StrategyKind::future_view, StrategyKind::viewchange_tamper,
    StrategyKind::split, StrategyKind::twins, StrategyKind::random, StrategyKind::seed,
    StrategyKind::replay, StrategyKind::repropose, StrategyKind::forge_state,
    StrategyKind::choose_newview, StrategyKind::wrong_role,
};

struct Fault {
  pbft::ReplicaId replica = 0;
  StrategyKind strategy = StrategyKind::silent;
  friend bool operator==(const Fault&, const Fault&) = default;
};

struct Workload {
  std::uint32_t clients = 1;
  std::uint32_t requests_per_client = 1;
  bool closed_loop = true;                  // next request after the previous is accepted
  std::uint64_t open_loop_interval_us = 1'000;
  std::uint64_t client_timeout_us = 500'000;  // retransmit to every replica
  friend bool operator==(const Workload&, const Workload&) = default;
};

struct Scenario {
  pbft::Config config = pbft::make_config(4);
  NetworkConfig network;
  Workload workload;
  std::vector<Fault> faults;
  bool auth = true;                     // off: faulty replicas may forge honest senders
  std::uint64_t horizon_us = 20'000'000;  // timed mode: virtual time limit
  bool check_liveness = false;          // timed mode, malicious <= f
  std::uint64_t liveness_bound_us = 10'000'000;  // after max(GST, submission)
  bool stop_when_done = true;           // stop once every honest replica executed everything
  // The honest replicas' implementation (model/replica_impl.h). Who is
  // under test, not what happens: traces leave it out, so the same
  // scenario and tape give the same trace with any.
  ReplicaImpl replica;

  friend bool operator==(const Scenario&, const Scenario&) = default;
  bool is_faulty(pbft::ReplicaId r) const;
  std::uint32_t malicious() const { return static_cast<std::uint32_t>(faults.size()); }
};

// Returns when the scenario can run; otherwise throws InputError saying
// what is wrong with it.
void validate(const Scenario& s);

// The operation a client's request carries: fixed by (client, timestamp) so
// the validity checker can recognise submitted requests without storing them.
std::uint64_t operation_for(pbft::ClientId c, pbft::Timestamp t);

}  // namespace model
