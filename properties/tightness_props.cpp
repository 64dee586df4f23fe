// Tightness: the checks are not blind. Beyond the fault assumption the
// harness must FIND a counterexample: f+1 colluding `split` replicas break
// agreement, and so does a single `split` forger when authentication is off.
// Each test searches generated cases (RapidCheck, fixed seed) within a
// budget and passes only when a violation is found; the counterexample is
// minimized and its trace written under the build directory.
#include <gtest/gtest.h>

#include <chrono>

#include <fmt/format.h>

#include "model/minimizer.h"
#include "model/trace.h"
#include "properties/gen_scenario.h"
#include "properties/rc_search.h"
#include "properties/run.h"

namespace props {
namespace {

bool breaks_agreement(const Case&, const model::RunResult& r) {
  return r.violation && r.violation->kind == model::ViolationKind::agreement;
}

void expect_found(const GenOptions& o, const std::string& tag, int budget) {
  const auto start = std::chrono::steady_clock::now();
  const auto found = rc_find(gen_case(o), breaks_agreement, budget, false);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(found) << tag << ": no agreement violation in " << budget << " generated cases";
  std::printf("%s: agreement broken after %d cases (%.2f s): %s\n  %s\n", tag.c_str(), found->cases, seconds,
              summary(found->c.scenario, found->c.tape.size()).c_str(), found->result.violation->description.c_str());
  const auto min = model::minimize(found->c.scenario, found->c.tape, kSanitized ? 1'000 : 5'000);
  ASSERT_TRUE(min);
  EXPECT_EQ(min->result.violation->kind, model::ViolationKind::agreement);
  const std::string path = write_case_trace(Case{min->scenario, min->tape}, tag);
  ASSERT_EQ(path.rfind("error: ", 0), std::string::npos) << path;
  const model::Trace t = model::read_trace(path);
  EXPECT_EQ(model::replay(t).event_hash, t.event_hash);
  std::printf("  minimized in %llu runs: tape %zu, %llu events, trace %s\n",
              static_cast<unsigned long long>(min->runs), min->tape.size(),
              static_cast<unsigned long long>(t.events()), path.c_str());
}

const char* mode_name(model::NetworkMode m) { return m == model::NetworkMode::async ? "async" : "timed"; }

// `split` faulty replicas with the given malice, for every n and both
// modes: each search must find an agreement violation.
void expect_split_breaks_agreement(Malice malice, bool auth, const char* label) {
  for (std::uint32_t n : {4u, 5u, 7u, 10u}) {
    for (auto mode : {model::NetworkMode::async, model::NetworkMode::timed}) {
      GenOptions o;
      o.sizes = {n};
      o.mode = mode;
      o.malice = malice;
      o.strategy = model::StrategyKind::split;
      o.auth = auth;
      expect_found(o, fmt::format("tightness-{}-n{}-{}", label, n, mode_name(mode)), 300);
    }
  }
}

// At n = 3f+1 that is f+1 colluders; at n = 5 (quorums of 4) two quorums
// overlap in 3 replicas, so it takes 3.
TEST(Tightness, FPlusOneColludingSplitBreaksAgreement) {
  expect_split_breaks_agreement(Malice::f_plus_one, true, "split-f+1");
}

TEST(Tightness, OneForgerWithoutAuthenticationBreaksAgreement) {
  expect_split_breaks_agreement(Malice::one, false, "forger");
}

}  // namespace
}  // namespace props
