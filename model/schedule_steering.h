#pragma once
// Async runs told which item comes next by what it is, not by a pick: the
// schedule minimizer (model/minimizer.cpp) deletes deliveries this way. On
// the tape, a pick of 0 delivers the oldest message, so a tape can leave a
// delivery out only by renumbering every later pick; a schedule of item
// names can simply drop it. The simulator names each waiting item by its
// content (model/simulator.h).
#include <cstdint>
#include <functional>
#include <vector>

#include "model/network.h"

namespace model {

// One step of an async run: the item handled, by name, and the tape picks
// [first_pick, end_pick) that chose it (the rest of the tape is other
// choices: faulty replicas', clients').
struct ScheduleStep {
  std::uint64_t item = 0;
  std::uint64_t first_pick = 0, end_pick = 0;
};
using Schedule = std::vector<ScheduleStep>;

class ScheduleSteering final : public Steering {
 public:
  // `name` names a waiting item by its slab index.
  explicit ScheduleSteering(std::function<std::uint64_t(std::uint32_t)> name) : name_(std::move(name)) {}

  // With a script, each step handles the oldest waiting item named by the
  // script's next entry; entries that name nothing waiting are skipped, and
  // the run ends with the script. Without one, the tape chooses. Either way
  // every step is logged.
  void follow(const std::vector<std::uint64_t>* script, Schedule* log) {
    script_ = script;
    log_ = log;
  }
  void restart() {
    position_ = 0;
    if (log_) log_->clear();
  }

  Choice choose(std::span<const std::uint32_t> messages, std::span<const std::uint32_t> timers) override;
  void chose(std::uint32_t index, std::uint64_t first_pick, std::uint64_t end_pick) override;

 private:
  std::function<std::uint64_t(std::uint32_t)> name_;
  const std::vector<std::uint64_t>* script_ = nullptr;
  Schedule* log_ = nullptr;
  std::size_t position_ = 0;
};

// The picks of a recorded tape that are not the schedule's: what a steered
// run of that schedule takes as its tape.
std::vector<std::uint32_t> other_choices(const std::vector<std::uint32_t>& recorded, const Schedule& schedule);

}  // namespace model
