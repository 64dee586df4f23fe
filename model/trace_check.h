#pragma once
// Replaying a trace verifies the whole file, not only its end line: every
// recorded event is compared, in order, with the event the re-run produces,
// and the first line that differs is reported (expected vs. found). A
// trace with one deliver line edited or deleted replays to the same verdict
// and hash, so comparing the end line alone would call it sound.
#include <optional>
#include <string>

#include "model/simulator.h"
#include "model/trace.h"

namespace model {

// Why a replay may differ from its recording, for the message that says
// so: the replica in use is not the recorded one, or the file or the code.
std::string divergence_cause(const Trace& t);

// A sink comparing each event of a re-run with the trace's recorded lines;
// every event also goes on to `next` (e.g. explain's log).
class RecordedEventCheck final : public TraceSink {
 public:
  explicit RecordedEventCheck(const Trace& t, TraceSink* next = nullptr);
  void on_event(const TraceEvent& e) override;
  // "FILE:LINE: ..." for the first event that differs, or for a re-run that
  // ended before the recorded events did; nothing when all matched so far.
  std::optional<std::string> difference() const;

 private:
  const Trace& trace_;
  TraceSink* next_;
  bool timed_;
  std::size_t seen_ = 0;
  std::optional<std::string> first_difference_;
};

// Replays a trace that ends in a verdict, verifying every event, the
// verdict, the delivery count and the hash; throws InputError
// ("FILE:LINE: replay diverged from the recording: ...") at the first
// difference. Version 1 traces are compared by verdict only (their lines
// and hash are of an older format): `exact` is then false.
struct CheckedReplay {
  RunResult result;
  bool exact = true;
};
CheckedReplay replay_checked(const Trace& t, TraceSink* also = nullptr);

// Replays a trace that ends in a replica failure: the same events must lead
// to a failure again. Returns the failure's message (it may differ from the
// recorded one); throws InputError as replay_checked does when the events
// differ or the run ends without failing.
std::string replay_failure_checked(const Trace& t, TraceSink* also = nullptr);

}  // namespace model
