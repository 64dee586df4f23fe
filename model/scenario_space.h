#pragma once
// The scenario vocabulary every front end draws from: the fault and timing
// tables, the bounds, and how faulty positions and partitions are placed.
// The property generators (RapidCheck), the schedule fuzzers (header bytes),
// check, the catalog and the sweep pick from these, each with its own
// source of choices, so a knob is added or changed here once.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/scenario.h"
#include "model/tape.h"

namespace model::space {

// Checkpoint intervals K, simplest first; the window L is K times a factor.
inline constexpr std::uint32_t kCheckpointIntervals[] = {2, 3, 1, 4};
inline constexpr std::uint32_t kWindowFactors[] = {2, 3};
// Timed network faults before GST, none first.
inline constexpr double kDropRates[] = {0.0, 0.02, 0.1, 0.3};
inline constexpr double kDuplicateRates[] = {0.0, 0.05, 0.2};
inline constexpr double kReorderRates[] = {0.0, 0.1, 0.3};
// GST with liveness judged (it needs one); safety runs may also never reach it.
inline constexpr std::uint64_t kGstUs[] = {0, 300'000, 1'000'000, 2'000'000};
// A partition isolating two replicas: start and length.
inline constexpr std::uint64_t kPartitionStartUs[] = {0, 50'000, 200'000, 600'000};
inline constexpr std::uint64_t kPartitionLengthUs[] = {100'000, 400'000, 1'500'000};

// The tutorial's network (the seed experiment, and the sweep's pbft
// profile): timed, 5-35 ms uniform, with probability 0.05 an extra 0-20 ms,
// nothing lost.
NetworkConfig tutorial_network();

// Liveness: every request accepted within this of max(GST, submission).
inline constexpr std::uint64_t kLivenessBoundUs = 10'000'000;
// Safety-only timed runs stop here.
inline constexpr std::uint64_t kSafetyHorizonUs = 10'000'000;
// A liveness run lasts until every bound after GST can have passed.
inline constexpr std::uint64_t liveness_horizon_us(std::uint64_t gst_us) { return gst_us + 2 * kLivenessBoundUs; }

// m faulty replicas drawn from the tape without replacement (a partial
// Fisher-Yates shuffle of `order`, so picks of 0 take them in that order),
// each with the strategy `fixed`, or one drawn from `mix`.
std::vector<Fault> draw_faults(Tape& tape, std::vector<pbft::ReplicaId> order, std::uint32_t m,
                               std::optional<StrategyKind> fixed, std::span<const StrategyKind> mix);

// m distinct faulty replicas from raw picks: pick i names replica
// raw[i] mod n, or the next free one after it.
std::vector<pbft::ReplicaId> place_faults(const std::vector<std::uint32_t>& raw, std::uint32_t m, std::uint32_t n);

// A partition that cuts replicas a mod n and b mod n off from the rest.
Partition two_replica_partition(std::uint64_t start_us, std::uint64_t length_us, std::uint32_t a, std::uint32_t b,
                                std::uint32_t n);

// Judges liveness too: timed, bound kLivenessBoundUs, horizon after GST.
void judge_liveness(Scenario& s);

}  // namespace model::space
