// The choice tape: exhaustion answers 0, picks stay in range for every
// source, seeded tapes are deterministic, recordings replay, chance() is benign.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "model/tape.h"

namespace model {
namespace {

constexpr std::uint32_t kRanges[] = {2, 3, 7, 16, 255, 256, 257, 1000, 65535, 65536, 65537, 1u << 24,
                                     0xffffffffu};

TEST(Tape, ExhaustedValueTapeAnswersZero) {
  Tape empty = Tape::from_values({});
  EXPECT_TRUE(empty.exhausted());
  for (std::uint32_t k : kRanges) EXPECT_EQ(empty.pick(k), 0u) << "k=" << k;

  Tape t = Tape::from_values({5, 9});
  EXPECT_FALSE(t.exhausted());
  EXPECT_EQ(t.pick(10), 5u);
  EXPECT_EQ(t.pick(10), 9u);
  EXPECT_TRUE(t.exhausted());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(t.pick(10), 0u);
}

TEST(Tape, ExhaustedByteTapeAnswersZero) {
  Tape empty = Tape::from_bytes({});
  EXPECT_TRUE(empty.exhausted());
  for (std::uint32_t k : kRanges) EXPECT_EQ(empty.pick(k), 0u) << "k=" << k;

  const std::array<std::uint8_t, 2> bytes{7, 200};
  Tape t = Tape::from_bytes(bytes);
  EXPECT_EQ(t.pick(256), 7u);
  EXPECT_EQ(t.pick(256), 200u);
  EXPECT_TRUE(t.exhausted());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(t.pick(1000), 0u);
}

TEST(Tape, SeededTapeNeverExhausts) {
  Tape t = Tape::from_seed(1);
  for (int i = 0; i < 1000; ++i) t.pick(100);
  EXPECT_FALSE(t.exhausted());
}

TEST(Tape, TrivialRangesConsumeNothing) {
  Tape t = Tape::from_values({4});
  EXPECT_EQ(t.pick(0), 0u);
  EXPECT_EQ(t.pick(1), 0u);
  EXPECT_EQ(t.picks(), 0u);
  EXPECT_EQ(t.pick(5), 4u);  // the value is still there
  EXPECT_EQ(t.picks(), 1u);
}

TEST(Tape, ValuePicksStayInRange) {
  std::vector<std::uint32_t> values;
  for (std::uint32_t i = 0; i < 64; ++i) values.push_back(0xffffffffu - i * 0x01234567u);
  values.push_back(0xffffffffu);
  for (std::uint32_t k : kRanges) {
    Tape t = Tape::from_values(values);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::uint32_t v = t.pick(k);
      EXPECT_LT(v, k);
      EXPECT_EQ(v, values[i] % k);  // reduced modulo k
    }
  }
}

TEST(Tape, BytePicksStayInRange) {
  std::vector<std::uint8_t> bytes(4096);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(0xff - (i * 37) % 97);
  for (std::uint32_t k : kRanges) {
    Tape t = Tape::from_bytes(bytes);
    for (int i = 0; i < 500; ++i) EXPECT_LT(t.pick(k), k) << "k=" << k;
  }
}

TEST(Tape, BytePicksConsumeJustEnoughBytes) {
  const std::array<std::uint8_t, 6> bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
  Tape t = Tape::from_bytes(bytes);
  EXPECT_EQ(t.pick(256), 0x01u);              // one byte
  EXPECT_EQ(t.pick(65536), 0x0302u);          // two bytes, little-endian
  EXPECT_EQ(t.pick(2), 0x04u % 2);            // one byte
  EXPECT_EQ(t.pick(1u << 16 | 1), 0x0605u);   // 65537 needs three bytes, only two left
  EXPECT_TRUE(t.exhausted());
}

TEST(Tape, SeededPicksStayInRangeAndCoverIt) {
  for (std::uint32_t k : kRanges) {
    Tape t = Tape::from_seed(42 + k);
    for (int i = 0; i < 500; ++i) EXPECT_LT(t.pick(k), k) << "k=" << k;
  }
  // Every answer of a small range shows up.
  Tape t = Tape::from_seed(7);
  std::array<int, 5> seen{};
  for (int i = 0; i < 500; ++i) ++seen[t.pick(5)];
  for (int c : seen) EXPECT_GT(c, 50);
}

TEST(Tape, FromSeedIsDeterministic) {
  for (std::uint64_t seed : {0ull, 1ull, 11ull, 0xdeadbeefull, ~0ull}) {
    Tape a = Tape::from_seed(seed), b = Tape::from_seed(seed);
    for (int i = 0; i < 300; ++i) {
      const std::uint32_t k = kRanges[i % std::size(kRanges)];
      ASSERT_EQ(a.pick(k), b.pick(k)) << "seed " << seed << " pick " << i;
    }
  }
  Tape a = Tape::from_seed(1), b = Tape::from_seed(2);
  int same = 0;
  for (int i = 0; i < 100; ++i) same += a.pick(1u << 20) == b.pick(1u << 20);
  EXPECT_LT(same, 5) << "different seeds should give different streams";
}

// Records a run of picks with varying ranges; replaying the recorded values
// as a value tape gives the same answers.
template <class MakeTape>
void expect_recording_replays(MakeTape make) {
  Tape t = make();
  t.record(true);
  std::vector<std::uint32_t> answers, ks;
  for (int i = 0; i < 400; ++i) {
    const std::uint32_t k = kRanges[(i * 7) % std::size(kRanges)];
    ks.push_back(k);
    answers.push_back(t.pick(k));
    ks.push_back(1);
    answers.push_back(t.pick(1));  // not recorded, answers 0 on replay too
  }
  EXPECT_EQ(t.recorded().size(), 400u);
  EXPECT_EQ(t.picks(), 400u);
  Tape r = Tape::from_values(t.recorded());
  for (std::size_t i = 0; i < ks.size(); ++i) ASSERT_EQ(r.pick(ks[i]), answers[i]) << "pick " << i;
  EXPECT_TRUE(r.exhausted());
}

TEST(Tape, RecordingASeededTapeReplays) {
  expect_recording_replays([] { return Tape::from_seed(1234); });
}

TEST(Tape, RecordingAByteTapeReplays) {
  static std::vector<std::uint8_t> bytes;
  bytes.resize(3000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>((i * 131 + 17) & 0xff);
  expect_recording_replays([] { return Tape::from_bytes(bytes); });
}

TEST(Tape, RecordingIsOffByDefault) {
  Tape t = Tape::from_seed(3);
  t.pick(10);
  EXPECT_TRUE(t.recorded().empty());
  t.record(true);
  t.pick(10);
  t.record(false);
  t.pick(10);
  EXPECT_EQ(t.recorded().size(), 1u);
}

TEST(Tape, ChanceZeroIsAlwaysFalse) {
  Tape values = Tape::from_values(std::vector<std::uint32_t>(100, 65535));
  Tape seeded = Tape::from_seed(5);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(values.chance(0));
    EXPECT_FALSE(seeded.chance(0));
  }
  EXPECT_EQ(values.picks(), 0u) << "chance(0) must not consume the tape";
}

TEST(Tape, ExhaustedTapeGivesChanceFalse) {
  Tape t = Tape::from_values({});
  for (double p : {1e-6, 0.01, 0.05, 0.5, 0.9, 0.99, 0.999}) EXPECT_FALSE(t.chance(p)) << "p=" << p;
  Tape b = Tape::from_bytes({});
  for (double p : {0.01, 0.5, 0.99}) EXPECT_FALSE(b.chance(p)) << "p=" << p;
}

TEST(Tape, ExhaustedTapeGivesChanceFalseNearOne) {
  // 0 is the benign answer for every p < 1, however close to 1.
  for (double p : {0.99999, 0.999999, 1.0}) {
    Tape t = Tape::from_values({});
    EXPECT_FALSE(t.chance(p)) << "p=" << p;
  }
}

TEST(Tape, ChanceFollowsTheProbability) {
  Tape high = Tape::from_values({65535});
  EXPECT_TRUE(high.chance(0.5));  // the largest answer is the non-benign one
  Tape t = Tape::from_seed(99);
  int hits = 0;
  for (int i = 0; i < 2000; ++i) hits += t.chance(0.25);
  EXPECT_GT(hits, 440);  // 500 expected, standard deviation 19
  EXPECT_LT(hits, 560);
  Tape one = Tape::from_seed(100);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(one.chance(1.0));
}

}  // namespace
}  // namespace model
