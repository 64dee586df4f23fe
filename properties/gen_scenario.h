#pragma once
// RapidCheck generators for test cases (scenario + tape). The scenario is
// model::draw over a ScenarioSpace, with every pick a shrinkable integer
// whose smallest value is the simplest choice: n = 4, no faults (or the
// fewest), silent strategies, one client with one request, no drops,
// duplicates, reordering or partitions, GST = 0, default timeouts; and an
// empty tape (every pick 0: the benign answer). A pick that no longer
// matters after shrinking another is simply not asked for.
#include <cstdint>
#include <optional>
#include <vector>

#include <rapidcheck.h>

#include "model/scenario.h"
#include "model/scenario_space.h"
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

// The scenarios these options describe (model/scenario_space.h): the swarm
// narrowed by the options.
model::ScenarioSpace property_space(const GenOptions& o);

// A scenario drawn from property_space(o), RapidCheck supplying each pick
// (shrinking toward 0, the simplest value of every knob), and a tape.
rc::Gen<Case> gen_case(const GenOptions& o);

}  // namespace props
