#include "properties/gen_scenario.h"

#include <algorithm>
#include <cstdlib>

#include "model/scenario_space.h"
#include "properties/gen_choose.h"
#include "properties/gen_tape.h"
#include "properties/test_knobs.h"

namespace props {

namespace gen = rc::gen;
using model::NetworkMode;
using model::StrategyKind;

namespace space = model::space;

namespace {
constexpr std::uint32_t kMaxFaults = 4;     // f+1 at n = 10

// RapidCheck picks from the shared tables (model/scenario_space.h), first
// entry simplest: shrinking moves toward it.
template <class T, std::size_t N>
rc::Gen<T> one_of(const T (&table)[N]) {
  return choose<T>(std::vector<T>(std::begin(table), std::end(table)));
}
}  // namespace

std::vector<std::uint32_t> default_sizes() {
  std::vector<std::uint32_t> out = test_knobs().property_sizes;  // PBFTSIM_PROPERTY_SIZES
  if (out.empty()) out = {4, 5, 7, 10};
  return out;
}

std::vector<pbft::ReplicaId> faulty_positions(const std::vector<std::uint32_t>& raw, std::uint32_t m,
                                              std::uint32_t n) {
  return space::place_faults(raw, m, n);
}

rc::Gen<Choices> gen_choices(const GenOptions& o) {
  const std::vector<StrategyKind> strategies(std::begin(model::kAllStrategies), std::end(model::kAllStrategies));
  // Before GST the network may drop and partition; "never" (past the
  // horizon) keeps it lossy for the whole run. Liveness needs a GST.
  const auto gst = o.liveness ? one_of(space::kGstUs)
                              : choose<std::uint64_t>({0, 300'000, 1'000'000, 3'000'000, space::kSafetyHorizonUs});
  const auto partition = gen::build<Choices::PartitionChoice>(
      gen::set(&Choices::PartitionChoice::on, choose<bool>({false, true})),
      gen::set(&Choices::PartitionChoice::start_us, one_of(space::kPartitionStartUs)),
      gen::set(&Choices::PartitionChoice::length_us, one_of(space::kPartitionLengthUs)),
      gen::set(&Choices::PartitionChoice::a, gen::inRange<std::uint32_t>(0, 10)),
      gen::set(&Choices::PartitionChoice::b, gen::inRange<std::uint32_t>(0, 10)));
  return gen::build<Choices>(
      gen::set(&Choices::n_index, gen::inRange<std::uint32_t>(0, static_cast<std::uint32_t>(o.sizes.size()))),
      gen::set(&Choices::malicious, gen::inRange<std::uint32_t>(0, kMaxFaults + 1)),
      gen::set(&Choices::positions,
               gen::container<std::vector<std::uint32_t>>(kMaxFaults, gen::inRange<std::uint32_t>(0, 10))),
      gen::set(&Choices::strategies, gen::container<std::vector<StrategyKind>>(kMaxFaults, choose(strategies))),
      gen::set(&Choices::mode, choose<NetworkMode>({NetworkMode::async, NetworkMode::timed})),
      gen::set(&Choices::checkpoint_interval, one_of(space::kCheckpointIntervals)),
      gen::set(&Choices::window_factor, one_of(space::kWindowFactors)),
      gen::set(&Choices::clients, gen::inRange<std::uint32_t>(1, 4)),
      gen::set(&Choices::requests, gen::inRange<std::uint32_t>(1, 7)),
      gen::set(&Choices::view_change_timeout_us, choose<std::uint64_t>({400'000, 150'000, 60'000, 25'000, 10'000})),
      gen::set(&Choices::client_timeout_us, choose<std::uint64_t>({500'000, 150'000, 50'000, 20'000})),
      gen::set(&Choices::drop, one_of(space::kDropRates)),
      gen::set(&Choices::duplicate, one_of(space::kDuplicateRates)),
      gen::set(&Choices::reorder, one_of(space::kReorderRates)),
      gen::set(&Choices::tail_exponential, choose<bool>({false, true})),
      gen::set(&Choices::no_retransmit, choose<bool>({false, true})),
      gen::set(&Choices::gst_us, gst),
      gen::set(&Choices::partitions, gen::container<std::vector<Choices::PartitionChoice>>(2, partition)));
}

Case make_case(const GenOptions& o, const Choices& c, std::vector<std::uint32_t> tape) {
  model::Scenario s;
  const std::uint32_t n = o.sizes[c.n_index % o.sizes.size()];
  s.config = pbft::make_config(n);
  s.config.checkpoint_interval = c.checkpoint_interval;
  s.config.watermark_window = c.checkpoint_interval * c.window_factor;
  s.config.view_change_timeout_us = c.view_change_timeout_us;
  s.config.mutation = o.mutation;
  const std::uint32_t f = s.config.f;
  const std::uint32_t m = o.malice == Malice::up_to_f ? std::min(c.malicious, f)
                         : o.malice == Malice::one   ? 1
                                                     : std::min(std::max(f + 1, 2 * s.config.quorum() - n), n);
  const auto faulty = faulty_positions(c.positions, m, n);
  for (std::uint32_t i = 0; i < faulty.size(); ++i)
    s.faults.push_back({faulty[i], o.strategy.value_or(c.strategies.at(i))});

  auto& net = s.network;
  net.mode = o.liveness ? NetworkMode::timed : o.mode.value_or(c.mode);
  net.max_steps = 4'000;
  if (net.mode == NetworkMode::timed && o.network_faults) {
    net.drop_probability = c.drop;
    net.duplicate_probability = c.duplicate;
    net.reorder_probability = c.reorder;
    net.tail_exponential = c.tail_exponential;
    net.retransmit = o.liveness || !c.no_retransmit;
    net.gst_us = c.gst_us;
    for (const auto& p : c.partitions)
      if (p.on) net.partitions.push_back(space::two_replica_partition(p.start_us, p.length_us, p.a, p.b, n));
  }
  s.workload.clients = c.clients;
  s.workload.requests_per_client = c.requests;
  s.workload.client_timeout_us = c.client_timeout_us;
  s.auth = o.auth;
  s.horizon_us = space::kSafetyHorizonUs;
  if (o.liveness) space::judge_liveness(s);
  return Case{std::move(s), std::move(tape)};
}

rc::Gen<Case> gen_case(const GenOptions& o) {
  return gen::apply([o](const Choices& c, std::vector<std::uint32_t> tape) { return make_case(o, c, std::move(tape)); },
                    gen_choices(o), gen_tape(o.tape_factor));
}

}  // namespace props
