// attack_fuzzer: schedule_fuzzer's scenarios with f+1 faulty replicas, beyond
// what PBFT tolerates, so violations are expected: it measures how fast the
// harness finds one (not part of the green runs). Liveness is not checked.
// Same bytes layout and environment as schedule_fuzzer.
#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_target.h"

namespace {
fuzz::ScheduleOptions options;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  options = fuzz::options_from_env(fuzz::Malice::f_plus_one);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::fuzz_schedule("attack", data, size, options);
  return 0;
}
