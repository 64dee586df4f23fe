#pragma once
// Replicas from a shared library that implements the plug-in ABI
// (include/pbftsim/replica_plugin.h): the loaded library, and a replica
// value the simulator runs like the built-in one (model/replica_boundary.h).
#include <memory>
#include <string>

#include "pbft/config.h"
#include "pbft/effects.h"
#include "pbft/messages.h"
#include "pbftsim/replica_plugin.h"
#include "plugin/wire.h"

namespace model {

// A dlopen'ed plug-in. Scenarios share it; it is unloaded with the last.
class ReplicaLibrary {
 public:
  // Throws InputError, one line naming the path and what is wrong: not
  // loadable, no pbftsim_replica_plugin symbol, another ABI version, a
  // missing function.
  static std::shared_ptr<const ReplicaLibrary> load(const std::string& path);
  ~ReplicaLibrary();
  ReplicaLibrary(const ReplicaLibrary&) = delete;
  ReplicaLibrary& operator=(const ReplicaLibrary&) = delete;

  const pbftsim_replica_api& api() const { return *api_; }
  const std::string& path() const { return path_; }
  std::string name() const;  // the plug-in's own name and its path, for messages
  // Throws InputError when the plug-in refuses this configuration (say, a
  // bug-catalog mutation it does not plant). Front ends call it before a
  // search, so the refusal is one line, not an error in a worker thread.
  void check_supports(const pbft::Config& c) const;

 private:
  ReplicaLibrary(std::string path, void* handle, const pbftsim_replica_api* api);
  std::string path_;
  void* handle_;
  const pbftsim_replica_api* api_;
};

// One replica of a plug-in: copying clones it (the simulator copies the
// initial world at every run's start). Inputs are encoded in the wire
// format; what the plug-in sends back is decoded into `out`, so the
// simulator applies a plug-in's effects exactly as the built-in replica's.
class PluginReplica {
 public:
  PluginReplica(const ReplicaLibrary& library, const pbft::Config& c, pbft::ReplicaId id);
  PluginReplica(const PluginReplica& other);
  PluginReplica& operator=(const PluginReplica& other);
  PluginReplica(PluginReplica&& other) noexcept;
  PluginReplica& operator=(PluginReplica&& other) noexcept;
  ~PluginReplica();

  // Throw InputError when the plug-in answers with bytes that are not a
  // message or a state: the plug-in is unusable, not the protocol unsafe.
  void on_message(pbft::ReplicaId from, const pbft::Message& m, pbft::Effects& out);
  // The same message already in the wire format (the simulator encodes a
  // broadcast once for all its recipients).
  void on_message(pbft::ReplicaId from, std::span<const std::uint8_t> encoded, pbft::Effects& out);
  void on_client_request(pbft::ClientId client, const pbft::Request& r, pbft::Effects& out);
  void on_timer(std::uint64_t token, pbft::Effects& out);

 private:
  template <class Call>
  void input(pbft::Effects& out, Call call);
  const ReplicaLibrary* library_;
  pbftsim_replica* self_ = nullptr;
  pbft::ReplicaId id_ = 0;
  wire::Bytes buffer_;  // the encoded input, reused
};

}  // namespace model
