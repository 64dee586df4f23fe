#pragma once
// The plug-in ABI's wire format (include/pbftsim/replica_plugin.h) for the
// built-in messages: the harness encodes what it delivers and decodes what a
// plug-in sends; the built-in replica's plug-in does the reverse.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "pbft/messages.h"
#include "pbft/service.h"

namespace wire {

// Bytes that are not a message: truncated, trailing bytes, unknown kind.
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Bytes = std::vector<std::uint8_t>;

// Appends (the caller clears and reuses the buffer). A STATE-TRANSFER
// without a state is sent as an empty one.
void encode(const pbft::Message& m, Bytes& out);
void encode(const pbft::ServiceState& s, Bytes& out);

// The whole span must be one message (or state); throws Malformed.
pbft::Message decode_message(std::span<const std::uint8_t> bytes);
pbft::ServiceState decode_state(std::span<const std::uint8_t> bytes);

}  // namespace wire
