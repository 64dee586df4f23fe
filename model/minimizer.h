#pragma once
// Minimization of a violating run: first the scenario (a smaller workload, a
// calm network, fewer and plainer faulty replicas, fewer replicas), then the
// tape (delete runs of choices, then every single choice removed or lowered),
// repeated to a fixed point. A change is kept only while the same kind of
// violation still shows in no more deliveries, so the story never grows.
// The result replays exactly.
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "model/simulator.h"

namespace model {

struct Minimized {
  Scenario scenario;
  std::vector<std::uint32_t> tape;
  RunResult result;
  std::uint64_t runs = 0;  // simulations spent
  bool capped = false;     // stopped by max_runs before a fixed point
  bool interrupted = false;  // stopped by `stop` (Ctrl-C): the smallest found so far
};

// Runs of the built-in replica are tens of microseconds, so the default
// cap is seconds of work; a replica across a process boundary may need a
// lower one (`--minimize-runs`).
inline constexpr std::uint64_t kDefaultMinimizeRuns = 100'000;

// nullopt when the input does not produce a violation to begin with.
// Once *stop is set (a signal handler's flag), it ends at the next run
// with the smallest counterexample so far.
std::optional<Minimized> minimize(const Scenario& s, const std::vector<std::uint32_t>& tape,
                                  std::uint64_t max_runs = kDefaultMinimizeRuns,
                                  const std::atomic<bool>* stop = nullptr);

// 1-minimality of a minimized tape: removing any single choice, or setting
// it to 0 or one lower, loses the violation of this kind or takes more
// deliveries to show it. Empty when it holds; otherwise the change that
// keeps the violation, said in words.
std::string one_minimality_gap(const Scenario& s, const std::vector<std::uint32_t>& tape);

}  // namespace model
