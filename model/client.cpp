#include "model/client.h"

#include "model/scenario.h"

namespace model {

Client::Client(pbft::ClientId id, std::uint32_t n, std::uint32_t f, std::uint32_t requests)
    : id_(id), n_(n), f_(f), total_(requests), results_(n) {}

std::optional<pbft::Request> Client::next() {
  if (current_ || next_timestamp_ > total_) return std::nullopt;
  const pbft::Timestamp t = next_timestamp_++;
  current_ = pbft::Request{id_, t, operation_for(id_, t)};
  for (auto& r : results_) r.reset();
  return current_;
}

std::optional<std::uint64_t> Client::on_reply(pbft::ReplicaId from, const pbft::Reply& r) {
  if (!current_ || from >= n_ || r.client != id_ || r.timestamp != current_->timestamp) return std::nullopt;
  if (results_[from]) return std::nullopt;  // first reply per replica counts
  results_[from] = r.result;
  std::uint32_t matching = 0;
  for (const auto& x : results_)
    if (x == r.result) ++matching;
  if (matching < f_ + 1) return std::nullopt;
  view_ = r.view;
  current_.reset();
  ++accepted_;
  ++timer_token_;  // cancels the retransmission timer
  return r.result;
}

}  // namespace model
