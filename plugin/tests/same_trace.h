#pragma once
// A plugged replica (a plug-in or a node) against the native one: one
// scenario from the same seed gives the same trace bytes (but for the
// header's record of which replica ran), and every stored
// regression replays to its recorded verdict and hash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

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

// The trace's text without the header's record of which replica ran: the
// one thing a plugged run's trace may differ in.
inline std::string without_replica_record(const std::string& text) {
  const auto end = text.find('\n');
  nlohmann::json header = nlohmann::json::parse(text.substr(0, end));
  header.erase("replica");
  return header.dump() + text.substr(end);
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

  // Per suite and test: ctest runs them in parallel, and the plug-in's and
  // the node's tests have the same names.
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string prefix = std::string(PLUGIN_TEST_TMP) + "/" + test->test_suite_name() + "." + test->name();
  const std::string a = prefix + "-native.jsonl", b = prefix + "-plugin.jsonl";
  Scenario plain = s;
  plain.replica = {};
  write_trace(a, plain, native.tape);
  write_trace(b, s, native.tape);
  const std::string native_text = slurp(a);
  EXPECT_FALSE(native_text.empty());
  const std::string plugged_text = slurp(b);
  const auto header = [](const std::string& text) { return nlohmann::json::parse(text.substr(0, text.find('\n'))); };
  EXPECT_FALSE(header(native_text).contains("replica")) << name;
  EXPECT_TRUE(header(plugged_text).contains("replica")) << name;
  EXPECT_EQ(first_difference(native_text, without_replica_record(plugged_text)), "") << name;
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
