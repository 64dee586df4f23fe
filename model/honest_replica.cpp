#include "model/honest_replica.h"

namespace model {

HonestReplica make_honest_replica(const ReplicaImpl& impl, const pbft::Config& c, pbft::ReplicaId id) {
  if (impl.library) return HonestReplica(std::in_place_type<PluginReplica>, *impl.library, c, id);
  if (impl.node) return HonestReplica(std::in_place_type<NodeReplica>, impl.node, c, id);
  return HonestReplica(std::in_place_type<pbft::Replica>, c, id);
}

void deliver_message(HonestReplica& r, std::uint64_t now_us, pbft::ReplicaId from, const pbft::Message& m,
                     pbft::Effects& out) {
  give_input(r, now_us, [&](auto& replica) { replica.on_message(from, m, out); });
}

void deliver_request(HonestReplica& r, std::uint64_t now_us, pbft::ClientId client, const pbft::Request& q,
                     pbft::Effects& out) {
  give_input(r, now_us, [&](auto& replica) { replica.on_client_request(client, q, out); });
}

void deliver_timer(HonestReplica& r, std::uint64_t now_us, std::uint64_t token, pbft::Effects& out) {
  give_input(r, now_us, [&](auto& replica) { replica.on_timer(token, out); });
}

}  // namespace model
