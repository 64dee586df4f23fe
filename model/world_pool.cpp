#include "model/world_pool.h"

#include <bit>

namespace model {

namespace {
struct Mixer {
  std::uint64_t h = 0x84222325cbf29ce4ULL;
  void operator()(std::uint64_t v) { h = (h ^ v) * 0x100000001b3ULL; }
  // -0.0 == 0.0 for operator==, so both hash as 0.0.
  void operator()(double v) { (*this)(std::bit_cast<std::uint64_t>(v == 0 ? 0.0 : v)); }
};
}  // namespace

std::uint64_t fingerprint(const Scenario& s) {
  Mixer mix;
  const pbft::Config& c = s.config;
  for (std::uint64_t v : {std::uint64_t{c.n}, std::uint64_t{c.f}, std::uint64_t{c.checkpoint_interval},
                          std::uint64_t{c.watermark_window}, std::uint64_t{c.max_clients}, c.view_change_timeout_us,
                          std::uint64_t{c.max_buffered}, static_cast<std::uint64_t>(c.mutation)})
    mix(v);
  const NetworkConfig& n = s.network;
  mix(static_cast<std::uint64_t>(n.mode));
  mix(n.drop_probability);
  mix(n.duplicate_probability);
  mix(n.reorder_probability);
  mix(n.gst_us);
  mix(n.max_steps);
  mix(n.partitions.size());
  for (const Fault& f : s.faults) mix(std::uint64_t{f.replica} << 8 | static_cast<std::uint64_t>(f.strategy));
  mix(std::uint64_t{s.workload.clients} << 32 | s.workload.requests_per_client);
  mix(std::uint64_t{s.auth} << 2 | std::uint64_t{s.check_liveness} << 1 | std::uint64_t{s.stop_when_done});
  mix(s.horizon_us);
  return mix.h;
}

WorldPool::WorldPool(std::size_t capacity, bool hashing) : capacity_(capacity < 1 ? 1 : capacity), hashing_(hashing) {}

Simulator& WorldPool::get(const Scenario& s) {
  const std::uint64_t key = fingerprint(s);
  const auto [first, last] = worlds_.equal_range(key);
  for (auto it = first; it != last; ++it)
    if (it->second->scenario() == s) return *it->second;
  if (worlds_.size() >= capacity_) {
    const Simulator* oldest = order_.front();
    order_.pop_front();
    const auto [a, b] = worlds_.equal_range(fingerprint(oldest->scenario()));
    for (auto it = a; it != b; ++it)
      if (it->second.get() == oldest) {
        worlds_.erase(it);
        break;
      }
  }
  auto sim = std::make_unique<Simulator>(s);
  sim->set_hashing(hashing_);
  Simulator& out = *sim;
  worlds_.emplace(key, std::move(sim));
  order_.push_back(&out);
  return out;
}

}  // namespace model
