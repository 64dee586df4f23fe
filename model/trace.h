#pragma once
// Traces: JSON Lines. Line 1 is the header (format, version, scenario, tape,
// and the replica implementation when it is not the built-in one);
// then one event per line; the last line is the verdict with the event hash.
// Writing goes to a temporary file renamed into place on success, so a
// failed or interrupted write never leaves a half-written trace.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/replica_record.h"
#include "model/scenario.h"
#include "model/simulator.h"
#include "model/trace_event.h"

namespace model {

// 2: every event has its "step"; "t" only in the timed network (1 had
// "t" everywhere, counting steps in async). Version 1 traces are still read,
// so that `replay --record` can write them again; their hashes differ.
inline constexpr int kTraceVersion = 2;
inline constexpr int kOldestTraceVersion = 1;

// The end line's verdict for a run that a replica failure cut short.
inline constexpr const char* kReplicaFailureVerdict = "replica-failure";

struct Trace {
  int version = kTraceVersion;
  Scenario scenario;
  // Which implementation ran the honest replicas (none: the built-in one).
  // Reading a trace leaves scenario.replica built in; the front ends load
  // the recorded one (tools/replica_option.h).
  std::optional<ReplicaRecord> replica;
  std::vector<std::uint32_t> tape;
  std::string source;                    // the file name, for messages "FILE:LINE: ..."
  // The file as read, and where each event's line lies in it (line k + 2 is
  // event k), to verify a replay against: offsets, not copies, so a trace
  // of a million events costs its file size and 16 bytes an event.
  std::string text;
  struct Span {
    std::size_t offset = 0, size = 0;
  };
  std::vector<Span> event_spans;
  std::size_t events() const { return event_spans.size(); }
  std::string_view event_line(std::size_t k) const {
    return std::string_view(text).substr(event_spans[k].offset, event_spans[k].size);
  }
  std::size_t end_line = 0;              // the end line's number
  std::optional<std::uint64_t> deliveries;  // as the end line says (absent in a replica-failure trace)
  std::optional<ViolationKind> verdict;  // none: the run was safe
  // The run ended in a replica failure (verdict "replica-failure"): its
  // message; the trace holds the events up to it, and no hash.
  std::optional<std::string> replica_failure;
  std::string description;
  std::uint64_t event_hash = 0;
};

// Collects events while a run goes; call finish() to write the file. The
// file is opened at once, so an unwritable path throws InputError before
// the run.
class TraceWriter final : public TraceSink {
 public:
  TraceWriter(std::string path, const Scenario& s, std::vector<std::uint32_t> tape);
  ~TraceWriter() override;
  void on_event(const TraceEvent& e) override;
  // Writes the verdict and renames the file into place; throws InputError
  // ("path: cannot write: why") when it cannot.
  void finish(const RunResult& r);
  // The run ended in a replica failure: the events so far, then an end line
  // with verdict "replica-failure" and its message.
  void finish_failed(const std::string& failure);

 private:
  void write_end(const nlohmann::json& end);
  std::string path_, tmp_;
  bool timed_ = false;
  std::FILE* file_ = nullptr;
  fmt::memory_buffer buffer_;
};

// One event as its line in a trace file, without the newline.
std::string trace_line(const TraceEvent& e, bool timed);

// Reads a trace, checking every line. Throws InputError("file:line: what").
Trace read_trace(const std::string& path);

// Parses trace text (the fuzzer's entry point); `name` prefixes errors.
Trace parse_trace(std::string text, const std::string& name);

// Runs the scenario on the recorded tape, optionally writing a new trace.
RunResult replay(const Trace& t, TraceSink* sink = nullptr);

// Runs and writes a trace in one go (the tape is recorded while running).
struct Recorded {
  RunResult result;
  std::vector<std::uint32_t> tape;
};
Recorded run_recorded(const Scenario& s, Tape& tape);
// Runs a scenario that ends in a replica failure and writes the trace up to
// it. False, and nothing written, when the run completes after all.
bool write_failure_trace(const std::string& path, const Scenario& s, Tape tape);
// Throws InputError when the file cannot be written.
void write_trace(const std::string& path, const Scenario& s,
                 const std::vector<std::uint32_t>& tape, RunResult* out = nullptr);

}  // namespace model
