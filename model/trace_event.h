#pragma once
// One line of a trace: what happened, when, between whom, about what.
#include <cstdint>

#include "pbft/messages.h"

namespace model {

enum class EventType : std::uint8_t {
  send, deliver, drop, timer, submit, accept, commit, execute, view_change, new_view,
  checkpoint, state, violation,
};
const char* event_type_name(EventType t);

// A network endpoint: a replica or a client. Where it travels as one 32-bit
// id (in-flight items, trace events) replicas are 0..n-1 and clients
// kClientBase + id; Endpoint packs and unpacks that, so no code does the
// arithmetic itself.
inline constexpr std::uint32_t kClientBase = 1u << 20;
inline constexpr std::uint32_t kNobody = 0xffffffffu;

struct Endpoint {
  enum class Kind : std::uint8_t { replica, client };
  Kind kind = Kind::replica;
  std::uint32_t id = 0;

  static constexpr Endpoint replica(std::uint32_t r) { return {Kind::replica, r}; }
  static constexpr Endpoint client(std::uint32_t c) { return {Kind::client, c}; }
  static constexpr Endpoint unpack(std::uint32_t packed) {
    return packed >= kClientBase && packed != kNobody ? client(packed - kClientBase) : replica(packed);
  }
  constexpr std::uint32_t packed() const { return kind == Kind::client ? kClientBase + id : id; }
  constexpr bool is_client() const { return kind == Kind::client; }
  friend constexpr bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct TraceEvent {
  // When: the virtual time (timed network; async has no time, so it stays
  // 0) and the simulator step, the number of items (messages, timers) handled
  // so far, which orders events in both networks.
  std::uint64_t time_us = 0;
  std::uint64_t step = 0;
  EventType type = EventType::send;
  std::uint32_t from = kNobody;
  std::uint32_t to = kNobody;
  pbft::MessageKind kind = pbft::MessageKind::request;
  pbft::View view = 0;
  pbft::Seq seq = 0;
  pbft::Digest digest = pbft::kNoDigest;
  std::uint64_t extra = 0;  // timer token, client timestamp, accepted result
  friend bool operator==(const TraceEvent&, const TraceEvent&) = default;
};

// The fields of a message a trace shows.
TraceEvent summarize(const pbft::Message& m);

// Inline: it runs on every event of every run.
inline std::uint64_t hash_event(std::uint64_t h, const TraceEvent& e) {
  // A multiplicative hash over the packed fields: cheap enough to run on
  // every event of every run, with a final avalanche when read (pbft::mix64).
  constexpr std::uint64_t kPrime = 0x100000001b3ULL * 0x9e3779b1ULL;
  const auto step = [&](std::uint64_t w) { h = (h ^ w) * kPrime; h ^= h >> 29; };
  step(e.step);
  step(e.time_us ^ (std::uint64_t(e.type) << 56) ^ (std::uint64_t(e.kind) << 48));
  step((std::uint64_t(e.from) << 32) | e.to);
  step(e.view ^ (e.seq << 20));
  step(e.digest ^ e.extra);
  return h;
}

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void on_event(const TraceEvent& e) = 0;
};

}  // namespace model
