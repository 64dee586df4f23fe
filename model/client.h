#pragma once
// A client (§4.1): one request outstanding at a time, sent to the primary it
// believes in, retransmitted to every replica on timeout, and accepted after
// f+1 matching replies from distinct replicas.
#include <optional>
#include <vector>

#include "pbft/messages.h"

namespace model {

class Client {
 public:
  Client(pbft::ClientId id, std::uint32_t n, std::uint32_t f, std::uint32_t requests);

  pbft::ClientId id() const { return id_; }
  bool done() const { return accepted_ == total_; }
  bool outstanding() const { return current_.has_value(); }
  std::uint32_t accepted() const { return accepted_; }
  pbft::View believed_view() const { return view_; }

  // Starts the next request; nullopt when all were submitted.
  std::optional<pbft::Request> next();
  const std::optional<pbft::Request>& current() const { return current_; }

  // Records a reply; returns the accepted result once f+1 replicas match.
  std::optional<std::uint64_t> on_reply(pbft::ReplicaId from, const pbft::Reply& r);

  std::uint64_t timer_token() const { return timer_token_; }
  std::uint64_t arm_timer() { return ++timer_token_; }
  std::uint64_t submitted_at_us = 0;

 private:
  pbft::ClientId id_;
  std::uint32_t n_, f_, total_;
  std::uint32_t accepted_ = 0;
  pbft::Timestamp next_timestamp_ = 1;
  pbft::View view_ = 0;
  std::optional<pbft::Request> current_;
  std::vector<std::optional<std::uint64_t>> results_;  // per replica, for current_
  std::uint64_t timer_token_ = 0;
};

}  // namespace model
