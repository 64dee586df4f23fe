#pragma once
// The choice tape as a RapidCheck value: a vector of integers, each reduced
// modulo k when the simulator picks from k options. RapidCheck shrinks it by
// removing runs and lowering values toward 0, and 0 is always the benign
// choice, so a shrunk tape tells the simplest story.
#include <cstdint>
#include <vector>

#include <rapidcheck.h>

namespace props {

// Up to `factor` × size values (RapidCheck's size grows to 100 over a run),
// spread over the full 32-bit range once the size is large. Shrinks by
// truncating, removing and zeroing chunks (a bounded number of candidates
// per step), never value by value.
rc::Gen<std::vector<std::uint32_t>> gen_tape(std::uint32_t factor = 30);

}  // namespace props
