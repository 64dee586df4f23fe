#pragma once
// Which implementation runs the honest replicas: the built-in pbft::Replica
// (both null), a C plug-in (--replica-lib, model/plugin_replica.h), or node
// processes (--replica-cmd, model/node_replica.h). Who is under test, not
// what happens: the same scenario and tape give the same trace with any.
#include <memory>
#include <string>

#include "pbft/config.h"

namespace model {

class ReplicaLibrary;
class NodeCommand;

struct ReplicaImpl {
  std::shared_ptr<const ReplicaLibrary> library;
  std::shared_ptr<const NodeCommand> node;

  bool plugged() const { return library || node; }
  explicit operator bool() const { return plugged(); }
  // For messages: "the built-in replica", "replica plug-in NAME (PATH)", "node `CMD`".
  std::string description() const;
  // For results (--json "replica", the result line): "built-in", the
  // plug-in's name, or the node command.
  std::string name() const;
  // Throws InputError when the implementation cannot run this configuration:
  // a library that refuses it, a command that does not start or refuses init.
  void check_supports(const pbft::Config& c) const;
  friend bool operator==(const ReplicaImpl&, const ReplicaImpl&) = default;
};

}  // namespace model
