#include "model/determinism_guard.h"

#include <vector>

#include <fmt/format.h>

#include "model/simulator.h"
#include "model/trace.h"

namespace model {

namespace {

class EventList final : public TraceSink {
 public:
  void on_event(const TraceEvent& e) override { events.push_back(e); }
  std::vector<TraceEvent> events;
};

}  // namespace

void expect_deterministic(const Scenario& s, const Tape& tape, const std::string& what) {
  Simulator world(s);
  EventList first, second;
  Tape a = tape, b = tape;
  world.run(a, &first);
  world.run(b, &second);  // the same world again: state must not leak across runs
  const std::size_t n = std::min(first.events.size(), second.events.size());
  std::size_t i = 0;
  while (i < n && first.events[i] == second.events[i]) ++i;
  if (i == n && first.events.size() == second.events.size()) return;
  const bool timed = s.network.mode == NetworkMode::timed;
  const std::string who = s.replica.description();
  const auto at = [&](const EventList& l) {
    return i < l.events.size() ? trace_line(l.events[i], timed) : std::string("(the run ended)");
  };
  throw InputError(fmt::format("nondeterministic replica: {} ran {} twice and event {} differed: first {}; then {}",
                               who, what, i + 1, at(first), at(second)));
}

}  // namespace model
