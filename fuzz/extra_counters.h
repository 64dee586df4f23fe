#pragma once
// libFuzzer's extra counters: every non-zero byte of the section
// "__libfuzzer_extra_counters" is a coverage feature (bucketed by value),
// read after each input and cleared before the next. Without libFuzzer the
// array is written and never read.
#include <algorithm>
#include <cstddef>
#include <cstdint>

extern "C" std::uint8_t pbftsim_extra_counters[];

namespace fuzz {

inline constexpr std::size_t kExtraCounters = 1024;

inline void bump_counter(std::size_t index, std::uint64_t by = 1) {
  std::uint8_t& c = pbftsim_extra_counters[index % kExtraCounters];
  c = static_cast<std::uint8_t>(std::min<std::uint64_t>(255, c + by));
}

}  // namespace fuzz
