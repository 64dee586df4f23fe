#include "model/trace_check.h"

#include <fmt/format.h>

namespace model {

std::string divergence_cause(const Trace& t) {
  const std::string difference = replica_difference(t.replica, t.scenario.replica);
  return difference.empty() ? "the trace was edited, or the code changed since it was written" : difference;
}

namespace {
std::string verdict_text(const std::optional<ViolationKind>& v) {
  return v ? fmt::format("{} violation", violation_name(*v)) : std::string("no violation");
}

std::string diverged(const Trace& t, std::size_t line, const std::string& what) {
  return fmt::format("{}:{}: replay diverged from the recording: {}; {} (pbftsim replay --record rewrites it)",
                     t.source, line, what, divergence_cause(t));
}
}  // namespace

RecordedEventCheck::RecordedEventCheck(const Trace& t, TraceSink* next)
    : trace_(t), next_(next), timed_(t.scenario.network.mode == NetworkMode::timed) {}

void RecordedEventCheck::on_event(const TraceEvent& e) {
  if (next_) next_->on_event(e);
  const std::size_t index = seen_++;
  if (first_difference_) return;
  const std::string found = trace_line(e, timed_);
  if (index >= trace_.events()) {
    first_difference_ = diverged(trace_, trace_.end_line,
                                 fmt::format("the trace's events end here, the replay goes on with {}", found));
  } else if (found != trace_.event_line(index)) {
    first_difference_ = diverged(trace_, index + 2,
                                 fmt::format("expected {}, found {}", trace_.event_line(index), found));
  }
}

std::optional<std::string> RecordedEventCheck::difference() const {
  if (first_difference_) return first_difference_;
  if (seen_ < trace_.events())
    return diverged(trace_, seen_ + 2,
                    fmt::format("the replay ended before this event: {}", trace_.event_line(seen_)));
  return std::nullopt;
}

CheckedReplay replay_checked(const Trace& t, TraceSink* also) {
  const bool exact = t.version == kTraceVersion;
  RecordedEventCheck check(t, also);
  CheckedReplay out{replay(t, exact ? &check : also), exact};
  const RunResult& r = out.result;
  const auto got = r.violation ? std::optional(r.violation->kind) : std::nullopt;
  if (!exact) {
    if (got != t.verdict)
      throw InputError(diverged(t, t.end_line, fmt::format("the trace's verdict is {}, the replay's {}",
                                                           verdict_text(t.verdict), verdict_text(got))));
    return out;
  }
  if (auto difference = check.difference()) throw InputError(*difference);
  if (got != t.verdict)
    throw InputError(diverged(t, t.end_line, fmt::format("the end line's verdict is {}, the replay's {}",
                                                         verdict_text(t.verdict), verdict_text(got))));
  if (t.deliveries && *t.deliveries != r.stats.delivered)
    throw InputError(diverged(t, t.end_line, fmt::format("the end line says {} deliveries, the replay made {}",
                                                         *t.deliveries, r.stats.delivered)));
  if (r.event_hash != t.event_hash)
    throw InputError(diverged(t, t.end_line, fmt::format("every event matches, but the end line's hash is {:016x}, "
                                                         "the replay's {:016x}",
                                                         t.event_hash, r.event_hash)));
  return out;
}

std::string replay_failure_checked(const Trace& t, TraceSink* also) {
  RecordedEventCheck check(t, also);
  try {
    replay(t, &check);
  } catch (const ReplicaFailure& e) {
    if (auto difference = check.difference()) throw InputError(*difference);
    return e.what();
  }
  throw InputError(diverged(t, t.end_line, fmt::format("the run ended, but the trace says the replica failed ({})",
                                                       t.replica_failure.value_or(""))));
}

}  // namespace model
