#include "model/counterexample.h"

#include "model/determinism_guard.h"
#include "model/trace.h"

namespace model {

Counterexample record_counterexample(const Scenario& s, Tape tape, const std::string& path, bool shrink,
                                     std::uint64_t max_runs, const std::atomic<bool>* stop) {
  return record_counterexample(s, std::move(tape), [&](const RunResult&) { return path; }, shrink, max_runs, stop);
}

Counterexample record_counterexample(const Scenario& s, Tape tape,
                                     const std::function<std::string(const RunResult&)>& path_for, bool shrink,
                                     std::uint64_t max_runs, const std::atomic<bool>* stop) {
  // A plug-in that cannot repeat itself would make the counterexample a lie.
  if (s.replica) expect_deterministic(s, tape, "the failing schedule");
  Recorded rec = run_recorded(s, tape);
  if (!rec.result.violation) throw InternalError("the violation did not reproduce from its seed");
  // Unminimized, trailing zeros go: an exhausted tape answers them anyway.
  if (!shrink)
    while (!rec.tape.empty() && rec.tape.back() == 0) rec.tape.pop_back();
  Counterexample ce{*rec.result.violation, rec.tape, std::nullopt, {}};
  const Scenario* scenario = &s;
  const std::vector<std::uint32_t>* picks = &ce.found_tape;
  if (shrink) {
    ce.minimized = minimize(s, rec.tape, max_runs, stop);
    if (!ce.minimized) throw InternalError("the violation did not reproduce from its recorded tape");
    scenario = &ce.minimized->scenario;
    picks = &ce.minimized->tape;
  }
  write_trace(path_for(rec.result), *scenario, *picks, &ce.written);
  return ce;
}

}  // namespace model
