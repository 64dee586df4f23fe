// The plug-in wire format: every kind of message round-trips, and bytes that
// are not a message are refused (never a crash, never a huge allocation).
#include <gtest/gtest.h>

#include <memory>

#include "plugin/wire.h"
#include "plugin/wire_samples.h"

namespace {

using namespace pbft;
using wire::samples::every_kind;

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

TEST(Wire, KindBytesAreTheHeadersTable) {
  // include/pbftsim/replica_plugin.h numbers the kinds in this order.
  const char* const table[] = {"REQUEST",    "PRE-PREPARE", "PREPARE",     "COMMIT",      "REPLY",
                               "CHECKPOINT", "VIEW-CHANGE", "NEW-VIEW",    "FETCH-STATE", "STATE",
                               "STATUS"};
  const auto messages = every_kind();
  ASSERT_EQ(messages.size(), std::size(table));
  for (std::size_t k = 0; k < messages.size(); ++k) {
    EXPECT_STREQ(kind_name(kind_of(messages[k])), table[k]);
    EXPECT_EQ(encoded(messages[k]).front(), k);
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
  wire::Bytes b = encoded(wire::samples::checkpoint(1));
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
