// pbftsim check: flag parsing and output around model::search (the
// deterministic parallel search) and model::record_counterexample (re-run,
// minimize, write the trace).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "model/counterexample.h"
#include "model/search_summary.h"
#include "tools/command.h"
#include "tools/minimize_option.h"
#include "tools/replica_option.h"
#include "tools/help_lists.h"
#include "tools/interrupt.h"
#include "tools/output_file.h"
#include "tools/validators.h"

namespace tools {

namespace {

using namespace model;

// --time-limit without --schedules: search until the time is up.
constexpr std::uint64_t kUnlimited = ~std::uint64_t{0};

struct CheckOptions {
  std::uint32_t n = 4, malicious = 1;
  std::optional<std::uint32_t> requests, clients;  // none: drawn per schedule
  bool calm = false;
  std::string strategy = "mix", network = "any", mutation = "none", auth = "on", shard = "0/1";
  std::uint64_t schedules = 10'000, seed = 1;
  bool until_time_limit = false;  // --time-limit without --schedules
  double time_limit_s = 0;  // 0: no limit
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::string out = "counterexample.jsonl";
  std::string json;  // summary file, optional
  ReplicaChoice replica;  // none: the built-in replica
  bool liveness = false;        // --liveness
  std::uint64_t liveness_bound_ms = space::kLivenessBoundUs / 1000;
  std::optional<std::uint64_t> gst_ms;
  std::uint64_t minimize_runs = kDefaultMinimizeRuns;
};

void show_progress(const CheckOptions& o, std::uint64_t shard_total, const SearchProgress& p, double secs) {
  const double done = static_cast<double>(p.done.load());
  const double rate = secs > 0 ? done / secs : 0.0;
  if (o.until_time_limit) {
    std::fprintf(stderr, "\r%.0f schedules, %.0f/s, about %.0f s left   ", done, rate,
                 std::max(0.0, o.time_limit_s - secs));
    return;
  }
  const double total = static_cast<double>(shard_total);
  double eta = done > 0 ? secs * (total - done) / done : 0;
  if (o.time_limit_s > 0) eta = std::min(eta, std::max(0.0, o.time_limit_s - secs));
  std::fprintf(stderr, "\r%.0f/%.0f schedules, %.0f/s, about %.0f s left   ", done, total, rate, eta);
}

int check(const CheckOptions& o) {
  if (o.n < 1 || o.n > pbft::kMaxReplicas)
    throw InputError(fmt::format("--n must be in 1..{}", pbft::kMaxReplicas));
  if (o.malicious > o.n) throw InputError("--malicious cannot exceed --n");
  if (o.strategy != "mix" && !parse_strategy(o.strategy))
    throw InputError("--strategy: unknown strategy " + o.strategy);
  const auto mutation = pbft::parse_mutation(o.mutation);
  if (!mutation) throw InputError("--mutation: not in the bug catalog: " + o.mutation);
  if (o.schedules < 1) throw InputError("--schedules must be at least 1");
  if (o.threads < 1) throw InputError("--threads must be at least 1");
  const auto shard = parse_shard(o.shard);  // checked by shard_spec()
  require_distinct_outputs({{"--json", o.json}, {"--out", o.out}});

  SearchSummary summary;
  CheckSpace& space = summary.space;
  space.n = o.n;
  space.malicious = o.malicious;
  space.requests = o.requests;
  space.clients = o.clients;
  space.calm = o.calm;
  if (o.strategy != "mix") space.strategy = parse_strategy(o.strategy);
  if (o.network != "any") space.network = o.network == "timed" ? NetworkMode::timed : NetworkMode::async;
  space.mutation = *mutation;
  space.auth = o.auth == "on";
  space.seed = o.seed;
  if (o.liveness) {
    if (o.network == "async")
      throw InputError("--liveness needs --network timed (async has no time, so no bound)");
    if (o.malicious > (o.n - 1) / 3)
      throw InputError(fmt::format("--liveness needs --malicious <= f = {} (PBFT promises liveness only then)",
                                   (o.n - 1) / 3));
    space.network = NetworkMode::timed;
    space.liveness = true;
    space.liveness_bound_us = o.liveness_bound_ms * 1000;
    if (o.gst_ms) space.gst_us = *o.gst_ms * 1000;
  } else if (o.gst_ms) {
    throw InputError("--gst-ms needs --liveness");
  }
  pbft::Config config = pbft::make_config(o.n);
  config.mutation = *mutation;
  space.replica = load_replica(o.replica, config);
  summary.replica = space.replica.name();
  if (!o.until_time_limit) summary.schedule_budget = o.schedules;
  summary.time_limit_s = o.time_limit_s;
  summary.shard = *shard;
  summary.threads = o.threads;

  std::optional<OutputFile> summary_file;
  if (!o.json.empty()) summary_file.emplace(o.json);  // opened first: an unwritable path fails before the search
  { OutputFile probe(o.out); }  // so does an unwritable --out (the trace itself is written after the search)
  const auto write_summary = [&] {
    if (summary_file) summary_file->commit(to_json(summary).dump(2) + "\n");
  };

  // Ctrl-C ends the search, or the minimization after it; the result so
  // far is still printed and written.
  const InterruptWatch watch;
  const SearchLimits limits{.schedules = o.schedules, .time_limit_s = o.time_limit_s, .threads = o.threads,
                            .shard = *shard, .interrupt = watch.interrupted()};
  SearchProgress progress;
  const bool tty = isatty(fileno(stderr));
  const std::uint64_t shard_total = shard_size(*shard, o.schedules);
  const CheckSchedules schedules(space);
  const auto restore = [&] {
    if (tty) std::fprintf(stderr, "\n");
  };
  SearchOutcome found;
  try {
    found = search(schedules, limits, progress, tty ? std::function<void(double)>([&](double secs) {
      show_progress(o, shard_total, progress, secs);
    })
                                                    : std::function<void(double)>());
  } catch (const ReplicaFailure& e) {
    // The replica under test broke mid-run: the trace up to that input goes
    // to --out, so replay and explain can show what led there.
    restore();
    if (!e.schedule) throw;
    const std::uint64_t i = *e.schedule;
    if (!write_failure_trace(o.out, schedules.scenario(i), schedules.tape(i)))
      throw ReplicaFailure(fmt::format("{} (schedule {}, which then ran without failing)", e.what(), i));
    throw ReplicaFailure(fmt::format("{} (schedule {}; the trace up to it: {})", e.what(), i, o.out));
  }
  restore();
  summary.schedules = found.schedules;
  summary.deliveries = found.deliveries;
  summary.stopped_by_steps = found.stopped_by_steps;
  summary.seconds = found.seconds;
  summary.stopped_by = found.stopped_by;

  if (!found.violation) {
    std::printf("%s\n", result_line(summary).c_str());
    write_summary();
    // Interrupted: the search is incomplete, so a script must not read
    // "no violation" into it.
    return found.stopped_by == StopReason::interrupted ? kInterrupted : kOk;
  }
  const std::uint64_t i = *found.violation;
  const Counterexample c = [&] {
    try {
      return record_counterexample(schedules.scenario(i), schedules.tape(i), o.out, /*shrink=*/true, o.minimize_runs,
                                   watch.interrupted());
    } catch (const InternalError& e) {
      throw InternalError(fmt::format("{} (schedule {})", e.what(), i));
    }
  }();
  const Violation shown = c.written.violation.value_or(c.found);
  summary.violation = FoundViolation{.schedule = i,
                                     .kind = std::string(violation_name(shown.kind)),
                                     .found = c.found.description,
                                     .description = shown.description,
                                     .counterexample = o.out,
                                     .choices = c.minimized->tape.size(),
                                     .deliveries = c.written.stats.delivered};
  std::printf("violation in schedule %llu (seed %llu) after %.2f s: %s\n", static_cast<unsigned long long>(i),
              static_cast<unsigned long long>(o.seed + i), found.seconds, c.found.description.c_str());
  std::printf("minimized in %llu runs%s: %zu choices, %llu deliveries: %s\n",
              static_cast<unsigned long long>(c.minimized->runs),
              c.minimized->capped        ? " (stopped at --minimize-runs)"
              : c.minimized->interrupted ? " (stopped by interrupt: the smallest so far)"
                                         : "",
              c.minimized->tape.size(),
              static_cast<unsigned long long>(c.written.stats.delivered),
              c.written.violation ? c.written.violation->description.c_str() : "?");
  // No replica flag: the trace records the replica that ran, and replay re-runs it.
  std::printf("counterexample: %s\nreplay with: pbftsim replay %s\n", o.out.c_str(), o.out.c_str());
  write_summary();
  return kViolation;
}

}  // namespace

void add_check_command(CLI::App& app, int& status) {
  auto o = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "search seeded schedules for a safety violation");
  cmd->add_option("--n", o->n, "replicas")->capture_default_str();
  cmd->add_option("--malicious", o->malicious, "faulty replicas")->capture_default_str();
  cmd->add_option("--strategy", o->strategy, "Byzantine strategy, or mix")->capture_default_str();
  cmd->add_option("--network", o->network, "timed, async, or any (drawn per schedule)")
      ->check(CLI::IsMember({"timed", "async", "any"}))
      ->capture_default_str();
  cmd->add_flag("--calm", o->calm,
                "a calm network (no drops, duplicates, reordering, partitions, delay tail or GST) and the "
                "protocol's default checkpoint interval, window and timeouts; without it they are drawn per "
                "schedule");
  cmd->add_option("--mutation", o->mutation, "bug-catalog entry switched on")->capture_default_str();
  cmd->add_option("--auth", o->auth, "on or off")->check(CLI::IsMember({"on", "off"}))->capture_default_str();
  auto* schedules = cmd->add_option("--schedules", o->schedules, "schedules to try (unlimited under --time-limit unless given)")
                       ->check(whole_number())
                       ->capture_default_str();
  cmd->add_option("--requests", o->requests, "requests per client (default: drawn per schedule, 1 to 6)")
      ->check(CLI::Range(1u, 100000u));
  cmd->add_option("--clients", o->clients, "clients (default: drawn per schedule, 1 to 3)")->check(CLI::Range(1u, 16u));
  cmd->add_option("--seed", o->seed, "first seed")->check(whole_number())->capture_default_str();
  cmd->add_option("--time-limit", o->time_limit_s, "stop searching after this many seconds (0: none)")
      ->check(seconds());
  cmd->add_option("--threads", o->threads, "worker threads (results do not depend on it)")->capture_default_str();
  cmd->add_option("--shard", o->shard,
                  "search only schedules i with i mod N = I (I/N); `pbftsim merge` joins the shards' --json")
      ->check(shard_spec())
      ->capture_default_str();
  cmd->add_flag("--liveness", o->liveness,
                "judge liveness too: in the timed network, every request accepted by its client within "
                "--liveness-bound-ms of max(GST, its submission), plus the view-change backoff the replicas reached "
                "by GST, with malicious <= f (implies --network timed)");
  cmd->add_option("--liveness-bound-ms", o->liveness_bound_ms, "with --liveness: the bound")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{3'600'000}))
      ->capture_default_str();
  cmd->add_option("--gst-ms", o->gst_ms,
                  "with --liveness: the global stabilization time (default: drawn per schedule from 0, 300, "
                  "1000 and 2000 ms)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{3'600'000}));
  cmd->add_option("--json", o->json, "write a JSON summary of the search here");
  cmd->add_option("--out", o->out, "where the minimized counterexample goes")->capture_default_str();
  add_minimize_runs_option(cmd, o->minimize_runs);
  add_replica_option(cmd, o->replica);
  cmd->footer("\n" + strategies_help() + "\n" + mutations_help() +
              "\nExit status: 0 no violation, 1 violation found, 2 bad input, 3 internal error, 130 stopped by Ctrl-C / SIGTERM before its budget (the result so far is printed and written).");
  cmd->callback([o, schedules, &status] {
    if (o->time_limit_s > 0 && schedules->count() == 0) {
      o->until_time_limit = true;
      o->schedules = kUnlimited;
    }
    status = check(*o);
  });
}

}  // namespace tools
