// Tightness: the harness finds what must be findable. f+1 colluding `split`
// replicas break agreement; without authentication one forger suffices; and
// bugs switched on from the catalog (pbft::Mutation) are caught.
#include <gtest/gtest.h>

#include <string>

#include "helpers.h"

namespace model {
namespace {

using testing::first_violating;
using testing::small_scenario;
using testing::split_pair;

TEST(Tightness, SplitWithFPlusOneBreaksAgreementTimed) {
  const auto found = first_violating(split_pair(NetworkMode::timed), 200,
                                     {ViolationKind::agreement, ViolationKind::client_consistency});
  ASSERT_TRUE(found) << "no agreement/client-consistency violation in 200 seeds (timed)";
  EXPECT_FALSE(found->violation().description.empty());
}

TEST(Tightness, SplitWithFPlusOneBreaksAgreementAsync) {
  const auto found = first_violating(split_pair(NetworkMode::async), 200,
                                     {ViolationKind::agreement, ViolationKind::client_consistency});
  ASSERT_TRUE(found) << "no agreement/client-consistency violation in 200 seeds (async)";
  EXPECT_FALSE(found->violation().description.empty());
}

TEST(Tightness, SplitFaultsAreTheHonestOnesThatDisagree) {
  // The replicas the checker names are honest ones (2 and 3), never the colluders.
  const auto found = first_violating(split_pair(NetworkMode::async), 200, {ViolationKind::agreement});
  ASSERT_TRUE(found);
  const Violation& v = found->violation();
  EXPECT_TRUE(v.replica == 2 || v.replica == 3) << "replica " << v.replica << ": " << v.description;
  EXPECT_NE(v.seq, 0u);
}

TEST(Tightness, OneForgerWithoutAuthBreaksAgreement) {
  for (NetworkMode mode : {NetworkMode::async, NetworkMode::timed}) {
    Scenario s = small_scenario(4, mode, {{0, StrategyKind::split}}, 3);
    s.auth = false;
    const auto found = first_violating(s, 200, {ViolationKind::agreement});
    EXPECT_TRUE(found) << "auth off, one split forger: no agreement violation in 200 seeds ("
                       << (mode == NetworkMode::timed ? "timed" : "async") << ")";
  }
}

TEST(Tightness, OneSplitReplicaWithAuthIsHarmless) {
  // The same strategy with auth on is blocked at the boundary: m = f is safe.
  Scenario s = small_scenario(4, NetworkMode::async, {{0, StrategyKind::split}}, 3);
  EXPECT_FALSE(first_violating(s, 40,
                               {ViolationKind::agreement, ViolationKind::client_consistency, ViolationKind::validity,
                                ViolationKind::integrity, ViolationKind::local_sanity}));
}

struct MutationCase {
  const char* name;
  pbft::Mutation mutation;
  StrategyKind strategy;
  pbft::ReplicaId faulty;
  NetworkMode mode;
  std::uint32_t requests;
  std::uint64_t limit;
};

class MutationFound : public ::testing::TestWithParam<MutationCase> {};

TEST_P(MutationFound, WithinAFewHundredSeeds) {
  const MutationCase c = GetParam();
  Scenario s = small_scenario(4, c.mode, {{c.faulty, c.strategy}}, c.requests);
  s.config.mutation = c.mutation;
  const auto found = first_violating(s, c.limit,
                                     {ViolationKind::agreement, ViolationKind::validity, ViolationKind::integrity,
                                      ViolationKind::client_consistency, ViolationKind::local_sanity});
  ASSERT_TRUE(found) << pbft::mutation_name(c.mutation) << " with " << strategy_name(c.strategy) << " at replica "
                     << c.faulty << " not detected within " << c.limit << " seeds";
  // And the correct protocol, same scenario, same seed, is safe.
  s.config.mutation = pbft::Mutation::none;
  const RunResult r = testing::run_seed(s, found->seed);
  EXPECT_FALSE(r.violation) << "the unmutated protocol fails too: " << testing::describe(r);
}

// One faulty replica (m = f) and a bug from the catalog. Only mutations the
// current strategies catch reliably are listed; see the report for the rest.
const MutationCase kMutations[] = {
    {"prepare_quorum_short_timed", pbft::Mutation::prepare_quorum_short, StrategyKind::equivocate, 0,
     NetworkMode::timed, 3, 200},
    {"prepare_quorum_short_async", pbft::Mutation::prepare_quorum_short, StrategyKind::equivocate, 0,
     NetworkMode::async, 3, 200},
    // Rare (first found at seed ~350): a commit quorum of 2f needs a view change
    // that loses the short-committed request.
    {"commit_quorum_short_async", pbft::Mutation::commit_quorum_short, StrategyKind::random, 1, NetworkMode::async,
     6, 1000},
    {"viewchange_drops_certs_async", pbft::Mutation::viewchange_drops_certs, StrategyKind::silent, 1,
     NetworkMode::async, 3, 200},
    {"accept_second_preprepare_timed", pbft::Mutation::accept_second_preprepare, StrategyKind::twins, 0,
     NetworkMode::timed, 3, 200},
    {"execute_before_commit_async", pbft::Mutation::execute_before_commit, StrategyKind::equivocate, 0,
     NetworkMode::async, 3, 300},
};

INSTANTIATE_TEST_SUITE_P(Model, MutationFound, ::testing::ValuesIn(kMutations),
                         [](const auto& pinfo) { return std::string(pinfo.param.name); });

}  // namespace
}  // namespace model
