#pragma once
// Deterministic 64-bit mixing (splitmix64 finalizer) for digests. Not
// cryptographic: signatures and collision resistance are modelled, not computed.
#include <cstdint>

namespace pbft {

constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::uint64_t combine(std::uint64_t seed, std::uint64_t value) {
  return mix64(seed ^ mix64(value));
}

}  // namespace pbft
