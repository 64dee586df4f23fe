#include "properties/catalog_search.h"

#include <mutex>

#include "model/trace.h"
#include "model/scenario_space.h"
#include "model/search.h"
#include "properties/case.h"

namespace props {

using model::NetworkMode;
using model::Scenario;

namespace {

enum class World : std::uint8_t { async, timed, timed_liveness };

// One world of the grid: n, the network, the bug, and faulty replicas at
// fixed positions with one strategy; nothing is left to draw.
model::ScenarioSpace world(std::uint32_t n, World w, pbft::Mutation m, model::StrategyKind k,
                           const std::vector<pbft::ReplicaId>& where) {
  model::ScenarioSpace s;
  s.sizes = {n};
  for (auto r : where) s.fixed_faults.push_back({r, k});
  s.mutation = m;
  s.modes = {w == World::async ? NetworkMode::async : NetworkMode::timed};
  s.max_steps = 4'000;
  s.requests = {3};
  s.horizon_us = model::space::kSafetyHorizonUs;
  if (w == World::timed_liveness) {
    // Some drops before GST (retransmitted), then the bound.
    s.drop = {0.05};
    s.gst_us = {500'000};
    s.liveness = true;
    s.liveness_bound_us = 5'000'000;
    s.liveness_horizon_after_gst_us = 11'500'000;
  }
  return s;
}

}  // namespace

std::vector<Scenario> catalog_worlds(pbft::Mutation m) {
  std::vector<Scenario> out;
  for (World w : {World::async, World::timed, World::timed_liveness}) {
    for (std::uint32_t n : {4u, 7u}) {
      // Faulty positions: one replica (the primary, the next primary, the
      // last backup, and at n = 4 every replica); at n = 7 also two (f = 2).
      std::vector<std::vector<pbft::ReplicaId>> positions;
      if (n == 4) positions = {{0}, {1}, {2}, {3}};
      else positions = {{0}, {1}, {6}, {0, 1}, {0, 6}};
      for (auto k : model::kAllStrategies)
        for (const auto& where : positions) out.push_back(model::draw(world(n, w, m, k, where), [](std::uint32_t) {
          return 0u;  // a fixed world: no knob has a choice
        }));
    }
  }
  return out;
}

namespace {

// Schedule i is seed i / W of world i mod W (W worlds): seed r of every
// world before seed r+1 of any. A violation counts only when the same case
// on the unmutated protocol is clean; the others are tallied.
class CatalogSpace final : public model::ScheduleSpace {
 public:
  explicit CatalogSpace(pbft::Mutation m) : worlds_(catalog_worlds(m)) {}

  std::uint64_t seed(std::uint64_t i) const { return (i / worlds_.size()) * 1'000'003ULL + i % worlds_.size() + 1; }
  Scenario scenario(std::uint64_t i) const override { return worlds_[i % worlds_.size()]; }
  model::Tape tape(std::uint64_t i) const override { return model::Tape::from_seed(seed(i)); }

  bool counts(std::uint64_t i, const model::RunResult&) const override {
    Scenario clean = scenario(i);
    clean.config.mutation = pbft::Mutation::none;
    model::Tape again = tape(i);
    const model::RunResult c = model::run_scenario(clean, again);
    if (!c.violation) return true;
    const std::lock_guard lock(mutex_);
    if (unmutated_failures_++ == 0)
      first_unmutated_failure_ = summary(clean, 0) + " seed " + std::to_string(seed(i)) + ": " + c.violation->description;
    return false;
  }

  std::uint64_t unmutated_failures() const { return unmutated_failures_; }
  const std::string& first_unmutated_failure() const { return first_unmutated_failure_; }

 private:
  std::vector<Scenario> worlds_;
  mutable std::mutex mutex_;
  mutable std::uint64_t unmutated_failures_ = 0;
  mutable std::string first_unmutated_failure_;
};

}  // namespace

CatalogSearch search_mutation(pbft::Mutation m, const CatalogBudget& budget) {
  const CatalogSpace space(m);
  model::SearchProgress progress;
  // One thread: the tally of unmutated failures then covers exactly the
  // cases up to the hit (ctest runs the entries side by side anyway).
  const model::SearchOutcome o =
      model::search(space, {.schedules = budget.max_cases, .time_limit_s = budget.max_seconds, .threads = 1}, progress);
  CatalogSearch out;
  out.cases = o.schedules;
  out.seconds = o.seconds;
  out.unmutated_failures = space.unmutated_failures();
  out.first_unmutated_failure = space.first_unmutated_failure();
  if (o.violation) {
    model::Tape rec = space.tape(*o.violation);
    auto recorded = model::run_recorded(space.scenario(*o.violation), rec);
    out.hit = CatalogHit{space.scenario(*o.violation), std::move(recorded.tape), std::move(recorded.result),
                         space.seed(*o.violation)};
  }
  return out;
}

}  // namespace props
