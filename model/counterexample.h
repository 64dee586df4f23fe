#pragma once
// What happens after a search finds a violation, in one place: re-run the
// schedule recording its tape (the search ran it without the event hash),
// optionally minimize it, and write the trace. Used by `pbftsim check` and
// the fuzzers' violation reports.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/minimizer.h"
#include "model/simulator.h"

namespace model {

struct Counterexample {
  Violation found;                        // as the schedule first showed it
  std::vector<std::uint32_t> found_tape;  // its recorded picks
  std::optional<Minimized> minimized;     // when asked for
  RunResult written;                      // the run of the trace written
};

// Runs (s, tape), which must show a violation, and writes its trace to
// `path`: minimized first when `shrink` is set. `path_for` names the file
// from the found run instead (the fuzzers put its event hash in the name).
// Throws InputError when the trace cannot be written (the user's problem)
// and InternalError when the violation does not reproduce (a determinism
// bug: ours). `max_runs` caps the minimizer; `stop` (Ctrl-C) ends it with
// the smallest counterexample so far, which is written.
Counterexample record_counterexample(const Scenario& s, Tape tape, const std::string& path, bool shrink,
                                     std::uint64_t max_runs = kDefaultMinimizeRuns,
                                     const std::atomic<bool>* stop = nullptr);
Counterexample record_counterexample(const Scenario& s, Tape tape,
                                     const std::function<std::string(const RunResult&)>& path_for, bool shrink,
                                     std::uint64_t max_runs = kDefaultMinimizeRuns,
                                     const std::atomic<bool>* stop = nullptr);

}  // namespace model
