#pragma once
// The byte layout of schedule_fuzzer and attack_fuzzer inputs: a fixed
// 32-byte header holds the scenario's picks, one byte each, for model::draw
// over the fuzzers' ScenarioSpace (schedule_space); every later byte is the
// choice tape of the run (model::Tape::from_bytes). A fixed header keeps
// mutations of the tape from changing the scenario and the other way round;
// a short input reads missing header bytes as 0, and 0 everywhere is the
// simplest scenario (n = 4, no faulty replica, async, one client with one
// request). The picks, in draw's order: n (4 | 7), K, L, view-change
// timeout, faulty count (up to f; attack: the quorum overlap, f+1), then per
// faulty replica its position and strategy, clients, requests, closed loop,
// network mode, and in timed mode drop, duplicate, reorder, tail, GST and
// one partition (on, start, length, two members).
#include <cstdint>
#include <optional>
#include <span>

#include "model/scenario.h"
#include "model/scenario_space.h"
#include "model/env_knobs.h"
#include "pbft/mutation.h"

namespace fuzz {

inline constexpr std::size_t kScheduleHeader = 32;

enum class Malice : std::uint8_t {
  up_to_f,     // schedule_fuzzer: the protocol's assumption, every checker on
  f_plus_one,  // attack_fuzzer: beyond it, liveness off
};

struct ScheduleOptions {
  // Violation kinds that abort, as a bitmask of model::ViolationKind
  // (PBFTSIM_FUZZ_KINDS=agreement,validity,...; default: every kind). The
  // others are ignored: for measuring how fast one kind is found.
  std::uint32_t abort_kinds = ~0u;
  model::ScenarioSpace scenarios;  // schedule_space(...)
};

// The scenarios the fuzzers draw from: the swarm (model/scenario_space.h)
// at n = 4 or 7 (or `n` alone), with smaller workloads; every checker,
// liveness too in timed mode with at most f faulty replicas unless
// `liveness` is off.
model::ScenarioSpace schedule_space(Malice malice, std::uint32_t n = 0,
                                    pbft::Mutation mutation = pbft::Mutation::none, bool liveness = true);

struct ScheduleInput {
  model::Scenario scenario;
  std::span<const std::uint8_t> tape;  // the bytes after the header
  std::uint32_t context = 0;  // (n = 7) * 2 + timed: for coverage counters
};

ScheduleInput decode_schedule(std::span<const std::uint8_t> data, const ScheduleOptions& o);

// Options from the environment (PBFTSIM_FUZZ_N, _MUTATION, _LIVENESS,
// _KINDS); exits with status 2 on a bad value.
ScheduleOptions options_from_env(Malice malice);
// The PBFTSIM_FUZZ_* variables (model/env_knobs.h), parsed once; a bad value
// is one line on stderr and exit status 2.
const model::FuzzKnobs& knobs();

}  // namespace fuzz
