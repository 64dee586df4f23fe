#pragma once
// A plugged replica (a plug-in or a node) against the native one: one
// scenario from the same seed gives the same trace bytes, and every stored
// regression replays to its recorded verdict and hash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "model/counterexample.h"
#include "model/replica_impl.h"
#include "model/trace.h"

namespace model::testing {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "" when equal, else the first line that differs (gtest's own diff of two
// long traces takes minutes).
inline std::string first_difference(const std::string& native, const std::string& plugged) {
  std::istringstream a(native), b(plugged);
  std::string x, y;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, x)), more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) return "";
    if (x != y || more_a != more_b)
      return "line " + std::to_string(line) + ": native " + (more_a ? x : "(end)") + "\n  plug-in " + (more_b ? y : "(end)");
  }
}

// Writes the scenario's trace natively and through the plug-in, from the
// same seed, and expects the two files to be identical. Returns how deep
// the run went, so a test can show it crossed every part of the protocol.
inline ProtocolCoverage expect_same_trace(Scenario s, const ReplicaImpl& plugged_in, std::uint64_t seed,
                                         const std::string& name) {
  EXPECT_FALSE(s.replica);
  Tape native_tape = Tape::from_seed(seed);
  const Recorded native = run_recorded(s, native_tape);
  s.replica = plugged_in;
  Tape plugin_tape = Tape::from_seed(seed);
  const Recorded plugged = run_recorded(s, plugin_tape);
  EXPECT_EQ(plugged.tape, native.tape) << name;
  EXPECT_EQ(plugged.result.event_hash, native.result.event_hash) << name;

  // Per test: ctest runs them in parallel.
  const std::string prefix =
      std::string(PLUGIN_TEST_TMP) + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const std::string a = prefix + "-native.jsonl", b = prefix + "-plugin.jsonl";
  Scenario plain = s;
  plain.replica = {};
  write_trace(a, plain, native.tape);
  write_trace(b, s, native.tape);
  const std::string native_text = slurp(a);
  EXPECT_FALSE(native_text.empty());
  EXPECT_EQ(first_difference(native_text, slurp(b)), "") << name;
  return plugged.result.coverage;
}

// Replays every stored regression with the plugged replica: each must give
// its recorded verdict and event hash. Returns how many were replayed.
inline std::size_t expect_regressions_replay(const ReplicaImpl& plugged_in) {
  std::size_t replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(PBFTSIM_SOURCE_DIR) + "/corpus/regressions")) {
    if (entry.path().extension() != ".jsonl") continue;
    Trace t = read_trace(entry.path().string());
    t.scenario.replica = plugged_in;
    const RunResult r = replay(t);
    EXPECT_EQ(r.event_hash, t.event_hash) << entry.path();
    EXPECT_EQ(r.violation ? std::optional(r.violation->kind) : std::nullopt, t.verdict) << entry.path();
    ++replayed;
  }
  return replayed;
}

}  // namespace model::testing
