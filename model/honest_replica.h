#pragma once
// An honest replica under test, whichever implementation runs it: the
// built-in pbft::Replica, a C plug-in (--replica-lib) or a node process
// (--replica-cmd). The simulator and the conformance suite both make them
// here. A variant, not a virtual call, so the native path stays as fast.
#include <cstdint>
#include <type_traits>
#include <variant>

#include "model/node_replica.h"
#include "model/plugin_replica.h"
#include "model/replica_impl.h"
#include "pbft/replica.h"

namespace model {

using HonestReplica = std::variant<pbft::Replica, PluginReplica, NodeReplica>;

HonestReplica make_honest_replica(const ReplicaImpl& impl, const pbft::Config& c, pbft::ReplicaId id);

// Calls `input(replica)` on whichever implementation `r` holds, after
// telling a node process the virtual time: the one place inputs reach an
// honest replica. Inline, so the native path compiles to a direct call.
template <class Input>
void give_input(HonestReplica& r, std::uint64_t now_us, Input&& input) {
  std::visit(
      [&](auto& replica) {
        if constexpr (std::is_same_v<std::decay_t<decltype(replica)>, NodeReplica>) replica.set_time(now_us);
        input(replica);
      },
      r);
}

// One input, with the virtual time a node process is told.
void deliver_message(HonestReplica& r, std::uint64_t now_us, pbft::ReplicaId from, const pbft::Message& m,
                     pbft::Effects& out);
void deliver_request(HonestReplica& r, std::uint64_t now_us, pbft::ClientId client, const pbft::Request& q,
                     pbft::Effects& out);
void deliver_timer(HonestReplica& r, std::uint64_t now_us, std::uint64_t token, pbft::Effects& out);

}  // namespace model
