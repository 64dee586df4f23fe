#pragma once
// The scenarios a front end wants, and the one function that draws a
// Scenario from them. check, the sweep, the seed profile, the catalog, the
// properties (RapidCheck supplies the picks), the fuzzers (header bytes
// supply them) and the unit tests differ only in their ScenarioSpace and in
// where the picks come from. In the spirit of swarm testing (TigerBeetle's
// options_swarm): each knob is a list of allowed values, simplest first, and
// a draw picks one per knob, so pick 0 everywhere is the simplest scenario
// of the space and shrinking a pick toward 0 simplifies it. A knob with one
// value costs no pick, so narrowing a space never shifts the other picks.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "model/tape.h"

namespace model {

// How many replicas a draw makes faulty.
struct Malice {
  enum class Rule : std::uint8_t {
    exactly,  // `count` (more than n: all of them)
    up_to_f,  // min(pick in [0, count], f): the protocol's assumption
    // Beyond the assumption: just enough colluders to fill the overlap of
    // two quorums, 2q - n (f+1 when n = 3f+1; 3 of 5 at n = 5).
    quorum_overlap,
  };
  Rule rule = Rule::exactly;
  std::uint32_t count = 0;
  friend bool operator==(const Malice&, const Malice&) = default;
};

// Which replicas are candidates first when faulty ones are drawn: a draw of
// all zeros takes them in this order.
enum class FaultOrder : std::uint8_t {
  primary_first,  // 0, 1, ..., n-1: the simplest failure is a faulty primary
  backups_first,  // n-1, ..., 0: the benign draw spares the primary (the sweep)
};

struct ScenarioSpace {
  std::vector<std::uint32_t> sizes{4};  // n
  // Faulty replicas: `fixed_faults` when given, else `malice` replicas
  // drawn without replacement, each with a strategy from `strategies`.
  Malice malice;
  std::vector<StrategyKind> strategies{StrategyKind::silent};
  FaultOrder fault_order = FaultOrder::primary_first;
  std::vector<Fault> fixed_faults;

  std::vector<NetworkMode> modes{NetworkMode::async};
  std::vector<std::uint32_t> checkpoint_intervals{2};  // K
  std::vector<std::uint32_t> window_factors{2};        // L = factor × K
  std::vector<std::uint64_t> view_change_timeouts_us{pbft::Config{}.view_change_timeout_us};
  pbft::Mutation mutation = pbft::Mutation::none;
  bool auth = true;
  ReplicaImpl replica;  // Scenario::replica of every draw

  std::vector<std::uint32_t> clients{1};
  std::vector<std::uint32_t> requests{4};  // per client
  std::vector<bool> closed_loop{true};
  std::vector<std::uint64_t> client_timeouts_us{Workload{}.client_timeout_us};

  // The timed network: delays from `network`, and before GST the faults
  // drawn here (async runs draw none of them).
  NetworkConfig network;
  std::vector<double> drop{0.0}, duplicate{0.0}, reorder{0.0};
  std::vector<bool> tail_exponential{false};
  std::vector<bool> retransmit{true};  // forced on when liveness is judged
  std::vector<std::uint64_t> gst_us{0};
  // Up to this many partitions, each on or off, isolating two drawn replicas.
  std::uint32_t partitions = 0;
  std::vector<std::uint64_t> partition_start_us{0}, partition_length_us{100'000};

  // Async runs stop after max_steps deliveries, or steps_per_n2 × n² when
  // that is set (a livelocked round costs about n² messages).
  std::uint64_t max_steps = NetworkConfig{}.max_steps;
  std::uint64_t steps_per_n2 = 0;
  std::uint64_t horizon_us = Scenario{}.horizon_us;  // timed runs without liveness
  // Liveness is judged on timed runs with at most f faulty replicas: each
  // request within `liveness_bound_us` of max(GST, submission), the run
  // lasting until GST + liveness_horizon_after_gst_us.
  bool liveness = false;
  std::uint64_t liveness_bound_us = 10'000'000;
  std::uint64_t liveness_horizon_after_gst_us = 20'000'000;
  bool stop_when_done = true;

  friend bool operator==(const ScenarioSpace&, const ScenarioSpace&) = default;
};

// A source of picks: answers in [0, k) for k >= 2 (a knob with one value
// never asks).
using Pick = std::function<std::uint32_t(std::uint32_t k)>;

// The scenario the picks choose from the space. Faults are listed by replica.
Scenario draw(const ScenarioSpace& space, const Pick& pick);
Scenario draw(const ScenarioSpace& space, Tape& tape);

// Returns when every knob has a value to draw and the drawn scenarios can
// run; otherwise throws InputError saying what is wrong.
void validate(const ScenarioSpace& space);

namespace space {

// The tables the swarm draws from, simplest first.
inline constexpr std::uint32_t kCheckpointIntervals[] = {2, 3, 1, 4};
inline constexpr std::uint32_t kWindowFactors[] = {2, 3};
inline constexpr std::uint64_t kViewChangeTimeoutsUs[] = {400'000, 150'000, 60'000, 25'000, 10'000};
inline constexpr std::uint64_t kClientTimeoutsUs[] = {500'000, 150'000, 50'000, 20'000};
inline constexpr double kDropRates[] = {0.0, 0.02, 0.1, 0.3};
inline constexpr double kDuplicateRates[] = {0.0, 0.05, 0.2};
inline constexpr double kReorderRates[] = {0.0, 0.1, 0.3};
// GST when liveness is judged (it needs one); safety-only runs may also
// never reach it (kSafetyHorizonUs: lossy for the whole run).
inline constexpr std::uint64_t kGstUs[] = {0, 300'000, 1'000'000, 2'000'000};
inline constexpr std::uint64_t kSafetyGstUs[] = {0, 300'000, 1'000'000, 3'000'000, 10'000'000};
inline constexpr std::uint64_t kPartitionStartUs[] = {0, 50'000, 200'000, 600'000};
inline constexpr std::uint64_t kPartitionLengthUs[] = {100'000, 400'000, 1'500'000};

// Liveness: every request accepted within this of max(GST, submission).
inline constexpr std::uint64_t kLivenessBoundUs = 10'000'000;
// Safety-only timed runs stop here.
inline constexpr std::uint64_t kSafetyHorizonUs = 10'000'000;

// The tutorial's network (the seed experiment, and the sweep's pbft
// profile): timed, 5-35 ms uniform, with probability 0.05 an extra 0-20 ms,
// nothing lost.
NetworkConfig tutorial_network();

// Everything the generators may vary, over the given sizes: 0..f faulty
// replicas with any strategy, either network, every K, L and timeout in the
// tables, up to 3 clients with up to 6 requests, and before GST drops,
// duplicates, reordering, an exponential tail, lost retransmissions and up
// to two partitions. The properties draw from it as it is; the fuzzers
// narrow it.
ScenarioSpace swarm(std::vector<std::uint32_t> sizes);

// Narrows a space to a calm one: no network faults before GST (no drops,
// duplicates, reordering, tail, lost retransmissions, partitions or GST)
// and the protocol's knobs at the first, plainest value of each table (the
// minimizer's plain knobs too: scenario_shrink.cpp).
void calm(ScenarioSpace& s);

// Narrows a space to liveness: timed, retransmitting links, a GST from kGstUs.
void judge_liveness(ScenarioSpace& s);

}  // namespace space

}  // namespace model
