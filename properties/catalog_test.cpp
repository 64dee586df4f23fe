// The bug catalog (ctest label `catalog`): for every pbft::Mutation but
// `none`, a seeded search (catalog_search.h) must find a case with
// malicious <= f that violates a property with the mutation on and is clean
// with it off. The counterexample is minimized (model::minimize), checked
// again both ways, and its trace written under the build tree. Only
// PBFTSIM_UPDATE_REGRESSIONS=1 stores it in corpus/regressions/ (a test run
// never writes into the source tree), where replay_regressions.cpp replays
// it on every run; CatalogRegressions checks every reachable entry has one.
//
// Entries today's strategies cannot reach are skipped with the reason —
// the search still runs, so an entry starts passing as soon as a strategy
// finds it.
#include <gtest/gtest.h>

#include <chrono>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include <fmt/format.h>

#include "model/minimizer.h"
#include "model/trace.h"
#include "properties/case.h"
#include "properties/catalog_search.h"
#include "properties/run.h"
#include "properties/test_knobs.h"

namespace props {
namespace {

namespace fs = std::filesystem;

// Why an entry may stay out of reach, naming the strategy it would take.
// Every other entry must be found within the case budget. (The search found
// prepare-ignores-digest — as a liveness violation only —,
// skip-newview-validation and trust-claimed-sender with today's strategies.)
const std::map<pbft::Mutation, const char*> kHard = {
    {pbft::Mutation::checkpoint_stable_f1,
     "with malicious <= f, f+1 matching CHECKPOINTs always include an honest replica's, and an honest "
     "replica checkpoints only state it executed (committed), so a checkpoint stable with f+1 votes is still "
     "correct; a bogus one needs f+1 colluders sending CHECKPOINTs with a wrong state digest (a "
     "checkpoint-forging strategy at m = f+1, where the correct 2f+1 quorum still holds)"},
    {pbft::Mutation::commit_quorum_short,
     "rare: a commit quorum of 2f needs a view change that loses a request committed by 2f votes "
     "(about 1 case in 80,000 with today's strategies)"},
};

std::string corpus_dir() { return PBFTSIM_CORPUS_DIR; }

bool has_regression(const std::string& name) {
  std::error_code ec;
  if (!fs::is_directory(corpus_dir(), ec)) return false;
  for (const auto& e : fs::directory_iterator(corpus_dir(), ec)) {
    const std::string f = e.path().filename().string();
    if (f.rfind(name + "-", 0) == 0 && e.path().extension() == ".jsonl") return true;
  }
  return false;
}

CatalogBudget budget() {
  CatalogBudget b;
  // Release runs about 3,000 cases a second; ASan about a fifth of that.
  b.max_cases = 150'000;
  b.max_seconds = kSanitized ? 200 : 120;
  b.max_seconds = test_knobs().catalog_seconds.value_or(b.max_seconds);
  b.max_cases = test_knobs().catalog_cases.value_or(b.max_cases);
  return b;
}

std::string fmt_reason(const std::string& name, const CatalogSearch& found, const CatalogBudget& b) {
  return fmt::format("{}: not found in {} cases ({:.1f} s; budget {} cases / {:.0f} s)", name, found.cases,
                     found.seconds, b.max_cases, b.max_seconds);
}

// "prepare-quorum-short" as its ctest is named (catalog.prepare_quorum_short).
std::string testing_name(std::string name) {
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

std::string fmt_hash8(std::uint64_t h) { return fmt::format("{:08x}", h >> 32); }

class Catalog : public ::testing::TestWithParam<pbft::Mutation> {};

TEST_P(Catalog, FoundWithMaliciousAtMostF) {
  const pbft::Mutation m = GetParam();
  const std::string name(pbft::mutation_name(m));
  const CatalogBudget b = budget();
  const CatalogSearch found = search_mutation(m, b);
  // Violations of the correct protocol with m <= f are bugs in the replica
  // or the harness, whatever the mutation.
  EXPECT_EQ(found.unmutated_failures, 0u) << "the correct protocol fails too: " << found.first_unmutated_failure;
  if (!found.hit) {
    const auto hard = kHard.find(m);
    const std::string why = fmt_reason(name, found, b);
    if (hard != kHard.end()) GTEST_SKIP() << why << " — " << hard->second;
    // Out of time counts as not found: a skipped entry would leave CI green
    // with no evidence that the checks see this bug (Release needs < 20 s).
    FAIL() << why;
  }
  const CatalogHit& hit = *found.hit;
  std::printf("%s: found after %llu cases (%.2f s), seed %llu: %s\n  %s\n", name.c_str(),
              static_cast<unsigned long long>(found.cases), found.seconds,
              static_cast<unsigned long long>(hit.seed), summary(hit.scenario, hit.tape.size()).c_str(),
              hit.result.violation->description.c_str());

  const auto started = std::chrono::steady_clock::now();
  const auto min = model::minimize(hit.scenario, hit.tape, kSanitized ? 5'000 : 100'000);
  const double minimize_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(min) << "the hit does not reproduce from its recorded tape";
  ASSERT_TRUE(min->result.violation);
  EXPECT_EQ(min->result.violation->kind, hit.result.violation->kind);
  EXPECT_FALSE(min->capped && !kSanitized) << "the minimizer stopped at its run cap (" << min->runs << " runs)";
  EXPECT_EQ(model::one_minimality_gap(min->scenario, min->tape), "") << "the minimized tape is not 1-minimal";
  // A story a person reads: at most 150 deliveries (the sanitized build's
  // lower run cap may stop short of that).
  EXPECT_TRUE(min->result.stats.delivered <= 150 || kSanitized)
      << "the minimized counterexample has " << min->result.stats.delivered << " deliveries";
  // The minimized case is clean without the mutation.
  model::Scenario clean = min->scenario;
  clean.config.mutation = pbft::Mutation::none;
  model::Tape t = model::Tape::from_values(min->tape);
  const model::RunResult unmutated = model::run_scenario(clean, t);
  EXPECT_FALSE(unmutated.violation) << "minimized case fails without the mutation: "
                                    << unmutated.violation->description;

  // Its trace: under the build directory always, in the corpus when new.
  const std::string path = write_case_trace(Case{min->scenario, min->tape}, "catalog-" + name);
  ASSERT_EQ(path.rfind("error: ", 0), std::string::npos) << path;
  const model::Trace trace = model::read_trace(path);
  std::printf("  minimized in %llu runs (%.2f s): %s, tape %zu, %llu deliveries, %llu events, %s\n  trace %s\n",
              static_cast<unsigned long long>(min->runs), minimize_seconds,
              std::string(model::violation_name(*trace.verdict)).c_str(), min->tape.size(),
              static_cast<unsigned long long>(min->result.stats.delivered), static_cast<unsigned long long>(trace.events()),
              summary(min->scenario, min->tape.size()).c_str(), path.c_str());
  if (!test_knobs().update_regressions) {
    if (!has_regression(name))
      std::printf("  no regression stored for %s: PBFTSIM_UPDATE_REGRESSIONS=1 ctest -R catalog.%s stores one\n",
                  name.c_str(), testing_name(name).c_str());
  } else {
    fs::create_directories(corpus_dir());
    const std::string dest =
        (fs::path(corpus_dir()) / (name + "-" + fmt_hash8(trace.event_hash) + ".jsonl")).string();
    model::RunResult written;
    ASSERT_NO_THROW(model::write_trace(dest, min->scenario, min->tape, &written));
    EXPECT_EQ(written.event_hash, trace.event_hash);
    std::printf("  stored %s\n", dest.c_str());
  }
}

// The catalog's evidence is in the corpus: every entry the search must find
// has a stored counterexample (which Regressions.* replays), so a new entry
// cannot pass CI unrecorded.
TEST(CatalogRegressions, EveryReachableEntryHasAStoredCounterexample) {
  for (const auto& info : pbft::all_mutations()) {
    if (info.mutation == pbft::Mutation::none || kHard.contains(info.mutation)) continue;
    const std::string name(info.name);
    EXPECT_TRUE(has_regression(name)) << "no " << name << "-*.jsonl in " << corpus_dir()
                                      << ": PBFTSIM_UPDATE_REGRESSIONS=1 ctest -R catalog." << testing_name(name)
                                      << " stores one";
  }
}

std::vector<pbft::Mutation> catalog_entries() {
  std::vector<pbft::Mutation> out;
  for (const auto& info : pbft::all_mutations())
    if (info.mutation != pbft::Mutation::none) out.push_back(info.mutation);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Entries, Catalog, ::testing::ValuesIn(catalog_entries()), [](const auto& p) {
  std::string name(pbft::mutation_name(p.param));
  for (char& ch : name)
    if (ch == '-') ch = '_';
  return name;
});

}  // namespace
}  // namespace props
