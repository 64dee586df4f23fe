#include "model/scenario_json.h"

#include <fmt/format.h>

#include "model/scenario_limits.h"

namespace model {

using nlohmann::json;

namespace {
const json& field(const json& j, const char* key, const char* where) {
  if (!j.is_object()) throw InputError(fmt::format("{} is not an object", where));
  auto it = j.find(key);
  if (it == j.end()) throw InputError(fmt::format("{} has no \"{}\"", where, key));
  return *it;
}

template <class T>
T get(const json& j, const char* key, const char* where) {
  const json& v = field(j, key, where);
  try {
    if constexpr (std::is_unsigned_v<T> && !std::is_same_v<T, bool>) {
      if (!v.is_number_unsigned()) throw InputError("");
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!v.is_boolean()) throw InputError("");
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!v.is_number()) throw InputError("");
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!v.is_string()) throw InputError("");
    }
    const auto value = v.get<T>();
    if constexpr (std::is_same_v<T, std::uint32_t>) {
      if (v.get<std::uint64_t>() > 0xffffffffULL) throw InputError("");
    }
    return value;
  } catch (const std::exception&) {
    throw InputError(fmt::format("{}.{} has the wrong type or range", where, key));
  }
}
}  // namespace

json to_json(const Scenario& s) {
  json faults = json::array();
  for (const auto& f : s.faults)
    faults.push_back({{"replica", f.replica}, {"strategy", std::string(strategy_name(f.strategy))}});
  json partitions = json::array();
  for (const auto& p : s.network.partitions)
    partitions.push_back({{"start_us", p.start_us}, {"end_us", p.end_us}, {"isolated", p.isolated}});
  const auto& c = s.config;
  const auto& n = s.network;
  const auto& w = s.workload;
  return {
      {"config",
       {{"n", c.n}, {"f", c.f}, {"checkpoint_interval", c.checkpoint_interval},
        {"watermark_window", c.watermark_window}, {"max_clients", c.max_clients},
        {"view_change_timeout_us", c.view_change_timeout_us}, {"max_buffered", c.max_buffered},
        {"mutation", std::string(pbft::mutation_name(c.mutation))}}},
      {"network",
       {{"mode", n.mode == NetworkMode::timed ? "timed" : "async"}, {"min_delay_us", n.min_delay_us},
        {"max_delay_us", n.max_delay_us}, {"tail_probability", n.tail_probability},
        {"tail_exponential", n.tail_exponential}, {"tail_max_us", n.tail_max_us},
        {"tail_mean_us", n.tail_mean_us}, {"drop_probability", n.drop_probability},
        {"retransmit", n.retransmit}, {"retransmit_after_us", n.retransmit_after_us},
        {"duplicate_probability", n.duplicate_probability}, {"reorder_probability", n.reorder_probability},
        {"partitions", partitions}, {"gst_us", n.gst_us}, {"max_steps", n.max_steps}}},
      {"workload",
       {{"clients", w.clients}, {"requests_per_client", w.requests_per_client}, {"closed_loop", w.closed_loop},
        {"open_loop_interval_us", w.open_loop_interval_us}, {"client_timeout_us", w.client_timeout_us}}},
      {"faults", faults},
      {"auth", s.auth},
      {"horizon_us", s.horizon_us},
      {"check_liveness", s.check_liveness},
      {"liveness_bound_us", s.liveness_bound_us},
      {"stop_when_done", s.stop_when_done},
  };
}

Scenario scenario_from_json(const json& j) {
  Scenario s;
  const json& c = field(j, "config", "scenario");
  s.config.n = get<std::uint32_t>(c, "n", "config");
  s.config.f = get<std::uint32_t>(c, "f", "config");
  s.config.checkpoint_interval = get<std::uint32_t>(c, "checkpoint_interval", "config");
  s.config.watermark_window = get<std::uint32_t>(c, "watermark_window", "config");
  s.config.max_clients = get<std::uint32_t>(c, "max_clients", "config");
  s.config.view_change_timeout_us = get<std::uint64_t>(c, "view_change_timeout_us", "config");
  s.config.max_buffered = get<std::uint32_t>(c, "max_buffered", "config");
  const auto mutation = get<std::string>(c, "mutation", "config");
  auto m = pbft::parse_mutation(mutation);
  if (!m) throw InputError(fmt::format("config.mutation \"{}\" is not in the bug catalog", mutation));
  s.config.mutation = *m;

  const json& n = field(j, "network", "scenario");
  const auto mode = get<std::string>(n, "mode", "network");
  if (mode != "timed" && mode != "async") throw InputError("network.mode must be \"timed\" or \"async\"");
  s.network.mode = mode == "timed" ? NetworkMode::timed : NetworkMode::async;
  s.network.min_delay_us = get<std::uint64_t>(n, "min_delay_us", "network");
  s.network.max_delay_us = get<std::uint64_t>(n, "max_delay_us", "network");
  s.network.tail_probability = get<double>(n, "tail_probability", "network");
  s.network.tail_exponential = get<bool>(n, "tail_exponential", "network");
  s.network.tail_max_us = get<std::uint64_t>(n, "tail_max_us", "network");
  s.network.tail_mean_us = get<std::uint64_t>(n, "tail_mean_us", "network");
  s.network.drop_probability = get<double>(n, "drop_probability", "network");
  if (n.contains("retransmit")) {  // absent in traces written before links retransmitted
    s.network.retransmit = get<bool>(n, "retransmit", "network");
    s.network.retransmit_after_us = get<std::uint64_t>(n, "retransmit_after_us", "network");
  }
  s.network.duplicate_probability = get<double>(n, "duplicate_probability", "network");
  s.network.reorder_probability = get<double>(n, "reorder_probability", "network");
  s.network.gst_us = get<std::uint64_t>(n, "gst_us", "network");
  s.network.max_steps = get<std::uint64_t>(n, "max_steps", "network");
  const json& parts = field(n, "partitions", "network");
  if (!parts.is_array()) throw InputError("network.partitions is not an array");
  if (parts.size() > ScenarioLimits::partitions)
    throw InputError(fmt::format("network.partitions: {} out of range (max {})", parts.size(),
                                 ScenarioLimits::partitions));
  for (const auto& p : parts)
    s.network.partitions.push_back({get<std::uint64_t>(p, "start_us", "partition"),
                                    get<std::uint64_t>(p, "end_us", "partition"),
                                    get<std::uint64_t>(p, "isolated", "partition")});

  const json& w = field(j, "workload", "scenario");
  s.workload.clients = get<std::uint32_t>(w, "clients", "workload");
  s.workload.requests_per_client = get<std::uint32_t>(w, "requests_per_client", "workload");
  s.workload.closed_loop = get<bool>(w, "closed_loop", "workload");
  s.workload.open_loop_interval_us = get<std::uint64_t>(w, "open_loop_interval_us", "workload");
  s.workload.client_timeout_us = get<std::uint64_t>(w, "client_timeout_us", "workload");

  const json& faults = field(j, "faults", "scenario");
  if (!faults.is_array()) throw InputError("faults is not an array");
  for (const auto& f : faults) {
    const auto name = get<std::string>(f, "strategy", "fault");
    auto k = parse_strategy(name);
    if (!k) throw InputError(fmt::format("fault.strategy \"{}\" is not a known strategy", name));
    s.faults.push_back({get<std::uint32_t>(f, "replica", "fault"), *k});
  }
  s.auth = get<bool>(j, "auth", "scenario");
  s.horizon_us = get<std::uint64_t>(j, "horizon_us", "scenario");
  s.check_liveness = get<bool>(j, "check_liveness", "scenario");
  s.liveness_bound_us = get<std::uint64_t>(j, "liveness_bound_us", "scenario");
  s.stop_when_done = get<bool>(j, "stop_when_done", "scenario");
  check_limits(s);  // before validate(), and before anything sizes a table from these values
  try {
    validate(s);
  } catch (const InputError& e) {
    throw InputError(std::string("scenario: ") + e.what());
  }
  return s;
}

}  // namespace model
