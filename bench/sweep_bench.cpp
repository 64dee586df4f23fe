// The sweep's cost: the tutorial's default experiment (n = 10, malicious
// 0..9, 6 trials: 60 trials) and the same with full PBFT, per sweep and per
// trial. The CLI adds process start and printing on top (README).
#include <benchmark/benchmark.h>

#include "model/sweep.h"

namespace {

void run_sweeps(benchmark::State& state, model::SweepConfig c) {
  std::uint64_t trials = 0;
  for (auto _ : state) {
    const model::SweepResult r = model::run_sweep(c);
    for (const auto& p : r.points) trials += p.trials;
    benchmark::DoNotOptimize(r.points.data());
  }
  state.counters["trials/s"] = benchmark::Counter(static_cast<double>(trials), benchmark::Counter::kIsRate);
}

void BM_DefaultSweep(benchmark::State& state) { run_sweeps(state, model::SweepConfig{}); }

void BM_PbftSweepN4(benchmark::State& state) {
  model::SweepConfig c;
  c.profile = model::Profile::pbft;
  c.n = 4;
  c.malicious = {0, 1};
  c.trials = 20;
  run_sweeps(state, c);
}

BENCHMARK(BM_DefaultSweep)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PbftSweepN4)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
