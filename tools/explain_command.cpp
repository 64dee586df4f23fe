// pbftsim explain: a trace told as a timeline to read in the terminal, and
// optionally drawn as a Mermaid sequence diagram.
#include <cstdio>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "model/scenario_json.h"
#include "model/trace.h"
#include "model/trace_check.h"
#include "tools/command.h"
#include "tools/replica_option.h"
#include "tools/explain.h"
#include "tools/output_file.h"
#include "tools/timeline.h"
#include "tools/validators.h"

namespace tools {

namespace {

using namespace model;

// Keeps every event a replay reports: the trace file has them too, but the
// replay proves they are still what the code does.
class EventLog final : public TraceSink {
 public:
  void on_event(const TraceEvent& e) override { events.push_back(e); }
  std::vector<TraceEvent> events;
};

struct ExplainOptions {
  std::string trace, mermaid;
  ReplicaChoice replica;
  TimelineOptions timeline;
};

int explain_file(const ExplainOptions& o) {
  const Trace t = read_trace_for(o.trace, o.replica);
  // Opened before the replay, so that an unwritable path fails fast; removed
  // unless everything succeeds.
  std::optional<OutputFile> mermaid;
  if (!o.mermaid.empty()) mermaid.emplace(o.mermaid);
  EventLog log;
  if (t.replica_failure) {
    // The story up to the input the replica failed at; it must fail again,
    // after the same events.
    replay_failure_checked(t, &log);
    const Timeline timeline = build_timeline(t, log.events, o.timeline);
    if (mermaid) mermaid->commit(explain_mermaid(timeline));
    std::fputs(explain_text(timeline).c_str(), stdout);
    if (mermaid) std::printf("wrote %s\n", mermaid->path().c_str());
    return kBadInput;
  }
  const CheckedReplay checked = replay_checked(t, &log);
  Timeline timeline = build_timeline(t, log.events, o.timeline);
  // The run's count, as replay prints it: replies delivered to clients count
  // too, though the trace has no line for them.
  timeline.deliveries = checked.result.stats.delivered;
  const std::string text = explain_text(timeline);
  if (mermaid) mermaid->commit(explain_mermaid(timeline));
  std::fputs(text.c_str(), stdout);
  if (mermaid) std::printf("wrote %s\n", mermaid->path().c_str());
  return t.verdict ? kViolation : kOk;
}

}  // namespace

void add_explain_command(CLI::App& app, int& status) {
  auto o = std::make_shared<ExplainOptions>();
  auto seq = std::make_shared<pbft::Seq>(0);
  auto* cmd = app.add_subcommand(
      "explain", "tell a trace as a timeline: who sent what to whom, per view, ending at the violation");
  cmd->add_option("trace", o->trace, "trace file (JSON Lines)")->required();
  cmd->add_option("--mermaid", o->mermaid, "also write the timeline as a Mermaid sequence diagram to this file")
      ->type_name("FILE");
  add_replica_option(cmd, o->replica);
  cmd->add_flag("--all", o->timeline.all,
                "show every event (by default a broadcast is one line, and repeated deliveries that changed "
                "nothing, deliveries to faulty replicas that caused nothing, duplicate sends and link "
                "retransmissions are left out)");
  auto* seq_option = cmd->add_option("--seq", *seq,
                                     "only what concerns this sequence number (its PRE-PREPAREs, PREPAREs, "
                                     "COMMITs, commits and executions), and view changes");
  seq_option->check(whole_number());
  cmd->add_option("--from-view", o->timeline.from_view, "leave out the views before this one")
      ->check(whole_number());
  cmd->callback([o, seq, seq_option, &status] {
    if (seq_option->count() > 0) o->timeline.seq = *seq;
    status = explain_file(*o);
  });
}

}  // namespace tools
