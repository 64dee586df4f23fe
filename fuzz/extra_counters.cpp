#include "fuzz/extra_counters.h"

extern "C" {
__attribute__((used, section("__libfuzzer_extra_counters"))) std::uint8_t
    pbftsim_extra_counters[fuzz::kExtraCounters];
}
