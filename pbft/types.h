#pragma once
// Basic identifiers of the protocol. Plain integers so messages stay trivially
// copyable and cheap to move through the simulator.
#include <cstdint>

namespace pbft {

using ReplicaId = std::uint32_t;
using ClientId = std::uint32_t;
using View = std::uint64_t;
using Seq = std::uint64_t;
using Digest = std::uint64_t;
using Timestamp = std::uint64_t;

// A digest no request can have: marks "no vote recorded" in vote tables.
inline constexpr Digest kNoDigest = 0;
// The digest of the null request that fills gaps in a new view (paper §4.4).
inline constexpr Digest kNullDigest = 0x6e756c6c'72657121ULL;

}  // namespace pbft
