#include "fuzz/schedule_target.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "fuzz/protocol_guidance.h"
#include "model/counterexample.h"
#include "model/world_pool.h"

namespace fuzz {

namespace {

// Worlds reused across inputs: building one costs about as much as a run
// (100 us at n = 4), and a third of libFuzzer's mutations touch the header.
model::Simulator& world_for(const ScheduleInput& in) {
  static model::WorldPool worlds(2048, /*hashing=*/false);  // a violation is re-run, hashed, by report()
  return worlds.get(in.scenario);
}

std::string trace_dir() { return knobs().traces; }

[[noreturn]] void report(const char* name, const ScheduleInput& in, const model::Violation& v) {
  std::fprintf(stderr, "==pbftsim== %s violation: %s\n", name, v.description.c_str());
  std::fprintf(stderr, "==pbftsim== signature: %s\n", violation_signature(v).c_str());
  std::string path;
  try {
    model::record_counterexample(
        in.scenario, model::Tape::from_bytes(in.tape),
        [&](const model::RunResult& found) {
          if (!found.violation || found.violation->description != v.description)
            std::fprintf(stderr, "==pbftsim== NOT REPRODUCED by a fresh world (determinism bug): %s\n",
                         found.violation ? found.violation->description.c_str() : "no violation");
          path = fmt::format("{}/{}-{}-{:016x}.jsonl", trace_dir(), name, model::violation_name(v.kind),
                             found.event_hash);
          return path;
        },
        /*shrink=*/false);
    std::fprintf(stderr, "==pbftsim== trace: %s\n==pbftsim== replay: pbftsim replay %s\n", path.c_str(),
                 path.c_str());
  } catch (const std::exception& e) {  // an unwritable trace folder, or no violation on re-run
    std::fprintf(stderr, "==pbftsim== could not write the trace: %s\n", e.what());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace

std::string violation_signature(const model::Violation& v) {
  std::string out(model::violation_name(v.kind));
  out += '/';
  const std::string& d = v.description;
  std::size_t i = d.find(": ");
  i = i == std::string::npos ? 0 : i + 2;
  while (i < d.size()) {
    const auto c = static_cast<unsigned char>(d[i]);
    if (std::isxdigit(c)) {
      // A number or hex digest: one '#' for the whole token.
      std::size_t j = i;
      while (j < d.size() && std::isxdigit(static_cast<unsigned char>(d[j]))) ++j;
      bool is_number = false;
      for (std::size_t k = i; k < j; ++k) is_number |= std::isdigit(static_cast<unsigned char>(d[k])) != 0;
      const bool word = (i > 0 && std::isalpha(static_cast<unsigned char>(d[i - 1]))) ||
                        (j < d.size() && std::isalpha(static_cast<unsigned char>(d[j])));
      if (is_number && !word) {
        out += '#';
        i = j;
        continue;
      }
      out.append(d, i, j - i);
      i = j;
      continue;
    }
    out += d[i++];
  }
  out += v.view == 0 ? " [view 0]" : " [after a view change]";
  return out;
}

model::RunResult run_schedule(const ScheduleInput& in) {
  Guidance& g = Guidance::get();
  model::TraceSink* sink = g.begin(in.scenario, in.context);
  model::Tape tape = model::Tape::from_bytes(in.tape);
  model::RunResult r = world_for(in).run(tape, sink);
  g.finish(in.scenario, r);
  return r;
}

void fuzz_schedule(const char* name, const std::uint8_t* data, std::size_t size, const ScheduleOptions& o) {
  const ScheduleInput in = decode_schedule({data, size}, o);
  const model::RunResult r = run_schedule(in);
  if (r.violation && ((o.abort_kinds >> static_cast<unsigned>(r.violation->kind)) & 1))
    report(name, in, *r.violation);
}

}  // namespace fuzz
