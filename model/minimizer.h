#pragma once
// Delta debugging on the tape: delete runs of choices, lower values toward 0,
// then shrink the workload, keeping each change only while the same kind of
// violation still reproduces. The result replays exactly.
#include <optional>
#include <vector>

#include "model/simulator.h"

namespace model {

struct Minimized {
  Scenario scenario;
  std::vector<std::uint32_t> tape;
  RunResult result;
  std::uint64_t runs = 0;  // simulations spent
};

// nullopt when the input does not produce a violation to begin with.
std::optional<Minimized> minimize(const Scenario& s, const std::vector<std::uint32_t>& tape,
                                  std::uint64_t max_runs = 20'000);

}  // namespace model
