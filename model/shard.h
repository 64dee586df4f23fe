#pragma once
// A slice of a numbered family (schedules of a search, trials of a sweep
// point) for one of N machines: shard I/N owns the indices i with
// i mod N = I, so N shards' results merge into exactly one machine's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace model {

struct Shard {
  std::uint64_t index = 0, count = 1;
  bool owns(std::uint64_t i) const { return i % count == index; }
  friend bool operator==(const Shard&, const Shard&) = default;
};

// "I/N" with 0 <= I < N; nullopt otherwise.
std::optional<Shard> parse_shard(std::string_view text);
std::string shard_text(const Shard& s);  // "I/N"

// Indices of the shard in [0, end).
std::uint64_t shard_size(const Shard& s, std::uint64_t end);

}  // namespace model
