#include "properties/gen_scenario.h"

#include "properties/gen_tape.h"
#include "properties/test_knobs.h"

namespace props {

std::vector<std::uint32_t> default_sizes() {
  std::vector<std::uint32_t> out = test_knobs().property_sizes;  // PBFTSIM_PROPERTY_SIZES
  if (out.empty()) out = {4, 5, 7, 10};
  return out;
}

model::ScenarioSpace property_space(const GenOptions& o) {
  model::ScenarioSpace s = model::space::swarm(o.sizes);
  using Rule = model::Malice::Rule;
  if (o.malice == Malice::f_plus_one) s.malice = {.rule = Rule::quorum_overlap};
  if (o.malice == Malice::one) s.malice = {.rule = Rule::exactly, .count = 1};
  if (o.strategy) s.strategies = {*o.strategy};
  if (o.mode) s.modes = {*o.mode};
  if (!o.network_faults) {
    s.drop = s.duplicate = s.reorder = {0.0};
    s.tail_exponential = {false};
    s.retransmit = {true};
    s.gst_us = {0};
    s.partitions = 0;
  }
  if (o.liveness) model::space::judge_liveness(s);
  s.auth = o.auth;
  s.mutation = o.mutation;
  return s;
}

rc::Gen<Case> gen_case(const GenOptions& o) {
  return rc::gen::exec([space = property_space(o), factor = o.tape_factor] {
    model::Scenario s = model::draw(space, [](std::uint32_t k) { return *rc::gen::inRange<std::uint32_t>(0, k); });
    std::vector<std::uint32_t> tape = *gen_tape(factor);
    return Case{std::move(s), std::move(tape)};
  });
}

}  // namespace props
