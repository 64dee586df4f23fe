#pragma once
// The sweep: for each number of malicious replicas, run seeded trials of the
// seed protocol or of full PBFT and summarise them. Trial t at point m reads
// a tape seeded by (seed, m, t) alone, so results do not depend on how many
// threads ran them or in which order.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.h"
#include "model/scenario.h"
#include "model/shard.h"

namespace model {

enum class Profile : std::uint8_t { seed, pbft };
std::string_view profile_name(Profile p);

struct MaliciousRange {
  std::uint32_t first = 0, last = 0;
  friend bool operator==(const MaliciousRange&, const MaliciousRange&) = default;
};

// "A..B" or "A" (decimal); throws InputError naming --malicious otherwise.
MaliciousRange parse_malicious_range(std::string_view text);

struct SweepConfig {
  Profile profile = Profile::seed;
  std::uint32_t n = 10;
  MaliciousRange malicious{0, 9};
  std::uint32_t trials = 6;
  std::string strategy = "mix";  // pbft profile: a strategy name, or mix
  std::uint64_t seed = 11;
  std::uint32_t threads = 1;
  Shard shard;  // runs trial t of each point when t mod N = I
  ReplicaImpl replica;  // pbft profile; none plugged: the built-in replica
  friend bool operator==(const SweepConfig&, const SweepConfig&) = default;
};

inline constexpr std::uint32_t kMaxTrials = 10'000'000;

// Returns when the sweep can run; otherwise throws InputError naming the
// flag and the problem.
void validate(const SweepConfig& c);

// The tape seed of one trial.
std::uint64_t trial_seed(std::uint64_t seed, std::uint32_t malicious, std::uint32_t trial);

struct TrialOutcome {
  bool success = false;    // seed: every honest replica committed in 2 s; pbft: executed in 10 s, no violation
  bool agreement = false;  // a success whose honest commits all carry the primary's true digest
  bool violation = false;  // safety: seed, two honest digests differ; pbft, any safety checker
  bool liveness_failure = false;  // pbft, malicious <= f: the request not accepted within the bound
  std::uint64_t latency_us = 0;  // successful trials: last honest commit (seed) or client accept (pbft)
  std::uint64_t sent = 0, committed = 0, view_changes = 0;
  friend bool operator==(const TrialOutcome&, const TrialOutcome&) = default;
};

struct PointResult {
  std::uint32_t malicious = 0, trials = 0, successes = 0, agreements = 0, violations = 0;
  // Liveness is judged where PBFT promises it: the pbft profile, malicious <= f.
  bool liveness_judged = false;
  std::uint32_t liveness_failures = 0;
  std::uint64_t sent = 0, committed = 0, view_changes = 0;
  std::vector<std::uint64_t> latencies_us;  // of the successful trials, sorted
  std::optional<double> expected_success;   // seed profile: the analytic rate

  double success_rate() const { return trials ? static_cast<double>(successes) / trials : 0.0; }
  // Nearest rank over successful trials; nullopt when there are none.
  std::optional<double> latency_ms(double percentile) const;
  std::optional<double> mean_latency_ms() const;
  std::optional<double> msgs_per_commit() const;  // messages sent / requests committed
  double view_changes_per_trial() const { return trials ? static_cast<double>(view_changes) / trials : 0.0; }
  // Adds another shard's trials of the same point (latencies stay sorted).
  void absorb(const PointResult& other);
  friend bool operator==(const PointResult&, const PointResult&) = default;
};

struct SweepResult {
  SweepConfig config;
  std::vector<PointResult> points;
  // Stopped by the caller before every trial ran: each point counts the
  // trials it got, and points that got none are left out.
  bool interrupted = false;
};

// Called after each batch of trials, from whichever thread ran it, one call at a time.
using SweepProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Runs a validated configuration.
// `interrupt` (optional, set by a signal handler) stops it after the
// batches under way; the result then holds the trials that ran.
SweepResult run_sweep(const SweepConfig& c, const SweepProgress& progress = {},
                      const std::atomic<bool>* interrupt = nullptr);

// The table `pbftsim sweep` prints, and one row per point as CSV
// (sweep_json.h writes and reads the JSON).
std::string sweep_table(const SweepResult& r);
std::string sweep_csv(const SweepResult& r);

}  // namespace model
