#include "properties/run.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <rapidcheck.h>

#include "model/node_replica.h"
#include "model/plugin_replica.h"
#include "model/trace.h"
#include "properties/test_knobs.h"

namespace props {

namespace {

// The honest replicas PBFTSIM_REPLICA_CMD or PBFTSIM_REPLICA_LIB choose
// (the built-in ones when neither is set), loaded once.
const model::ReplicaImpl& replica_under_test() {
  static const model::ReplicaImpl impl = [] {
    model::ReplicaImpl r;
    try {
      if (!test_knobs().replica_library.empty())
        r.library = model::ReplicaLibrary::load(test_knobs().replica_library);
      if (!test_knobs().replica_command.empty())
        r.node = std::make_shared<const model::NodeCommand>(test_knobs().replica_command, std::chrono::seconds(10));
    } catch (const model::InputError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      std::exit(2);
    }
    return r;
  }();
  return impl;
}

model::Scenario under_test(const model::Scenario& s) {
  model::Scenario plugged = s;
  plugged.replica = replica_under_test();
  return plugged;
}

}  // namespace

model::RunResult run_case(const Case& c) {
  model::Tape tape = model::Tape::from_values(c.tape);
  return model::run_scenario(under_test(c.scenario), tape);
}

std::string trace_dir() {
#ifdef PROPERTY_TRACE_DIR
  return PROPERTY_TRACE_DIR;
#else
  return (std::filesystem::temp_directory_path() / "pbftsim-property-traces").string();
#endif
}

std::string write_case_trace(const Case& c, const std::string& tag) {
  std::error_code ec;
  std::filesystem::create_directories(trace_dir(), ec);
  model::RunResult r;
  const std::string tmp = (std::filesystem::path(trace_dir()) / (tag + ".partial.jsonl")).string();
  try {
    model::write_trace(tmp, under_test(c.scenario), c.tape, &r);
  } catch (const model::InputError& e) {
    return std::string("error: ") + e.what();
  }
  const std::string path =
      (std::filesystem::path(trace_dir()) / fmt::format("{}-{:016x}.jsonl", tag, r.event_hash)).string();
  std::filesystem::rename(tmp, path, ec);
  if (ec) return fmt::format("error: {}: {}", path, ec.message());
  return path;
}

void require_no_violation(const Case& c, const model::RunResult& r, const std::string& tag) {
  if (!r.violation) return;
  const std::string path = write_case_trace(c, tag);
  RC_LOG() << "violation: " << r.violation->description << "\n"
           << "trace: " << path << "  (replay: pbftsim replay " << path << ")\n";
  RC_FAIL(fmt::format("{} — trace written to {}", r.violation->description, path));
}

}  // namespace props
