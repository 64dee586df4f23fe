// hostile_profile [SCHEDULES] [--liveness] [--requests R --clients C]: what
// the first schedules of `check`'s hostile default do, in aggregate: view
// changes, requests not executed everywhere, latency of accepted requests
// (timed runs), deliveries and rejections. For comparing two builds of the
// replica on the same schedules (the numbers depend only on the code).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "model/search.h"
#include "model/simulator.h"

int main(int argc, char** argv) {
  std::uint64_t schedules = 20'000;
  model::CheckSpace c;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--liveness") == 0) c.liveness = true;
    else if (std::strcmp(argv[i], "--requests") == 0 && i + 1 < argc) c.requests = static_cast<std::uint32_t>(std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--clients") == 0 && i + 1 < argc) c.clients = static_cast<std::uint32_t>(std::atoi(argv[++i]));
    else schedules = std::strtoull(argv[i], nullptr, 10);
  }
  const model::CheckSchedules space(c);
  std::uint64_t view_changes = 0, incomplete = 0, violations = 0, delivered = 0, rejections = 0, timed = 0;
  std::vector<std::uint64_t> latencies;
  for (std::uint64_t i = 0; i < schedules; ++i) {
    model::Tape tape = space.tape(i);
    const model::RunResult r = model::run_scenario(space.scenario(i), tape);
    view_changes += r.stats.view_changes;
    incomplete += !r.all_executed;
    violations += r.violation.has_value();
    delivered += r.stats.delivered;
    rejections += r.coverage.rejections;
    timed += r.stats.end_time_us > 0;
    latencies.insert(latencies.end(), r.stats.latencies_us.begin(), r.stats.latencies_us.end());
  }
  std::sort(latencies.begin(), latencies.end());
  const auto pct = [&](double p) {
    return latencies.empty() ? 0.0 : static_cast<double>(latencies[static_cast<std::size_t>(p * static_cast<double>(latencies.size() - 1))]) / 1000.0;
  };
  double mean = 0;
  for (auto l : latencies) mean += static_cast<double>(l) / 1000.0;
  if (!latencies.empty()) mean /= static_cast<double>(latencies.size());
  std::printf("schedules=%llu timed=%llu violations=%llu not_all_executed=%llu new_views=%llu deliveries=%llu "
              "rejections=%llu accepted_timed=%zu latency_ms mean=%.1f p50=%.1f p90=%.1f p99=%.1f max=%.1f\n",
              static_cast<unsigned long long>(schedules), static_cast<unsigned long long>(timed),
              static_cast<unsigned long long>(violations), static_cast<unsigned long long>(incomplete),
              static_cast<unsigned long long>(view_changes), static_cast<unsigned long long>(delivered),
              static_cast<unsigned long long>(rejections), latencies.size(), mean, pct(0.5), pct(0.9), pct(0.99),
              pct(1.0));
  return 0;
}
