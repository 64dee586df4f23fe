#pragma once
// --replica-lib and --replica-cmd, for every command that runs replicas: the
// honest replicas come from a C plug-in (include/pbftsim/replica_plugin.h)
// or from node processes (docs/node-protocol.md) instead of the built-in
// pbft::Replica. A trace records which ran (model/replica_record.h): replay,
// minimize and explain re-run the recorded one unless a flag says otherwise,
// and say so when it differs from the recording.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "model/node_replica.h"
#include "model/plugin_replica.h"
#include "model/replica_impl.h"
#include "model/replica_record.h"
#include "model/trace.h"

namespace tools {

struct ReplicaChoice {
  std::string library;      // --replica-lib
  std::string command;      // --replica-cmd
  std::uint32_t step_limit_ms = 10'000;  // --node-timeout
  std::string directory;    // where the command runs: a recorded node's, else here
};

inline void add_replica_option(CLI::App* cmd, ReplicaChoice& choice) {
  auto* lib = cmd->add_option("--replica-lib", choice.library,
                              "run the honest replicas from this plug-in, a shared library built against "
                              "include/pbftsim/replica_plugin.h (default: the built-in replica)");
  auto* node = cmd->add_option("--replica-cmd", choice.command,
                               "run each honest replica as a process of this shell command, speaking the node "
                               "protocol of docs/node-protocol.md on stdin/stdout (e.g. \"pbftsim node\")");
  lib->excludes(node);
  cmd->add_option("--node-timeout", choice.step_limit_ms,
                  "with --replica-cmd: milliseconds a node may take for one step before it is declared hung")
      ->check(CLI::Range(1u, 3'600'000u))
      ->capture_default_str();
}

// None plugged for the built-in replica. Throws InputError (exit 2) for a
// library or command that cannot be used, or that refuses this configuration.
inline model::ReplicaImpl load_replica(const ReplicaChoice& choice, const pbft::Config& config) {
  model::ReplicaImpl impl;
  if (!choice.library.empty()) impl.library = model::ReplicaLibrary::load(choice.library);
  if (!choice.command.empty())
    impl.node = std::make_shared<const model::NodeCommand>(
        choice.command, std::chrono::milliseconds(choice.step_limit_ms), choice.directory);
  impl.check_supports(config);
  return impl;
}

// The flags, or else the implementation the trace records. Throws
// InputError when the recorded one is gone.
inline ReplicaChoice choice_for(const std::string& trace_path, const model::Trace& t, const ReplicaChoice& flags) {
  if (!flags.library.empty() || !flags.command.empty() || !t.replica) return flags;
  ReplicaChoice recorded = flags;
  const model::ReplicaRecord& r = *t.replica;
  const auto gone = [&](const std::string& what, const char* flag) {
    return model::InputError(fmt::format("{}: recorded with {}, but {}; pass {} to choose the replica", trace_path,
                                         model::describe(r), what, flag));
  };
  std::error_code ec;
  if (r.kind == model::ReplicaRecord::Kind::library) {
    if (!std::filesystem::is_regular_file(r.target, ec)) throw gone("the library is gone", "--replica-lib");
    recorded.library = r.target;
  } else {
    if (!std::filesystem::is_directory(r.directory, ec)) throw gone("its directory is gone", "--replica-cmd");
    recorded.command = r.target;
    recorded.directory = r.directory;
  }
  return recorded;
}

// A trace, to be re-run with the replica the flags choose or the trace
// records; a note on stderr when that is not the recorded one, as it was.
inline model::Trace read_trace_for(const std::string& trace_path, const ReplicaChoice& flags) {
  model::Trace t = model::read_trace(trace_path);
  t.scenario.replica = load_replica(choice_for(trace_path, t, flags), t.scenario.config);
  if (const std::string difference = model::replica_difference(t.replica, t.scenario.replica); !difference.empty())
    std::fprintf(stderr, "note: %s: %s\n", trace_path.c_str(), difference.c_str());
  return t;
}

}  // namespace tools
