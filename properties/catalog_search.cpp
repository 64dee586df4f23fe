#include "properties/catalog_search.h"

#include <chrono>

#include "model/trace.h"
#include "model/scenario_space.h"
#include "model/world_pool.h"
#include "properties/case.h"

namespace props {

using model::NetworkMode;
using model::Scenario;

namespace {

enum class World : std::uint8_t { async, timed, timed_liveness };

Scenario base(std::uint32_t n, World w, pbft::Mutation m) {
  Scenario s;
  s.config = pbft::make_config(n);
  s.config.checkpoint_interval = 2;
  s.config.watermark_window = 4;
  s.config.mutation = m;
  s.network.mode = w == World::async ? NetworkMode::async : NetworkMode::timed;
  s.network.max_steps = 4'000;
  s.workload.clients = 1;
  s.workload.requests_per_client = 3;
  s.horizon_us = model::space::kSafetyHorizonUs;
  if (w == World::timed_liveness) {
    // Some drops before GST (retransmitted), then the bound.
    s.network.drop_probability = 0.05;
    s.network.gst_us = 500'000;
    s.check_liveness = true;
    s.liveness_bound_us = 5'000'000;
    s.horizon_us = 12'000'000;
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
      for (auto k : model::kAllStrategies) {
        for (const auto& where : positions) {
          Scenario s = base(n, w, m);
          for (auto r : where) s.faults.push_back({r, k});
          out.push_back(std::move(s));
        }
      }
    }
  }
  return out;
}

CatalogSearch search_mutation(pbft::Mutation m, const CatalogBudget& budget) {
  CatalogSearch out;
  const auto worlds = catalog_worlds(m);
  // One simulator per world, reused across seeds.
  model::WorldPool pool(worlds.size());
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  for (std::uint64_t round = 0;; ++round) {
    for (std::size_t w = 0; w < worlds.size(); ++w) {
      if (out.cases >= budget.max_cases || (out.cases % 64 == 0 && elapsed() > budget.max_seconds)) {
        out.seconds = elapsed();
        return out;
      }
      const std::uint64_t seed = round * 1'000'003ULL + w + 1;
      model::Tape tape = model::Tape::from_seed(seed);
      const model::RunResult r = pool.get(worlds[w]).run(tape);
      ++out.cases;
      if (!r.violation) continue;
      // The same case on the correct protocol must be clean.
      Scenario clean = worlds[w];
      clean.config.mutation = pbft::Mutation::none;
      model::Tape again = model::Tape::from_seed(seed);
      const model::RunResult c = model::run_scenario(clean, again);
      if (c.violation) {
        if (out.unmutated_failures++ == 0)
          out.first_unmutated_failure =
              summary(clean, 0) + " seed " + std::to_string(seed) + ": " + c.violation->description;
        continue;
      }
      model::Tape rec = model::Tape::from_seed(seed);
      auto recorded = model::run_recorded(worlds[w], rec);
      out.hit = CatalogHit{worlds[w], std::move(recorded.tape), std::move(recorded.result), seed};
      out.seconds = elapsed();
      return out;
    }
  }
}

}  // namespace props
