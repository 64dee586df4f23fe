// pbftsim check: search seeded schedules for a violation, minimize the
// first one found and write it as a trace.
#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "model/minimizer.h"
#include "model/trace.h"
#include "tools/command.h"

namespace tools {

namespace {

using namespace model;

struct CheckOptions {
  std::uint32_t n = 4, malicious = 1, requests = 4, clients = 1;
  std::string strategy = "mix", network = "async", mutation = "none", auth = "on";
  std::uint64_t schedules = 10'000, seed = 1;
  std::string out = "counterexample.jsonl";
};

// The scenario for schedule i: faulty replicas and strategies drawn from the
// schedule's own tape, so every schedule replays from its trace alone.
Scenario scenario_for(const CheckOptions& o, std::uint64_t i) {
  Scenario s;
  s.config = pbft::make_config(o.n);
  s.config.checkpoint_interval = 2;
  s.config.watermark_window = 4;
  s.config.mutation = *pbft::parse_mutation(o.mutation);
  s.network.mode = o.network == "timed" ? NetworkMode::timed : NetworkMode::async;
  s.workload.requests_per_client = o.requests;
  s.workload.clients = o.clients;
  s.auth = o.auth == "on";
  Tape pick = Tape::from_seed(o.seed * 0x9e3779b97f4a7c15ULL + i);
  std::vector<pbft::ReplicaId> ids(o.n);
  for (pbft::ReplicaId r = 0; r < o.n; ++r) ids[r] = r;
  for (std::uint32_t k = 0; k < o.malicious; ++k) {
    const std::uint32_t j = k + pick.pick(o.n - k);
    std::swap(ids[k], ids[j]);
    StrategyKind kind = o.strategy == "mix"
                            ? kAllStrategies[pick.pick(std::size(kAllStrategies))]
                            : *parse_strategy(o.strategy);
    s.faults.push_back({ids[k], kind});
  }
  return s;
}

int check(const CheckOptions& o) {
  if (o.n < 1 || o.n > pbft::kMaxReplicas) return bad_input(fmt::format("--n must be in 1..{}", pbft::kMaxReplicas));
  if (o.malicious > o.n) return bad_input("--malicious cannot exceed --n");
  if (o.strategy != "mix" && !parse_strategy(o.strategy)) return bad_input("--strategy: unknown strategy " + o.strategy);
  if (!pbft::parse_mutation(o.mutation)) return bad_input("--mutation: not in the bug catalog: " + o.mutation);
  if (o.schedules < 1) return bad_input("--schedules must be at least 1");
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t delivered = 0;
  for (std::uint64_t i = 0; i < o.schedules; ++i) {
    const Scenario s = scenario_for(o, i);
    Tape tape = Tape::from_seed(o.seed + i);
    auto rec = run_recorded(s, tape);
    delivered += rec.result.stats.delivered;
    if (!rec.result.violation) continue;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("violation after %llu schedules (%.2f s): %s\n", static_cast<unsigned long long>(i + 1), secs,
                rec.result.violation->description.c_str());
    auto min = minimize(s, rec.tape);
    if (!min) return bad_input("internal: the violation did not reproduce from its recorded tape");
    RunResult replayed;
    if (auto err = write_trace(o.out, min->scenario, min->tape, &replayed); !err.empty()) return bad_input(err);
    std::printf("minimized in %llu runs: %zu choices, %llu deliveries: %s\n",
                static_cast<unsigned long long>(min->runs), min->tape.size(),
                static_cast<unsigned long long>(replayed.stats.delivered),
                replayed.violation ? replayed.violation->description.c_str() : "?");
    std::printf("counterexample: %s\nreplay with: pbftsim replay %s\n", o.out.c_str(), o.out.c_str());
    return kViolation;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("no violation in %llu schedules (n=%u, malicious=%u, strategy=%s, network=%s, %u request(s) x %u "
              "client(s)): %.0f schedules/s, %.0f ns per delivered message\n",
              static_cast<unsigned long long>(o.schedules), o.n, o.malicious, o.strategy.c_str(), o.network.c_str(),
              o.requests, o.clients, static_cast<double>(o.schedules) / secs,
              secs * 1e9 / static_cast<double>(std::max<std::uint64_t>(delivered, 1)));
  return kOk;
}

}  // namespace

void add_check_command(CLI::App& app, int& status) {
  auto o = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "search seeded schedules for a safety violation");
  cmd->add_option("--n", o->n, "replicas")->capture_default_str();
  cmd->add_option("--malicious", o->malicious, "faulty replicas")->capture_default_str();
  cmd->add_option("--strategy", o->strategy, "Byzantine strategy, or mix")->capture_default_str();
  cmd->add_option("--network", o->network, "timed or async")->check(CLI::IsMember({"timed", "async"}))->capture_default_str();
  cmd->add_option("--mutation", o->mutation, "bug-catalog entry switched on")->capture_default_str();
  cmd->add_option("--auth", o->auth, "on or off")->check(CLI::IsMember({"on", "off"}))->capture_default_str();
  cmd->add_option("--schedules", o->schedules, "schedules to try")->capture_default_str();
  cmd->add_option("--requests", o->requests, "requests per client")->check(CLI::Range(1u, 100000u))->capture_default_str();
  cmd->add_option("--clients", o->clients, "clients")->check(CLI::Range(1u, 16u))->capture_default_str();
  cmd->add_option("--seed", o->seed, "first seed")->capture_default_str();
  cmd->add_option("--out", o->out, "where the minimized counterexample goes")->capture_default_str();
  cmd->callback([o, &status] { status = check(*o); });
}

}  // namespace tools
