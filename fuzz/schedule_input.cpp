#include "fuzz/schedule_input.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <cstdlib>
#include <string>

#include "model/env_knobs.h"
#include "model/scenario_space.h"
#include "model/violation.h"

namespace fuzz {

namespace space = model::space;

model::ScenarioSpace schedule_space(Malice malice, std::uint32_t n, pbft::Mutation mutation, bool liveness) {
  model::ScenarioSpace s = space::swarm(n ? std::vector<std::uint32_t>{n} : std::vector<std::uint32_t>{4, 7});
  using Rule = model::Malice::Rule;
  s.malice = malice == Malice::f_plus_one ? model::Malice{.rule = Rule::quorum_overlap}
                                          : model::Malice{.rule = Rule::up_to_f, .count = 3};
  s.mutation = mutation;
  // Small workloads and two timeouts keep an execution short.
  s.view_change_timeouts_us = {400'000, 60'000};
  s.clients = {1, 2};
  s.requests = {1, 2, 3, 4};
  s.closed_loop = {true, false};
  s.client_timeouts_us = {model::Workload{}.client_timeout_us};
  // Links retransmit (PBFT's assumption), and GST comes, so liveness can be judged.
  s.retransmit = {true};
  s.gst_us.assign(std::begin(space::kGstUs), std::end(space::kGstUs));
  s.partitions = 1;
  // Enough for every request and a few view changes; a livelocked async
  // run (a Byzantine replica answering every message) stops there.
  s.steps_per_n2 = 62;
  s.liveness = liveness && malice == Malice::up_to_f;
  return s;
}

ScheduleInput decode_schedule(std::span<const std::uint8_t> data, const ScheduleOptions& o) {
  const std::size_t header = std::min(data.size(), kScheduleHeader);
  ScheduleInput in;
  model::Tape picks = model::Tape::from_bytes(data.first(header));
  in.scenario = model::draw(o.scenarios, picks);
  in.tape = data.subspan(header);
  in.context = (in.scenario.config.n == 7) * 2 + (in.scenario.network.mode == model::NetworkMode::timed);
  return in;
}

const model::FuzzKnobs& knobs() {
  static const model::FuzzKnobs k = model::knobs_or_exit(&model::fuzz_knobs);
  return k;
}

ScheduleOptions options_from_env(Malice malice) {
  const model::FuzzKnobs& k = knobs();
  return {.abort_kinds = k.abort_kinds,
          .scenarios = schedule_space(malice, k.n.value_or(0), k.mutation.value_or(pbft::Mutation::none), k.liveness)};
}

}  // namespace fuzz
