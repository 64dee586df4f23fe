// Simulator throughput: runs per second and nanoseconds per delivered
// message, one request, all honest, timed mode (issue: the engine's cost).
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>

#include "model/node_replica.h"
#include "model/plugin_replica.h"
#include "model/simulator.h"
#include "model/trace.h"

namespace {

model::Scenario one_request(std::uint32_t n) {
  model::Scenario s;
  s.config = pbft::make_config(n);
  return s;
}

// The built-in replica loaded through the plug-in ABI: what the boundary
// (encoding, decoding, calls through the table) costs per delivery.
model::Scenario one_request_plugged(std::uint32_t n) {
  static const auto library = model::ReplicaLibrary::load(BUILTIN_PLUGIN);
  model::Scenario s = one_request(n);
  s.replica.library = library;
  return s;
}

// The built-in replica served as `pbftsim node` processes: a pipe round
// trip and the JSON on both sides per delivery.
model::Scenario one_request_node(std::uint32_t n) {
  static const auto node =
      std::make_shared<const model::NodeCommand>(std::string(PBFTSIM_BIN) + " node", std::chrono::seconds(10));
  model::Scenario s = one_request(n);
  s.replica.node = node;
  return s;
}

// Counts events like a trace writer would, without the file system.
class NullSink final : public model::TraceSink {
 public:
  void on_event(const model::TraceEvent& e) override { bytes_ += e.seq + 1; }
  std::uint64_t bytes_ = 0;
};

enum class Replica { native, plugin, node };

void run_many(benchmark::State& state, bool trace_json, Replica replica = Replica::native) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const auto s = replica == Replica::plugin ? one_request_plugged(n)
                 : replica == Replica::node ? one_request_node(n)
                                            : one_request(n);
  // As a search on this many threads tells the nodes (when to wait awake).
  if (s.replica.node) s.replica.node->set_threads(static_cast<unsigned>(state.threads()));
  model::Simulator sim(s);  // reused across runs, as searches and sweeps do
  std::uint64_t seed = 0, delivered = 0;
  for (auto _ : state) {
    model::Tape tape = model::Tape::from_seed(++seed);
    if (trace_json) {
      // The full JSON-lines writer, to a scratch file.
      model::TraceWriter writer("/tmp/pbftsim-bench-trace.jsonl", s, {});
      auto r = sim.run(tape, &writer);
      delivered += r.stats.delivered;
      writer.finish(r);
    } else {
      auto r = sim.run(tape);
      delivered += r.stats.delivered;
      benchmark::DoNotOptimize(r.event_hash);
    }
  }
  state.counters["runs/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["ns/delivery"] = benchmark::Counter(static_cast<double>(delivered),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["deliveries/run"] = static_cast<double>(delivered) / static_cast<double>(state.iterations());
}

void BM_OneRequest(benchmark::State& state) { run_many(state, false); }
void BM_OneRequestPlugin(benchmark::State& state) { run_many(state, false, Replica::plugin); }
void BM_OneRequestNode(benchmark::State& state) { run_many(state, false, Replica::node); }

// The same, building a fresh world per run: what reuse saves.
void BM_OneRequestFreshWorld(benchmark::State& state) {
  const auto s = one_request(static_cast<std::uint32_t>(state.range(0)));
  std::uint64_t seed = 0;
  for (auto _ : state) {
    model::Tape tape = model::Tape::from_seed(++seed);
    benchmark::DoNotOptimize(model::run_scenario(s, tape).event_hash);
  }
  state.counters["runs/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
void BM_OneRequestTraced(benchmark::State& state) { run_many(state, true); }

BENCHMARK(BM_OneRequest)->Arg(4)->Arg(10)->Arg(31)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OneRequestPlugin)->Arg(4)->Arg(10)->Arg(31)->Unit(benchmark::kMicrosecond);
// Real time: the time goes to the node processes, not this thread. With
// threads, ns/delivery is per thread: the group delivers threads x 1e9 / it.
BENCHMARK(BM_OneRequestNode)->Arg(4)->Arg(10)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OneRequestFreshWorld)->Arg(4)->Arg(10)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OneRequestTraced)->Arg(4)->Arg(10)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
