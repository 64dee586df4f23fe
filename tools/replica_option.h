#pragma once
// --replica-lib, for every command that runs replicas: the honest replicas
// come from a plug-in (include/pbftsim/replica_plugin.h) instead of the
// built-in pbft::Replica. Traces do not record which ran (the same scenario
// and tape give the same trace), so replay, minimize and explain of a
// plug-in's counterexample take the same flag.
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "model/plugin_replica.h"
#include "model/trace.h"

namespace tools {

inline void add_replica_option(CLI::App* cmd, std::string& path) {
  cmd->add_option("--replica-lib", path,
                  "run the honest replicas from this plug-in, a shared library built against "
                  "include/pbftsim/replica_plugin.h (default: the built-in replica)");
}

// Null for the built-in replica. Throws InputError (exit 2) for a library
// that cannot be used, or that refuses this configuration.
inline std::shared_ptr<const model::ReplicaLibrary> load_replica(const std::string& path, const pbft::Config& config) {
  if (path.empty()) return nullptr;
  auto library = model::ReplicaLibrary::load(path);
  library->check_supports(config);
  return library;
}

// A trace, to be re-run with the given replica.
inline model::Trace read_trace_for(const std::string& trace_path, const std::string& replica_path) {
  model::Trace t = model::read_trace(trace_path);
  t.scenario.replica = load_replica(replica_path, t.scenario.config);
  return t;
}

}  // namespace tools
