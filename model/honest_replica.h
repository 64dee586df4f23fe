#pragma once
// An honest replica under test, whichever implementation runs it: the
// built-in pbft::Replica, a C plug-in (--replica-lib) or a node process
// (--replica-cmd). The simulator and the conformance suite both make them
// here. A variant, not a virtual call, so the native path stays as fast.
#include <variant>

#include "model/node_replica.h"
#include "model/plugin_replica.h"
#include "model/replica_impl.h"
#include "pbft/replica.h"

namespace model {

using HonestReplica = std::variant<pbft::Replica, PluginReplica, NodeReplica>;

HonestReplica make_honest_replica(const ReplicaImpl& impl, const pbft::Config& c, pbft::ReplicaId id);

// One input, with the virtual time a node process is told.
void deliver_message(HonestReplica& r, std::uint64_t now_us, pbft::ReplicaId from, const pbft::Message& m,
                     pbft::Effects& out);
void deliver_request(HonestReplica& r, std::uint64_t now_us, pbft::ClientId client, const pbft::Request& q,
                     pbft::Effects& out);
void deliver_timer(HonestReplica& r, std::uint64_t now_us, std::uint64_t token, pbft::Effects& out);

}  // namespace model
