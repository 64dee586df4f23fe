#pragma once
// The node protocol's lines (docs/node-protocol.md): JSON objects, one per
// line, each an envelope {"src", "dest", "body"} like Maelstrom's, plus
// "time" (virtual microseconds) on the harness's inputs. Node names are
// "r<id>" for replicas, "c<id>" for clients, "harness" for the harness and
// "all" for every replica but the sender.
//
// Lock-step: the harness writes one input line; the node answers with any
// number of effect lines and then exactly one {"type": "done"} line.
//
// Both sides are here: the harness writes inputs and reads effects
// (model/node_replica.cpp); the built-in node reads inputs and writes
// effects (`pbftsim node`, tools/node_command.cpp).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pbft/config.h"
#include "pbft/effects.h"
#include "pbft/messages.h"
#include "plugin/wire.h"

namespace node_protocol {

// --- the harness's side ---------------------------------------------------

// Each returns one line without its newline. `body` is a message already in
// JSON (node_json::to_json(m).dump()): a broadcast is written once.
std::string init_line(std::uint64_t time_us, pbft::ReplicaId node, const pbft::Config& c);
std::string message_line(std::uint64_t time_us, pbft::ReplicaId from, pbft::ReplicaId node, std::string_view body);
std::string request_line(std::uint64_t time_us, pbft::ClientId from, pbft::ReplicaId node, const pbft::Request& r);
std::string timer_line(std::uint64_t time_us, pbft::ReplicaId node, std::uint64_t token);

// A node's "fail" line: it cannot go on. The reason is the node's own.
struct NodeFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads one line a node wrote into `out`: true at its "done". Throws
// wire::Malformed for a line that is not an effect of node `self` (not
// JSON, a wrong src, a bound of plugin/effect_limits.h broken) and
// NodeFailed for "fail".
bool read_effect(std::string_view line, pbft::ReplicaId self, pbft::Effects& out);

// --- the node's side ------------------------------------------------------

struct Input {
  enum class Kind { init, message, request, timer };
  Kind kind = Kind::init;
  std::uint64_t time_us = 0;
  pbft::ReplicaId node = 0;  // dest
  std::uint32_t from = 0;    // replica or client (message, request)
  pbft::Message message;     // message, request
  std::uint64_t token = 0;   // timer
  pbft::Config config;       // init
};

// Throws wire::Malformed.
Input parse_input(std::string_view line);

// Appends one line per effect, each ending in a newline, and the "done".
void write_effects(std::string& out, pbft::ReplicaId self, const pbft::Effects& effects);
std::string fail_line(pbft::ReplicaId self, std::string_view reason);
std::string done_line(pbft::ReplicaId self);

}  // namespace node_protocol
