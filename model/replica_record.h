#pragma once
// What a trace records about the implementation that ran its honest
// replicas, so that replay, minimize and explain re-run the same one
// without being told, and can say when it is no longer the same: a plug-in
// by its path, a node by its command and the directory it ran in, each with
// the SHA-256 of its files (the library; the files a node's command names,
// such as the interpreter and the script, with the script's siblings of the
// same extension, its modules). The built-in replica has none.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/replica_impl.h"

namespace model {

struct RecordedFile {
  std::string path;
  std::string sha256;  // "" when it could not be read
  friend bool operator==(const RecordedFile&, const RecordedFile&) = default;
};

struct ReplicaRecord {
  enum class Kind { library, node };
  Kind kind = Kind::library;
  std::string target;     // the library's absolute path, or the node command
  std::string directory;  // a node's working directory
  std::vector<RecordedFile> files;
  friend bool operator==(const ReplicaRecord&, const ReplicaRecord&) = default;
};

// None for the built-in replica. Hashes the files now.
std::optional<ReplicaRecord> record_replica(const ReplicaImpl& impl);

nlohmann::json to_json(const ReplicaRecord& r);
// Throws InputError("replica: what").
ReplicaRecord replica_record_from_json(const nlohmann::json& j);

// "replica plug-in /abs/lib.so", "node `CMD` (in DIR)".
std::string describe(const ReplicaRecord& r);

// How the implementation about to run differs from the recorded one, as a
// phrase for messages ("" when it is the same, with the same file hashes):
// "it was recorded with node `X`, replayed with the built-in replica",
// "examples/python-node/node.py changed since it was recorded".
std::string replica_difference(const std::optional<ReplicaRecord>& recorded, const ReplicaImpl& now);

}  // namespace model
