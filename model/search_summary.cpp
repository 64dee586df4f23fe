#include "model/search_summary.h"
#include "model/scenario_limits.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/json_fields.h"
#include "model/scenario_json.h"

namespace model {

namespace {

std::string strategy_text(const CheckSpace& c) {
  return c.strategy ? std::string(strategy_name(*c.strategy)) : "mix";
}

std::string network_text(const CheckSpace& c) {
  if (!c.network) return "any";
  return *c.network == NetworkMode::async ? "async" : "timed";
}

// A knob given as a flag is its value; one left open is drawn (JSON null).
nlohmann::json given_or_null(const std::optional<std::uint32_t>& v) { return v ? nlohmann::json(*v) : nullptr; }

std::string workload_text(const CheckSpace& c) {
  const ScenarioSpace s = check_scenarios(c);
  const auto range = [](const std::vector<std::uint32_t>& v) {
    return v.size() == 1 ? fmt::format("{}", v.front()) : fmt::format("{}-{}", v.front(), v.back());
  };
  return fmt::format("{} request(s) x {} client(s)", range(s.requests), range(s.clients));
}

}  // namespace

nlohmann::json to_json(const SearchSummary& s) {
  const CheckSpace& c = s.space;
  nlohmann::json j{{"n", c.n},
                   {"malicious", c.malicious},
                   {"strategy", strategy_text(c)},
                   {"network", network_text(c)},
                   {"calm", c.calm},
                   {"mutation", std::string(pbft::mutation_name(c.mutation))},
                   {"auth", c.auth ? "on" : "off"},
                   {"replica", s.replica},
                   {"seed", c.seed},
                   {"requests", given_or_null(c.requests)},
                   {"clients", given_or_null(c.clients)},
                   {"schedule_budget", nullptr},
                   {"time_limit", s.time_limit_s},
                   {"shard", shard_text(s.shard)},
                   {"threads", s.threads},
                   {"schedules", s.schedules},
                   {"seconds", s.seconds},
                   {"schedules_per_second", s.seconds > 0 ? static_cast<double>(s.schedules) / s.seconds : 0.0},
                   {"deliveries", s.deliveries},
                   {"stopped_by_max_steps", s.stopped_by_steps},
                   {"stopped_by", std::string(stop_reason_name(s.stopped_by))},
                   {"violation", nullptr}};
  if (s.schedule_budget) j["schedule_budget"] = *s.schedule_budget;
  // Absent when off, as in summaries written before --liveness.
  if (c.liveness)
    j["liveness"] = {{"bound_us", c.liveness_bound_us}, {"gst_us", c.gst_us ? nlohmann::json(*c.gst_us) : nullptr}};
  if (const auto& v = s.violation) {
    j["violation"] = {{"schedule", v->schedule},        {"seed", c.seed + v->schedule},
                      {"kind", v->kind},                {"found", v->found},
                      {"description", v->description}, {"counterexample", v->counterexample},
                      {"choices", v->choices},          {"deliveries", v->deliveries},
                      {"replay", "pbftsim replay " + v->counterexample}};
  }
  return j;
}

SearchSummary summary_from_json(const nlohmann::json& j, const std::string& name) {
  const JsonFields in(name);
  if (!j.is_object()) in.fail("not a JSON object (a `pbftsim check --json` summary)");
  SearchSummary s;
  CheckSpace& c = s.space;
  c.n = in.small(j, "n");
  c.malicious = in.small(j, "malicious");
  if (!in.field(j, "requests").is_null()) c.requests = in.small(j, "requests");
  if (!in.field(j, "clients").is_null()) c.clients = in.small(j, "clients");
  c.seed = in.number(j, "seed");
  if (const std::string st = in.text(j, "strategy"); st != "mix") {
    c.strategy = parse_strategy(st);
    if (!c.strategy) in.fail("unknown strategy " + st);
  }
  const std::string net = in.text(j, "network");
  if (net != "async" && net != "timed" && net != "any") in.fail("\"network\" must be async, timed or any");
  if (net != "any") c.network = net == "async" ? NetworkMode::async : NetworkMode::timed;
  // Absent in summaries written before the swarm, whose searches were calm.
  c.calm = j.contains("calm") ? in.flag(j, "calm") : true;
  const auto m = pbft::parse_mutation(in.text(j, "mutation"));
  if (!m) in.fail("\"mutation\" is not in the bug catalog");
  c.mutation = *m;
  const std::string auth = in.text(j, "auth");
  if (auth != "on" && auth != "off") in.fail("\"auth\" must be on or off");
  c.auth = auth == "on";
  if (j.contains("replica")) s.replica = in.text(j, "replica");  // absent before plug-ins: built-in
  if (j.contains("liveness")) {
    const auto& l = in.field(j, "liveness");
    if (!l.is_object()) in.fail("\"liveness\" must be an object");
    c.liveness = true;
    c.liveness_bound_us = in.number(l, "bound_us");
    if (!in.field(l, "gst_us").is_null()) c.gst_us = in.number(l, "gst_us");
  }
  if (!in.field(j, "schedule_budget").is_null()) s.schedule_budget = in.number(j, "schedule_budget");
  s.time_limit_s = in.real(j, "time_limit");
  const auto shard = parse_shard(in.text(j, "shard"));
  if (!shard) in.fail("\"shard\" must be I/N with 0 <= I < N");
  s.shard = *shard;
  s.threads = in.small(j, "threads");
  s.schedules = in.number(j, "schedules");
  s.deliveries = in.number(j, "deliveries");
  // Absent in summaries written before runs reported their step budget.
  if (j.contains("stopped_by_max_steps")) s.stopped_by_steps = in.number(j, "stopped_by_max_steps");
  s.seconds = in.real(j, "seconds");
  const auto stop = parse_stop_reason(in.text(j, "stopped_by"));
  if (!stop) in.fail("unknown \"stopped_by\"");
  s.stopped_by = *stop;
  if (const auto& v = in.field(j, "violation"); !v.is_null()) {
    if (!v.is_object()) in.fail("\"violation\" must be an object or null");
    s.violation = FoundViolation{.schedule = in.number(v, "schedule"),
                                 .kind = in.text(v, "kind"),
                                 .found = in.text(v, "found"),
                                 .description = in.text(v, "description"),
                                 .counterexample = in.text(v, "counterexample"),
                                 .choices = in.number(v, "choices"),
                                 .deliveries = in.number(v, "deliveries")};
  }
  return s;
}

MergeResult merge_shards(std::vector<SearchSummary> shards) {
  if (shards.empty()) throw InputError("no summaries to merge");
  std::stable_sort(shards.begin(), shards.end(),
                   [](const auto& a, const auto& b) { return a.shard.index < b.shard.index; });
  const SearchSummary& first = shards.front();
  const std::uint64_t count = first.shard.count;
  for (const SearchSummary& s : shards)
    if (s.shard.count != count)
      throw InputError(fmt::format("shard {} belongs to a search in {} shards, shard {} to one in {}",
                                   shard_text(s.shard), s.shard.count, shard_text(first.shard), count));
  if (shards.size() != count)
    throw InputError(fmt::format("{} summaries for a search in {} shards", shards.size(), count));
  const nlohmann::json space = [&] {
    nlohmann::json j = to_json(first);
    return nlohmann::json{{"n", j["n"]},       {"malicious", j["malicious"]}, {"strategy", j["strategy"]},
                          {"network", j["network"]}, {"calm", j["calm"]}, {"mutation", j["mutation"]}, {"auth", j["auth"]},
                          {"replica", j["replica"]},
                          {"seed", j["seed"]}, {"requests", j["requests"]},   {"clients", j["clients"]},
                          {"liveness", j.value("liveness", nlohmann::json())}};
  }();
  SearchSummary out = first;
  out.shard = Shard{};
  out.threads = 0;
  out.schedules = 0;
  out.deliveries = 0;
  out.stopped_by_steps = 0;
  out.seconds = 0;
  out.violation.reset();
  bool all_budgets_used = true;
  for (std::size_t k = 0; k < shards.size(); ++k) {
    const SearchSummary& s = shards[k];
    if (s.shard.index != k)
      throw InputError(fmt::format("shard {} is missing or given twice (found {})", k, shard_text(s.shard)));
    if (s.violation && !s.shard.owns(s.violation->schedule))
      throw InputError(fmt::format("shard {} reports schedule {}, which is not one of its own",
                                   shard_text(s.shard), s.violation->schedule));
    if ((s.stopped_by == StopReason::violation) != s.violation.has_value())
      throw InputError(fmt::format("shard {}: \"stopped_by\" and \"violation\" disagree", shard_text(s.shard)));
    nlohmann::json j = to_json(s);
    for (const auto& [key, value] : space.items())
      if (j[key] != value)
        throw InputError(fmt::format("shard {} searched another space: \"{}\" is {}, shard 0 has {}",
                                     shard_text(s.shard), key, j[key].dump(), value.dump()));
    if (s.schedule_budget != first.schedule_budget)
      throw InputError(fmt::format("shard {} had another schedule budget", shard_text(s.shard)));
    out.threads += s.threads;
    out.deliveries += s.deliveries;
    out.stopped_by_steps += s.stopped_by_steps;
    out.seconds = std::max(out.seconds, s.seconds);
    out.schedules += s.schedules;
    if (s.violation && (!out.violation || s.violation->schedule < out.violation->schedule)) out.violation = s.violation;
    if (s.stopped_by != StopReason::schedules && s.stopped_by != StopReason::violation) {
      all_budgets_used = false;
      out.stopped_by = s.stopped_by;
    }
  }
  if (out.violation && all_budgets_used) {
    // Every smaller index was checked by its shard (each checks all of its
    // indices below its own first violation, or its whole budget), so one
    // machine would have stopped here too.
    out.schedules = out.violation->schedule + 1;
    out.stopped_by = StopReason::violation;
  } else if (out.violation) {
    // A shard stopped early: the violation is real, but a smaller failing
    // schedule may lie in what that shard did not run.
    return {std::move(out), fmt::format("a shard stopped by {} before its budget: schedule {} is a violation, "
                                        "but not proven the smallest",
                                        stop_reason_name(out.stopped_by), out.violation->schedule)};
  } else if (all_budgets_used) {
    out.stopped_by = StopReason::schedules;
  }
  return {std::move(out), std::nullopt};
}

std::string result_line(const SearchSummary& s) {
  const CheckSpace& c = s.space;
  const double ns = s.deliveries > 0 ? s.seconds * 1e9 * s.threads / static_cast<double>(s.deliveries) : 0.0;
  std::string stopped;
  if (s.stopped_by == StopReason::time_limit) stopped = fmt::format(", stopped by the time limit ({} s)", s.time_limit_s);
  if (s.stopped_by == StopReason::interrupted) stopped = ", stopped by interrupt";
  // A run cut at its step budget was not checked to its end: said on the
  // line, not only in --json.
  if (s.stopped_by_steps > 0)
    stopped += fmt::format(", {} of them stopped at the step budget (async max_steps, timed {} steps) before the end",
                           s.stopped_by_steps, kTimedStepCeiling);
  const std::string shard = s.shard.count > 1 ? fmt::format(", shard {}", shard_text(s.shard)) : "";
  const std::string replica = s.replica == "built-in" ? "" : fmt::format(", replica {}", s.replica);
  const std::string liveness =
      !c.liveness ? ""
      : c.gst_us  ? fmt::format(", liveness within {} ms of GST {} ms", c.liveness_bound_us / 1000, *c.gst_us / 1000)
                  : fmt::format(", liveness within {} ms of GST (drawn)", c.liveness_bound_us / 1000);
  if (s.violation)
    return fmt::format("violation in schedule {} (seed {}){}{}: {}", s.violation->schedule,
                       c.seed + s.violation->schedule, replica, shard, s.violation->found);
  return fmt::format(
      "no violation in {} schedules (n={}, malicious={}, strategy={}, network={}{}, mutation={}, {}, "
      "{} thread(s){}{}{}){}: {:.0f} schedules/s, {:.0f} ns per delivered message per thread",
      s.schedules, c.n, c.malicious, strategy_text(c), network_text(c), c.calm ? " (calm)" : "",
      pbft::mutation_name(c.mutation), workload_text(c), s.threads, liveness, replica, shard, stopped,
      s.seconds > 0 ? static_cast<double>(s.schedules) / s.seconds : 0.0, ns);
}

}  // namespace model
