#include "fuzz/schedule_input.h"

#include "model/env_knobs.h"

#include "model/violation.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace fuzz {

namespace {
constexpr std::uint64_t kLivenessBound = 10'000'000;
constexpr std::uint64_t kSafetyHorizon = 10'000'000;
}  // namespace

ScheduleInput decode_schedule(std::span<const std::uint8_t> data, const ScheduleOptions& o) {
  std::uint8_t h[kScheduleHeader] = {};
  for (std::size_t i = 0; i < kScheduleHeader && i < data.size(); ++i) h[i] = data[i];
  ScheduleInput in;
  in.tape = data.size() > kScheduleHeader ? data.subspan(kScheduleHeader) : std::span<const std::uint8_t>{};

  model::Scenario& s = in.scenario;
  const std::uint32_t n = o.force_n ? o.force_n : (h[0] & 1) ? 7 : 4;
  if (o.force_n) h[0] = static_cast<std::uint8_t>((h[0] & ~1u) | (n == 7));
  const bool timed = h[0] & 2;
  s.config = pbft::make_config(n);
  static constexpr std::uint32_t kIntervals[] = {2, 3, 1, 4};
  s.config.checkpoint_interval = kIntervals[(h[0] >> 4) & 3];
  s.config.watermark_window = s.config.checkpoint_interval * ((h[0] & 0x40) ? 3 : 2);
  s.config.view_change_timeout_us = (h[0] & 0x80) ? 60'000 : 400'000;
  s.config.mutation = o.mutation;
  const std::uint32_t f = s.config.f;
  const std::uint32_t m = o.malice == Malice::f_plus_one ? f + 1 : ((h[0] >> 2) & 3) % (f + 1);

  // The key packs what the scenario depends on, so that equal scenarios
  // share a world (and differently spelled headers do not build new ones).
  std::uint64_t key = 0;
  const auto put = [&](std::uint64_t value, int bits) { key = (key << bits) | value; };
  put(1, 1);  // the highest set bit marks the length: no two packings collide
  put(h[0] & 0xf3, 8);
  put(m, 2);

  std::vector<bool> taken(n, false);
  for (std::uint32_t i = 0; i < m; ++i) {
    pbft::ReplicaId r = (h[1 + i] & 7) % n;
    while (taken[r]) r = (r + 1) % n;
    taken[r] = true;
    const std::uint32_t k = (h[1 + i] >> 3) % std::size(model::kAllStrategies);
    s.faults.push_back({r, model::kAllStrategies[k]});
    put(r, 3);
    put(k, 4);
  }

  s.workload.clients = 1 + (h[4] & 1);
  s.workload.requests_per_client = 1 + ((h[4] >> 2) & 3);
  s.workload.closed_loop = !(h[4] & 0x20);
  put(h[4] & 0x2d, 6);

  auto& net = s.network;
  net.mode = timed ? model::NetworkMode::timed : model::NetworkMode::async;
  // Enough for every request and a few view changes; a livelocked async
  // run (a Byzantine replica answering every message) stops there.
  net.max_steps = n == 4 ? 1'000 : 3'000;
  s.auth = true;
  s.horizon_us = kSafetyHorizon;
  if (timed) {
    static constexpr double kDrop[] = {0, 0.02, 0.1, 0.3};
    static constexpr double kDuplicate[] = {0, 0.05, 0.2, 0};
    static constexpr double kReorder[] = {0, 0.1, 0.3, 0};
    static constexpr std::uint64_t kGst[] = {0, 300'000, 1'000'000, 2'000'000};
    static constexpr std::uint64_t kStart[] = {0, 50'000, 200'000, 600'000};
    static constexpr std::uint64_t kLength[] = {100'000, 400'000, 1'500'000, 100'000};
    const std::uint32_t drop = h[5] & 3, duplicate = ((h[5] >> 2) & 3) % 3, reorder = ((h[5] >> 4) & 3) % 3;
    net.drop_probability = kDrop[drop];
    net.duplicate_probability = kDuplicate[duplicate];
    net.reorder_probability = kReorder[reorder];
    net.tail_exponential = h[5] & 0x40;
    net.retransmit = true;  // PBFT's assumption; liveness needs it
    net.gst_us = kGst[h[6] & 3];
    put(drop, 2);
    put(duplicate, 2);
    put(reorder, 2);
    put(net.tail_exponential, 1);
    put(h[6] & 3, 2);
    if (h[5] & 0x80) {
      const std::uint32_t start = (h[6] >> 2) & 3, length = ((h[6] >> 4) & 3) % 3;
      const std::uint32_t a = (h[7] & 15) % n, b = (h[7] >> 4) % n;
      const std::uint64_t isolated = (std::uint64_t{1} << a) | (std::uint64_t{1} << b);
      net.partitions.push_back({kStart[start], kStart[start] + kLength[length], isolated});
      put(1, 1);
      put(start, 2);
      put(length, 2);
      put(isolated, 7);
    }
    // Every checker: liveness too when the fault assumption holds.
    if (m <= f && o.liveness) {
      s.check_liveness = true;
      s.liveness_bound_us = kLivenessBound;
      s.horizon_us = net.gst_us + 2 * kLivenessBound;
    }
  }
  in.key = key;
  in.context = (n == 7) * 2 + timed;
  return in;
}

const model::FuzzKnobs& knobs() {
  static const model::FuzzKnobs k = [] {
    try {
      return model::fuzz_knobs();
    } catch (const model::EnvError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      std::exit(2);
    }
  }();
  return k;
}

ScheduleOptions options_from_env(Malice malice) {
  const model::FuzzKnobs& k = knobs();
  ScheduleOptions o;
  o.malice = malice;
  o.force_n = k.n.value_or(0);
  o.abort_kinds = k.abort_kinds;
  o.liveness = k.liveness;
  o.mutation = k.mutation.value_or(pbft::Mutation::none);
  return o;
}

}  // namespace fuzz
