// trace_fuzzer: arbitrary bytes into the trace reader (model::parse_trace).
// It must either accept or reject with model::InputError, never crash or
// throw anything else. Every accepted trace is replayed twice against its
// recorded events (model::RecordedEventCheck), which must not crash and must
// give the same event hash. No header is skipped as too large: the reader's
// limits (model/scenario_limits.h) are what keeps a replay bounded, so the
// fuzzer reaches them; only the replay is cut short, at kDeliveries, to keep
// the fuzzer fast.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/scenario_json.h"
#include "model/trace.h"
#include "model/trace_check.h"

namespace {

constexpr std::uint64_t kDeliveries = 4'000;

struct Replayed {
  std::uint64_t hash = 0;
  std::optional<std::string> difference;
};

Replayed replay_cut_short(const model::Trace& t) {
  model::Simulator sim(t.scenario);
  sim.limit_deliveries(kDeliveries);
  model::RecordedEventCheck check(t);
  model::Tape tape = model::Tape::from_values(t.tape);
  const model::RunResult r = sim.run(tape, &check);
  return {r.event_hash, check.difference()};
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
  const Replayed a = replay_cut_short(t);
  const Replayed b = replay_cut_short(t);
  if (a.hash != b.hash || a.difference != b.difference) {
    std::fprintf(stderr, "==pbftsim== trace replay is not deterministic: %016llx then %016llx\n",
                 static_cast<unsigned long long>(a.hash), static_cast<unsigned long long>(b.hash));
    std::abort();
  }
  return 0;
}
