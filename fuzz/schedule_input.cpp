#include "fuzz/schedule_input.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/env_knobs.h"
#include "model/scenario_space.h"
#include "model/violation.h"

namespace fuzz {

namespace space = model::space;

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
  s.config.checkpoint_interval = space::kCheckpointIntervals[(h[0] >> 4) & 3];
  s.config.watermark_window = s.config.checkpoint_interval * space::kWindowFactors[(h[0] & 0x40) ? 1 : 0];
  s.config.view_change_timeout_us = (h[0] & 0x80) ? 60'000 : 400'000;
  s.config.mutation = o.mutation;
  const std::uint32_t f = s.config.f;
  const std::uint32_t m = o.malice == Malice::f_plus_one ? f + 1 : ((h[0] >> 2) & 3) % (f + 1);

  std::vector<std::uint32_t> positions;
  for (std::uint32_t i = 0; i < m; ++i) positions.push_back(h[1 + i] & 7);
  const auto faulty = space::place_faults(positions, m, n);
  for (std::uint32_t i = 0; i < faulty.size(); ++i) {
    const std::uint32_t k = (h[1 + i] >> 3) % std::size(model::kAllStrategies);
    s.faults.push_back({faulty[i], model::kAllStrategies[k]});
  }

  s.workload.clients = 1 + (h[4] & 1);
  s.workload.requests_per_client = 1 + ((h[4] >> 2) & 3);
  s.workload.closed_loop = !(h[4] & 0x20);

  auto& net = s.network;
  net.mode = timed ? model::NetworkMode::timed : model::NetworkMode::async;
  // Enough for every request and a few view changes; a livelocked async
  // run (a Byzantine replica answering every message) stops there.
  net.max_steps = n == 4 ? 1'000 : 3'000;
  s.auth = true;
  s.horizon_us = space::kSafetyHorizonUs;
  if (timed) {
    const std::uint32_t drop = h[5] & 3, duplicate = ((h[5] >> 2) & 3) % 3, reorder = ((h[5] >> 4) & 3) % 3;
    net.drop_probability = space::kDropRates[drop];
    net.duplicate_probability = space::kDuplicateRates[duplicate];
    net.reorder_probability = space::kReorderRates[reorder];
    net.tail_exponential = h[5] & 0x40;
    net.retransmit = true;  // PBFT's assumption; liveness needs it
    net.gst_us = space::kGstUs[h[6] & 3];
    if (h[5] & 0x80) {
      const std::uint32_t start = (h[6] >> 2) & 3, length = ((h[6] >> 4) & 3) % 3;
      net.partitions.push_back(space::two_replica_partition(space::kPartitionStartUs[start],
                                                            space::kPartitionLengthUs[length], h[7] & 15, h[7] >> 4, n));
    }
    // Every checker: liveness too when the fault assumption holds.
    if (m <= f && o.liveness) space::judge_liveness(s);
  }
  in.context = (n == 7) * 2 + timed;
  return in;
}

const model::FuzzKnobs& knobs() {
  static const model::FuzzKnobs k = model::knobs_or_exit(&model::fuzz_knobs);
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
