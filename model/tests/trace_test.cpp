// Traces: write → read → replay reproduces the stored hash and verdict; damaged
// traces are rejected with "<path>:<line>: ..."; failed writes leave nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "helpers.h"
#include "model/scenario_json.h"
#include "model/tests/input_error_of.h"
#include "model/trace.h"

namespace model {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::lines_of;
using testing::join_lines;
using testing::slurp;
using testing::first_violating;
using testing::small_scenario;
using testing::spit;
using testing::split_pair;
using testing::tmp_path;

// A valid trace written from a small faulty run, as text.
std::string good_trace(const std::string& path) {
  const Scenario s = small_scenario(4, NetworkMode::timed, {{2, StrategyKind::equivocate}}, 2);
  Tape t = Tape::from_seed(3);
  const Recorded rec = run_recorded(s, t);
  EXPECT_NO_THROW(write_trace(path, s, rec.tape));
  return slurp(path);
}

// How many lines good_trace writes (header, events, end). The probe file is
// named after the running test: ctest runs tests in parallel.
std::size_t good_line_count() {
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  return lines_of(good_trace(tmp_path("probe_" + test + ".jsonl"))).size();
}

TEST(Trace, WriteReadReplayReproducesTheHash) {
  for (NetworkMode mode : {NetworkMode::timed, NetworkMode::async}) {
    Scenario s = small_scenario(4, mode, {{1, StrategyKind::conflicting_votes}}, 4);
    s.network.drop_probability = 0.02;
    s.network.gst_us = 200'000;
    Tape t = Tape::from_seed(21);
    const Recorded rec = run_recorded(s, t);
    const std::string path = tmp_path(mode == NetworkMode::timed ? "roundtrip_timed.jsonl" : "roundtrip_async.jsonl");
    RunResult written;
    ASSERT_NO_THROW(write_trace(path, s, rec.tape, &written));
    EXPECT_EQ(written.event_hash, rec.result.event_hash);

    const Trace trace = read_trace(path);
    EXPECT_EQ(trace.event_hash, rec.result.event_hash);
    EXPECT_EQ(trace.tape, rec.tape);
    EXPECT_EQ(to_json(trace.scenario), to_json(s));
    EXPECT_FALSE(trace.verdict);
    EXPECT_EQ(trace.events() + 2, lines_of(slurp(path)).size());  // header + events + end
    const RunResult again = replay(trace);
    EXPECT_EQ(again.event_hash, trace.event_hash);
    EXPECT_FALSE(again.violation);
  }
}

// A send belongs to the step (and in timed mode the time) of the delivery
// or timer that caused it: explain groups a step's sends under its cause.
TEST(Trace, SendsCarryTheStepAndTimeOfTheirCause) {
  struct Sink : TraceSink {
    std::uint64_t step = 0, time_us = 0, sends = 0, misplaced = 0;
    void on_event(const TraceEvent& e) override {
      if (e.type != EventType::send) {
        step = e.step;
        time_us = e.time_us;
        return;
      }
      ++sends;
      if (e.step != step || e.time_us != time_us) ++misplaced;
    }
  };
  for (NetworkMode mode : {NetworkMode::timed, NetworkMode::async}) {
    const Scenario s = small_scenario(4, mode, {{1, StrategyKind::equivocate}}, 3);
    Tape t = Tape::from_seed(7);
    Sink sink;
    run_scenario(s, t, &sink);
    EXPECT_GT(sink.sends, 0u);
    EXPECT_EQ(sink.misplaced, 0u) << "of " << sink.sends << " sends";
  }
}

TEST(Trace, VerdictRoundTripsForAViolatingRun) {
  for (NetworkMode mode : {NetworkMode::async, NetworkMode::timed}) {
    // The first violating seed of the split attack (m = f+1).
    const auto found = first_violating(split_pair(mode));
    ASSERT_TRUE(found) << "no violating split run in 200 seeds";
    const Recorded& rec = found->recorded;
    const std::string path = tmp_path(mode == NetworkMode::timed ? "verdict_timed.jsonl" : "verdict_async.jsonl");
    RunResult written;
    ASSERT_NO_THROW(write_trace(path, split_pair(mode), rec.tape, &written));
    ASSERT_TRUE(written.violation);
    EXPECT_EQ(written.violation->kind, rec.result.violation->kind);

    const Trace trace = read_trace(path);
    ASSERT_TRUE(trace.verdict);
    EXPECT_EQ(*trace.verdict, rec.result.violation->kind);
    EXPECT_EQ(trace.description, rec.result.violation->description);
    EXPECT_EQ(trace.event_hash, rec.result.event_hash);
    const RunResult again = replay(trace);
    ASSERT_TRUE(again.violation);
    EXPECT_EQ(again.violation->kind, *trace.verdict);
    EXPECT_EQ(again.event_hash, trace.event_hash);
    // The violation is the trace's last event.
    const auto lines = lines_of(slurp(path));
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(json::parse(lines[lines.size() - 2])["ev"], "violation");
  }
}

TEST(Trace, ReplayCanWriteAnIdenticalTrace) {
  const std::string p1 = tmp_path("rewrite_1.jsonl"), p2 = tmp_path("rewrite_2.jsonl");
  const std::string text = good_trace(p1);
  const Trace trace = read_trace(p1);
  ASSERT_NO_THROW(write_trace(p2, trace.scenario, trace.tape));
  EXPECT_TRUE(slurp(p2) == text);
}

// Applies `edit` to a good trace's lines, writes it and expects read_trace to
// throw InputError("<path>:<line>: ...").
void expect_rejected(const std::string& name, std::size_t line,
                     const std::function<void(std::vector<std::string>&)>& edit) {
  const std::string path = tmp_path("bad_" + name + ".jsonl");
  auto lines = lines_of(good_trace(path));
  edit(lines);
  spit(path, join_lines(lines));
  try {
    read_trace(path);
    ADD_FAILURE() << name << ": a damaged trace was accepted";
  } catch (const InputError& e) {
    const std::string prefix = path + ":" + std::to_string(line) + ":";
    EXPECT_TRUE(std::string(e.what()).starts_with(prefix)) << name << ": \"" << e.what() << "\" does not start with \""
                                                           << prefix << "\"";
  } catch (const std::exception& e) {
    ADD_FAILURE() << name << ": threw something other than InputError: " << e.what();
  }
}

void edit_header(std::vector<std::string>& lines, const std::function<void(json&)>& f) {
  json h = json::parse(lines[0]);
  f(h);
  lines[0] = h.dump();
}

TEST(Trace, ReadsAReplicaFailureEnd) {
  const std::string header = R"({"format":"pbftsim-trace","version":2,"scenario":)" +
                             to_json(Scenario{}).dump() + R"(,"tape":[1,2]})";
  const Trace t = parse_trace(header + "\n" + R"({"ev":"end","verdict":"replica-failure","description":"r0 died"})",
                              "failed.jsonl");
  EXPECT_EQ(t.replica_failure, "r0 died");
  EXPECT_FALSE(t.verdict);
  EXPECT_EQ(t.tape, (std::vector<std::uint32_t>{1, 2}));
}

TEST(Trace, RejectsNonJsonLine) {
  expect_rejected("not_json", 3, [](auto& lines) { lines[2] = "{\"ev\": \"send\", oops"; });
}

TEST(Trace, RejectsTruncatedFile) {
  expect_rejected("truncated", good_line_count() - 1, [](auto& lines) { lines.pop_back(); });
}

TEST(Trace, RejectsWrongVersion) {
  expect_rejected("version", 1, [](auto& lines) { edit_header(lines, [](json& h) { h["version"] = kTraceVersion + 1; }); });
}

TEST(Trace, RejectsNegativeTapeValue) {
  expect_rejected("tape_negative", 1, [](auto& lines) {
    edit_header(lines, [](json& h) { h["tape"].push_back(-1); });
  });
}

TEST(Trace, RejectsStringTapeValue) {
  expect_rejected("tape_string", 1, [](auto& lines) {
    edit_header(lines, [](json& h) { h["tape"].push_back("7"); });
  });
}

TEST(Trace, RejectsTooLargeTapeValue) {
  expect_rejected("tape_large", 1, [](auto& lines) {
    edit_header(lines, [](json& h) { h["tape"].push_back(0x100000000ULL); });
  });
}

TEST(Trace, RejectsUnknownStrategy) {
  expect_rejected("strategy", 1, [](auto& lines) {
    edit_header(lines, [](json& h) { h["scenario"]["faults"][0]["strategy"] = "sneaky"; });
  });
}

TEST(Trace, RejectsZeroReplicas) {
  expect_rejected("n_zero", 1, [](auto& lines) {
    edit_header(lines, [](json& h) {
      h["scenario"]["config"]["n"] = 0;
      h["scenario"]["config"]["f"] = 0;
    });
  });
}

TEST(Trace, RejectsWrongFormatName) {
  expect_rejected("format", 1, [](auto& lines) { edit_header(lines, [](json& h) { h["format"] = "other"; }); });
}

TEST(Trace, RejectsStringVersion) {
  expect_rejected("version_string", 1, [](auto& lines) { edit_header(lines, [](json& h) { h["version"] = "1"; }); });
}

TEST(Trace, RejectsMissingTape) {
  expect_rejected("no_tape", 1, [](auto& lines) { edit_header(lines, [](json& h) { h.erase("tape"); }); });
}

TEST(Trace, RejectsUnknownMutation) {
  expect_rejected("mutation", 1, [](auto& lines) {
    edit_header(lines, [](json& h) { h["scenario"]["config"]["mutation"] = "off-by-two"; });
  });
}

TEST(Trace, RejectsFaultyReplicaOutOfRange) {
  expect_rejected("fault_range", 1, [](auto& lines) {
    edit_header(lines, [](json& h) { h["scenario"]["faults"][0]["replica"] = 4; });
  });
}

TEST(Trace, RejectsUnknownEvent) {
  expect_rejected("event", 2, [](auto& lines) {
    json e = json::parse(lines[1]);
    e["ev"] = "teleport";
    lines[1] = e.dump();
  });
}

TEST(Trace, RejectsEventWithoutTime) {
  expect_rejected("no_time", 4, [](auto& lines) {
    json e = json::parse(lines[3]);
    e.erase("t");
    lines[3] = e.dump();
  });
}

TEST(Trace, RejectsEventWithoutStep) {
  expect_rejected("no_step", 4, [](auto& lines) {
    json e = json::parse(lines[3]);
    e.erase("step");
    lines[3] = e.dump();
  });
}

// Version 1 (no "step") is still read, so that `replay --record` can write
// an old counterexample anew.
TEST(Trace, ReadsVersionOneForRecordingAgain) {
  const std::string path = tmp_path("version_one.jsonl");
  auto lines = lines_of(good_trace(path));
  edit_header(lines, [](json& h) { h["version"] = 1; });
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    json e = json::parse(lines[i]);
    e.erase("step");
    lines[i] = e.dump();
  }
  spit(path, join_lines(lines));
  const Trace t = read_trace(path);
  EXPECT_EQ(t.version, 1);
  EXPECT_EQ(t.events(), lines.size() - 2);
}

// Async has no time: a "t" there says the trace is not what it claims.
TEST(Trace, RejectsTimeInAnAsyncTrace) {
  expect_rejected("async_time", 2, [](auto& lines) {
    edit_header(lines, [](json& h) { h["scenario"]["network"]["mode"] = "async"; });
  });
}

TEST(Trace, RejectsUnknownVerdict) {
  const std::size_t total = good_line_count();
  expect_rejected("verdict", total, [](auto& lines) {
    json e = json::parse(lines.back());
    e["verdict"] = "mostly-fine";
    lines.back() = e.dump();
  });
}

TEST(Trace, RejectsMalformedHash) {
  const std::size_t total = good_line_count();
  expect_rejected("hash", total, [](auto& lines) {
    json e = json::parse(lines.back());
    e["hash"] = "xyz";
    lines.back() = e.dump();
  });
}

TEST(Trace, RejectsContentAfterTheEnd) {
  const std::size_t total = good_line_count();
  expect_rejected("after_end", total + 1, [](auto& lines) { lines.push_back(lines[1]); });
}

TEST(Trace, RejectsEmptyFile) {
  const std::string path = tmp_path("bad_empty.jsonl");
  spit(path, "");
  try {
    read_trace(path);
    ADD_FAILURE() << "an empty trace was accepted";
  } catch (const InputError& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with(path + ":1:")) << e.what();
  }
}

TEST(Trace, MissingFileIsAnInputError) {
  const std::string path = tmp_path("does_not_exist.jsonl");
  fs::remove(path);
  EXPECT_THROW(read_trace(path), InputError);
}

TEST(Trace, HandEditedHashReadsButDoesNotReplay) {
  const std::string path = tmp_path("edited_hash.jsonl");
  auto lines = lines_of(good_trace(path));
  json end = json::parse(lines.back());
  std::string h = end["hash"];
  h[15] = h[15] == '0' ? '1' : '0';
  end["hash"] = h;
  lines.back() = end.dump();
  spit(path, join_lines(lines));
  Trace trace;
  ASSERT_NO_THROW(trace = read_trace(path));
  EXPECT_NE(replay(trace).event_hash, trace.event_hash);
}

TEST(Trace, UnwritablePathReportsAnErrorAndLeavesNothing) {
  const std::string path = "/nonexistent/dir/x.jsonl";
  const Scenario s = small_scenario(4, NetworkMode::async);
  const std::string error = testing::input_error_of([&] { write_trace(path, s, {1, 2, 3}); });
  EXPECT_FALSE(error.empty());
  EXPECT_TRUE(error.starts_with(path)) << error;
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(Trace, PathThatIsADirectoryReportsAnErrorAndLeavesNothing) {
  const fs::path dir = fs::path(MODEL_TEST_TMP) / "a_directory.jsonl";
  fs::create_directories(dir);
  const std::string error =
      testing::input_error_of([&] { write_trace(dir.string(), small_scenario(4, NetworkMode::async), {}); });
  EXPECT_FALSE(error.empty());
  EXPECT_TRUE(fs::is_directory(dir));
  EXPECT_FALSE(fs::exists(dir.string() + ".tmp"));
}

TEST(Trace, NoTemporaryFilesLeftBehind) {
  const fs::path dir = fs::path(MODEL_TEST_TMP) / "no_tmp";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const Scenario s = small_scenario(4, NetworkMode::timed, {{0, StrategyKind::silent}}, 2);
  for (int i = 0; i < 3; ++i)
    ASSERT_NO_THROW(write_trace((dir / ("t" + std::to_string(i) + ".jsonl")).string(), s, {std::uint32_t(i), 5, 9}));
  {
    // A writer that never finishes (an interrupted run) removes its temporary file.
    TraceWriter abandoned((dir / "abandoned.jsonl").string(), s, {});
    abandoned.on_event(TraceEvent{});
  }
  // Overwriting an existing trace works and leaves nothing either.
  ASSERT_NO_THROW(write_trace((dir / "t0.jsonl").string(), s, {}));
  int traces = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
    ++traces;
  }
  EXPECT_EQ(traces, 3);
  EXPECT_FALSE(fs::exists(dir / "abandoned.jsonl"));
}

TEST(ScenarioJson, RoundTripsEveryField) {
  Scenario s = small_scenario(7, NetworkMode::async, {{0, StrategyKind::twins}, {6, StrategyKind::viewchange_tamper}});
  s.config.mutation = pbft::Mutation::commit_quorum_short;
  s.network.partitions = {{10, 20, 0b101}};
  s.network.tail_exponential = true;
  s.network.drop_probability = 0.25;
  s.auth = false;
  s.check_liveness = true;
  s.stop_when_done = false;
  const json j = to_json(s);
  const Scenario back = scenario_from_json(j);
  EXPECT_EQ(to_json(back), j);
  EXPECT_EQ(back.faults, s.faults);
  EXPECT_EQ(back.config.mutation, s.config.mutation);
}

}  // namespace
}  // namespace model
