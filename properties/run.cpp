#include "properties/run.h"

#include <filesystem>

#include <fmt/format.h>
#include <rapidcheck.h>

#include "model/trace.h"

namespace props {

model::RunResult run_case(const Case& c) {
  model::Tape tape = model::Tape::from_values(c.tape);
  return model::run_scenario(c.scenario, tape);
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
    model::write_trace(tmp, c.scenario, c.tape, &r);
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
