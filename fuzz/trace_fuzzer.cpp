// trace_fuzzer: arbitrary bytes into the trace reader (model::parse_trace).
// It must either accept or reject with model::InputError, never crash or
// throw anything else. An accepted trace whose scenario is small is also
// replayed twice, which must not crash and must give the same event hash.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/scenario_json.h"
#include "model/trace.h"

namespace {

// Small enough to replay in a few milliseconds.
bool small(const model::Trace& t) {
  const auto& s = t.scenario;
  const auto& net = s.network;
  return s.config.n <= 7 && s.config.watermark_window <= 64 && s.config.max_clients <= 16 &&
         s.config.max_buffered <= 256 && s.config.view_change_timeout_us >= 10'000 &&
         s.workload.clients <= 4 && s.workload.requests_per_client <= 8 &&
         s.workload.client_timeout_us >= 10'000 && s.workload.open_loop_interval_us >= 100 &&
         net.max_steps <= 4'000 && net.max_delay_us <= 1'000'000 && net.tail_max_us <= 1'000'000 &&
         net.tail_mean_us <= 1'000'000 && net.retransmit_after_us >= 1'000 && net.partitions.size() <= 4 &&
         s.horizon_us <= 30'000'000 && t.tape.size() <= 4'096;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  model::Trace t;
  try {
    t = model::parse_trace(text, "input");
  } catch (const model::InputError&) {
    return 0;  // rejected, as it should be
  }
  if (!small(t)) return 0;
  const model::RunResult a = model::replay(t);
  const model::RunResult b = model::replay(t);
  if (a.event_hash != b.event_hash) {
    std::fprintf(stderr, "==pbftsim== trace replay is not deterministic: %016llx then %016llx\n",
                 static_cast<unsigned long long>(a.event_hash), static_cast<unsigned long long>(b.event_hash));
    std::abort();
  }
  return 0;
}
