// pbftsim sweep: success rate, latency and cost against the number of
// malicious replicas, for the tutorial's protocol (seed) or full PBFT.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "model/sweep.h"
#include "model/sweep_json.h"
#include "tools/command.h"
#include "tools/replica_option.h"
#include "tools/sweep_plot.h"
#include "tools/help_lists.h"
#include "tools/interrupt.h"
#include "tools/output_file.h"
#include "tools/validators.h"

namespace tools {

namespace {

using namespace model;
using Clock = std::chrono::steady_clock;

struct SweepOptions {
  std::string profile = "seed", malicious, strategy = "mix";  // malicious empty: 0..n-1
  std::uint32_t n = 10, trials = 6, threads = std::max(1u, std::thread::hardware_concurrency());
  std::uint64_t seed = 11;
  std::string csv, json, plot, shard = "0/1";
  ReplicaChoice replica;  // none: the built-in replica
};

// "\r12000/20000 trials, ETA 3 s" at most ten times a second, on a terminal only.
class ProgressLine {
 public:
  ProgressLine() : on_(isatty(STDERR_FILENO) != 0), start_(Clock::now()) {}
  ~ProgressLine() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
  }
  SweepProgress callback() {
    if (!on_) return {};
    return [this](std::uint64_t done, std::uint64_t total) {
      const auto now = Clock::now();
      if (now - last_ < std::chrono::milliseconds(100) || done == total) return;
      last_ = now;
      shown_ = true;
      const double elapsed = std::chrono::duration<double>(now - start_).count();
      std::fprintf(stderr, "\r\033[Ksweep: %llu/%llu trials, ETA %.0f s", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total),
                   elapsed / static_cast<double>(done) * static_cast<double>(total - done));
    };
  }

 private:
  bool on_, shown_ = false;
  Clock::time_point start_, last_;
};

int sweep(const SweepOptions& o) {
  SweepConfig c{.profile = o.profile == "pbft" ? Profile::pbft : Profile::seed, .n = o.n, .malicious = {},
                .trials = o.trials, .strategy = o.strategy, .seed = o.seed, .threads = o.threads};
  if (o.malicious.empty()) {
    c.malicious = {0, o.n > 0 ? o.n - 1 : 0};
  } else {
    c.malicious = parse_malicious_range(o.malicious);
  }
  c.shard = *parse_shard(o.shard);  // checked by shard_spec()
  validate(c);  // the flags first: a bad --n is named as such, not as the plug-in's refusal
  c.replica = load_replica(o.replica, pbft::make_config(o.n));
  if (c.replica) validate(c);  // and a plug-in only with the pbft profile
  const std::filesystem::path plot = o.plot;
  if (!o.plot.empty() && plot.extension() != ".svg" && plot.extension() != ".png")
    throw InputError(fmt::format("--plot {}: must end in .svg or .png", o.plot));

  // Every output is checked and opened before the sweep runs.
  require_distinct_outputs({{"--csv", o.csv},
                            {"--json", o.json},
                            {"--plot", o.plot},
                            {"--plot's data", o.plot.empty() ? "" : o.plot + ".csv"},
                            {"--plot's script", o.plot.empty() ? "" : o.plot + ".gp"}});
  enum class Kind { csv, json, script };
  std::vector<std::pair<Kind, std::unique_ptr<OutputFile>>> files;
  const std::pair<Kind, std::string> wanted[] = {{Kind::csv, o.csv}, {Kind::json, o.json},
                                                 {Kind::csv, o.plot.empty() ? "" : o.plot + ".csv"},
                                                 {Kind::script, o.plot.empty() ? "" : o.plot + ".gp"}};
  for (const auto& [kind, path] : wanted) {
    if (path.empty()) continue;
    files.emplace_back(kind, std::make_unique<OutputFile>(path));
  }

  const auto start = Clock::now();
  SweepResult result;
  {
    const InterruptWatch watch;  // Ctrl-C: the trials so far are printed and written
    ProgressLine progress;
    result = run_sweep(c, progress.callback(), watch.interrupted());
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::fputs(sweep_table(result).c_str(), stdout);
  std::uint64_t trials = 0;
  for (const auto& p : result.points) trials += p.trials;
  std::printf("\n%llu trials in %.3f s on %u thread(s)%s\n", static_cast<unsigned long long>(trials), secs, c.threads,
              result.interrupted
                  ? fmt::format(", stopped by interrupt ({} planned; each point counts its own)",
                                shard_size(c.shard, c.trials) * (c.malicious.last - c.malicious.first + 1)).c_str()
                  : "");

  for (auto& [kind, file] : files) {
    const std::string text = kind == Kind::json     ? sweep_json(result)
                             : kind == Kind::script ? gnuplot_script(result, plot)
                                                    : sweep_csv(result);
    file->commit(text);
    if (file->path() == o.csv || file->path() == o.json) std::printf("wrote %s\n", file->path().c_str());
  }
  const int status = result.interrupted ? kInterrupted : kOk;
  if (o.plot.empty()) return status;
  draw(plot);
  if (std::filesystem::exists(plot))
    std::printf("wrote %s (data %s.csv, script %s.gp)\n", o.plot.c_str(), o.plot.c_str(), o.plot.c_str());
  return status;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& status) {
  auto o = std::make_shared<SweepOptions>();
  auto* cmd = app.add_subcommand("sweep", "success rate and latency against the number of malicious replicas");
  cmd->add_option("--profile", o->profile, "seed (the tutorial's protocol) or pbft")
      ->check(CLI::IsMember({"seed", "pbft"}))
      ->capture_default_str();
  cmd->add_option("--n", o->n, "replicas")->capture_default_str();
  cmd->add_option("--malicious", o->malicious, "malicious replicas: A..B or a number [default: 0..n-1]");
  cmd->add_option("--trials", o->trials, "trials per point")->capture_default_str();
  cmd->add_option("--strategy", o->strategy, "pbft profile: Byzantine strategy, or mix")->capture_default_str();
  add_replica_option(cmd, o->replica);
  cmd->add_option("--seed", o->seed, "seed of every trial's tape")->check(whole_number())->capture_default_str();
  cmd->add_option("--threads", o->threads, "worker threads (results do not depend on it)")->capture_default_str();
  cmd->add_option("--shard", o->shard,
                  "run trial t of every point when t mod N = I (pbftsim merge joins the N --json results)")
      ->check(shard_spec())
      ->capture_default_str();
  cmd->add_option("--csv", o->csv, "write the points as CSV");
  cmd->add_option("--json", o->json, "write the configuration and points as JSON");
  cmd->add_option("--plot", o->plot, "draw success (measured and analytic), safety violations and latency p50/p95 with gnuplot (.svg or .png)");
  cmd->footer("\n" + strategies_help());
  cmd->callback([o, &status] { status = sweep(*o); });
}

}  // namespace tools
