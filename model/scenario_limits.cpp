#include "model/scenario_limits.h"

#include <fmt/format.h>

namespace model {

namespace {
void at_most(const char* field, std::uint64_t value, std::uint64_t max) {
  if (value > max) throw InputError(fmt::format("{}: {} out of range (max {})", field, value, max));
}
}  // namespace

void check_limits(const Scenario& s) {
  using L = ScenarioLimits;
  const auto& c = s.config;
  at_most("config.n", c.n, pbft::kMaxReplicas);
  at_most("config.watermark_window", c.watermark_window, L::watermark_window);
  at_most("config.checkpoint_interval", c.checkpoint_interval, L::watermark_window);
  at_most("config.max_clients", c.max_clients, L::max_clients);
  at_most("config.max_buffered", c.max_buffered, L::max_buffered);
  at_most("config.view_change_timeout_us", c.view_change_timeout_us, L::time_us);
  const auto& w = s.workload;
  at_most("workload.clients", w.clients, L::max_clients);
  at_most("workload.requests_per_client", w.requests_per_client, L::requests);
  at_most("workload.clients * workload.requests_per_client",
          std::uint64_t{w.clients} * w.requests_per_client, L::requests);
  at_most("workload.open_loop_interval_us", w.open_loop_interval_us, L::time_us);
  at_most("workload.client_timeout_us", w.client_timeout_us, L::time_us);
  const auto& n = s.network;
  at_most("network.max_steps", n.max_steps, L::max_steps);
  at_most("network.min_delay_us", n.min_delay_us, L::delay_us);
  at_most("network.max_delay_us", n.max_delay_us, L::delay_us);
  at_most("network.tail_max_us", n.tail_max_us, L::delay_us);
  at_most("network.tail_mean_us", n.tail_mean_us, L::delay_us);
  at_most("network.retransmit_after_us", n.retransmit_after_us, L::time_us);
  at_most("network.gst_us", n.gst_us, L::time_us);
  at_most("network.partitions", n.partitions.size(), L::partitions);
  for (const auto& p : n.partitions) {
    at_most("partition.start_us", p.start_us, L::time_us);
    at_most("partition.end_us", p.end_us, L::time_us);
  }
  at_most("horizon_us", s.horizon_us, L::time_us);
  at_most("liveness_bound_us", s.liveness_bound_us, L::time_us);
}

}  // namespace model
