#include "properties/case.h"

#include <ostream>

#include <fmt/format.h>

#include "model/scenario_json.h"

namespace props {

std::string summary(const model::Scenario& s, std::size_t tape_size) {
  std::string faults;
  for (const auto& f : s.faults)
    faults += fmt::format("{}{}:{}", faults.empty() ? "" : " ", f.replica, model::strategy_name(f.strategy));
  return fmt::format("n={} m={} [{}] {}{}{} clients={} requests={} K={} L={} tape={}", s.config.n,
                     s.malicious(), faults, s.network.mode == model::NetworkMode::timed ? "timed" : "async",
                     s.auth ? "" : " auth=off",
                     s.config.mutation == pbft::Mutation::none
                         ? std::string()
                         : fmt::format(" mutation={}", pbft::mutation_name(s.config.mutation)),
                     s.workload.clients, s.workload.requests_per_client, s.config.checkpoint_interval,
                     s.config.watermark_window, tape_size);
}

void showValue(const Case& c, std::ostream& os) {
  os << summary(c.scenario, c.tape.size()) << "\n  scenario: " << model::to_json(c.scenario).dump()
     << "\n  tape (" << c.tape.size() << "): [";
  const std::size_t shown = std::min<std::size_t>(c.tape.size(), 64);
  for (std::size_t i = 0; i < shown; ++i) os << (i ? "," : "") << c.tape[i];
  if (shown < c.tape.size()) os << ",…";
  os << "]";
}

}  // namespace props
