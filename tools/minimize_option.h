#pragma once
// --minimize-runs, shared by check and minimize: the minimizer's run cap.
#include <cstdint>

#include <CLI/CLI.hpp>

#include "model/minimizer.h"

namespace tools {

inline void add_minimize_runs_option(CLI::App* cmd, std::uint64_t& runs) {
  cmd->add_option("--minimize-runs", runs,
                  "cap on the minimizer's simulations (a slow replica across a process boundary may want fewer)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}))
      ->capture_default_str();
}

}  // namespace tools
