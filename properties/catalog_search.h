#pragma once
// The bug-catalog search: for one pbft::Mutation, run seeded cases over a
// grid of worlds (n = 4 and 7, every strategy, several faulty positions,
// malicious <= f, async / timed / timed with liveness) round-robin — seed r
// of every world before seed r+1 of any — until a case shows a violation
// with the mutation on AND none with it off (the same scenario and tape), or
// the case or time budget runs out.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "model/simulator.h"

namespace props {

struct CatalogBudget {
  std::uint64_t max_cases = 20'000;
  double max_seconds = 30;
};

struct CatalogHit {
  model::Scenario scenario;           // with the mutation on
  std::vector<std::uint32_t> tape;    // recorded picks
  model::RunResult result;            // with the mutation
  std::uint64_t seed = 0;
};

struct CatalogSearch {
  std::optional<CatalogHit> hit;
  std::uint64_t cases = 0;            // runs with the mutation, up to the hit
  double seconds = 0;
  // Cases where the unmutated protocol failed too (m <= f: should be none).
  std::uint64_t unmutated_failures = 0;
  std::string first_unmutated_failure;
};

// The worlds searched, in order; the mutation is set on each.
std::vector<model::Scenario> catalog_worlds(pbft::Mutation m);

CatalogSearch search_mutation(pbft::Mutation m, const CatalogBudget& budget);

}  // namespace props
