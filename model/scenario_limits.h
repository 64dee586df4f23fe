#pragma once
// The largest scenario a trace may ask for. A trace is untrusted input: its
// header sizes the replicas' tables (window, clients, buffers) and bounds
// the run (steps, horizon), so every value is checked before anything is
// allocated or run. The limits keep a trace at all of them replayable in a
// bounded time and memory (tools test `trace.at_the_limits`, README "Error
// contract"), and sit well above what check, sweep and the property tests
// generate.
#include <cstdint>

#include "model/scenario.h"

namespace model {

struct ScenarioLimits {
  static constexpr std::uint32_t watermark_window = 1'024;
  static constexpr std::uint32_t max_clients = 256;
  static constexpr std::uint32_t max_buffered = 100'000;
  static constexpr std::uint64_t requests = 2'000'000;  // clients × requests per client (check: 16 × 100,000)
  static constexpr std::uint64_t max_steps = 1'000'000;
  static constexpr std::uint64_t tape_values = 10'000'000;
  static constexpr std::uint64_t time_us = std::uint64_t{1} << 40;  // any timeout or instant: 12.7 days
  // A delay range is drawn with one 32-bit pick (model/network.cpp): 71 min.
  static constexpr std::uint64_t delay_us = 0xffff'fffeULL;
  // Lines are parsed only after these checks: an event line is about 150
  // bytes, and the header's values (its tape, mostly) are counted as parsed.
  static constexpr std::uint64_t event_line_bytes = 4'096;
  static constexpr std::uint64_t header_values = tape_values + 100'000;
  static constexpr std::uint64_t partitions = 1'024;
  static constexpr std::uint64_t trace_bytes = std::uint64_t{1} << 30;  // a run at the limits may write more: its trace is refused
};

// A timed run has no step budget of its own (it ends at its horizon), so a
// run whose timers fire ever faster, or a node that floods, is stopped here
// instead; the run reports it (RunStats::stopped_by_steps).
inline constexpr std::uint64_t kTimedStepCeiling = ScenarioLimits::max_steps;

// Throws InputError("field: value out of range (max M)") for the first value
// past its limit, naming the field as the trace header spells it.
void check_limits(const Scenario& s);

}  // namespace model
