// The header's prose spec of the digests and the service (implemented in C
// from that text alone, service_spec.c) against the built-in replica's own:
// a stranger who follows the header computes what pbft/ computes.
#include <gtest/gtest.h>

#include "pbft/hash.h"
#include "pbft/service.h"
#include "pbft/types.h"
#include "service_spec.h"

namespace {

TEST(ServiceSpec, NullDigestAndMixMatch) {
  EXPECT_EQ(SPEC_NULL_DIGEST, pbft::kNullDigest);
  for (std::uint64_t x : {0ULL, 1ULL, 0x123456789abcdefULL, ~0ULL}) EXPECT_EQ(spec_mix(x), pbft::mix64(x));
}

TEST(ServiceSpec, ExecutionsResultsAndStateDigestsMatch) {
  pbft::Service service(SPEC_MAX_CLIENTS);
  spec_service spec{};
  std::uint64_t rng = 7;
  for (int i = 0; i < 5'000; ++i) {
    rng = pbft::mix64(rng);
    // Clients past max_clients and stale timestamps too: those change nothing.
    const auto client = static_cast<std::uint32_t>(rng % (SPEC_MAX_CLIENTS + 2));
    // Mostly newer timestamps, some repeated or older ones.
    const std::uint64_t timestamp = static_cast<std::uint64_t>(i) / 8 + (rng >> 8) % 4, operation = rng >> 20;
    const pbft::Request r{.client = client, .timestamp = timestamp, .operation = operation};
    ASSERT_EQ(spec_request_digest(client, timestamp, operation), pbft::digest_of(r));
    std::uint64_t result = 0;
    const bool applied = spec_execute(&spec, client, timestamp, operation, &result) != 0;
    const auto expected = service.apply(r);
    ASSERT_EQ(applied, expected.has_value()) << "request " << i;
    if (applied) {
      ASSERT_EQ(result, *expected);
    }
    ASSERT_EQ(spec_state_digest(&spec), service.state().digest()) << "after request " << i;
  }
  EXPECT_GT(service.state().applied, 100u);
}

}  // namespace
