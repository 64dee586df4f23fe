#include "tools/explain.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

namespace tools {

namespace {

using model::EventType;
using model::TraceEvent;

bool is_faulty_replica(const Timeline& t, std::uint32_t id) {
  return id < t.scenario.config.n && t.scenario.is_faulty(id);
}

// R1, C0; `mark` appends * to faulty replicas.
std::string node(const Timeline& t, std::uint32_t id, bool mark) {
  if (id == model::kNobody) return "?";
  if (const model::Endpoint e = model::Endpoint::unpack(id); e.is_client()) return fmt::format("C{}", e.id);
  return fmt::format("R{}{}", id, mark && is_faulty_replica(t, id) ? "*" : "");
}

// Milliseconds, without a unit. Integer arithmetic, so that every compiler
// prints the same digits.
std::string ms(std::uint64_t us) {
  return us % 1000 == 0 ? fmt::format("{}", us / 1000) : fmt::format("{}.{:03}", us / 1000, us % 1000);
}

std::string count(std::uint64_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Async runs have no clock: they are told by step.
std::string when(const Timeline& t, std::uint64_t time_us, std::uint64_t step) {
  return t.async() ? fmt::format("#{}", step) : fmt::format("{}.{:03} ms", time_us / 1000, time_us % 1000);
}
std::string when(const Timeline& t, const TraceEvent& e) { return when(t, e.time_us, e.step); }

std::string message(const Timeline& t, const TraceEvent& e) {
  const char* kind = pbft::kind_name(e.kind);
  const std::string d = t.digest_name(e.digest);
  // Only a delivery's `extra` is the message's (a send's is its delay).
  const bool delivered = e.type == EventType::deliver;
  switch (e.kind) {
    case pbft::MessageKind::request: return fmt::format("{} d={}", kind, d);
    case pbft::MessageKind::pre_prepare:
    case pbft::MessageKind::prepare:
    case pbft::MessageKind::commit: return fmt::format("{} v{} n{} d={}", kind, e.view, e.seq, d);
    case pbft::MessageKind::reply: return fmt::format("{} v{} result={}", kind, e.view, d);
    case pbft::MessageKind::checkpoint: return fmt::format("{} n{} d={}", kind, e.seq, d);
    case pbft::MessageKind::view_change:
      return delivered ? fmt::format("{} v{} stable=n{} certs={}", kind, e.view, e.seq, e.extra)
                       : fmt::format("{} v{} stable=n{}", kind, e.view, e.seq);
    case pbft::MessageKind::new_view:
      return delivered ? fmt::format("{} v{} pre-prepares={}", kind, e.view, e.extra)
                       : fmt::format("{} v{}", kind, e.view);
    case pbft::MessageKind::fetch_state:
    case pbft::MessageKind::state_transfer: return fmt::format("{} n{}", kind, e.seq);
    case pbft::MessageKind::status:
      return delivered ? fmt::format("{} v{} stable=n{} executed=n{}", kind, e.view, e.seq, e.extra)
                       : fmt::format("{} v{} stable=n{}", kind, e.view, e.seq);
  }
  return kind;
}

// What happened at a node; `subject` is "R1 " in text, empty in a Mermaid
// note (which stands over the node already).
std::string happening(const Timeline& t, const TraceEvent& e, const std::string& subject) {
  const std::string d = t.digest_name(e.digest);
  switch (e.type) {
    case EventType::commit: return fmt::format("{}commits v{} n{} d={}", subject, e.view, e.seq, d);
    case EventType::execute: return fmt::format("{}executes n{} d={}", subject, e.seq, d);
    case EventType::view_change: return fmt::format("{}starts a view change to v{}", subject, e.view);
    case EventType::new_view: return fmt::format("{}enters view {}", subject, e.view);
    case EventType::checkpoint: return fmt::format("{}has a stable checkpoint at n{} d={}", subject, e.seq, d);
    case EventType::state: return fmt::format("{}installs the state at n{} d={}", subject, e.seq, d);
    case EventType::submit: return fmt::format("{}submits request {} d={}", subject, e.extra, d);
    case EventType::accept: return fmt::format("{}accepts result={} for request {}", subject, d, e.extra);
    case EventType::timer: return fmt::format("{}timer fires", subject);
    default: return fmt::format("{}{}", subject, model::event_type_name(e.type));
  }
}

std::string verdict_line(const Timeline& t) {
  const auto kind = [&] { return model::violation_name(static_cast<model::ViolationKind>(t.violation->extra)); };
  const std::string verdict = !t.replica_failure.empty() ? std::string("replica failure")
                              : t.violation              ? fmt::format("{} violation", kind())
                                                         : std::string("no violation");
  return fmt::format("{} after {}, at {} (tape of {})", verdict, count(t.deliveries, "delivery", "deliveries"),
                     when(t, t.end_time_us, t.end_step), count(t.tape_choices, "choice", "choices"));
}

std::string network_line(const Timeline& t) {
  const auto& net = t.scenario.network;
  if (net.mode == model::NetworkMode::async) return "async: the tape picks every delivery; #k is step k";
  std::string s = fmt::format("timed: delays {}-{} ms", ms(net.min_delay_us), ms(net.max_delay_us));
  if (net.drop_probability > 0)
    s += fmt::format(", drops p={}{}", net.drop_probability, net.retransmit ? " (links resend)" : "");
  if (net.duplicate_probability > 0) s += fmt::format(", duplicates p={}", net.duplicate_probability);
  if (net.reorder_probability > 0) s += fmt::format(", reordering p={}", net.reorder_probability);
  if (!net.partitions.empty()) s += fmt::format(", {} partition(s)", net.partitions.size());
  if (net.gst_us > 0) s += fmt::format(", GST at {} ms", ms(net.gst_us));
  return s + "; times are virtual";
}

std::string faulty_line(const Timeline& t) {
  if (t.scenario.faults.empty()) return "faulty: none";
  auto faults = t.scenario.faults;
  std::sort(faults.begin(), faults.end(), [](const auto& a, const auto& b) { return a.replica < b.replica; });
  std::string s = "faulty (*):";
  for (const auto& f : faults) s += fmt::format(" R{} {},", f.replica, model::strategy_name(f.strategy));
  s.pop_back();
  return s;
}

std::string digests_line(const Timeline& t) {
  std::vector<std::pair<std::pair<std::uint32_t, std::uint64_t>, pbft::Digest>> requests;  // in client, timestamp order
  for (const auto& [digest, request] : t.requests) requests.emplace_back(request, digest);
  std::sort(requests.begin(), requests.end());
  std::string s = "digests:";
  for (const auto& [request, digest] : requests)
    s += fmt::format(" {} = C{}'s request {},", t.digest_name(digest), request.first, request.second);
  return s + " null = the null request";
}

std::string condensed_line(const Timeline& t) {
  const Condensed& c = t.condensed;
  std::string s = "left out:";
  if (c.repeated_deliveries)
    s += " " + count(c.repeated_deliveries, "repeated delivery", "repeated deliveries") + " that changed nothing,";
  if (c.idle_faulty_deliveries)
    s += " " + count(c.idle_faulty_deliveries, "delivery", "deliveries") + " to faulty replicas that caused nothing,";
  if (c.duplicate_sends) s += " " + count(c.duplicate_sends, "duplicate send", "duplicate sends") + ",";
  if (c.retransmissions) s += " " + count(c.retransmissions, "link retransmission", "link retransmissions") + ",";
  s.pop_back();
  return s + " (--all shows every event)";
}

class TextWriter {
 public:
  explicit TextWriter(const Timeline& t) : t_(t) {
    for (const auto& section : t.sections)
      for (const auto& step : section.steps) time_width_ = std::max(time_width_, when(t, step.trigger).size());
    for (std::uint32_t r = 0; r < t.scenario.config.n; ++r) node_width_ = std::max(node_width_, name(r).size());
    for (std::uint32_t c = 0; c < t.scenario.workload.clients; ++c)
      node_width_ = std::max(node_width_, name(model::Endpoint::client(c).packed()).size());
  }

  std::string write() {
    line(verdict_line(t_));
    const auto& c = t_.scenario.config;
    line(fmt::format("group: n={}, f={}, quorums of {}, mutation {}, auth {}", c.n, c.f, c.quorum(),
                     pbft::mutation_name(c.mutation), t_.scenario.auth ? "on" : "off (faulty replicas may forge)"));
    line(faulty_line(t_));
    line("network: " + network_line(t_));
    const auto& w = t_.scenario.workload;
    line(fmt::format("workload: {} x {} each, {} loop", count(w.clients, "client", "clients"),
                     count(w.requests_per_client, "request", "requests"), w.closed_loop ? "closed" : "open"));
    line(digests_line(t_));
    if (t_.condensed.any()) line(condensed_line(t_));
    for (const auto& section : t_.sections) {
      line(fmt::format("\n== view {} (primary {}) ==", section.view, node(t_, c.primary(section.view), true)));
      for (const auto& step : section.steps) write_step(step);
    }
    write_commits();
    if (!t_.replica_failure.empty()) line("\nREPLICA FAILURE on the last input above: " + t_.replica_failure);
    else if (t_.violation) line(fmt::format("\nVIOLATION at {}: {}", when(t_, *t_.violation), t_.description));
    else line(fmt::format("\nno violation: the run ended at {}", when(t_, t_.end_time_us, t_.end_step)));
    return fmt::to_string(out_);
  }

 private:
  void line(const std::string& s) { fmt::format_to(std::back_inserter(out_), "{}\n", s); }

  std::string name(std::uint32_t id) const { return node(t_, id, true); }

  void write_step(const Step& s) {
    const TraceEvent& e = s.trigger;
    std::string cause;
    if (e.type == EventType::deliver) {
      cause = fmt::format("{:<{}} -> {:<{}}  {}", name(e.from), node_width_, name(e.to), node_width_, message(t_, e));
    } else if (s.retransmission) {
      cause = fmt::format("{:<{}} -> {:<{}}  {} (link retransmission{})", name(e.from), node_width_, name(e.to),
                          node_width_, message(t_, e), e.type == EventType::drop ? ", dropped again" : "");
    } else if (e.type == EventType::send || e.type == EventType::drop) {
      cause = sends(SendGroup{.message = e, .to = {e.to}, .dropped = e.type == EventType::drop,
                              .retransmitted = e.type == EventType::drop && e.extra != 0});
    } else {
      cause = happening(t_, e, name(node_of(e)) + " ");
    }
    line(fmt::format("  {:>{}}  {}", when(t_, e), time_width_, cause));
    const std::string indent(2 + time_width_ + 4, ' ');
    for (const auto& n : s.notes) line(indent + happening(t_, n, name(n.from) + " "));
    for (const auto& g : s.sends) line(indent + sends(g));
  }

  std::string recipients(const SendGroup& g) const {
    std::string s;
    for (std::uint32_t to : g.to) s += (s.empty() ? "" : ", ") + name(to);
    return s;
  }

  std::string sends(const SendGroup& g) const {
    const char* fate = !g.dropped ? "" : g.retransmitted ? " (dropped; the link resends it)" : " (dropped)";
    return fmt::format("{} sends {} to {}{}", name(g.message.from), message(t_, g.message), recipients(g), fate);
  }

  void write_commits() {
    line("\n== commits per sequence number ==");
    if (t_.commits.empty()) line("  none");
    for (const auto& [seq, commits] : t_.commits) {
      // One entry per digest, in the order they were first committed.
      std::vector<std::pair<pbft::Digest, std::string>> by_digest;
      for (const auto& c : commits) {
        auto it = std::find_if(by_digest.begin(), by_digest.end(), [&](const auto& p) { return p.first == c.digest; });
        if (it == by_digest.end()) {
          by_digest.emplace_back(c.digest, fmt::format("d={}:", t_.digest_name(c.digest)));
          it = std::prev(by_digest.end());
        } else {
          it->second += ",";
        }
        it->second += fmt::format(" {} (v{}, {})", name(c.replica), c.view, when(t_, c.time_us, c.step));
      }
      std::string s = fmt::format("  n{}  ", seq);
      for (std::size_t i = 0; i < by_digest.size(); ++i) s += (i ? "; " : "") + by_digest[i].second;
      if (by_digest.size() > 1) s += "  <- honest replicas disagree";
      line(s);
    }
  }

  const Timeline& t_;
  fmt::memory_buffer out_;
  std::size_t time_width_ = 0, node_width_ = 0;
};

// Mermaid reads ';' as a statement break, '#' as an entity code and '<', '>'
// as HTML: write them as entity codes.
std::string mermaid_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '#': out += "#35;"; break;
      case ';': out += "#59;"; break;
      case '<': out += "#60;"; break;
      case '>': out += "#62;"; break;
      default: out += ch;
    }
  }
  return out;
}

// Long notes widen the whole diagram: break them between words.
std::string mermaid_wrap(const std::string& s, std::size_t width) {
  std::string out, line;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find(' ', start);
    if (end == std::string::npos) end = s.size();
    const std::string word = s.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += mermaid_escape(line) + "<br/>";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  return out + mermaid_escape(line);
}

class MermaidWriter {
 public:
  explicit MermaidWriter(const Timeline& t) : t_(t) {
    const auto& s = t.scenario;
    first_ = s.workload.clients > 0 ? "C0" : "R0";
    last_ = fmt::format("R{}", s.config.n - 1);
  }

  std::string write() {
    line("sequenceDiagram");
    line("    %% pbftsim explain: " + verdict_line(t_));
    for (std::uint32_t c = 0; c < t_.scenario.workload.clients; ++c) line(fmt::format("    participant C{}", c));
    for (std::uint32_t r = 0; r < t_.scenario.config.n; ++r) {
      const auto& faults = t_.scenario.faults;
      const auto f = std::find_if(faults.begin(), faults.end(), [&](const auto& x) { return x.replica == r; });
      if (f == faults.end()) line(fmt::format("    participant R{}", r));
      else line(fmt::format("    participant R{} as R{} (faulty, {})", r, r, model::strategy_name(f->strategy)));
    }
    for (const auto& section : t_.sections) {
      note_over_all(fmt::format("view {} (primary R{})", section.view, t_.scenario.config.primary(section.view)));
      for (const auto& step : section.steps) write_step(step);
    }
    if (!t_.replica_failure.empty()) note_over_all("REPLICA FAILURE<br/>" + mermaid_wrap(t_.replica_failure, 60), false);
    else if (t_.violation) note_over_all("VIOLATION<br/>" + mermaid_wrap(t_.description, 60), false);
    else note_over_all("no violation");
    return fmt::to_string(out_);
  }

 private:
  void line(const std::string& s) { fmt::format_to(std::back_inserter(out_), "{}\n", s); }

  std::string id(std::uint32_t node_id) const { return node(t_, node_id, false); }

  void note_over_all(const std::string& text, bool escape = true) {
    const std::string over = first_ == last_ ? first_ : first_ + "," + last_;
    line(fmt::format("    Note over {}: {}", over, escape ? mermaid_escape(text) : text));
  }

  void arrow(std::uint32_t from, const char* kind, std::uint32_t to, const std::string& text) {
    line(fmt::format("    {}{}{}: {}", id(from), kind, id(to), mermaid_escape(text)));
  }

  void write_step(const Step& s) {
    const TraceEvent& e = s.trigger;
    std::vector<std::string> notes;
    if (e.type == EventType::deliver) {
      arrow(e.from, "->>", e.to, message(t_, e));
    } else if (e.type == EventType::send || e.type == EventType::drop) {
      // A delivered send gets its arrow when it arrives; only a loss shows here.
      if (e.type == EventType::drop)
        arrow(e.from, "-x", e.to, message(t_, e) + (s.retransmission ? " (retransmission, dropped)" : " (dropped)"));
    } else {
      notes.push_back(mermaid_escape(happening(t_, e, "")));
    }
    for (const auto& n : s.notes) notes.push_back(mermaid_escape(happening(t_, n, "")));
    if (!notes.empty()) {
      std::string joined;
      for (const auto& n : notes) joined += (joined.empty() ? "" : "<br/>") + n;
      line(fmt::format("    Note over {}: {}", id(node_of(e)), joined));
    }
    // Deliveries to clients are not traced (their accepts are): replies get
    // their dotted arrow when sent.
    for (const auto& g : s.sends) {
      for (std::uint32_t to : g.to) {
        if (g.dropped) arrow(g.message.from, "-x", to, message(t_, g.message) + " (dropped)");
        else if (model::Endpoint::unpack(to).is_client()) arrow(g.message.from, "-->>", to, message(t_, g.message));
      }
    }
  }

  const Timeline& t_;
  fmt::memory_buffer out_;
  std::string first_, last_;
};

}  // namespace

std::string explain_text(const Timeline& t) { return TextWriter(t).write(); }

std::string explain_mermaid(const Timeline& t) { return MermaidWriter(t).write(); }

}  // namespace tools
