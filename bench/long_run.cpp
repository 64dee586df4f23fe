// One long run: n = 4, all honest, timed mode, a million requests (by
// default), trace off. Prints wall time and peak resident memory, which
// must stay bounded: the log is garbage-collected at checkpoints and the
// simulator keeps no unbounded history.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "model/simulator.h"

int main(int argc, char** argv) {
  const std::uint32_t requests = argc > 1 ? static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 1'000'000;
  model::Scenario s;
  s.config = pbft::make_config(4);
  s.workload.requests_per_client = requests;
  s.horizon_us = ~std::uint64_t{0} / 2;
  model::Tape tape = model::Tape::from_seed(1);
  const auto start = std::chrono::steady_clock::now();
  const model::RunResult r = model::run_scenario(s, tape);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("requests=%u accepted=%llu all_executed=%d violation=%s deliveries=%llu wall=%.2fs "
              "ns/delivery=%.0f peak_rss=%.1fMiB\n",
              requests, static_cast<unsigned long long>(r.stats.accepted), r.all_executed,
              r.violation ? r.violation->description.c_str() : "none",
              static_cast<unsigned long long>(r.stats.delivered), secs, secs * 1e9 / static_cast<double>(r.stats.delivered),
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  return r.violation || !r.all_executed ? 1 : 0;
}
