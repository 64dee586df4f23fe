#include "model/search.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "model/determinism_guard.h"
#include "model/first_error.h"
#include "model/scenario_space.h"
#include "model/world_pool.h"
#include "model/node_replica.h"

namespace model {

namespace {
constexpr std::uint64_t kNone = ~std::uint64_t{0};
// Longer limits are this one (31 years): the deadline's nanoseconds must fit.
constexpr double kLongestLimitS = 1e9;
}  // namespace

ScenarioSpace check_scenarios(const CheckSpace& c) {
  ScenarioSpace s = space::swarm({c.n});
  if (c.calm) space::calm(s);
  s.malice = {.rule = Malice::Rule::exactly, .count = c.malicious};
  if (c.strategy) s.strategies = {*c.strategy};
  if (c.network) s.modes = {*c.network};
  if (c.clients) s.clients = {*c.clients};
  if (c.requests) s.requests = {*c.requests};
  // Runs as long as a long workload needs (the swarm's budgets suit its
  // small ones).
  s.max_steps = NetworkConfig{}.max_steps;
  s.horizon_us = Scenario{}.horizon_us;
  s.mutation = c.mutation;
  s.auth = c.auth;
  s.replica = c.replica;
  if (c.liveness) {
    space::judge_liveness(s);
    s.liveness_bound_us = c.liveness_bound_us;
    s.liveness_horizon_after_gst_us = 2 * c.liveness_bound_us;
    if (c.gst_us) s.gst_us = {*c.gst_us};
  }
  return s;
}

Scenario CheckSchedules::scenario(std::uint64_t i) const {
  Tape pick = Tape::from_seed(seed_ * 0x9e3779b97f4a7c15ULL + i);
  return draw(scenarios_, pick);
}

std::string_view stop_reason_name(StopReason r) {
  switch (r) {
    case StopReason::violation: return "violation";
    case StopReason::schedules: return "schedules";
    case StopReason::time_limit: return "time_limit";
    case StopReason::interrupted: return "interrupted";
  }
  return "?";
}

std::optional<StopReason> parse_stop_reason(std::string_view name) {
  for (StopReason r : {StopReason::violation, StopReason::schedules, StopReason::time_limit, StopReason::interrupted})
    if (stop_reason_name(r) == name) return r;
  return std::nullopt;
}

SearchOutcome search(const ScheduleSpace& space, const SearchLimits& limits, SearchProgress& progress,
                     const std::function<void(double)>& tick) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                    std::min(limits.time_limit_s, kLongestLimitS)));
  const Shard shard = limits.shard;
  // Work is handed out by the shard's own count k: schedule index k*N + I.
  const std::uint64_t total = shard_size(shard, limits.schedules);
  std::atomic<std::uint64_t> next{0}, first_violation{kNone};  // counts k, not indices
  // A plugged replica must repeat itself, or no result below means anything.
  const Scenario first = space.scenario(shard.index);
  if (first.replica && total > 0) {
    try {
      expect_deterministic(first, space.tape(shard.index), fmt::format("schedule {}", shard.index));
    } catch (ReplicaFailure& e) {
      e.schedule = shard.index;
      throw;
    }
  }
  std::atomic<bool> timed_out{false};
  FirstError error;
  const auto stopping = [&] {
    if (limits.interrupt && limits.interrupt->load(std::memory_order_relaxed)) return true;
    return timed_out.load(std::memory_order_relaxed) || error.failed();
  };
  // Set once the time is up or Ctrl-C came, while no violation is known:
  // runs under way stop within a few hundred steps (Simulator::abandon_when)
  // and are not counted, so a long run cannot carry the search past its
  // limit. An abandoned index below a violation found later runs again in
  // full after the workers (below), keeping "every index below it ran".
  std::atomic<bool> abandon{false};
  std::mutex results_mutex;
  std::vector<std::uint64_t> abandoned;        // counts k
  std::vector<std::uint64_t> stopped_by_steps;  // counts k: reported only up to a violation
  std::atomic<unsigned> working{0};
  const auto run_one = [&](WorldPool& worlds, std::uint64_t k, const std::atomic<bool>* stop) {
    const std::uint64_t i = k * shard.count + shard.index;
    Tape tape = space.tape(i);
    RunResult r;
    try {
      Simulator& sim = worlds.get(space.scenario(i));
      sim.abandon_when(stop);
      r = sim.run(tape);
    } catch (ReplicaFailure& e) {
      e.schedule = i;
      throw;
    }
    if (r.abandoned) {
      const std::lock_guard lock(results_mutex);
      abandoned.push_back(k);
      return;
    }
    progress.delivered += r.stats.delivered;
    if (r.stats.stopped_by_steps) {
      const std::lock_guard lock(results_mutex);
      stopped_by_steps.push_back(k);
    }
    ++progress.done;
    if (r.violation && space.counts(i, r)) {
      std::uint64_t seen = first_violation.load();
      while (k < seen && !first_violation.compare_exchange_weak(seen, k)) {
      }
    }
  };
  const auto search_some = [&] {
    WorldPool worlds;
    for (;;) {
      // Stop before claiming, never after: indices are claimed in increasing
      // order and every claimed one runs, so all indices below a reported
      // violation have run. After a violation, smaller indices still run.
      // (The watching thread sets timed_out: no clock read per schedule.)
      if (error.failed() || (stopping() && first_violation.load() == kNone)) return;
      const std::uint64_t k = next.fetch_add(1);
      if (k >= total || k > first_violation.load()) return;
      run_one(worlds, k, &abandon);
    }
  };
  const auto worker = [&] {
    error.run(search_some);
    --working;
  };
  std::vector<std::thread> workers;
  const unsigned threads = std::max(1u, limits.threads);
  // Nodes learn how many threads wait on them, until the search ends.
  const NodeThreads node_threads(first.replica.node, threads);
  // With a time limit, an interrupt or progress to show, the calling thread
  // watches (every 10 ms: a limit is kept to well within 5%) while all the
  // workers search; otherwise it is one of them.
  const bool watch = tick || limits.time_limit_s > 0 || limits.interrupt;
  working = threads;
  for (unsigned t = watch ? 0 : 1; t < threads; ++t) workers.emplace_back(worker);
  if (watch) {
    auto last_tick = start;
    while (working.load() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      const auto now = Clock::now();
      if (limits.time_limit_s > 0 && now > deadline) timed_out = true;
      if (stopping() && first_violation.load() == kNone) abandon = true;
      if (tick && now - last_tick >= std::chrono::milliseconds(200) && !stopping()) {
        last_tick = now;
        tick(std::chrono::duration<double>(now - start).count());
      }
    }
  } else {
    worker();
  }
  for (auto& w : workers) w.join();
  error.rethrow();
  // A violation found after runs below it were abandoned: those run in full.
  if (first_violation.load() != kNone && !abandoned.empty()) {
    std::sort(abandoned.begin(), abandoned.end());
    WorldPool worlds;
    for (const std::uint64_t k : abandoned)
      if (k < first_violation.load()) run_one(worlds, k, nullptr);
  }

  SearchOutcome out;
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  out.deliveries = progress.delivered.load();
  // Runs past a violation that another thread happened to finish are not
  // part of the result: the count must not depend on the thread count.
  out.stopped_by_steps = static_cast<std::uint64_t>(
      std::count_if(stopped_by_steps.begin(), stopped_by_steps.end(),
                    [&](std::uint64_t k) { return k <= first_violation.load(); }));
  if (const std::uint64_t k = first_violation.load(); k != kNone) {
    out.violation = k * shard.count + shard.index;
    out.schedules = k + 1;
    out.stopped_by = StopReason::violation;
  } else {
    out.schedules = progress.done.load();
    const bool interrupted = limits.interrupt && limits.interrupt->load();
    out.stopped_by = out.schedules >= total ? StopReason::schedules
                     : interrupted          ? StopReason::interrupted
                                            : StopReason::time_limit;
  }
  return out;
}

}  // namespace model
