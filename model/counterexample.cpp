#include "model/counterexample.h"

#include "model/trace.h"

namespace model {

CounterexampleOrError record_counterexample(const Scenario& s, Tape tape, const std::string& path, bool shrink) {
  return record_counterexample(s, std::move(tape), [&](const RunResult&) { return path; }, shrink);
}

CounterexampleOrError record_counterexample(const Scenario& s, Tape tape,
                                            const std::function<std::string(const RunResult&)>& path_for, bool shrink) {
  const auto internal = [](std::string what) {
    return CounterexampleOrError{std::nullopt, PipelineError{PipelineError::Kind::internal, std::move(what)}};
  };
  Recorded rec = run_recorded(s, tape);
  if (!rec.result.violation) return internal("the violation did not reproduce from its seed");
  // Unminimized, trailing zeros go: an exhausted tape answers them anyway.
  if (!shrink)
    while (!rec.tape.empty() && rec.tape.back() == 0) rec.tape.pop_back();
  Counterexample ce{*rec.result.violation, rec.tape, std::nullopt, {}};
  const Scenario* scenario = &s;
  const std::vector<std::uint32_t>* picks = &ce.found_tape;
  if (shrink) {
    ce.minimized = minimize(s, rec.tape);
    if (!ce.minimized) return internal("the violation did not reproduce from its recorded tape");
    scenario = &ce.minimized->scenario;
    picks = &ce.minimized->tape;
  }
  if (auto err = write_trace(path_for(rec.result), *scenario, *picks, &ce.written); !err.empty())
    return {std::nullopt, PipelineError{PipelineError::Kind::output, std::move(err)}};
  return {std::move(ce), std::nullopt};
}

}  // namespace model
