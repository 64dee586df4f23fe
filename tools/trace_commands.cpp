// pbftsim replay and minimize: work on a written trace.
#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "model/minimizer.h"
#include "model/scenario_json.h"
#include "model/trace.h"
#include "tools/command.h"

namespace tools {

namespace {

using namespace model;

int replay_file(const std::string& path) {
  Trace t;
  try {
    t = read_trace(path);
  } catch (const FormatError& e) {
    return bad_input(e.what());
  }
  const RunResult r = replay(t);
  if (r.event_hash != t.event_hash)
    return bad_input(fmt::format("{}: replay diverged: event hash {:016x}, trace says {:016x}", path, r.event_hash,
                                 t.event_hash));
  const auto got = r.violation ? std::optional(r.violation->kind) : std::nullopt;
  if (got != t.verdict) return bad_input(fmt::format("{}: replay gave a different verdict", path));
  std::printf("replayed %s: %llu deliveries, hash %016llx matches\n", path.c_str(),
              static_cast<unsigned long long>(r.stats.delivered), static_cast<unsigned long long>(r.event_hash));
  if (!r.violation) {
    std::printf("verdict: no violation\n");
    return kOk;
  }
  std::printf("verdict: %s\n", r.violation->description.c_str());
  return kViolation;
}

int minimize_file(const std::string& path, const std::string& out) {
  Trace t;
  try {
    t = read_trace(path);
  } catch (const FormatError& e) {
    return bad_input(e.what());
  }
  auto min = minimize(t.scenario, t.tape);
  if (!min) return bad_input(fmt::format("{}: the trace shows no violation to minimize", path));
  if (auto err = write_trace(out, min->scenario, min->tape); !err.empty()) return bad_input(err);
  std::printf("minimized %zu -> %zu choices in %llu runs: %s\nwrote %s\n", t.tape.size(), min->tape.size(),
              static_cast<unsigned long long>(min->runs), min->result.violation->description.c_str(), out.c_str());
  return kViolation;
}

}  // namespace

void add_trace_commands(CLI::App& app, int& status) {
  auto trace_path = std::make_shared<std::string>();
  auto out_path = std::make_shared<std::string>();
  auto* replay_cmd = app.add_subcommand("replay", "re-execute a trace and verify its verdict and event hash");
  replay_cmd->add_option("trace", *trace_path, "trace file (JSON Lines)")->required();
  replay_cmd->callback([trace_path, &status] { status = replay_file(*trace_path); });
  auto* minimize_cmd = app.add_subcommand("minimize", "shrink a counterexample trace");
  minimize_cmd->add_option("trace", *trace_path, "trace file")->required();
  minimize_cmd->add_option("-o,--out", *out_path, "output trace")->required();
  minimize_cmd->callback([trace_path, out_path, &status] { status = minimize_file(*trace_path, *out_path); });
}

}  // namespace tools
