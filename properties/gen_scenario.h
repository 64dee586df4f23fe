#pragma once
// RapidCheck generators for test cases (scenario + tape). Every field is
// drawn from a shrinkable choice whose smallest value is the simplest case:
// n = 4, no faults (or the fewest), silent strategies, one client with one
// request, no drops, duplicates, reordering or partitions, GST = 0, default
// timeouts, and an empty tape (every pick 0: the benign answer). Dependent
// fields (malicious <= f, distinct faulty replicas) are computed from
// independent raw choices, so shrinking one never invalidates another.
#include <cstdint>
#include <optional>
#include <vector>

#include <rapidcheck.h>

#include "model/scenario.h"
#include "properties/case.h"

namespace props {

enum class Malice : std::uint8_t {
  up_to_f,     // 0..f faulty replicas (the protocol's assumption)
  // Beyond the assumption (tightness): just enough colluders to fill the
  // overlap of two quorums, 2q - n — f+1 when n = 3f+1 (n = 5: 3 of 5).
  f_plus_one,
  one,         // exactly one
};

// n in {4, 5, 7, 10}, or the list in PBFTSIM_PROPERTY_SIZES ("4,7,10") to
// focus an investigation.
std::vector<std::uint32_t> default_sizes();

struct GenOptions {
  std::optional<model::NetworkMode> mode;        // nullopt: either mode
  Malice malice = Malice::up_to_f;
  std::optional<model::StrategyKind> strategy;   // nullopt: any, per faulty replica
  std::vector<std::uint32_t> sizes = default_sizes();  // n, the first is the simplest
  bool network_faults = true;  // timed mode: drops, duplicates, reordering, partitions, GST
  // Timed mode with check_liveness: links retransmit, the horizon leaves
  // room for the bound after GST.
  bool liveness = false;
  bool auth = true;
  pbft::Mutation mutation = pbft::Mutation::none;
  std::uint32_t tape_factor = 30;  // tape length up to factor × size
};

// The raw, independent choices behind a Case; exposed for tests of the
// mapping.
struct Choices {
  std::uint32_t n_index = 0;
  std::uint32_t malicious = 0;               // clamped to f
  std::vector<std::uint32_t> positions;      // raw faulty positions (distinct after probing)
  std::vector<model::StrategyKind> strategies;
  model::NetworkMode mode = model::NetworkMode::async;
  std::uint32_t checkpoint_interval = 2;
  std::uint32_t window_factor = 2;           // L = factor × K
  std::uint32_t clients = 1;
  std::uint32_t requests = 1;
  std::uint64_t view_change_timeout_us = 400'000;
  std::uint64_t client_timeout_us = 500'000;  // then the client broadcasts: backups start timers
  double drop = 0, duplicate = 0, reorder = 0;
  bool tail_exponential = false;
  bool no_retransmit = false;
  std::uint64_t gst_us = 0;
  struct PartitionChoice {
    bool on = false;
    std::uint64_t start_us = 0, length_us = 0;
    std::uint32_t a = 0, b = 0;  // isolated replicas (mod n; equal: one replica)
  };
  std::vector<PartitionChoice> partitions;
};

rc::Gen<Choices> gen_choices(const GenOptions& o);
Case make_case(const GenOptions& o, const Choices& c, std::vector<std::uint32_t> tape);
rc::Gen<Case> gen_case(const GenOptions& o);

// The faulty replicas for m raw positions: each taken modulo n, moving to
// the next free replica on a collision.
std::vector<pbft::ReplicaId> faulty_positions(const std::vector<std::uint32_t>& raw, std::uint32_t m,
                                              std::uint32_t n);

}  // namespace props
