#pragma once
// --replica-lib and --replica-cmd, for every command that runs replicas: the
// honest replicas come from a C plug-in (include/pbftsim/replica_plugin.h)
// or from node processes (docs/node-protocol.md) instead of the built-in
// pbft::Replica. Traces do not record which ran (the same scenario and tape
// give the same trace), so replay, minimize and explain of a plugged
// replica's counterexample take the same flag.
#include <chrono>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "model/node_replica.h"
#include "model/plugin_replica.h"
#include "model/replica_impl.h"
#include "model/trace.h"

namespace tools {

struct ReplicaChoice {
  std::string library;      // --replica-lib
  std::string command;      // --replica-cmd
  std::uint32_t step_limit_ms = 10'000;  // --node-timeout
  // The flags again, for a command line to print (" --replica-cmd '...'").
  std::string flags() const {
    if (!library.empty()) return " --replica-lib " + library;
    if (!command.empty()) return " --replica-cmd '" + command + "'";
    return "";
  }
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
    impl.node = std::make_shared<const model::NodeCommand>(choice.command,
                                                           std::chrono::milliseconds(choice.step_limit_ms));
  impl.check_supports(config);
  return impl;
}

// A trace, to be re-run with the given replica.
inline model::Trace read_trace_for(const std::string& trace_path, const ReplicaChoice& choice) {
  model::Trace t = model::read_trace(trace_path);
  t.scenario.replica = load_replica(choice, t.scenario.config);
  return t;
}

}  // namespace tools
