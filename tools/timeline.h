#pragma once
// A run's events told as a story for `pbftsim explain`: cut into steps (one
// input to one node and everything that input caused), the steps into
// sections per view, with the repetition a reader does not need condensed
// away. Rendering is separate (tools/explain.h).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/trace.h"

namespace tools {

struct TimelineOptions {
  bool all = false;                // every event on its own line, nothing condensed
  std::optional<pbft::Seq> seq;    // only what concerns this sequence number
  pbft::View from_view = 0;        // leave out the sections of earlier views
};

// One message sent by one node in one step, to each of its recipients.
struct SendGroup {
  model::TraceEvent message;       // `to` is the first recipient's
  std::vector<std::uint32_t> to;
  bool dropped = false;
  bool retransmitted = false;      // dropped, and the link sends it again later
};

struct Step {
  // deliver, timer, submit or accept; or, standing alone, a link's
  // retransmission (send or drop) or a note nothing visible caused.
  model::TraceEvent trigger;
  bool retransmission = false;
  std::vector<model::TraceEvent> notes;  // commit, execute, view change, ...: in story order
  std::vector<SendGroup> sends;
};

// The steps from the one in which an honest replica first entered `view`
// (view 0: from the start) to the next section.
struct ViewSection {
  pbft::View view = 0;
  std::vector<Step> steps;
};

struct CommitRecord {
  pbft::ReplicaId replica = 0;
  pbft::View view = 0;
  pbft::Digest digest = pbft::kNoDigest;
  std::uint64_t time_us = 0, step = 0;
};

// What the default view left out, so the reader knows to ask for --all.
struct Condensed {
  std::uint64_t repeated_deliveries = 0;  // an identical message again, which changed nothing
  std::uint64_t duplicate_sends = 0;      // an identical message to the same recipient in one step
  std::uint64_t retransmissions = 0;      // a link resending what it dropped
  // A faulty replica's state is its strategy's business: what matters is what it sends.
  std::uint64_t idle_faulty_deliveries = 0;
  bool any() const { return repeated_deliveries + duplicate_sends + retransmissions + idle_faulty_deliveries > 0; }
};

struct Timeline {
  model::Scenario scenario;
  std::string description;         // the trace's verdict, empty when the run was safe
  std::string replica_failure;     // the run ended in this replica failure
  std::size_t tape_choices = 0;
  std::vector<ViewSection> sections;
  std::map<pbft::Seq, std::vector<CommitRecord>> commits;  // honest replicas' commits per sequence number
  std::optional<model::TraceEvent> violation;
  Condensed condensed;
  std::uint64_t deliveries = 0;
  std::uint64_t end_time_us = 0, end_step = 0;
  // Short names for digests: the shortest hex prefix (at least 4 digits)
  // that tells apart every digest of the run; "null" for the null request.
  std::map<pbft::Digest, std::string> digest_names;
  // Which client's request (client, timestamp) a digest is.
  std::map<pbft::Digest, std::pair<std::uint32_t, std::uint64_t>> requests;

  bool async() const { return scenario.network.mode == model::NetworkMode::async; }
  std::string digest_name(pbft::Digest d) const;
};

// The node an event happens at: a delivery's or a timer's recipient,
// otherwise the sender or the node that committed, executed, ...
std::uint32_t node_of(const model::TraceEvent& e);

// `events`: the run's events in order, as replaying the trace reports them.
Timeline build_timeline(const model::Trace& trace, const std::vector<model::TraceEvent>& events,
                        const TimelineOptions& options);

}  // namespace tools
