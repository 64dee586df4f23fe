// schedule_fuzzer: bytes -> a small scenario (n = 4 or 7, at most f faulty
// replicas with any strategies, async or timed network) and the choice tape;
// every checker runs, liveness too in timed mode. A violation prints its
// description and the path of the trace it wrote, then aborts.
// Layout of the bytes: fuzz/schedule_input.h. Environment:
//   PBFTSIM_FUZZ_TRACES=DIR        where violation traces go (default: .)
//   PBFTSIM_FUZZ_N=4|7             pin n
//   PBFTSIM_FUZZ_MUTATION=NAME     switch a bug-catalog entry on
//   PBFTSIM_FUZZ_GUIDANCE=0|1|2    protocol-state counters (protocol_guidance.h)
//   PBFTSIM_FUZZ_MILESTONES=1      print when each protocol milestone is first reached
//   PBFTSIM_FUZZ_LIVENESS=0        safety checkers only
//   PBFTSIM_FUZZ_KINDS=a,b         abort only on these violation kinds (e.g. agreement)
#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_target.h"

namespace {
fuzz::ScheduleOptions options;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  options = fuzz::options_from_env(fuzz::Malice::up_to_f);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::fuzz_schedule("schedule", data, size, options);
  return 0;
}
