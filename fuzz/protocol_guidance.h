#pragma once
// Protocol-state guidance for libFuzzer. Besides code coverage, libFuzzer
// treats every non-zero byte of the "__libfuzzer_extra_counters" section as
// a feature (bucketed by value: 1, 2, 3, 4-7, 8-15, ...), so an input that
// reaches a new protocol depth is kept even when it runs no new branch.
//
// Two sources, both inside fuzz/ (the model is not changed):
//  - RunResult::coverage and stats (level >= 1): prepared, committed,
//    checkpoints made stable, view changes started and entered, prepared
//    certificates carried into a new view, states installed, rejections,
//    highest view; per network/size context, per Byzantine strategy, and
//    pairs of milestones reached in one run.
//  - A TraceSink watching deliveries (level 2): quorum-boundary vote counts
//    (an honest replica's matching PREPAREs/COMMITs for a slot, relative to
//    2f and 2f+1, at the moment it starts a view change), conflicting votes
//    for one slot, and how many honest replicas committed each sequence
//    number (none, up to f, f+1..2f, a quorum, all) with or without a view
//    change in the run.
//
// PBFTSIM_FUZZ_GUIDANCE=0|1|2 (default 2) picks the level, for measuring
// what it buys. PBFTSIM_FUZZ_MILESTONES=1 prints, once each, the execution
// count and time at which an input first reached each milestone;
// PBFTSIM_FUZZ_STOP_AT=<milestone> also exits (status 0) when that one is
// reached (committed, checkpoint_stable, view_change_started, new_view,
// cert_carried, state_installed, view>=2, all_executed_after_new_view,
// cert_and_checkpoint, cert_timed, cert_n7, prepared_at_view_change,
// partial_commit_then_new_view). Milestones need the sink, so reporting them
// runs it at every level (the counters still follow the level).
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/simulator.h"
#include "model/trace_event.h"

namespace fuzz {

class Guidance final : public model::TraceSink {
 public:
  static Guidance& get();

  int level() const { return level_; }
  // The sink to pass to Simulator::run (nullptr below level 2); resets it.
  model::TraceSink* begin(const model::Scenario& s, std::uint32_t context);
  // Sets the extra counters from a finished run and reports milestones.
  void finish(const model::Scenario& s, const model::RunResult& r);

  void on_event(const model::TraceEvent& e) override;

 private:
  Guidance();
  void bump(std::size_t index, std::uint64_t by = 1);
  void boundary_at_view_change(std::uint32_t replica, pbft::View view);
  void milestone(int which);

  int level_ = 2;
  bool report_milestones_ = false;
  std::string stop_at_;  // PBFTSIM_FUZZ_STOP_AT: exit once this milestone is reached
  std::uint64_t executions_ = 0;
  double start_ = 0;
  std::uint32_t reached_ = 0;  // milestone bits already reported

  // Per run (level 2).
  const model::Scenario* scenario_ = nullptr;
  std::uint32_t context_ = 0;
  std::uint32_t f_ = 0, n_ = 0;
  std::uint64_t honest_ = 0;  // bitmask
  bool new_view_seen_ = false;
  bool prepared_at_view_change_ = false;
  bool partial_at_new_view_ = false;
  struct Slot {
    pbft::View view = 0;
    pbft::Seq seq = 0;  // 0: empty
    pbft::Digest digest[2] = {};
    std::uint64_t prepares[2] = {}, commits[2] = {};  // sender bitmasks per digest
  };
  static constexpr std::size_t kSlots = 16;
  Slot slots_[8][kSlots];  // [replica][seq % kSlots], n <= 7 watched
  struct Decided {
    pbft::Seq seq = 0;
    std::uint64_t replicas = 0;
    bool after_new_view = false;
  };
  static constexpr std::size_t kDecided = 64;
  Decided decided_[kDecided];
};

}  // namespace fuzz
