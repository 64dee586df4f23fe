// wire_fuzzer: arbitrary bytes as a message from a replica plug-in
// (include/pbftsim/replica_plugin.h). The harness decodes everything a
// plug-in sends, so decoding must refuse garbage (wire::Malformed) without
// crashing or allocating without bound, and what it accepts must encode
// back to the same bytes: the format has exactly one encoding per message.
#include <cstdio>
#include <cstdlib>

#include "plugin/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pbft::Message m;
  try {
    m = wire::decode_message({data, size});
  } catch (const wire::Malformed&) {
    return 0;
  }
  wire::Bytes again;
  wire::encode(m, again);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) {
    std::fprintf(stderr, "==pbftsim== wire: %zu bytes decoded to a %s that encodes to %zu other bytes\n", size,
                 pbft::kind_name(pbft::kind_of(m)), again.size());
    std::fflush(stderr);
    std::abort();
  }
  return 0;
}
