#pragma once
// Static configuration of a PBFT group; every replica of a run shares one.
#include <cstdint>
#include <string>

#include "pbft/mutation.h"
#include "pbft/types.h"

namespace pbft {

// Vote sets are bitmasks, so a group has at most this many replicas.
inline constexpr std::uint32_t kMaxReplicas = 64;

struct Config {
  std::uint32_t n = 4;
  std::uint32_t f = 1;                     // set by make_config to ⌊(n−1)/3⌋
  std::uint32_t checkpoint_interval = 8;   // K: a checkpoint every K sequence numbers
  std::uint32_t watermark_window = 16;     // L: sequence numbers accepted above h
  std::uint32_t max_clients = 16;          // client ids are in [0, max_clients)
  std::uint64_t view_change_timeout_us = 400'000;  // doubles per consecutive view change
  std::uint32_t max_buffered = 256;        // future-view messages kept per replica
  Mutation mutation = Mutation::none;

  friend bool operator==(const Config&, const Config&) = default;
  ReplicaId primary(View v) const { return static_cast<ReplicaId>(v % n); }
  // Prepared/committed/stable/view-change quorums (§4.2–4.4): 2f+1 when
  // n = 3f+1, as in the paper. With more replicas, 2f+1 is too small: two
  // such sets need not share an honest replica (n = 5, f = 1: two sets of 3
  // can meet only in the faulty one). ⌈(n+f+1)/2⌉ is the smallest size any
  // two of which overlap in f+1 replicas.
  std::uint32_t quorum() const { return (n + f + 2) / 2; }
  // f+1: a set guaranteed to hold one honest replica (client replies, joining a view change).
  std::uint32_t weak_quorum() const { return f + 1; }
  // 2f: prepares from distinct backups needed, besides the pre-prepare.
  std::uint32_t prepare_quorum() const {
    // The pre-prepare stands for the primary's vote.
    const std::uint32_t q = quorum() - 1;
    return mutation == Mutation::prepare_quorum_short && q > 0 ? q - 1 : q;
  }
  std::uint32_t commit_quorum() const {
    return mutation == Mutation::commit_quorum_short ? quorum() - 1 : quorum();
  }
  std::uint32_t checkpoint_quorum() const {
    return mutation == Mutation::checkpoint_stable_f1 ? f + 1 : quorum();
  }
};

// n replicas tolerating f = ⌊(n−1)/3⌋ faults, other fields default.
Config make_config(std::uint32_t n);

// Empty when the configuration is usable, otherwise what is wrong with it.
std::string validate(const Config& c);

}  // namespace pbft
