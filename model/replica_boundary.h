#pragma once
// The replica boundary: everything the simulator, the checkers and the
// traces need from an honest replica, and nothing more. A replica under test
// (the built-in pbft::Replica, or a C plug-in through model::PluginReplica,
// include/pbftsim/replica_plugin.h) is a value that
//
//   - is built from (Config, its id) (a plug-in's replicas also from their
//     library) and copied: the simulator keeps the initial world and copies
//     it over the live one at every run's start;
//   - takes three inputs, each with the authenticated sender (the network
//     authenticates; a message's own replica field is only a claim):
//       on_message(from replica, message, effects)
//       on_client_request(from client, request, effects)
//       on_timer(token of a timer it set, effects)
//   - and answers only through the Effects it appends to (pbft/effects.h):
//       sends      (to a replica, all replicas, or a client)
//       timers     (set or cancel, by token; the simulator owns time)
//       executions (sequence number, digest, result: the integrity and
//                   client-consistency checkers)
//       events     (committed v/n/digest: agreement; checkpoint_stable;
//                   state_installed with the installed state; view-change
//                   start and new view entered: coverage and traces)
//
// Nothing else is read: no clock, no randomness, no getters during a run.
// Honest sends are also the input of local sanity and of the adversary
// boundary (what faulty replicas may relay). Byzantine replicas are the
// harness's strategies and speak the same messages.
#include <concepts>

#include "pbft/effects.h"
#include "pbft/messages.h"

namespace model {

template <class R>
concept ReplicaUnderTest =
    std::copyable<R> &&
    requires(R r, pbft::ReplicaId from, pbft::ClientId client, const pbft::Message& m, const pbft::Request& q,
             std::uint64_t token, pbft::Effects& out) {
      r.on_message(from, m, out);
      r.on_client_request(client, q, out);
      r.on_timer(token, out);
    };

}  // namespace model
