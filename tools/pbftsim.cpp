// pbftsim: search for violations, replay and minimize counterexamples.
// Exit status: 0 no violation, 1 violation found, 2 bad input.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "model/minimizer.h"
#include "model/scenario_json.h"
#include "model/trace.h"

namespace {

using namespace model;

constexpr int kOk = 0, kViolation = 1, kBadInput = 2;

struct CheckOptions {
  std::uint32_t n = 4, malicious = 1, requests = 4, clients = 1;
  std::string strategy = "mix", network = "async", mutation = "none", auth = "on";
  std::uint64_t schedules = 10'000, seed = 1;
  std::string out = "counterexample.jsonl";
};

int bad_input(const std::string& what) {
  std::fprintf(stderr, "pbftsim: %s\n", what.c_str());
  return kBadInput;
}

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

int replay_file(const std::string& path) {
  Trace t;
  try {
    t = read_trace(path);
  } catch (const FormatError& e) {
    return bad_input(e.what());
  }
  const RunResult r = replay(t);
  if (r.event_hash != t.event_hash)
    return bad_input(fmt::format("{}: replay diverged: event hash {:016x}, trace says {:016x}", path, r.event_hash,
                                 t.event_hash));
  const auto got = r.violation ? std::optional(r.violation->kind) : std::nullopt;
  if (got != t.verdict) return bad_input(fmt::format("{}: replay gave a different verdict", path));
  std::printf("replayed %s: %llu deliveries, hash %016llx matches\n", path.c_str(),
              static_cast<unsigned long long>(r.stats.delivered), static_cast<unsigned long long>(r.event_hash));
  if (!r.violation) {
    std::printf("verdict: no violation\n");
    return kOk;
  }
  std::printf("verdict: %s\n", r.violation->description.c_str());
  return kViolation;
}

int minimize_file(const std::string& path, const std::string& out) {
  Trace t;
  try {
    t = read_trace(path);
  } catch (const FormatError& e) {
    return bad_input(e.what());
  }
  auto min = minimize(t.scenario, t.tape);
  if (!min) return bad_input(fmt::format("{}: the trace shows no violation to minimize", path));
  if (auto err = write_trace(out, min->scenario, min->tape); !err.empty()) return bad_input(err);
  std::printf("minimized %zu -> %zu choices in %llu runs: %s\nwrote %s\n", t.tape.size(), min->tape.size(),
              static_cast<unsigned long long>(min->runs), min->result.violation->description.c_str(), out.c_str());
  return kViolation;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pbftsim: a deterministic harness that checks PBFT safety and finds counterexamples"};
  app.require_subcommand(1);

  CheckOptions o;
  auto* check_cmd = app.add_subcommand("check", "search seeded schedules for a safety violation");
  check_cmd->add_option("--n", o.n, "replicas")->capture_default_str();
  check_cmd->add_option("--malicious", o.malicious, "faulty replicas")->capture_default_str();
  check_cmd->add_option("--strategy", o.strategy, "Byzantine strategy, or mix")->capture_default_str();
  check_cmd->add_option("--network", o.network, "timed or async")->check(CLI::IsMember({"timed", "async"}))->capture_default_str();
  check_cmd->add_option("--mutation", o.mutation, "bug-catalog entry switched on")->capture_default_str();
  check_cmd->add_option("--auth", o.auth, "on or off")->check(CLI::IsMember({"on", "off"}))->capture_default_str();
  check_cmd->add_option("--schedules", o.schedules, "schedules to try")->capture_default_str();
  check_cmd->add_option("--requests", o.requests, "requests per client")->check(CLI::Range(1u, 100000u))->capture_default_str();
  check_cmd->add_option("--clients", o.clients, "clients")->check(CLI::Range(1u, 16u))->capture_default_str();
  check_cmd->add_option("--seed", o.seed, "first seed")->capture_default_str();
  check_cmd->add_option("--out", o.out, "where the minimized counterexample goes")->capture_default_str();

  std::string trace_path, out_path;
  auto* replay_cmd = app.add_subcommand("replay", "re-execute a trace and verify its verdict and event hash");
  replay_cmd->add_option("trace", trace_path, "trace file (JSON Lines)")->required();
  auto* minimize_cmd = app.add_subcommand("minimize", "shrink a counterexample trace");
  minimize_cmd->add_option("trace", trace_path, "trace file")->required();
  minimize_cmd->add_option("-o,--out", out_path, "output trace")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "pbftsim: %s\n", e.what());
    return kBadInput;
  }
  if (*check_cmd) return check(o);
  if (*replay_cmd) return replay_file(trace_path);
  if (*minimize_cmd) return minimize_file(trace_path, out_path);
  return kBadInput;
}
