// pbftsim replay and minimize: work on a written trace.
#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "model/minimizer.h"
#include "model/scenario_json.h"
#include "model/trace.h"
#include "model/trace_check.h"
#include "tools/command.h"
#include "tools/minimize_option.h"
#include "tools/output_file.h"
#include "tools/replica_option.h"

namespace tools {

namespace {

using namespace model;

std::string verdict_text(const std::optional<ViolationKind>& v) {
  return v ? fmt::format("{} violation", violation_name(*v)) : std::string("no violation");
}

// A trace that ends in a replica failure: the replay must fail the same way,
// after the same events.
int replay_failure(const std::string& path, const Trace& t) {
  const std::string with = t.scenario.replica ? " with " + t.scenario.replica.description() : "";
  const std::string failure = replay_failure_checked(t);
  if (failure == *t.replica_failure)
    std::printf("replayed %s%s: the replica failed again, as recorded: %s\n", path.c_str(), with.c_str(),
                failure.c_str());
  else
    std::printf("replayed %s%s: the replica failed again, but differently: %s (trace says %s)\n", path.c_str(),
                with.c_str(), failure.c_str(), t.replica_failure->c_str());
  return kBadInput;
}

// `record` rewrites the trace from this run: after fixing a bug, the old
// counterexample becomes a regression that must now replay clean.
int replay_file(const std::string& path, const std::string& record, const ReplicaChoice& replica) {
  const Trace t = read_trace_for(path, replica);
  if (!record.empty()) {
    RunResult r;
    write_trace(record, t.scenario, t.tape, &r);
    const auto got = r.violation ? std::optional(r.violation->kind) : std::nullopt;
    std::printf("recorded %s: %s (was %s)\n", record.c_str(), verdict_text(got).c_str(),
                verdict_text(t.verdict).c_str());
    return r.violation ? kViolation : kOk;
  }
  if (t.replica_failure) return replay_failure(path, t);
  const CheckedReplay checked = replay_checked(t);
  const RunResult& r = checked.result;
  if (!checked.exact)
    throw InputError(fmt::format("{}: a version {} trace, from an older pbftsim: the verdict ({}) replays, but its "
                                 "events are of an older format; `pbftsim replay {} --record NEW` writes it anew",
                                 path, t.version, verdict_text(t.verdict), path));
  const std::string with = t.scenario.replica ? " with " + t.scenario.replica.description() : "";
  std::printf("replayed %s%s: %zu events and %llu deliveries as recorded, hash %016llx matches\n", path.c_str(),
              with.c_str(), t.events(), static_cast<unsigned long long>(r.stats.delivered),
              static_cast<unsigned long long>(r.event_hash));
  if (!r.violation) {
    std::printf("verdict: no violation\n");
    return kOk;
  }
  std::printf("verdict: %s\n", r.violation->description.c_str());
  return kViolation;
}

int minimize_file(const std::string& path, const std::string& out, const ReplicaChoice& replica,
                  std::uint64_t max_runs) {
  const Trace t = read_trace_for(path, replica);
  { OutputFile probe(out); }  // an unwritable --out fails before the minimization, not after
  if (t.replica_failure)
    throw InputError(fmt::format("{}: the trace ends in a replica failure, not a violation: nothing to minimize "
                                 "(replay or explain it)",
                                 path));
  replay_checked(t);  // an edited trace is refused, not minimized into something else
  auto min = minimize(t.scenario, t.tape, max_runs);
  if (!min) throw InputError(fmt::format("{}: the trace shows no violation to minimize", path));
  write_trace(out, min->scenario, min->tape);
  std::printf("minimized %zu -> %zu choices in %llu runs%s: %s\nwrote %s\n", t.tape.size(), min->tape.size(),
              static_cast<unsigned long long>(min->runs), min->capped ? " (stopped at --minimize-runs)" : "",
              min->result.violation->description.c_str(), out.c_str());
  return kViolation;
}

}  // namespace

void add_trace_commands(CLI::App& app, int& status) {
  auto trace_path = std::make_shared<std::string>();
  auto out_path = std::make_shared<std::string>();
  auto record_path = std::make_shared<std::string>();
  auto replica = std::make_shared<ReplicaChoice>();
  auto* replay_cmd = app.add_subcommand("replay", "re-execute a trace and verify its verdict and event hash");
  replay_cmd->add_option("trace", *trace_path, "trace file (JSON Lines)")->required();
  replay_cmd->add_option("--record", *record_path,
                         "write a new trace of this run (re-record a counterexample after a fix)");
  add_replica_option(replay_cmd, *replica);
  replay_cmd->callback([trace_path, record_path, replica, &status] {
    status = replay_file(*trace_path, *record_path, *replica);
  });
  auto* minimize_cmd = app.add_subcommand("minimize", "shrink a counterexample trace");
  minimize_cmd->add_option("trace", *trace_path, "trace file")->required();
  minimize_cmd->add_option("-o,--out", *out_path, "output trace")->required();
  add_replica_option(minimize_cmd, *replica);
  auto max_runs = std::make_shared<std::uint64_t>(kDefaultMinimizeRuns);
  add_minimize_runs_option(minimize_cmd, *max_runs);
  minimize_cmd->callback([trace_path, out_path, replica, max_runs, &status] {
    status = minimize_file(*trace_path, *out_path, *replica, *max_runs);
  });
}

}  // namespace tools
