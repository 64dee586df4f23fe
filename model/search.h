#pragma once
// The deterministic parallel search: schedules 0, 1, 2, ... of a numbered
// family run on any number of threads until one shows a violation, the
// schedule budget or the time is used up, or the caller interrupts. The
// reported violation is the one with the smallest schedule index, and every
// smaller index is checked, so the result does not depend on the thread
// count. A shard I/N runs only the indices i with i mod N = I: N shards'
// results merge into exactly what one search would have reported.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "model/scenario.h"
#include "model/scenario_space.h"
#include "model/shard.h"
#include "model/simulator.h"
#include "model/tape.h"

namespace model {

// A numbered family of runs: schedule i is a scenario and a tape.
class ScheduleSpace {
 public:
  virtual ~ScheduleSpace() = default;
  virtual Scenario scenario(std::uint64_t i) const = 0;
  virtual Tape tape(std::uint64_t i) const = 0;
  // Whether schedule i's violation counts as a find (the catalog counts
  // only violations that the unmutated protocol does not show). Called from
  // the worker threads.
  virtual bool counts(std::uint64_t /*i*/, const RunResult& /*r*/) const { return true; }
};

// What `pbftsim check` searches, as its flags say. Hostile by default: what
// a flag leaves open is drawn per schedule from the properties' swarm
// (space::swarm): either network; 1-3 clients with 1-6 requests each, often
// more than the watermark window holds; the checkpoint interval, window and
// timeouts; and in the timed network drops, duplicates, reordering, a delay
// tail, lost retransmissions, partitions and a GST. Each flag narrows one
// knob to its value.
struct CheckSpace {
  std::uint32_t n = 4, malicious = 1;
  std::optional<std::uint32_t> requests, clients;  // none: drawn
  std::optional<StrategyKind> strategy;  // none: a mix, one drawn per faulty replica
  std::optional<NetworkMode> network;    // none: either, drawn
  // A calm network (no faults before GST, no partitions, no tail) and the
  // protocol's default knobs, as `check` searched before the swarm.
  bool calm = false;
  pbft::Mutation mutation = pbft::Mutation::none;
  bool auth = true;
  std::uint64_t seed = 1;
  ReplicaImpl replica;  // none plugged: the built-in replica
  // Liveness judged too (timed network): every request accepted within the
  // bound after max(GST, submission); GST drawn per schedule from kGstUs
  // unless one is given.
  bool liveness = false;
  std::uint64_t liveness_bound_us = space::kLivenessBoundUs;
  std::optional<std::uint64_t> gst_us;
  friend bool operator==(const CheckSpace&, const CheckSpace&) = default;
};
// The scenarios it draws from.
ScenarioSpace check_scenarios(const CheckSpace& c);

// Its schedules: schedule i draws its scenario from its own seed, so each
// schedule replays from its trace alone.
class CheckSchedules final : public ScheduleSpace {
 public:
  explicit CheckSchedules(const CheckSpace& c) : scenarios_(check_scenarios(c)), seed_(c.seed) {}
  Scenario scenario(std::uint64_t i) const override;
  Tape tape(std::uint64_t i) const override { return Tape::from_seed(seed_ + i); }

 private:
  ScenarioSpace scenarios_;
  std::uint64_t seed_;
};

enum class StopReason : std::uint8_t { violation, schedules, time_limit, interrupted };
std::string_view stop_reason_name(StopReason r);
std::optional<StopReason> parse_stop_reason(std::string_view name);

struct SearchLimits {
  std::uint64_t schedules = 10'000;  // indices below this (all shards together)
  double time_limit_s = 0;           // 0: none
  unsigned threads = 1;
  Shard shard;
  const std::atomic<bool>* interrupt = nullptr;  // set (by a signal handler) to stop early
};

// Counters the search updates as it goes, for a progress display.
struct SearchProgress {
  std::atomic<std::uint64_t> done{0}, delivered{0};
};

struct SearchOutcome {
  std::optional<std::uint64_t> violation;  // the smallest failing index of the shard
  // Schedules that decide the result: with a violation, the shard's indices
  // up to and including it (not those a thread happened to run past it);
  // otherwise every schedule run.
  std::uint64_t schedules = 0;
  std::uint64_t deliveries = 0;  // every delivery simulated (work, for speed figures)
  // Schedules whose run stopped at its step budget (network.max_steps, or a
  // timed run's ceiling) with work in flight: checked only that far.
  std::uint64_t stopped_by_steps = 0;
  double seconds = 0;
  StopReason stopped_by = StopReason::schedules;
};

// Runs the search; `tick` (optional) is called about every 200 ms from the
// calling thread while the workers run.
SearchOutcome search(const ScheduleSpace& space, const SearchLimits& limits, SearchProgress& progress,
                     const std::function<void(double seconds)>& tick = {});

}  // namespace model
