#pragma once
// The deterministic world: n replicas (honest Replica values or Byzantine
// strategies), clients, a network in timed or async mode, and the checkers.
// Every nondeterministic decision is a pick from the tape.
#include <atomic>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "model/adversary.h"
#include "model/checkers.h"
#include "model/client.h"
#include "model/network.h"
#include "model/honest_replica.h"
#include "model/schedule_steering.h"
#include "model/scenario.h"
#include "model/strategy.h"
#include "model/tape.h"
#include "model/trace_event.h"

namespace model {

struct RunStats {
  std::uint64_t sent = 0, delivered = 0, dropped = 0, duplicated = 0, timers_fired = 0;
  std::uint64_t steps = 0;
  std::uint64_t end_time_us = 0;      // 0 in async, which has no time
  std::uint64_t accepted = 0;          // client requests accepted
  pbft::View max_view = 0;             // highest view an honest replica entered
  std::uint64_t view_changes = 0;      // NEW-VIEWs entered by honest replicas
  std::uint64_t blocked_forgeries = 0;
  // The run stopped at its step budget (async: network.max_steps; timed:
  // kTimedStepCeiling) with work still in flight: whatever it did not reach
  // was not checked.
  bool stopped_by_steps = false;
  std::vector<std::uint64_t> latencies_us;  // per accepted request, submit → accept (timed: async has no time)
};

// Protocol depth reached, for fuzzer guidance and tests.
struct ProtocolCoverage {
  std::uint64_t prepared = 0, committed = 0, checkpoints_stable = 0, view_changes_started = 0,
                new_views = 0, certs_carried = 0, states_installed = 0, rejections = 0;
};

struct RunResult {
  std::optional<Violation> violation;
  RunStats stats;
  ProtocolCoverage coverage;
  std::uint64_t event_hash = 0;
  bool all_executed = false;  // every honest replica executed every submitted request
  bool abandoned = false;     // stopped by Simulator::abandon_when's flag: not a result
};

// Builds the world for one scenario once; each run() starts it afresh from
// a tape, reusing the memory of the previous run (a search or sweep runs
// millions of short runs, and setting up replicas was a third of each).
// It keeps its own copy of the scenario, so callers need not keep theirs.
class Simulator {
 public:
  explicit Simulator(const Scenario& s);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;
  const Scenario& scenario() const { return scenario_; }
  RunResult run(Tape& tape, TraceSink* sink = nullptr);
  // A search that only wants verdicts can skip the event hash, a tenth of
  // each delivery; RunResult::event_hash is then 0. A sink still sees
  // every event.
  void set_hashing(bool on) { hashing_ = on; }
  // The minimizer's research wants only runs shorter than its best: a run
  // that delivered this many messages without a violation stops there,
  // unjudged (no end-of-run liveness verdict). 0: no limit.
  void limit_deliveries(std::uint64_t n) { delivery_limit_ = n; }
  // A search's time limit or Ctrl-C, noticed within a run: once *flag is
  // set, the run stops within 256 steps, unjudged (RunResult::abandoned).
  // Null (the default): runs go to their end.
  void abandon_when(const std::atomic<bool>* flag) { abandon_ = flag; }
  // The schedule minimizer's hooks, async only (model/schedule_steering.h):
  // every step's item is logged by name, and with a script the items are
  // chosen by name rather than by the tape. Both null (the default): the
  // tape alone, nothing named. Timed runs ignore this.
  void follow(const std::vector<std::uint64_t>* script, Schedule* log);

 private:
  // An in-flight message or a pending timer: plain data, so the slab copies
  // it cheaply. A message lives once in `sent_`, shared by every recipient,
  // duplicate and retransmission.
  struct Item {
    enum class Kind : std::uint8_t { to_replica, to_client, replica_timer, client_timer, client_release, resend };
    std::uint64_t time = 0;
    std::uint64_t order = 0;
    std::uint64_t token = 0;  // timers
    std::uint32_t from = kNobody;
    std::uint32_t to = 0;
    std::uint32_t message = 0;  // index into sent_ (to_replica, to_client, resend)
    Kind kind = Kind::to_replica;
    bool carries_message() const { return kind == Kind::to_replica || kind == Kind::to_client || kind == Kind::resend; }
  };
  // A message sent once, with its trace summary (made once for all its
  // deliveries) and the number of items in flight that carry it.
  struct Sent {
    pbft::Message message;
    TraceEvent summary;
    std::uint32_t holders = 0;
  };
  // A message as a plugged replica takes it: the wire format for a plug-in,
  // its JSON body for a node. Made at its first delivery and shared by the
  // rest. Beside sent_, not in it, so the native path's slots stay as small
  // as they were.
  std::span<const std::uint8_t> encoded(std::uint32_t message);
  std::vector<wire::Bytes> encoded_;  // by sent_ index; empty bytes: not made yet

  void reset(Tape& tape, TraceSink* sink);
  void start();
  bool step();  // false when nothing is left to do
  void schedule(Item item, std::uint64_t delay_us);
  void send(std::uint32_t from, pbft::Destination to, pbft::Message&& m, bool honest);
  void transmit(std::uint32_t from, std::uint32_t to, std::uint32_t message, bool resend = false);
  std::uint32_t keep(pbft::Message&& m);       // into sent_, held once by the caller
  void release(std::uint32_t message);         // one holder fewer; the last frees the slot
  void deliver(const Item& item);
  // Hands one input to replica r, honest or faulty: `input(node, sink)`
  // calls the same-named method on a pbft::Replica or a Strategy.
  template <class Input>
  void activate(pbft::ReplicaId r, Input input);
  void apply_honest(pbft::ReplicaId r);
  void apply_faulty(pbft::ReplicaId r);
  void forget_timer(Item::Kind kind, std::uint32_t to);  // the owner's older one (async)
  void set_replica_timer(pbft::ReplicaId r, const pbft::TimerOp& op);
  void submit_next(pbft::ClientId c);
  void client_send(pbft::ClientId c, bool broadcast);
  void record(TraceEvent e);
  bool tracing() const { return hashing_ || sink_ != nullptr; }
  bool finished() const;

  const Scenario scenario_;  // before the replicas: it keeps their plug-in library loaded
  Tape* tape_ = nullptr;
  TraceSink* sink_ = nullptr;
  std::uint64_t now_us_ = 0;
  std::uint64_t order_ = 0;
  std::uint64_t hash_ = 0;
  bool hashing_ = true;
  std::uint64_t delivery_limit_ = 0;
  const std::atomic<bool>* abandon_ = nullptr;

  // An honest replica: built in, or the scenario's plug-in or node (model/honest_replica.h).
  std::vector<std::optional<HonestReplica>> honest_;
  // The initial world, copied over the live one at each reset: copy
  // assignment reuses the live vectors' memory.
  std::vector<std::optional<HonestReplica>> fresh_replicas_;
  std::vector<Client> fresh_clients_;
  Checkers fresh_checkers_;
  std::vector<std::unique_ptr<Strategy>> fresh_faulty_;
  std::vector<std::unique_ptr<Strategy>> faulty_;
  std::vector<Client> clients_;
  std::uint32_t clients_done_ = 0;
  Checkers checkers_;
  Boundary boundary_;
  Coalition coalition_;
  std::vector<pbft::Request> known_requests_;
  std::vector<Outgoing> outgoing_;
  std::vector<pbft::TimerOp> strategy_timers_;
  pbft::Effects effects_;
  std::vector<std::uint64_t> replica_timer_;  // armed token per replica (0: none)

  // Items live in a slab; the network (timed or async) holds their indices
  // and decides what comes next.
  std::unique_ptr<Network> network_;
  const bool judging_liveness_;  // timed runs with liveness on
  std::vector<Item> slab_;
  std::vector<std::uint32_t> free_;
  std::uint32_t store(const Item& item);       // into the slab
  // An item's name for the schedule minimizer: its kind, ends and content.
  std::uint64_t name_of(const Item& item) const;
  std::optional<ScheduleSteering> steering_;
  std::vector<std::uint64_t> names_;  // by slab index, while steering
  Item take(std::uint32_t index);              // out of it
  std::vector<Sent> sent_;
  std::vector<std::uint32_t> free_sent_;
  RunStats stats_;
  ProtocolCoverage coverage_;
};

// Convenience: runs a scenario on a tape.
RunResult run_scenario(const Scenario& s, Tape& tape, TraceSink* sink = nullptr);

}  // namespace model
