#pragma once
// The byte layout of schedule_fuzzer and attack_fuzzer inputs: a fixed
// 8-byte header picks a small scenario, every later byte is the choice tape
// (model::Tape::from_bytes). A fixed header keeps mutations of the tape from
// changing the configuration and the other way round; a short input reads
// missing header bytes as 0, and byte 0 everywhere is the simplest case
// (n = 4, async, no faulty replica, one client with one request).
//
//   byte 0  bit 0 n (4 | 7), bit 1 network (async | timed), bits 2-3 faulty
//           count (mod f+1; attack: always f+1), bits 4-5 checkpoint
//           interval K (2, 3, 1, 4), bit 6 window L = 2K | 3K, bit 7 short
//           view-change timeout (60 ms instead of 400 ms)
//   byte 1-3 faulty replica i: bits 0-2 position (mod n, next free on a
//           collision), bits 3-7 strategy (mod 10, model::kAllStrategies)
//   byte 4  bit 0 clients - 1, bits 2-3 requests per client - 1, bit 5 open
//           loop
//   byte 5  timed: bits 0-1 drop (0, .02, .1, .3), 2-3 duplicate (0, .05, .2,
//           0), 4-5 reorder (0, .1, .3, 0), 6 exponential tail, 7 partition on
//   byte 6  timed: bits 0-1 GST (0, .3, 1, 2 s), 2-3 partition start (0, 50,
//           200, 600 ms), 4-5 partition length (100, 400, 1500, 100 ms)
//   byte 7  timed: partition members a (bits 0-3) and b (bits 4-7), mod n
#include <cstdint>
#include <optional>
#include <span>

#include "model/scenario.h"
#include "model/env_knobs.h"
#include "pbft/mutation.h"

namespace fuzz {

inline constexpr std::size_t kScheduleHeader = 8;

enum class Malice : std::uint8_t {
  up_to_f,     // schedule_fuzzer: the protocol's assumption, every checker on
  f_plus_one,  // attack_fuzzer: beyond it, liveness off
};

struct ScheduleOptions {
  Malice malice = Malice::up_to_f;
  std::uint32_t force_n = 0;  // 4 or 7 to pin n (PBFTSIM_FUZZ_N), 0: from the header
  pbft::Mutation mutation = pbft::Mutation::none;  // PBFTSIM_FUZZ_MUTATION
  // Liveness is checked in timed mode with at most f faulty replicas unless
  // PBFTSIM_FUZZ_LIVENESS=0 (safety checkers only).
  bool liveness = true;
  // Violation kinds that abort, as a bitmask of model::ViolationKind
  // (PBFTSIM_FUZZ_KINDS=agreement,validity,...; default: every kind). The
  // others are ignored: for measuring how fast one kind is found.
  std::uint32_t abort_kinds = ~0u;
};

struct ScheduleInput {
  model::Scenario scenario;
  std::span<const std::uint8_t> tape;  // the bytes after the header
  std::uint32_t context = 0;  // (n = 7) * 2 + timed: for coverage counters
};

ScheduleInput decode_schedule(std::span<const std::uint8_t> data, const ScheduleOptions& o);

// Options from the environment (PBFTSIM_FUZZ_N, PBFTSIM_FUZZ_MUTATION);
// exits with status 2 on a bad value.
ScheduleOptions options_from_env(Malice malice);
// The PBFTSIM_FUZZ_* variables (model/env_knobs.h), parsed once; a bad value
// is one line on stderr and exit status 2.
const model::FuzzKnobs& knobs();

}  // namespace fuzz
