#include "fuzz/protocol_guidance.h"

#include "fuzz/extra_counters.h"
#include "fuzz/schedule_input.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace fuzz {

namespace {
// Layout of the counters.
constexpr std::size_t kMetrics = 16;                   // per context (4)
constexpr std::size_t kStrategyBase = 4 * kMetrics;    // strategy (10) x milestone (8)
constexpr std::size_t kPairBase = kStrategyBase + 80;  // milestone x milestone
constexpr std::size_t kBoundaryBase = kPairBase + 64;  // context x prepare class x commit class
constexpr std::size_t kConflictBase = kBoundaryBase + 4 * 16;  // context x 4
constexpr std::size_t kDecidedBase = kConflictBase + 4 * 4;    // context x commit class (5) x view change (3)
constexpr std::size_t kPartialBase = kDecidedBase + 4 * 15;     // context: a decision crossed a view change
constexpr std::size_t kUsed = kPartialBase + 4;
static_assert(kUsed <= kExtraCounters);

// The first eight also make the strategy and pair counters; the rest are
// deeper states, for measurements (PBFTSIM_FUZZ_MILESTONES, _STOP_AT).
enum Milestone {
  kCommitted, kCheckpointStable, kViewChangeStarted, kNewView, kCertCarried, kStateInstalled,
  kViewTwo, kAllExecutedAfterNewView,
  kCertAndCheckpoint,      // a certificate carried and a checkpoint stable in one run
  kCertTimed,              // a certificate carried in timed mode
  kCertN7,                 // a certificate carried at n = 7
  kPreparedAtViewChange,   // a view change started with 2f matching PREPAREs but < 2f+1 COMMITs delivered
  kPartialCommitThenNewView,  // some but not all honest replicas committed a seq, then a new view
  kMilestones
};
constexpr int kCounterMilestones = 8;
constexpr const char* kMilestoneNames[kMilestones] = {
    "committed", "checkpoint_stable", "view_change_started", "new_view", "cert_carried",
    "state_installed", "view>=2", "all_executed_after_new_view", "cert_and_checkpoint", "cert_timed",
    "cert_n7", "prepared_at_view_change", "partial_commit_then_new_view"};

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Matching votes relative to a quorum q: below q-1, exactly one short, exactly q, more.
std::uint32_t vote_class(std::uint32_t votes, std::uint32_t q) {
  if (votes + 1 < q) return 0;
  if (votes + 1 == q) return 1;
  return votes == q ? 2 : 3;
}
}  // namespace

Guidance& Guidance::get() {
  static Guidance g;
  return g;
}

Guidance::Guidance() {
  const model::FuzzKnobs& k = knobs();
  level_ = k.guidance;
  report_milestones_ = k.milestones;
  stop_at_ = k.stop_at;
  if (!stop_at_.empty() && std::none_of(std::begin(kMilestoneNames), std::end(kMilestoneNames),
                                        [&](const char* name) { return stop_at_ == name; })) {
    std::string names;
    for (const char* name : kMilestoneNames) names += std::string(names.empty() ? "" : ", ") + name;
    std::fprintf(stderr, "PBFTSIM_FUZZ_STOP_AT=%s: must be a milestone: %s\n", stop_at_.c_str(), names.c_str());
    std::exit(2);
  }
  start_ = now_s();
}

void Guidance::bump(std::size_t index, std::uint64_t by) { bump_counter(index, by); }

model::TraceSink* Guidance::begin(const model::Scenario& s, std::uint32_t context) {
  ++executions_;
  if (level_ < 2 && !report_milestones_) return nullptr;
  scenario_ = &s;
  context_ = context;
  n_ = std::min<std::uint32_t>(s.config.n, 8);
  f_ = s.config.f;
  honest_ = 0;
  for (std::uint32_t r = 0; r < n_; ++r)
    if (!s.is_faulty(r)) honest_ |= std::uint64_t{1} << r;
  new_view_seen_ = false;
  prepared_at_view_change_ = false;
  partial_at_new_view_ = false;
  std::memset(static_cast<void*>(slots_), 0, sizeof slots_);
  std::memset(static_cast<void*>(decided_), 0, sizeof decided_);
  return this;
}

void Guidance::on_event(const model::TraceEvent& e) {
  using model::EventType;
  switch (e.type) {
    case EventType::deliver: {
      if (e.kind != pbft::MessageKind::prepare && e.kind != pbft::MessageKind::commit) return;
      if (e.to >= n_ || e.from >= n_ || !((honest_ >> e.to) & 1)) return;
      Slot& s = slots_[e.to][e.seq % kSlots];
      if (s.view != e.view || s.seq != e.seq) s = Slot{e.view, e.seq, {}, {}, {}};
      int i = s.digest[0] == e.digest || s.digest[0] == pbft::kNoDigest ? 0
              : s.digest[1] == e.digest || s.digest[1] == pbft::kNoDigest ? 1 : -1;
      if (i < 0) return;
      s.digest[i] = e.digest;
      (e.kind == pbft::MessageKind::prepare ? s.prepares[i] : s.commits[i]) |= std::uint64_t{1} << e.from;
      return;
    }
    case EventType::view_change:
      if (e.from < n_) boundary_at_view_change(e.from, e.view);
      return;
    case EventType::new_view:
      if (!new_view_seen_) {
        // Decisions the first new view had to preserve: committed by some
        // honest replicas but not yet by all.
        const auto honest = static_cast<std::uint32_t>(std::popcount(honest_));
        for (const Decided& d : decided_)
          partial_at_new_view_ |= d.seq != 0 && static_cast<std::uint32_t>(std::popcount(d.replicas)) < honest;
      }
      new_view_seen_ = true;
      return;
    case EventType::commit: {
      if (e.from >= n_) return;
      Decided& d = decided_[e.seq % kDecided];
      if (d.seq != e.seq) d = Decided{e.seq, 0, new_view_seen_};
      d.replicas |= std::uint64_t{1} << e.from;
      return;
    }
    default: return;
  }
}

void Guidance::boundary_at_view_change(std::uint32_t replica, pbft::View target) {
  // The fullest slot of the view being left: how close it was to prepared
  // (2f matching PREPAREs) and committed (2f+1 matching COMMITs).
  std::uint32_t best_p = 0, best_c = 0;
  bool conflict = false, conflict_quorum = false;
  for (const Slot& s : slots_[replica]) {
    if (s.seq == 0 || s.view + 1 != target) continue;
    for (int i = 0; i < 2; ++i) {
      best_p = std::max<std::uint32_t>(best_p, std::popcount(s.prepares[i]));
      best_c = std::max<std::uint32_t>(best_c, std::popcount(s.commits[i]));
    }
    if (s.digest[1] != pbft::kNoDigest) {
      conflict = true;
      conflict_quorum |= static_cast<std::uint32_t>(std::popcount(s.prepares[0])) >= 2 * f_ ||
                         static_cast<std::uint32_t>(std::popcount(s.prepares[1])) >= 2 * f_;
    }
  }
  prepared_at_view_change_ |= best_p >= 2 * f_ && best_c < 2 * f_ + 1;
  if (level_ < 2) return;
  bump(kBoundaryBase + context_ * 16 + vote_class(best_p, 2 * f_) * 4 + vote_class(best_c, 2 * f_ + 1));
  if (conflict) bump(kConflictBase + context_ * 4 + conflict_quorum);
  if (target >= 2) bump(kConflictBase + context_ * 4 + 2 + conflict);
}

void Guidance::finish(const model::Scenario& s, const model::RunResult& r) {
  const auto& c = r.coverage;
  const bool sink = level_ >= 2 || report_milestones_;
  const std::uint32_t honest = static_cast<std::uint32_t>(std::popcount(honest_));
  const bool partial_commit = sink && partial_at_new_view_;
  const bool cert = c.certs_carried > 0;
  const bool reached[kMilestones] = {
      c.committed > 0,      c.checkpoints_stable > 0, c.view_changes_started > 0, c.new_views > 0,
      cert,                 c.states_installed > 0,   r.stats.max_view >= 2,
      r.all_executed && c.new_views > 0,
      cert && c.checkpoints_stable > 0, cert && (context_ & 1), cert && context_ >= 2,
      sink && prepared_at_view_change_, partial_commit,
  };
  if (report_milestones_) {
    for (int m = 0; m < kMilestones; ++m) {
      if (!reached[m] || ((reached_ >> m) & 1)) continue;
      reached_ |= 1u << m;
      std::fprintf(stderr, "==pbftsim== milestone %s at execution %llu after %.2f s\n", kMilestoneNames[m],
                   static_cast<unsigned long long>(executions_), now_s() - start_);
      if (stop_at_ == kMilestoneNames[m]) std::_Exit(0);  // a measurement is over
    }
  }
  if (level_ < 1) return;
  // Volume metrics (messages, votes, timers) count up to 3 only: larger
  // counts would reward ever longer runs, which cost executions without
  // reaching deeper states. Depth metrics count up to libFuzzer's buckets.
  const std::size_t base = context_ * kMetrics;
  const auto few = [](std::uint64_t v) { return std::min<std::uint64_t>(v, 3); };
  const std::uint64_t metrics[kMetrics] = {
      few(c.prepared), few(c.committed), c.checkpoints_stable, c.view_changes_started, c.new_views,
      c.certs_carried, c.states_installed, few(c.rejections), r.stats.max_view, few(r.stats.accepted),
      few(r.stats.blocked_forgeries), r.all_executed, few(r.stats.dropped), few(r.stats.timers_fired),
      few(r.stats.duplicated), r.violation.has_value(),
  };
  for (std::size_t i = 0; i < kMetrics; ++i)
    if (metrics[i]) bump(base + i, metrics[i]);
  for (const auto& fault : s.faults)
    for (int m = 0; m < kCounterMilestones; ++m)
      if (reached[m]) bump(kStrategyBase + static_cast<std::size_t>(fault.strategy) * 8 + m);
  for (int a = 0; a < kCounterMilestones; ++a)
    for (int b = a + 1; b < kCounterMilestones; ++b)
      if (reached[a] && reached[b]) bump(kPairBase + a * 8 + b);
  if (level_ < 2) return;
  if (partial_commit) bump(kPartialBase + context_);
  // How many honest replicas committed each sequence number.
  for (const Decided& d : decided_) {
    if (d.seq == 0) continue;
    const auto k = static_cast<std::uint32_t>(std::popcount(d.replicas));
    const std::uint32_t cls = k >= honest ? 4 : k >= 2 * f_ + 1 ? 3 : k >= f_ + 1 ? 2 : k >= 1 ? 1 : 0;
    // No view change in the run; one after the first commit (the decision
    // had to survive it); the first commit came in a new view.
    const std::uint32_t vc = d.after_new_view ? 2 : new_view_seen_ ? 1 : 0;
    bump(kDecidedBase + context_ * 15 + cls * 3 + vc);
  }
}

}  // namespace fuzz
