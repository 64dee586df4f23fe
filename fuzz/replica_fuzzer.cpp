// replica_fuzzer: arbitrary sequences of messages (from any authenticated
// sender), client requests and timer expiries into one pbft::Replica. It
// must never crash, keep its footprint bounded and never break its local
// sanity rules (fuzz/replica_harness.h lists the checks and the layout).
#include <cstdio>
#include <cstdlib>

#include "fuzz/replica_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::ReplicaRun r = fuzz::run_replica({data, size}, true);
  if (!r.failure.empty()) {
    std::fprintf(stderr, "==pbftsim== replica violation: %s\n", r.failure.c_str());
    std::fflush(stderr);
    std::abort();
  }
  return 0;
}
