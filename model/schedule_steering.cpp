#include "model/schedule_steering.h"

namespace model {

Steering::Choice ScheduleSteering::choose(std::span<const std::uint32_t> messages,
                                          std::span<const std::uint32_t> timers) {
  if (!script_) return {};
  const auto find = [&](std::span<const std::uint32_t> waiting, std::uint64_t wanted) -> std::optional<std::uint32_t> {
    for (std::uint32_t i = 0; i < waiting.size(); ++i)  // oldest first
      if (name_(waiting[i]) == wanted) return i;
    return std::nullopt;
  };
  while (position_ < script_->size()) {
    const std::uint64_t wanted = (*script_)[position_++];
    if (auto i = find(messages, wanted)) return {.from = Choice::From::messages, .position = *i};
    if (auto i = find(timers, wanted)) return {.from = Choice::From::timers, .position = *i};
  }
  return {.from = Choice::From::nothing};
}

void ScheduleSteering::chose(std::uint32_t index, std::uint64_t first_pick, std::uint64_t end_pick) {
  if (log_) log_->push_back({.item = name_(index), .first_pick = first_pick, .end_pick = end_pick});
}

std::vector<std::uint32_t> other_choices(const std::vector<std::uint32_t>& recorded, const Schedule& schedule) {
  std::vector<std::uint32_t> other;
  std::uint64_t next = 0;
  const auto keep_until = [&](std::uint64_t end) {
    for (; next < end && next < recorded.size(); ++next) other.push_back(recorded[next]);
  };
  for (const ScheduleStep& step : schedule) {
    keep_until(step.first_pick);
    next = step.end_pick;
  }
  keep_until(recorded.size());
  return other;
}

}  // namespace model
