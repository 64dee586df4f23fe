#pragma once
// The replicated service: an append-only log, summarised by a hash chain, plus
// the last reply per client for at-most-once execution (§4.1). The result of
// an operation is the chain after it, so matching replies imply a matching
// history.
#include <optional>
#include <vector>

#include "pbft/messages.h"

namespace pbft {

struct ClientRecord {
  Timestamp timestamp = 0;  // last executed timestamp; 0 = none yet
  std::uint64_t result = 0;
  friend bool operator==(const ClientRecord&, const ClientRecord&) = default;
};

struct ServiceState {
  std::uint64_t applied = 0;
  Digest chain = 0;
  std::vector<ClientRecord> clients;  // indexed by client id
  Digest digest() const;
  // The request's timestamp is not newer than its client's last executed one.
  bool executed(const Request& r) const {
    return r.client < clients.size() && r.timestamp <= clients[r.client].timestamp;
  }
  friend bool operator==(const ServiceState&, const ServiceState&) = default;
};

class Service {
 public:
  explicit Service(std::uint32_t max_clients) { state_.clients.resize(max_clients); }

  // Applies the request unless its timestamp is not newer than the client's
  // last one (a duplicate). Returns the result when applied.
  // at_most_once off is the catalog's execute-twice: duplicates apply again.
  std::optional<std::uint64_t> apply(const Request& r, bool at_most_once = true);

  // The reply cached for a client's request, if that request already executed.
  // `exact` off is the catalog's reply-cache-stale: the client's last result
  // answers any older request too.
  std::optional<std::uint64_t> cached_result(const Request& r, bool exact = true) const;
  bool executed(const Request& r) const;

  const ServiceState& state() const { return state_; }
  void install(const ServiceState& s) { state_ = s; }

 private:
  ServiceState state_;
};

}  // namespace pbft
