#pragma once
// Shared scenario builders and file helpers for the model/ test suite.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "model/simulator.h"
#include "model/tape.h"

namespace model::testing {

// A scenario with small checkpoint/watermark settings so that checkpoints and
// log garbage collection happen within a handful of requests.
inline Scenario small_scenario(std::uint32_t n, NetworkMode mode, std::vector<Fault> faults = {},
                               std::uint32_t requests = 5) {
  Scenario s;
  s.config = pbft::make_config(n);
  s.config.checkpoint_interval = 2;
  s.config.watermark_window = 4;
  s.network.mode = mode;
  s.network.max_steps = 4'000;
  s.workload.clients = 1;
  s.workload.requests_per_client = requests;
  s.faults = std::move(faults);
  s.horizon_us = 10'000'000;
  return s;
}

inline RunResult run_seed(const Scenario& s, std::uint64_t seed) {
  Tape t = Tape::from_seed(seed);
  return run_scenario(s, t);
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

#include <gtest/gtest.h>

namespace model::testing {
// EXPECT_TRUE(contains(text, "needle")) with a readable failure message.
inline ::testing::AssertionResult contains(const std::string& text, const std::string& needle) {
  if (text.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << needle << "\"";
}
}  // namespace model::testing
