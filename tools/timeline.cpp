#include "tools/timeline.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

namespace tools {

namespace {

using model::EventType;
using model::TraceEvent;

bool is_message(EventType t) { return t == EventType::send || t == EventType::deliver || t == EventType::drop; }

// A message as a reader tells it apart: a send's `extra` is its delay, not content.
using MessageKey = std::tuple<std::uint32_t, std::uint32_t, pbft::MessageKind, pbft::View, pbft::Seq, pbft::Digest>;
MessageKey key_of(const TraceEvent& e) { return {e.from, e.to, e.kind, e.view, e.seq, e.digest}; }

bool same_message_to_anyone(const TraceEvent& a, const TraceEvent& b) {
  return a.from == b.from && a.kind == b.kind && a.view == b.view && a.seq == b.seq && a.digest == b.digest;
}

// The order a person tells one step's outcome in: an installed state before
// what it enables, a commit before the execution it allows, then stability.
// The simulator records executions first; within one step that order is an
// artifact, not causality.
int story_rank(EventType t) {
  switch (t) {
    case EventType::state: return 0;
    case EventType::execute: return 2;
    case EventType::checkpoint: return 3;
    case EventType::submit: return 4;  // the client's next request, after an accept
    default: return 1;
  }
}

// Does the event bear on the agreement at sequence number n?
bool concerns(const TraceEvent& e, pbft::Seq n) {
  if (e.seq != n) return false;
  if (is_message(e.type))
    return e.kind == pbft::MessageKind::pre_prepare || e.kind == pbft::MessageKind::prepare ||
           e.kind == pbft::MessageKind::commit;
  return e.type == EventType::commit || e.type == EventType::execute;
}

class Builder {
 public:
  Builder(const model::Trace& trace, const TimelineOptions& options) : options_(options) {
    t_.scenario = trace.scenario;
    t_.description = trace.description;
    t_.replica_failure = trace.replica_failure.value_or("");
    t_.tape_choices = trace.tape.size();
    t_.sections.push_back({});
  }

  void add(const TraceEvent& e) {
    t_.end_time_us = e.time_us;
    t_.end_step = e.step;
    if (e.digest != pbft::kNoDigest && e.digest != pbft::kNullDigest) digests_.insert(e.digest);
    switch (e.type) {
      case EventType::violation:
        close_step();
        t_.violation = e;
        return;
      case EventType::deliver:
        ++t_.deliveries;
        start_step(e);
        repeats_ = !delivered_.insert({key_of(e), e.extra}).second;
        return;
      case EventType::timer:
      case EventType::accept: start_step(e); return;
      case EventType::submit:
        t_.requests[e.digest] = {model::Endpoint::unpack(e.from).id, e.extra};
        // A closed-loop client submits its next request as it accepts one.
        if (step_ && step_->trigger.type == EventType::accept && belongs(e)) step_->notes.push_back(e);
        else start_step(e);
        return;
      case EventType::send:
      case EventType::drop: add_message(e); return;
      default:
        if (e.type == EventType::commit)
          t_.commits[e.seq].push_back({.replica = e.from, .view = e.view, .digest = e.digest, .time_us = e.time_us, .step = e.step});
        if (belongs(e)) step_->notes.push_back(e);
        else start_step(e);
        return;
    }
  }

  Timeline finish() {
    close_step();
    name_digests();
    filter();
    return std::move(t_);
  }

 private:
  // An event is part of the current step when it happens at the step's node
  // in the same simulator step; a faulty node may send as another (with
  // auth off).
  bool belongs(const TraceEvent& e) const {
    if (!step_ || e.step != step_->trigger.step) return false;
    const std::uint32_t node = node_of(step_->trigger);
    return e.from == node || (is_message(e.type) && is_faulty_replica(node));
  }

  bool is_faulty_replica(std::uint32_t id) const { return id < t_.scenario.config.n && t_.scenario.is_faulty(id); }

  void add_message(const TraceEvent& e) {
    // A link resends a dropped message exactly retransmit_after_us later.
    bool resend = false;
    if (auto it = awaiting_resend_.find({e.time_us, key_of(e)}); it != awaiting_resend_.end()) {
      awaiting_resend_.erase(it);
      resend = true;
    }
    if (e.type == EventType::drop && e.extra != 0)
      awaiting_resend_.insert({e.time_us + t_.scenario.network.retransmit_after_us, key_of(e)});
    if (resend || !belongs(e)) {
      start_step(e);
      step_->retransmission = resend;
      return;
    }
    const bool dropped = e.type == EventType::drop;
    if (!options_.all) {
      for (auto& g : step_->sends) {
        if (g.dropped != dropped || !same_message_to_anyone(g.message, e)) continue;
        if (std::find(g.to.begin(), g.to.end(), e.to) != g.to.end()) ++t_.condensed.duplicate_sends;
        else g.to.push_back(e.to);
        return;
      }
    }
    step_->sends.push_back({.message = e, .to = {e.to}, .dropped = dropped, .retransmitted = dropped && e.extra != 0});
  }

  void start_step(const TraceEvent& e) {
    close_step();
    step_ = Step{.trigger = e};
    repeats_ = false;
  }

  void close_step() {
    if (!step_) return;
    Step s = std::move(*step_);
    step_.reset();
    if (!options_.all) {
      // The delivery the reader needs is shown when it happens.
      if (s.retransmission) {
        ++t_.condensed.retransmissions;
        return;
      }
      const bool idle = s.trigger.type == EventType::deliver && s.notes.empty() && s.sends.empty();
      if (idle && repeats_) {
        ++t_.condensed.repeated_deliveries;
        return;
      }
      if (idle && is_faulty_replica(s.trigger.to)) {
        ++t_.condensed.idle_faulty_deliveries;
        return;
      }
    }
    std::stable_sort(s.notes.begin(), s.notes.end(),
                     [](const TraceEvent& a, const TraceEvent& b) { return story_rank(a.type) < story_rank(b.type); });
    for (const auto& n : s.notes)
      if (n.type == EventType::new_view && n.view > t_.sections.back().view) t_.sections.push_back({.view = n.view});
    t_.sections.back().steps.push_back(std::move(s));
  }

  void name_digests() {
    std::size_t digits = 4;
    for (; digits < 16; ++digits) {
      std::set<pbft::Digest> prefixes;
      for (pbft::Digest d : digests_) prefixes.insert(d >> (64 - 4 * digits));
      if (prefixes.size() == digests_.size()) break;
    }
    for (pbft::Digest d : digests_) t_.digest_names[d] = fmt::format("{:016x}", d).substr(0, digits);
  }

  void filter() {
    if (options_.seq) {
      const pbft::Seq n = *options_.seq;
      for (auto& section : t_.sections) {
        std::erase_if(section.steps, [&](Step& s) {
          std::erase_if(s.notes, [&](const TraceEvent& e) {
            return !concerns(e, n) && e.type != EventType::view_change && e.type != EventType::new_view;
          });
          std::erase_if(s.sends, [&](const SendGroup& g) { return !concerns(g.message, n); });
          // The trigger stays as the cause of what is kept.
          return !concerns(s.trigger, n) && s.notes.empty() && s.sends.empty();
        });
      }
      std::erase_if(t_.commits, [&](const auto& c) { return c.first != n; });
    }
    std::erase_if(t_.sections,
                  [&](const ViewSection& v) { return v.view < options_.from_view || v.steps.empty(); });
  }

  TimelineOptions options_;
  Timeline t_;
  std::optional<Step> step_;
  bool repeats_ = false;  // the current step delivers a message delivered before
  std::set<std::pair<MessageKey, std::uint64_t>> delivered_;
  std::multiset<std::pair<std::uint64_t, MessageKey>> awaiting_resend_;  // (when, message)
  std::set<pbft::Digest> digests_;
};

}  // namespace

std::uint32_t node_of(const TraceEvent& e) {
  return e.type == EventType::deliver || e.type == EventType::timer ? e.to : e.from;
}

std::string Timeline::digest_name(pbft::Digest d) const {
  if (d == pbft::kNullDigest) return "null";
  if (d == pbft::kNoDigest) return "none";
  const auto it = digest_names.find(d);
  return it != digest_names.end() ? it->second : fmt::format("{:016x}", d);
}

Timeline build_timeline(const model::Trace& trace, const std::vector<model::TraceEvent>& events,
                        const TimelineOptions& options) {
  Builder b(trace, options);
  for (const auto& e : events) b.add(e);
  return b.finish();
}

}  // namespace tools
