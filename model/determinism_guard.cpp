#include "model/determinism_guard.h"

#include <vector>

#include <fmt/format.h>

#include "model/plugin_replica.h"
#include "model/simulator.h"

namespace model {

namespace {

class EventList final : public TraceSink {
 public:
  void on_event(const TraceEvent& e) override { events.push_back(e); }
  std::vector<TraceEvent> events;
};

bool same(const TraceEvent& a, const TraceEvent& b) {
  return a.time_us == b.time_us && a.step == b.step && a.type == b.type && a.from == b.from && a.to == b.to &&
         a.kind == b.kind && a.view == b.view && a.seq == b.seq && a.digest == b.digest && a.extra == b.extra;
}

// The fields a trace line would show, leaving out the empty ones.
std::string describe(const TraceEvent& e) {
  std::string s = event_type_name(e.type);
  if (e.from != kNobody) s += fmt::format(" from {}", e.from);
  if (e.to != kNobody) s += fmt::format(" to {}", e.to);
  if (e.view != 0) s += fmt::format(" view {}", e.view);
  if (e.seq != 0) s += fmt::format(" seq {}", e.seq);
  if (e.digest != pbft::kNoDigest) s += fmt::format(" digest {:016x}", e.digest);
  return s + fmt::format(" x {}", e.extra);
}

}  // namespace

void expect_deterministic(const Scenario& s, const Tape& tape, const std::string& what) {
  Simulator world(s);
  EventList first, second;
  Tape a = tape, b = tape;
  world.run(a, &first);
  world.run(b, &second);  // the same world again: state must not leak across runs
  const std::size_t n = std::min(first.events.size(), second.events.size());
  std::size_t i = 0;
  while (i < n && same(first.events[i], second.events[i])) ++i;
  if (i == n && first.events.size() == second.events.size()) return;
  const std::string who = s.replica ? s.replica->name() : std::string("the built-in replica");
  const auto at = [&](const EventList& l) {
    return i < l.events.size() ? fmt::format("step {}: {}", l.events[i].step, describe(l.events[i]))
                               : std::string("(the run ended)");
  };
  throw InputError(fmt::format("nondeterministic replica: {} ran {} twice and event {} differed: first {}; then {}",
                               who, what, i + 1, at(first), at(second)));
}

}  // namespace model
