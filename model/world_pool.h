#pragma once
// Worlds by scenario, reused across runs. Building a Simulator costs about
// as much as one short run, and a search, a sweep or a fuzzer runs the same
// few scenarios millions of times. Bounded: when full, the oldest world goes.
// One pool per thread (a Simulator runs one thing at a time).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>

#include "model/simulator.h"

namespace model {

// A cheap hash of everything that defines a scenario (equal scenarios, equal
// fingerprints); the pool compares scenarios in full, so collisions are safe.
std::uint64_t fingerprint(const Scenario& s);

class WorldPool {
 public:
  // hashing: whether runs compute the event hash (searches that read only
  // verdicts turn it off and re-run a violation with it).
  explicit WorldPool(std::size_t capacity = 256, bool hashing = false);
  Simulator& get(const Scenario& s);
  std::size_t size() const { return worlds_.size(); }

 private:
  std::size_t capacity_;
  bool hashing_;
  std::unordered_multimap<std::uint64_t, std::unique_ptr<Simulator>> worlds_;
  std::deque<const Simulator*> order_;  // oldest first
};

}  // namespace model
