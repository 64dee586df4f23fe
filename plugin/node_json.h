#pragma once
// The node protocol's JSON vocabulary (docs/node-protocol.md): messages,
// service states, configurations and effects as JSON values. The harness
// (model/node_replica.cpp) and the built-in node (`pbftsim node`) both speak
// it through plugin/node_protocol.h, which adds the envelopes.
//
// Hashes (digests, operations, results, the service's chain) are strings of
// 16 lowercase hex digits, so every language reads them exactly; counts
// (views, sequence numbers, timestamps, ids) are JSON numbers.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "pbft/config.h"
#include "pbft/effects.h"
#include "pbft/messages.h"
#include "pbft/service.h"
#include "plugin/wire.h"

namespace node_json {

using json = nlohmann::json;

std::string hex(std::uint64_t v);

// Each throws wire::Malformed naming the field that is missing or wrong.
std::uint64_t hash_field(const json& o, const char* key);
std::uint64_t count_field(const json& o, const char* key);
std::uint32_t id_field(const json& o, const char* key);  // below 2^32
const json& object_field(const json& o, const char* key);
const json& array_field(const json& o, const char* key);
std::string text_field(const json& o, const char* key);

json to_json(const pbft::Message& m);  // {"type": "prepare", ...}
pbft::Message message_from_json(const json& body);

json to_json(const pbft::ServiceState& s);
pbft::ServiceState state_from_json(const json& state);

json to_json(const pbft::Config& c);
pbft::Config config_from_json(const json& config);  // also checks it (pbft::validate)

json to_json(const pbft::Execution& e);  // {"type": "execute", ...}
pbft::Execution execution_from_json(const json& body);
json to_json(const pbft::Event& e, const pbft::ServiceState* installed);  // {"type": "event", ...}
pbft::Event event_from_json(const json& body);

}  // namespace node_json
