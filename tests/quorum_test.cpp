// Quorum arithmetic (§4.2–4.4: n = 3f+1, quorums 2f+1, weak certificates f+1,
// prepared = pre-prepare + 2f prepares) and configuration validation.
#include <gtest/gtest.h>

#include <string>

#include "pbft/config.h"

namespace pbft {
namespace {

struct Expected {
  std::uint32_t n, f, quorum, weak, prepare, checkpoint;
  friend void PrintTo(const Expected& e, std::ostream* os) { *os << "n=" << e.n; }
};

// validate(c) refuses c with a message that names the problem.
::testing::AssertionResult refused(const Config& c, const std::string& keyword) {
  const std::string why = validate(c);
  if (why.empty()) return ::testing::AssertionFailure() << "accepted";
  if (why.find(keyword) == std::string::npos)
    return ::testing::AssertionFailure() << "\"" << why << "\" does not mention \"" << keyword << "\"";
  return ::testing::AssertionSuccess() << why;
}

class QuorumTest : public ::testing::TestWithParam<Expected> {};

// §4: f = ⌊(n−1)/3⌋; quorum 2f+1 at n = 3f+1 (⌈(n+f+1)/2⌉ in general), weak
// quorum f+1, quorum−1 prepares besides the pre-prepare, quorum checkpoints.
TEST_P(QuorumTest, SizesFollowThePaper) {
  const Expected e = GetParam();
  const Config c = make_config(e.n);
  EXPECT_EQ(c.n, e.n);
  EXPECT_EQ(c.f, e.f);
  EXPECT_EQ(c.quorum(), e.quorum);
  EXPECT_EQ(c.weak_quorum(), e.weak);
  EXPECT_EQ(c.prepare_quorum(), e.prepare);
  EXPECT_EQ(c.commit_quorum(), e.quorum);
  EXPECT_EQ(c.checkpoint_quorum(), e.checkpoint);
  EXPECT_EQ(validate(c), "");
}

// Any two quorums intersect in at least f+1 replicas, so in an honest one (§4.2).
TEST_P(QuorumTest, TwoQuorumsShareAnHonestReplica) {
  const Config c = make_config(GetParam().n);
  EXPECT_GE(2 * c.quorum(), c.n + c.f + 1);
  EXPECT_LE(c.quorum(), c.n - c.f);  // reachable with f silent replicas
  EXPECT_GT(c.weak_quorum(), c.f);
}

INSTANTIATE_TEST_SUITE_P(Groups, QuorumTest,
                         ::testing::Values(Expected{4, 1, 3, 2, 2, 3}, Expected{7, 2, 5, 3, 4, 5},
                                           Expected{10, 3, 7, 4, 6, 7},
                                           Expected{31, 10, 21, 11, 20, 21},
                                           // n > 3f+1: 2f+1 would not intersect in an honest
                                           // replica (the property suite found n = 5 splitting).
                                           Expected{5, 1, 4, 2, 3, 4}, Expected{6, 1, 4, 2, 3, 4},
                                           Expected{8, 2, 6, 3, 5, 6}),
                         [](const auto& tp) { return std::string("n").append(std::to_string(tp.param.n)); });

TEST(ConfigValidate, PrimaryRotatesRoundRobin) {
  const Config c = make_config(4);
  EXPECT_EQ(c.primary(0), 0u);
  EXPECT_EQ(c.primary(1), 1u);
  EXPECT_EQ(c.primary(5), 1u);
  EXPECT_EQ(c.primary(UINT64_MAX), static_cast<ReplicaId>(UINT64_MAX % 4));
}

TEST(ConfigValidate, RejectsTooFewReplicasForF) {  // n >= 3f+1
  Config c = make_config(4);
  c.f = 2;
  EXPECT_TRUE(refused(c, "3f+1"));
  c = make_config(7);
  c.n = 6;
  EXPECT_TRUE(refused(c, "3f+1"));
  c = make_config(3);  // f = 0 with n = 3 is fine
  EXPECT_EQ(c.f, 0u);
  EXPECT_EQ(validate(c), "");
}

TEST(ConfigValidate, RejectsZeroAndMoreThan64Replicas) {
  EXPECT_TRUE(refused(make_config(0), "at least 1"));
  EXPECT_TRUE(refused(make_config(65), "at most 64"));
  EXPECT_TRUE(refused(make_config(1000), "at most 64"));
  EXPECT_EQ(validate(make_config(1)), "");
  EXPECT_EQ(validate(make_config(64)), "");
}

TEST(ConfigValidate, RejectsBadCheckpointAndWatermarkSettings) {
  Config c = make_config(4);
  c.checkpoint_interval = 0;
  EXPECT_TRUE(refused(c, "checkpoint interval")) << "K = 0";
  c = make_config(4);
  c.checkpoint_interval = 8;
  c.watermark_window = 4;
  EXPECT_TRUE(refused(c, "watermark window")) << "L < K";
  c.watermark_window = 12;
  EXPECT_TRUE(refused(c, "watermark window")) << "L not a multiple of K";
  c.watermark_window = 0;
  EXPECT_TRUE(refused(c, "watermark window")) << "L = 0";
  c.watermark_window = 16;
  EXPECT_EQ(validate(c), "");
  c.checkpoint_interval = 1;
  c.watermark_window = 1;
  EXPECT_EQ(validate(c), "") << "K = L = 1 is usable";
}

TEST(ConfigValidate, RejectsNoClientsAndZeroTimeout) {
  Config c = make_config(4);
  c.max_clients = 0;
  EXPECT_TRUE(refused(c, "max_clients"));
  c = make_config(4);
  c.view_change_timeout_us = 0;
  EXPECT_TRUE(refused(c, "timeout"));
}

// The bug catalog shrinks exactly the documented quorum by one vote or to f+1.
TEST(MutationQuorum, ChangesOnlyTheDocumentedQuorum) {
  for (std::uint32_t n : {4u, 7u, 10u, 31u}) {
    const Config base = make_config(n);
    const std::uint32_t f = base.f;
    for (const MutationInfo& info : all_mutations()) {
      Config c = base;
      c.mutation = info.mutation;
      SCOPED_TRACE(std::string(info.name) + " n=" + std::to_string(n));
      const bool pq = info.mutation == Mutation::prepare_quorum_short;
      const bool cq = info.mutation == Mutation::commit_quorum_short;
      const bool kq = info.mutation == Mutation::checkpoint_stable_f1;
      EXPECT_EQ(c.prepare_quorum(), pq ? 2 * f - 1 : 2 * f);
      EXPECT_EQ(c.commit_quorum(), cq ? 2 * f : 2 * f + 1);
      EXPECT_EQ(c.checkpoint_quorum(), kq ? f + 1 : 2 * f + 1);
      EXPECT_EQ(c.quorum(), 2 * f + 1);
      EXPECT_EQ(c.weak_quorum(), f + 1);
    }
  }
}

TEST(MutationCatalog, NamesRoundTripAndEachNamesARule) {
  ASSERT_GE(all_mutations().size(), 2u);
  EXPECT_EQ(all_mutations().front().mutation, Mutation::none);
  for (const MutationInfo& info : all_mutations()) {
    EXPECT_EQ(mutation_name(info.mutation), info.name);
    EXPECT_EQ(parse_mutation(info.name), info.mutation);
    EXPECT_FALSE(info.rule.empty()) << info.name;
  }
  EXPECT_EQ(parse_mutation("no-such-bug"), std::nullopt);
}

}  // namespace
}  // namespace pbft
