// Determinism: the same case gives the same run. Twice from scratch, twice
// on one reused Simulator, and through a written and re-read trace: the same
// event hash and verdict each time.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>

#include "model/trace.h"
#include "properties/gen_scenario.h"
#include "properties/run.h"

namespace props {

RC_GTEST_PROP(Determinism, SameCaseSameHash, ()) {
  GenOptions o;
  // Beyond f too: determinism must hold whatever happens.
  o.malice = *rc::gen::element(Malice::up_to_f, Malice::f_plus_one);
  const Case c = *gen_case(o);
  const model::RunResult first = run_case(c);
  const model::RunResult second = run_case(c);
  RC_ASSERT(first.event_hash == second.event_hash);

  model::Simulator sim(c.scenario);
  model::Tape t1 = model::Tape::from_values(c.tape);
  const model::RunResult reused1 = sim.run(t1);
  model::Tape t2 = model::Tape::from_values(c.tape);
  const model::RunResult reused2 = sim.run(t2);
  RC_ASSERT(reused1.event_hash == first.event_hash);
  RC_ASSERT(reused2.event_hash == first.event_hash);
  RC_ASSERT(reused2.stats.delivered == first.stats.delivered);

  // Through a trace file: header in, same run out.
  const std::string path = (std::filesystem::path(trace_dir()) / "determinism-roundtrip.jsonl").string();
  std::filesystem::create_directories(trace_dir());
  model::RunResult written;
  model::write_trace(path, c.scenario, c.tape, &written);  // throws (fails the property) when it cannot
  RC_ASSERT(written.event_hash == first.event_hash);
  const model::Trace trace = model::read_trace(path);
  RC_ASSERT(trace.event_hash == first.event_hash);
  const model::RunResult replayed = model::replay(trace);
  RC_ASSERT(replayed.event_hash == first.event_hash);
  RC_ASSERT(replayed.violation.has_value() == first.violation.has_value());
  RC_ASSERT(trace.verdict.has_value() == first.violation.has_value());
  if (first.violation) RC_ASSERT(*trace.verdict == first.violation->kind);
}

}  // namespace props
