#pragma once
// The two network models behind one interface (after TigerBeetle's
// packet_simulator): what happens to a transmission — dropped, delayed,
// duplicated — and which waiting item the simulator handles next. The
// simulator owns the items (messages in flight, timers) in a slab; a network
// holds their slab indices.
//
//   timed: virtual time. Delays, drops, duplicates, reordering and
//          partitions are drawn from the tape (until GST); items wait in a
//          queue ordered by (time, send order); the run ends at the horizon.
//   async: no time (the clock stays at 0; events are ordered by step).
//          Every message arrives eventually, in any order: the tape picks the
//          next message (or, 1 in 16, a timer); the run ends after max_steps
//          deliveries.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "model/event_queue.h"
#include "model/scenario.h"
#include "model/tape.h"

namespace model {

// The fate of one transmission.
struct Transmission {
  bool dropped = false;                           // lost (the link may retransmit it later)
  std::uint64_t delay_us = 0;                     // of the copy delivered
  std::optional<std::uint64_t> duplicate_delay_us;  // a second copy, delivered too
};

// An item waiting: its slab index, due time and send order.
struct Waiting {
  std::uint64_t time = 0, order = 0;
  std::uint32_t index = 0;
  bool timer = false;  // a timer (or a scheduled release), not a message
};

// Async only: chooses the next item instead of the tape (the schedule
// minimizer, model/schedule_steering.h). The network notes the picks that
// would have made the same choice on the tape, so a steered run replays
// from its recorded tape alone.
class Steering {
 public:
  virtual ~Steering() = default;
  struct Choice {
    enum class From : std::uint8_t { tape, messages, timers, nothing } from = From::tape;
    std::uint32_t position = 0;  // in the messages or timers waiting
  };
  // `nothing` ends the run.
  virtual Choice choose(std::span<const std::uint32_t> messages, std::span<const std::uint32_t> timers) = 0;
  // After each step: the item handled and the tape picks [first, end) that chose it.
  virtual void chose(std::uint32_t index, std::uint64_t first_pick, std::uint64_t end_pick) = 0;
};

class Network {
 public:
  virtual ~Network() = default;
  virtual void clear() = 0;
  // `now_us` is the simulator's clock; from/to are endpoints (clients are
  // never cut off by a partition).
  virtual Transmission transmit(std::uint32_t from, std::uint32_t to, std::uint64_t now_us, Tape& tape) = 0;
  virtual void push(const Waiting& w) = 0;
  // The next item and the clock when it is handled; nullopt when the run is
  // over. `steps` counts the items handled (async stops at max_steps).
  struct Next {
    std::uint32_t index;
    std::uint64_t now_us;
  };
  virtual std::optional<Next> next(Tape& tape, std::uint64_t& steps) = 0;
  // Async keeps one pending timer per owner: removes those `stale` names
  // (giving each to `drop`). Timed lets stale timers expire: their tokens no
  // longer match.
  virtual void forget_timers(const std::function<bool(std::uint32_t index)>& stale,
                             const std::function<void(std::uint32_t index)>& drop) = 0;
  virtual bool idle() const = 0;  // nothing waits
  // Async: nullptr (the default) lets the tape choose. Timed has no choice to steer.
  virtual void steer(Steering*) {}
  // Timed: the run ends at the horizon; extend_horizon moves it later (for
  // this run only: clear() restores it) and says whether it moved. Async has none.
  virtual std::uint64_t horizon_us() const { return 0; }
  virtual bool extend_horizon(std::uint64_t) { return false; }
};

std::unique_ptr<Network> make_network(const Scenario& s);

// The timed model's draw for one transmission among n replicas at `now_us`
// (clients, ids >= n, are never cut off): also the seed profile's.
Transmission timed_transmission(const NetworkConfig& net, std::uint32_t n, std::uint32_t from, std::uint32_t to,
                                std::uint64_t now_us, Tape& tape);

}  // namespace model
