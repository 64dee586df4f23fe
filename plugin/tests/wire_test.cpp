// The plug-in wire format: every kind of message round-trips, and bytes that
// are not a message are refused (never a crash, never a huge allocation).
#include <gtest/gtest.h>

#include <memory>

#include "plugin/wire.h"

namespace {

using namespace pbft;

PrePrepare pre_prepare(View v, Seq n) {
  const Request r{.client = 2, .timestamp = 7, .operation = 0xdeadbeefcafeULL};
  return {.view = v, .seq = n, .digest = digest_of(r), .request = r, .replica = static_cast<ReplicaId>(v % 4)};
}

Checkpoint checkpoint(ReplicaId r) { return {.seq = 8, .state_digest = 0x1234567890abcdefULL, .replica = r}; }

ViewChangePtr view_change(ReplicaId r) {
  ViewChange v{.new_view = 3, .stable_seq = 8, .checkpoint_proof = {checkpoint(0), checkpoint(1), checkpoint(2)}};
  PreparedCert cert{.pre_prepare = pre_prepare(2, 9)};
  for (ReplicaId p = 0; p < 2; ++p)
    cert.prepares.push_back({.view = 2, .seq = 9, .digest = cert.pre_prepare.digest, .replica = p + 1});
  v.prepared = {cert, {.pre_prepare = pre_prepare(2, 10)}};
  v.replica = r;
  return std::make_shared<const ViewChange>(v);
}

std::vector<Message> every_kind() {
  auto state = std::make_shared<ServiceState>();
  state->applied = 5;
  state->chain = 0xfeedULL;
  state->clients = {{.timestamp = 3, .result = 99}, {}, {.timestamp = 1, .result = 1ULL << 63}};
  const NewView nv{.view = 3,
                   .view_changes = {*view_change(0), *view_change(1), *view_change(3)},
                   .pre_prepares = {pre_prepare(3, 9), {.view = 3, .seq = 10, .digest = kNullDigest, .replica = 3}},
                   .replica = 3};
  return {
      Request{.client = 1, .timestamp = 2, .operation = 3},
      pre_prepare(0, 1),
      Prepare{.view = 1, .seq = 2, .digest = 3, .replica = 63},
      Commit{.view = ~0ULL, .seq = 1ULL << 40, .digest = kNullDigest, .replica = 0},
      Reply{.view = 4, .timestamp = 5, .client = 15, .replica = 2, .result = 77},
      checkpoint(3),
      view_change(2),
      std::make_shared<const NewView>(nv),
      FetchState{.seq = 16, .replica = 1},
      StateTransfer{.seq = 16, .state = state, .proof = {checkpoint(0), checkpoint(2)}, .replica = 0},
  };
}

wire::Bytes encoded(const Message& m) {
  wire::Bytes b;
  wire::encode(m, b);
  return b;
}

TEST(Wire, EveryKindRoundTrips) {
  const auto messages = every_kind();
  ASSERT_EQ(messages.size(), std::variant_size_v<Message>);  // a new kind needs a case here
  for (const Message& m : messages) {
    const wire::Bytes b = encoded(m);
    EXPECT_EQ(b.front(), m.index());
    EXPECT_TRUE(same_message(wire::decode_message(b), m)) << kind_name(kind_of(m));
  }
}

TEST(Wire, IntegersAreLittleEndian) {
  // The header's layout, byte by byte: kind 2, view, seq, digest, replica.
  const wire::Bytes b = encoded(Prepare{.view = 0x0102, .seq = 3, .digest = 4, .replica = 0x05060708});
  const wire::Bytes expected{2, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0,
                             4, 0,    0,    0, 0, 0, 0, 0, 0x08, 0x07, 0x06, 0x05};
  EXPECT_EQ(b, expected);
}

TEST(Wire, StateRoundTrips) {
  ServiceState s{.applied = 2, .chain = 3, .clients = {{.timestamp = 1, .result = 2}}};
  wire::Bytes b;
  wire::encode(s, b);
  EXPECT_EQ(wire::decode_state(b), s);
}

TEST(Wire, EveryTruncationIsRefused) {
  for (const Message& m : every_kind()) {
    const wire::Bytes b = encoded(m);
    for (std::size_t length = 0; length < b.size(); ++length)
      EXPECT_THROW(wire::decode_message({b.data(), length}), wire::Malformed)
          << kind_name(kind_of(m)) << " cut to " << length << " bytes";
  }
}

TEST(Wire, TrailingBytesAndUnknownKindsAreRefused) {
  wire::Bytes b = encoded(checkpoint(1));
  b.push_back(0);
  EXPECT_THROW(wire::decode_message(b), wire::Malformed);
  EXPECT_THROW(wire::decode_message(wire::Bytes{10}), wire::Malformed);
  EXPECT_THROW(wire::decode_message(wire::Bytes{0xff}), wire::Malformed);
}

TEST(Wire, AHugeCountIsRefusedBeforeAllocating) {
  // A NEW-VIEW claiming 4 billion view changes in a 17-byte message.
  wire::Bytes b{7, 1, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  EXPECT_THROW(wire::decode_message(b), wire::Malformed);
}

}  // namespace
