// pbftsim check: search seeded schedules for a violation, minimize the
// first one found and write it as a trace.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/minimizer.h"
#include "model/trace.h"
#include "tools/command.h"
#include "tools/output_file.h"
#include "tools/validators.h"

namespace tools {

namespace {

using namespace model;

// --time-limit without --schedules: search until the time is up.
constexpr std::uint64_t kUnlimited = ~std::uint64_t{0};
// Longer limits are this one (31 years): the deadline's nanoseconds must fit.
constexpr double kLongestLimitS = 1e9;

struct CheckOptions {
  std::uint32_t n = 4, malicious = 1, requests = 4, clients = 1;
  std::string strategy = "mix", network = "async", mutation = "none", auth = "on";
  std::uint64_t schedules = 10'000, seed = 1;
  bool until_time_limit = false;  // --time-limit without --schedules
  double time_limit_s = 0;  // 0: no limit
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::string out = "counterexample.jsonl";
  std::string json;  // summary file, optional
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

// Schedules draw their faulty replicas from a small set, so worlds are built
// once per distinct scenario and reused (a Simulator resets itself per run).
class Worlds {
 public:
  Simulator& get(const Scenario& s) {
    std::vector<std::pair<pbft::ReplicaId, StrategyKind>> key;
    for (const auto& f : s.faults) key.emplace_back(f.replica, f.strategy);
    auto it = worlds_.find(key);
    if (it == worlds_.end()) {
      auto scenario = std::make_unique<Scenario>(s);
      auto sim = std::make_unique<Simulator>(*scenario);
      sim->set_hashing(false);  // verdicts only: a violation is re-run, hashed, to write its trace
      it = worlds_.emplace(key, std::pair{std::move(scenario), std::move(sim)}).first;
    }
    return *it->second.second;
  }

 private:
  std::map<std::vector<std::pair<pbft::ReplicaId, StrategyKind>>,
           std::pair<std::unique_ptr<Scenario>, std::unique_ptr<Simulator>>>
      worlds_;
};

struct Search {
  std::atomic<std::uint64_t> next{0};
  std::atomic<std::uint64_t> first_violation{~std::uint64_t{0}};
  std::atomic<std::uint64_t> done{0}, delivered{0};
};

// Runs schedules until the budget ends or a violation is found. The result
// does not depend on the thread count: the reported violation is the one
// with the smallest schedule index, and every smaller index is checked.
void search(const CheckOptions& o, Search& st, std::chrono::steady_clock::time_point deadline) {
  Worlds worlds;
  for (;;) {
    const std::uint64_t i = st.next.fetch_add(1);
    if (i >= o.schedules || i > st.first_violation.load()) return;
    if (o.time_limit_s > 0 && (i & 63) == 0 && std::chrono::steady_clock::now() > deadline &&
        st.first_violation.load() == ~std::uint64_t{0})
      return;
    const Scenario s = scenario_for(o, i);
    Tape tape = Tape::from_seed(o.seed + i);
    const RunResult r = worlds.get(s).run(tape);
    st.delivered += r.stats.delivered;
    ++st.done;
    if (r.violation) {
      std::uint64_t seen = st.first_violation.load();
      while (i < seen && !st.first_violation.compare_exchange_weak(seen, i)) {
      }
    }
  }
}

void show_progress(const CheckOptions& o, const Search& st, double secs) {
  const double done = static_cast<double>(st.done.load());
  const double rate = secs > 0 ? done / secs : 0.0;
  if (o.until_time_limit) {
    std::fprintf(stderr, "\r%.0f schedules, %.0f/s, about %.0f s left   ", done, rate,
                 std::max(0.0, o.time_limit_s - secs));
    return;
  }
  const double total = static_cast<double>(o.schedules);
  double eta = done > 0 ? secs * (total - done) / done : 0;
  if (o.time_limit_s > 0) eta = std::min(eta, std::max(0.0, o.time_limit_s - secs));
  std::fprintf(stderr, "\r%.0f/%.0f schedules, %.0f/s, about %.0f s left   ", done, total, rate, eta);
}

nlohmann::json summary_json(const CheckOptions& o, std::uint64_t done, double secs, std::uint64_t delivered,
                            const Minimized* found) {
  nlohmann::json j{{"n", o.n}, {"malicious", o.malicious}, {"strategy", o.strategy}, {"network", o.network},
                   {"mutation", o.mutation}, {"auth", o.auth}, {"seed", o.seed}, {"threads", o.threads},
                   {"requests", o.requests}, {"clients", o.clients}, {"schedules", done}, {"seconds", secs},
                   {"schedules_per_second", static_cast<double>(done) / secs}, {"deliveries", delivered},
                   {"violation", nullptr},
                   {"stopped_by", found ? "violation" : done < o.schedules ? "time_limit" : "schedules"}};
  if (found && found->result.violation) {
    j["violation"] = {{"kind", std::string(violation_name(found->result.violation->kind))},
                      {"description", found->result.violation->description},
                      {"counterexample", o.out},
                      {"choices", found->tape.size()},
                      {"replay", "pbftsim replay " + o.out}};
  }
  return j;
}

int check(const CheckOptions& o) {
  if (o.n < 1 || o.n > pbft::kMaxReplicas) return bad_input(fmt::format("--n must be in 1..{}", pbft::kMaxReplicas));
  if (o.malicious > o.n) return bad_input("--malicious cannot exceed --n");
  if (o.strategy != "mix" && !parse_strategy(o.strategy)) return bad_input("--strategy: unknown strategy " + o.strategy);
  if (!pbft::parse_mutation(o.mutation)) return bad_input("--mutation: not in the bug catalog: " + o.mutation);
  if (o.schedules < 1) return bad_input("--schedules must be at least 1");
  if (o.threads < 1) return bad_input("--threads must be at least 1");
  std::optional<OutputFile> summary;
  if (!o.json.empty()) {
    summary.emplace(o.json);  // opened first: an unwritable path fails before the search
    if (!summary->error().empty()) return bad_input(summary->error());
  }
  const auto write_summary = [&](nlohmann::json j) -> int {
    if (!summary) return kOk;
    if (auto err = summary->commit(j.dump(2) + "\n"); !err.empty()) return bad_input(err);
    return kOk;
  };
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(std::min(o.time_limit_s, kLongestLimitS)));
  Search st;
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < o.threads; ++t) workers.emplace_back([&] { search(o, st, deadline); });
  const bool tty = isatty(fileno(stderr));
  // Every schedule handed out, and each thread's one claim past the end too (no overflow near 2^64).
  const auto all_claimed = [&] {
    const std::uint64_t next = st.next.load();
    return next >= o.schedules && next - o.schedules >= o.threads;
  };
  while (tty && st.done.load() < o.schedules && !all_claimed() &&
         st.first_violation.load() == ~std::uint64_t{0}) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.time_limit_s > 0 && secs > o.time_limit_s + 1) break;
    show_progress(o, st, secs);
  }
  for (auto& w : workers) w.join();
  if (tty) std::fprintf(stderr, "\n");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::uint64_t done = st.done.load(), delivered = st.delivered.load();
  const double per_second = static_cast<double>(done) / secs;
  const double ns_per_delivery = secs * 1e9 * o.threads / static_cast<double>(std::max<std::uint64_t>(delivered, 1));

  if (st.first_violation.load() == ~std::uint64_t{0}) {
    const std::string stopped = done < o.schedules ? fmt::format(", stopped by the time limit ({} s)", o.time_limit_s) : "";
    std::printf("no violation in %llu schedules (n=%u, malicious=%u, strategy=%s, network=%s, mutation=%s, "
                "%u request(s) x %u client(s), %u thread(s))%s: %.0f schedules/s, %.0f ns per delivered message "
                "per thread\n",
                static_cast<unsigned long long>(done), o.n, o.malicious, o.strategy.c_str(), o.network.c_str(),
                o.mutation.c_str(), o.requests, o.clients, o.threads, stopped.c_str(), per_second, ns_per_delivery);
    return write_summary(summary_json(o, done, secs, delivered, nullptr));
  }
  // Re-run the first violating schedule, recording its tape, then minimize.
  const std::uint64_t i = st.first_violation.load();
  const Scenario s = scenario_for(o, i);
  Tape tape = Tape::from_seed(o.seed + i);
  auto rec = run_recorded(s, tape);
  if (!rec.result.violation) return bad_input("internal: the violation did not reproduce from its seed");
  std::printf("violation in schedule %llu (seed %llu) after %.2f s: %s\n", static_cast<unsigned long long>(i),
              static_cast<unsigned long long>(o.seed + i), secs, rec.result.violation->description.c_str());
  auto min = minimize(s, rec.tape);
  if (!min) return bad_input("internal: the violation did not reproduce from its recorded tape");
  RunResult replayed;
  if (auto err = write_trace(o.out, min->scenario, min->tape, &replayed); !err.empty()) return bad_input(err);
  std::printf("minimized in %llu runs: %zu choices, %llu deliveries: %s\n",
              static_cast<unsigned long long>(min->runs), min->tape.size(),
              static_cast<unsigned long long>(replayed.stats.delivered),
              replayed.violation ? replayed.violation->description.c_str() : "?");
  std::printf("counterexample: %s\nreplay with: pbftsim replay %s\n", o.out.c_str(), o.out.c_str());
  if (int status = write_summary(summary_json(o, done, secs, delivered, &*min)); status != kOk) return status;
  return kViolation;
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
  auto* schedules = cmd->add_option("--schedules", o->schedules, "schedules to try (unlimited under --time-limit unless given)")
                       ->check(whole_number())
                       ->capture_default_str();
  cmd->add_option("--requests", o->requests, "requests per client")->check(CLI::Range(1u, 100000u))->capture_default_str();
  cmd->add_option("--clients", o->clients, "clients")->check(CLI::Range(1u, 16u))->capture_default_str();
  cmd->add_option("--seed", o->seed, "first seed")->check(whole_number())->capture_default_str();
  cmd->add_option("--time-limit", o->time_limit_s, "stop searching after this many seconds (0: none)")
      ->check(seconds());
  cmd->add_option("--threads", o->threads, "worker threads (results do not depend on it)")->capture_default_str();
  cmd->add_option("--json", o->json, "write a JSON summary of the search here");
  cmd->add_option("--out", o->out, "where the minimized counterexample goes")->capture_default_str();
  cmd->callback([o, schedules, &status] {
    if (o->time_limit_s > 0 && schedules->count() == 0) {
      o->until_time_limit = true;
      o->schedules = kUnlimited;
    }
    status = check(*o);
  });
}

}  // namespace tools
