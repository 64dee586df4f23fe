#pragma once
// What a simulated run can hold of a plugged replica's effects, through the
// C ABI or the node protocol alike: bounds that keep a replica's slip from
// hanging the simulator (a zero-delay timer re-armed forever) or making a
// checker allocate per sequence number up to 2^64. A replica past them is
// unusable (exit 2), not unsafe.
#include <cstdint>

namespace wire {

inline constexpr std::uint64_t kMaxTimerDelayUs = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kMaxSeq = std::uint64_t{1} << 32;

}  // namespace wire
