#include "model/sweep_json.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/json_fields.h"

namespace model {

namespace {

using Json = nlohmann::ordered_json;  // keys in the order written

Json value(std::optional<double> v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

std::string sweep_json(const SweepResult& r) {
  const SweepConfig& c = r.config;
  Json points = Json::array();
  for (const auto& p : r.points)
    points.push_back({{"malicious", p.malicious},
                      {"trials", p.trials},
                      {"successes", p.successes},
                      {"success_rate", p.success_rate()},
                      {"expected_success", value(p.expected_success)},
                      {"digest_agreement", p.agreements},
                      {"safety_violations", p.violations},
                      {"liveness_failures", p.liveness_judged ? Json(p.liveness_failures) : Json(nullptr)},
                      {"latency_ms", {{"p50", value(p.latency_ms(50))},
                                      {"p95", value(p.latency_ms(95))},
                                      {"p99", value(p.latency_ms(99))},
                                      {"mean", value(p.mean_latency_ms())}}},
                      {"messages_sent", p.sent},
                      {"requests_committed", p.committed},
                      {"msgs_per_commit", value(p.msgs_per_commit())},
                      {"view_changes", p.view_changes},
                      {"latencies_us", p.latencies_us}});
  const Json doc{{"profile", profile_name(c.profile)},
                 {"n", c.n},
                 {"f", (c.n - 1) / 3},
                 {"malicious", {c.malicious.first, c.malicious.last}},
                 {"trials", c.trials},
                 {"strategy", c.profile == Profile::pbft ? c.strategy : std::string("seed")},
                 {"seed", c.seed},
                 {"shard", shard_text(c.shard)},
                 {"points", points}};
  return doc.dump(2) + "\n";
}

SweepResult sweep_from_json(const nlohmann::json& j, const std::string& name) {
  const JsonFields in(name);
  if (!j.is_object()) in.fail("not a JSON object (a `pbftsim sweep --json` result)");
  SweepResult r;
  SweepConfig& c = r.config;
  const std::string profile = in.text(j, "profile");
  if (profile != "seed" && profile != "pbft") in.fail("\"profile\" must be seed or pbft");
  c.profile = profile == "seed" ? Profile::seed : Profile::pbft;
  c.n = in.small(j, "n");
  const auto& range = in.field(j, "malicious");
  if (!range.is_array() || range.size() != 2 || !range[0].is_number_unsigned() || !range[1].is_number_unsigned())
    in.fail("\"malicious\" must be [first, last]");
  c.malicious = {range[0].get<std::uint32_t>(), range[1].get<std::uint32_t>()};
  c.trials = in.small(j, "trials");
  c.strategy = c.profile == Profile::pbft ? in.text(j, "strategy") : "mix";
  c.seed = in.number(j, "seed");
  const auto shard = parse_shard(in.text(j, "shard"));
  if (!shard) in.fail("\"shard\" must be I/N with 0 <= I < N");
  c.shard = *shard;
  try {
    validate(c);
  } catch (const InputError& e) {
    in.fail(e.what());
  }
  const auto& points = in.field(j, "points");
  if (!points.is_array()) in.fail("\"points\" must be an array");
  for (const auto& q : points) {
    PointResult p;
    p.malicious = in.small(q, "malicious");
    p.trials = in.small(q, "trials");
    p.successes = in.small(q, "successes");
    p.agreements = in.small(q, "digest_agreement");
    p.violations = in.small(q, "safety_violations");
    if (q.contains("liveness_failures") && !q["liveness_failures"].is_null()) {  // absent or null: not judged
      p.liveness_judged = true;
      p.liveness_failures = in.small(q, "liveness_failures");
    }
    p.sent = in.number(q, "messages_sent");
    p.committed = in.number(q, "requests_committed");
    p.view_changes = in.number(q, "view_changes");
    if (const auto& e = in.field(q, "expected_success"); e.is_number()) p.expected_success = e.get<double>();
    const auto& latencies = in.field(q, "latencies_us");
    if (!latencies.is_array()) in.fail("\"latencies_us\" must be an array");
    for (const auto& l : latencies) {
      if (!l.is_number_unsigned()) in.fail("\"latencies_us\" must hold whole numbers");
      p.latencies_us.push_back(l.get<std::uint64_t>());
    }
    if (!std::is_sorted(p.latencies_us.begin(), p.latencies_us.end()) || p.latencies_us.size() != p.successes)
      in.fail(fmt::format("point {}: \"latencies_us\" must be sorted, one per success", p.malicious));
    r.points.push_back(std::move(p));
  }
  if (r.points.size() != c.malicious.last - c.malicious.first + 1) in.fail("\"points\" does not match \"malicious\"");
  for (std::uint32_t i = 0; i < r.points.size(); ++i)
    if (r.points[i].malicious != c.malicious.first + i) in.fail("\"points\" are not in order of \"malicious\"");
  return r;
}

SweepResult merge_sweeps(std::vector<SweepResult> shards) {
  if (shards.empty()) throw InputError("no results");
  std::sort(shards.begin(), shards.end(),
            [](const SweepResult& a, const SweepResult& b) { return a.config.shard.index < b.config.shard.index; });
  const std::uint64_t count = shards[0].config.shard.count;
  if (shards.size() != count)
    throw InputError(fmt::format("{} result(s) given for {} shards", shards.size(), count));
  SweepConfig one = shards[0].config;
  one.shard = {};
  one.threads = 1;
  for (std::uint64_t i = 0; i < count; ++i) {
    SweepConfig c = shards[i].config;
    if (c.shard.count != count) throw InputError("the results come from different shard counts");
    if (c.shard.index != i) throw InputError(fmt::format("shard {}/{} is missing or given twice", i, count));
    c.shard = {};
    c.threads = 1;
    if (!(c == one)) throw InputError(fmt::format("shard {}/{} ran another sweep than shard 0/{}", i, count, count));
    for (std::size_t k = 0; k < shards[i].points.size(); ++k)
      if (shards[i].points[k].trials != shard_size(shards[i].config.shard, c.trials))
        throw InputError(fmt::format("shard {}/{} ran {} trials at point {}, not its share", i, count,
                                     shards[i].points[k].trials, shards[i].points[k].malicious));
  }
  SweepResult merged{.config = one, .points = shards[0].points};
  for (std::uint64_t i = 1; i < count; ++i) {
    for (std::size_t k = 0; k < merged.points.size(); ++k) merged.points[k].absorb(shards[i].points[k]);
  }
  return merged;
}

}  // namespace model
