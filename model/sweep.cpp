#include "model/sweep.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "model/scenario.h"
#include "model/seed_protocol.h"
#include "model/simulator.h"
#include "model/determinism_guard.h"
#include "model/first_error.h"
#include "model/scenario_space.h"
#include "model/world_pool.h"
#include "model/node_replica.h"
#include "pbft/hash.h"

namespace model {

namespace {

std::optional<std::uint32_t> parse_count(std::string_view s) {
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// The mix: the strategies that attack PBFT hardest (the weaker ones only
// send messages honest replicas discard).
constexpr StrategyKind kMix[] = {
    StrategyKind::equivocate, StrategyKind::conflicting_votes, StrategyKind::viewchange_tamper,
    StrategyKind::split,      StrategyKind::random,            StrategyKind::silent,
};

constexpr std::uint64_t kPbftHorizonUs = 10'000'000;

// The pbft profile's scenarios: the tutorial's network and one request;
// the faulty replicas drawn uniformly, backups listed first so the benign
// tape spares the primary, each with the sweep's strategy or one of the mix.
ScenarioSpace pbft_scenarios(const SweepConfig& c) {
  ScenarioSpace s;
  s.sizes = {c.n};
  s.replica = c.replica;
  s.fault_order = FaultOrder::backups_first;
  if (const auto k = parse_strategy(c.strategy); k && c.strategy != "mix") s.strategies = {*k};
  else s.strategies.assign(std::begin(kMix), std::end(kMix));
  // A checkpoint after every request: an honest replica that a split
  // primary left without the committed pre-prepare catches up only by
  // state transfer from a stable checkpoint. With the default interval
  // (8) and one request it never would, and "every honest replica
  // executed" would fail for m <= f (5 of 200 trials at n = 4, m = 1).
  s.checkpoint_intervals = {1};
  s.window_factors = {4};
  s.network = space::tutorial_network();
  s.modes = {NetworkMode::timed};
  s.requests = {1};
  s.horizon_us = kPbftHorizonUs;
  // Liveness where PBFT promises it (draw turns it on for malicious <= f):
  // the request accepted within 10 s; GST is 0 on this network.
  s.liveness = true;
  s.liveness_bound_us = space::kLivenessBoundUs;
  s.liveness_horizon_after_gst_us = kPbftHorizonUs;
  return s;
}

// A pbft trial's scenario with m faulty replicas: its picks come first on
// the trial's tape, the run goes on from where they end.
Scenario pbft_trial(ScenarioSpace& space, std::uint32_t m, Tape& tape) {
  space.malice.count = m;
  return draw(space, tape);
}

// Runs trials on one thread. For the pbft profile it keeps one Simulator per
// distinct set of faults: building the world is a large part of a short run.
class TrialRunner {
 public:
  explicit TrialRunner(const SweepConfig& c) : c_(c) {}

  TrialOutcome run(std::uint32_t m, std::uint32_t trial) {
    Tape tape = Tape::from_seed(trial_seed(c_.seed, m, trial));
    return c_.profile == Profile::seed ? run_seed(m, tape) : run_pbft(m, tape);
  }

 private:
  TrialOutcome run_seed(std::uint32_t m, Tape& tape) {
    seed_faults_.malice.count = m;
    const SeedTrial t = run_seed_trial({.n = c_.n, .malicious = m}, seed_faults_, tape);
    return {.success = t.success, .agreement = t.agreement, .violation = t.disagreement,
            .latency_us = t.latency_us, .sent = t.sent, .committed = t.success ? 1u : 0u};
  }

  TrialOutcome run_pbft(std::uint32_t m, Tape& tape) {
    const RunResult r = worlds_.get(pbft_trial(scenarios_, m, tape)).run(tape);  // outcomes only: no hashing
    const bool liveness = r.violation && r.violation->kind == ViolationKind::liveness;
    const bool safety = r.violation && !liveness;
    const bool success = m < c_.n && !safety && r.all_executed;
    // One request submitted at time 0: its accept time is the latency (the
    // run's end if every replica executed it but the client did not hear back).
    const std::uint64_t latency = r.stats.latencies_us.empty() ? r.stats.end_time_us : r.stats.latencies_us.back();
    return {.success = success, .agreement = success, .violation = safety, .liveness_failure = liveness,
            .latency_us = success ? latency : 0, .sent = r.stats.sent, .committed = r.stats.accepted,
            .view_changes = r.stats.view_changes};
  }

  const SweepConfig& c_;
  ScenarioSpace scenarios_ = pbft_scenarios(c_);
  ScenarioSpace seed_faults_ = seed_faults({.n = c_.n});
  WorldPool worlds_{256};  // bounded memory at large n; rebuilt on demand
};

// The point's trials in this shard: `count` outcomes.
PointResult summarise(const SweepConfig& c, std::uint32_t m, const TrialOutcome* outcomes, std::uint32_t count) {
  PointResult p;
  p.malicious = m;
  p.trials = count;
  for (std::uint32_t t = 0; t < count; ++t) {
    const TrialOutcome& o = outcomes[t];
    p.successes += o.success;
    p.agreements += o.agreement;
    p.violations += o.violation;
    p.liveness_failures += o.liveness_failure;
    p.sent += o.sent;
    p.committed += o.committed;
    p.view_changes += o.view_changes;
    if (o.success) p.latencies_us.push_back(o.latency_us);
  }
  std::sort(p.latencies_us.begin(), p.latencies_us.end());
  if (c.profile == Profile::seed) p.expected_success = seed_expectation(c.n, m).success;
  p.liveness_judged = c.profile == Profile::pbft && m <= (c.n - 1) / 3;
  return p;
}

}  // namespace

MaliciousRange parse_malicious_range(std::string_view text) {
  const auto dots = text.find("..");
  const auto first = parse_count(text.substr(0, dots));
  const auto last = dots == std::string_view::npos ? first : parse_count(text.substr(dots + 2));
  if (!first || !last) throw InputError(fmt::format("--malicious: expected A..B or a number, got '{}'", text));
  if (*first > *last)
    throw InputError(fmt::format("--malicious {}: the range is empty ({} > {})", text, *first, *last));
  return MaliciousRange{*first, *last};
}

void validate(const SweepConfig& c) {
  if (c.n < 1 || c.n > pbft::kMaxReplicas) throw InputError(fmt::format("--n must be in 1..{}", pbft::kMaxReplicas));
  const auto [first, last] = c.malicious;
  if (first > last) throw InputError(fmt::format("--malicious {}..{}: the range is empty", first, last));
  if (last > c.n) throw InputError(fmt::format("--malicious {}..{}: cannot exceed --n ({})", first, last, c.n));
  if (c.trials < 1 || c.trials > kMaxTrials) throw InputError(fmt::format("--trials must be in 1..{}", kMaxTrials));
  if (c.threads < 1) throw InputError("--threads must be at least 1");
  if (c.replica && c.profile == Profile::seed)
    throw InputError("--replica-lib and --replica-cmd need --profile pbft (the seed profile runs the tutorial's protocol, not a replica)");
  if (c.strategy != "mix" && !parse_strategy(c.strategy))
    throw InputError("--strategy: unknown strategy " + c.strategy);
}

std::string_view profile_name(Profile p) { return p == Profile::seed ? "seed" : "pbft"; }

std::uint64_t trial_seed(std::uint64_t seed, std::uint32_t malicious, std::uint32_t trial) {
  return pbft::combine(pbft::combine(seed, malicious), trial);
}

std::optional<double> PointResult::latency_ms(double percentile) const {
  if (latencies_us.empty()) return std::nullopt;
  const auto rank = static_cast<std::size_t>(std::ceil(percentile / 100.0 * static_cast<double>(latencies_us.size())));
  return static_cast<double>(latencies_us[std::clamp<std::size_t>(rank, 1, latencies_us.size()) - 1]) / 1000.0;
}

void PointResult::absorb(const PointResult& q) {
  trials += q.trials;
  successes += q.successes;
  agreements += q.agreements;
  violations += q.violations;
  liveness_failures += q.liveness_failures;
  sent += q.sent;
  committed += q.committed;
  view_changes += q.view_changes;
  const auto middle = static_cast<std::ptrdiff_t>(latencies_us.size());
  latencies_us.insert(latencies_us.end(), q.latencies_us.begin(), q.latencies_us.end());
  std::inplace_merge(latencies_us.begin(), latencies_us.begin() + middle, latencies_us.end());
}

std::optional<double> PointResult::mean_latency_ms() const {
  if (latencies_us.empty()) return std::nullopt;
  std::uint64_t sum = 0;
  for (auto l : latencies_us) sum += l;
  return static_cast<double>(sum) / 1000.0 / static_cast<double>(latencies_us.size());
}

std::optional<double> PointResult::msgs_per_commit() const {
  if (committed == 0) return std::nullopt;
  return static_cast<double>(sent) / static_cast<double>(committed);
}

SweepResult run_sweep(const SweepConfig& c, const SweepProgress& progress, const std::atomic<bool>* interrupt) {
  const std::uint32_t points = c.malicious.last - c.malicious.first + 1;
  // Trial t of every point belongs to shard t mod N: this shard runs `owned`
  // of them, its k-th being trial shard.index + k × N.
  const auto owned = static_cast<std::uint32_t>(shard_size(c.shard, c.trials));
  const std::uint64_t total = std::uint64_t{points} * owned;
  std::vector<TrialOutcome> outcomes(total);  // the k-th owned trial of point i at i * owned + k
  std::vector<char> ran(total, 0);            // an interrupted sweep summarises only these
  if (c.replica && owned > 0) {
    // A plugged replica must repeat itself, or the points mean nothing: the
    // shard's first trial runs twice first.
    ScenarioSpace space = pbft_scenarios(c);
    Tape tape = Tape::from_seed(trial_seed(c.seed, c.malicious.first, c.shard.index));
    const Scenario first = pbft_trial(space, c.malicious.first, tape);
    expect_deterministic(first, tape, fmt::format("trial {} of malicious = {}", c.shard.index, c.malicious.first));
  }

  // Threads take batches of trials from a shared counter; each outcome lands
  // in its own slot, so the schedule cannot change the result.
  constexpr std::uint64_t kBatch = 64;
  std::atomic<std::uint64_t> next{0};
  std::mutex progress_mutex;
  std::uint64_t done = 0;
  FirstError error;
  auto work_some = [&] {
    TrialRunner runner(c);
    while (!error.failed() && !(interrupt && interrupt->load())) {
      const std::uint64_t begin = next.fetch_add(kBatch);
      if (begin >= total) return;
      const std::uint64_t end = std::min(total, begin + kBatch);
      for (std::uint64_t i = begin; i < end; ++i) {
        outcomes[i] = runner.run(c.malicious.first + static_cast<std::uint32_t>(i / owned),
                                 static_cast<std::uint32_t>(c.shard.index + (i % owned) * c.shard.count));
        ran[i] = 1;
      }
      if (progress) {
        const std::lock_guard lock(progress_mutex);
        done += end - begin;
        progress(done, total);
      }
    }
  };
  auto work = [&] { error.run(work_some); };
  const auto helpers = std::min<std::uint64_t>(c.threads, (total + kBatch - 1) / kBatch);
  const NodeThreads node_threads(c.replica.node, static_cast<unsigned>(std::max<std::uint64_t>(1, helpers)));
  std::vector<std::thread> threads;
  for (std::uint64_t i = 1; i < helpers; ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  error.rethrow();

  SweepResult r{.config = c, .points = {}};
  r.interrupted = std::find(ran.begin(), ran.end(), 0) != ran.end();
  for (std::uint32_t i = 0; i < points; ++i) {
    const TrialOutcome* first = outcomes.data() + std::uint64_t{i} * owned;
    if (!r.interrupted) {
      r.points.push_back(summarise(c, c.malicious.first + i, first, owned));
      continue;
    }
    std::vector<TrialOutcome> done;
    for (std::uint32_t k = 0; k < owned; ++k)
      if (ran[std::uint64_t{i} * owned + k]) done.push_back(first[k]);
    // A point no trial reached is left out, not shown as 0% success.
    if (!done.empty())
      r.points.push_back(summarise(c, c.malicious.first + i, done.data(), static_cast<std::uint32_t>(done.size())));
  }
  return r;
}

namespace {



std::string field(std::optional<double> v, int decimals) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : std::string();
}

}  // namespace

namespace {
std::string ms(std::optional<double> v) { return v ? fmt::format("{:.1f}", *v) : std::string("n/a"); }
}  // namespace

std::string sweep_table(const SweepResult& r) {
  const auto& c = r.config;
  const bool seed = c.profile == Profile::seed;
  std::string out = fmt::format("sweep: profile {}, n={} (f={}), malicious {}..{}, {} trials per point, seed {}{}{}\n",
                                profile_name(c.profile), c.n, (c.n - 1) / 3, c.malicious.first, c.malicious.last,
                                c.trials, c.seed, seed ? "" : fmt::format(", strategy {}", c.strategy),
                                c.shard.count > 1 ? fmt::format(", shard {}", shard_text(c.shard)) : "");
  // The liveness column only where liveness can be judged: the pbft profile.
  const auto liveness = [&](std::string cell) { return seed ? std::string() : fmt::format(" {:>9}", cell); };
  out += fmt::format("{:>9} {:>7} {:>8} {:>9} {:>11}{} {:>8} {:>8} {:>8} {:>12} {:>13}\n", "malicious", "trials",
                     "success", seed ? "analytic" : "", "violations", liveness("liveness"), "p50_ms", "p95_ms",
                     "p99_ms", "msgs/commit", "view_changes");
  for (const auto& p : r.points) {
    const auto msgs = p.msgs_per_commit();
    out += fmt::format("{:>9} {:>7} {:>8.3f} {:>9} {:>11}{} {:>8} {:>8} {:>8} {:>12} {:>13.2f}\n", p.malicious,
                       p.trials, p.success_rate(),
                       p.expected_success ? fmt::format("{:.3f}", *p.expected_success) : "", p.violations,
                       liveness(p.liveness_judged ? fmt::format("{}", p.liveness_failures) : "n/a"),
                       ms(p.latency_ms(50)), ms(p.latency_ms(95)), ms(p.latency_ms(99)),
                       msgs ? fmt::format("{:.1f}", *msgs) : "n/a", p.view_changes_per_trial());
  }
  out += seed ? "(latency: virtual ms over successful trials; violations: safety; view_changes: per trial)\n\n"
              : "(latency: virtual ms over successful trials; violations: safety; liveness: trials whose request "
                "was not accepted within 10 s, judged for malicious <= f; view_changes: per trial)\n\n";
  for (const auto& p : r.points) {
    const auto avg = p.mean_latency_ms();
    out += fmt::format("malicious={} | success={}/{} | avg_latency={} | digest_agreement={}/{}\n", p.malicious,
                       p.successes, p.trials, avg ? fmt::format("{:.3f}s", *avg / 1000.0) : "n/a", p.agreements,
                       p.successes);
  }
  return out;
}

std::string sweep_csv(const SweepResult& r) {
  std::string out =
      "profile,n,malicious,trials,successes,success_rate,expected_success,digest_agreement,safety_violations,"
      "liveness_failures,latency_p50_ms,latency_p95_ms,latency_p99_ms,avg_latency_ms,msgs_per_commit,"
      "view_changes_per_trial\n";
  for (const auto& p : r.points)
    out += fmt::format("{},{},{},{},{},{:.4f},{},{},{},{},{},{},{},{},{},{:.3f}\n", profile_name(r.config.profile),
                       r.config.n, p.malicious, p.trials, p.successes, p.success_rate(), field(p.expected_success, 4),
                       p.agreements, p.violations, p.liveness_judged ? fmt::format("{}", p.liveness_failures) : "",
                       field(p.latency_ms(50), 3), field(p.latency_ms(95), 3),
                       field(p.latency_ms(99), 3), field(p.mean_latency_ms(), 3), field(p.msgs_per_commit(), 2),
                       p.view_changes_per_trial());
  return out;
}

}  // namespace model
