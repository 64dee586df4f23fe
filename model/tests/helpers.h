#pragma once
// Shared scenario builders and file helpers for the model/ test suite.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "model/scenario_space.h"
#include "model/simulator.h"
#include "model/tape.h"
#include "model/trace.h"

namespace model::testing {

// A scenario with small checkpoint/watermark settings so that checkpoints and
// log garbage collection happen within a handful of requests.
inline Scenario small_scenario(std::uint32_t n, NetworkMode mode, std::vector<Fault> faults = {},
                               std::uint32_t requests = 5) {
  ScenarioSpace s;
  s.sizes = {n};
  s.fixed_faults = std::move(faults);
  s.modes = {mode};
  s.max_steps = 4'000;
  s.requests = {requests};
  s.horizon_us = 10'000'000;
  Tape none = Tape::from_values({});  // a fixed scenario: nothing to pick
  return draw(s, none);
}

inline RunResult run_seed(const Scenario& s, std::uint64_t seed) {
  Tape t = Tape::from_seed(seed);
  return run_scenario(s, t);
}

// The split attack with f+1 = 2 colluders at n = 4 (replicas 0 and 1): enough
// to break agreement.
inline Scenario split_pair(NetworkMode mode) {
  return small_scenario(4, mode, {{0, StrategyKind::split}, {1, StrategyKind::split}}, 3);
}

struct FirstViolation {
  std::uint64_t seed = 0;
  Recorded recorded;  // its tape and result
  const Violation& violation() const { return *recorded.result.violation; }
};

// The first seed in [1, limit] whose run shows a violation (of one of
// `wanted`, when given), recorded so that its tape can be replayed.
inline std::optional<FirstViolation> first_violating(const Scenario& s, std::uint64_t limit = 200,
                                                     std::initializer_list<ViolationKind> wanted = {}) {
  for (std::uint64_t seed = 1; seed <= limit; ++seed) {
    Tape t = Tape::from_seed(seed);
    Recorded rec = run_recorded(s, t);
    if (!rec.result.violation) continue;
    bool match = wanted.size() == 0;
    for (ViolationKind k : wanted) match = match || rec.result.violation->kind == k;
    if (match) return FirstViolation{seed, std::move(rec)};
  }
  return std::nullopt;
}

inline std::string tmp_path(const std::string& name) {
  return (std::filesystem::path(MODEL_TEST_TMP) / name).string();
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

inline std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// A short description of a violation for failure messages.
inline std::string describe(const RunResult& r) {
  return r.violation ? r.violation->description : std::string("no violation");
}

}  // namespace model::testing
