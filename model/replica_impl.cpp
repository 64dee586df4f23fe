#include "model/replica_impl.h"

#include "model/node_replica.h"
#include "model/plugin_replica.h"

namespace model {

std::string ReplicaImpl::description() const {
  if (library) return library->name();
  if (node) return node->name();
  return "the built-in replica";
}

std::string ReplicaImpl::name() const {
  if (library) return library->api().name;
  if (node) return node->command;
  return "built-in";
}

void ReplicaImpl::check_supports(const pbft::Config& c) const {
  if (library) library->check_supports(c);
  if (node) NodeReplica(node, c, 0).start();  // the process ends with the probe
}

}  // namespace model
