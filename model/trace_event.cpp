#include "model/trace_event.h"

#include "pbft/hash.h"

namespace model {

const char* event_type_name(EventType t) {
  switch (t) {
    case EventType::send: return "send";
    case EventType::deliver: return "deliver";
    case EventType::drop: return "drop";
    case EventType::timer: return "timer";
    case EventType::submit: return "submit";
    case EventType::accept: return "accept";
    case EventType::commit: return "commit";
    case EventType::execute: return "execute";
    case EventType::view_change: return "view_change";
    case EventType::new_view: return "new_view";
    case EventType::checkpoint: return "checkpoint";
    case EventType::state: return "state";
    case EventType::violation: return "violation";
  }
  return "?";
}

TraceEvent summarize(const pbft::Message& m) {
  TraceEvent e;
  e.kind = pbft::kind_of(m);
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, pbft::Request>) {
          e.digest = pbft::digest_of(x);
          e.extra = x.timestamp;
        } else if constexpr (std::is_same_v<T, pbft::PrePrepare> || std::is_same_v<T, pbft::Prepare> ||
                             std::is_same_v<T, pbft::Commit>) {
          e.view = x.view;
          e.seq = x.seq;
          e.digest = x.digest;
        } else if constexpr (std::is_same_v<T, pbft::Reply>) {
          e.view = x.view;
          e.digest = x.result;
          e.extra = x.timestamp;
        } else if constexpr (std::is_same_v<T, pbft::Checkpoint>) {
          e.seq = x.seq;
          e.digest = x.state_digest;
        } else if constexpr (std::is_same_v<T, pbft::ViewChangePtr>) {
          if (x) {
            e.view = x->new_view;
            e.seq = x->stable_seq;
            e.extra = x->prepared.size();
          }
        } else if constexpr (std::is_same_v<T, pbft::NewViewPtr>) {
          if (x) {
            e.view = x->view;
            e.extra = x->pre_prepares.size();
          }
        } else if constexpr (std::is_same_v<T, pbft::Status>) {
          e.view = x.view;
          e.seq = x.stable_seq;
          e.extra = x.last_executed;
        } else {
          e.seq = x.seq;
        }
      },
      m);
  return e;
}

}  // namespace model
