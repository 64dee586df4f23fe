#pragma once
// Between the plug-in ABI's C structs (include/pbftsim/replica_plugin.h) and
// the built-in types: the host (model/plugin_replica.cpp) and the built-in
// replica's plug-in (plugin/builtin_replica_plugin.cpp) use the same ones.
#include <optional>

#include "pbft/config.h"
#include "pbft/effects.h"
#include "pbftsim/replica_plugin.h"

namespace wire {

// The header's numbers are pbft's: a change on either side fails here.
static_assert(PBFTSIM_EVENT_PREPARED == static_cast<int>(pbft::EventKind::prepared));
static_assert(PBFTSIM_EVENT_COMMITTED == static_cast<int>(pbft::EventKind::committed));
static_assert(PBFTSIM_EVENT_CHECKPOINT_STABLE == static_cast<int>(pbft::EventKind::checkpoint_stable));
static_assert(PBFTSIM_EVENT_VIEW_CHANGE_START == static_cast<int>(pbft::EventKind::view_change_start));
static_assert(PBFTSIM_EVENT_NEW_VIEW_ENTERED == static_cast<int>(pbft::EventKind::new_view_entered));
static_assert(PBFTSIM_EVENT_CERT_CARRIED == static_cast<int>(pbft::EventKind::cert_carried));
static_assert(PBFTSIM_EVENT_STATE_INSTALLED == static_cast<int>(pbft::EventKind::state_installed));
static_assert(PBFTSIM_EVENT_REJECTED == static_cast<int>(pbft::EventKind::rejected));

inline pbftsim_config to_c(const pbft::Config& c) {
  return {.view_change_timeout_us = c.view_change_timeout_us,
          .n = c.n,
          .f = c.f,
          .checkpoint_interval = c.checkpoint_interval,
          .watermark_window = c.watermark_window,
          .max_clients = c.max_clients,
          .max_buffered = c.max_buffered,
          .mutation = static_cast<std::uint32_t>(c.mutation),
          .reserved = 0};
}

// None when the mutation is not in the bug catalog.
inline std::optional<pbft::Config> from_c(const pbftsim_config& c) {
  if (c.mutation >= pbft::all_mutations().size()) return std::nullopt;
  pbft::Config config = pbft::make_config(c.n);
  config.f = c.f;
  config.checkpoint_interval = c.checkpoint_interval;
  config.watermark_window = c.watermark_window;
  config.max_clients = c.max_clients;
  config.max_buffered = c.max_buffered;
  config.view_change_timeout_us = c.view_change_timeout_us;
  config.mutation = static_cast<pbft::Mutation>(c.mutation);
  return config;
}

inline std::uint32_t to_c(pbft::Destination::Kind k) {
  switch (k) {
    case pbft::Destination::Kind::replica: return PBFTSIM_TO_REPLICA;
    case pbft::Destination::Kind::client: return PBFTSIM_TO_CLIENT;
    case pbft::Destination::Kind::all_replicas: break;
  }
  return PBFTSIM_TO_ALL;
}

// None for a kind the header does not list.
inline std::optional<pbft::Destination> destination_from_c(std::uint32_t kind, std::uint32_t id) {
  switch (kind) {
    case PBFTSIM_TO_REPLICA: return pbft::Destination::replica(id);
    case PBFTSIM_TO_ALL: return pbft::Destination::all();
    case PBFTSIM_TO_CLIENT: return pbft::Destination::client(id);
    default: return std::nullopt;
  }
}

inline pbftsim_execution to_c(const pbft::Execution& e) {
  return {.seq = e.seq,
          .view = e.view,
          .digest = e.digest,
          .timestamp = e.request.timestamp,
          .operation = e.request.operation,
          .result = e.result,
          .client = e.request.client,
          .applied = e.applied ? 1u : 0u};
}

inline pbft::Execution from_c(const pbftsim_execution& e) {
  return {.seq = e.seq,
          .view = e.view,
          .digest = e.digest,
          .request = {e.client, e.timestamp, e.operation},
          .applied = e.applied != 0,
          .result = e.result};
}

inline pbftsim_event to_c(const pbft::Event& e) {
  return {.view = e.view,
          .seq = e.seq,
          .digest = e.digest,
          .kind = static_cast<std::uint32_t>(e.kind),
          .detail = static_cast<std::uint32_t>(e.detail)};
}

// The caller checks the kind first. A rejection's detail is the plug-in's
// own vocabulary: only counted, so it is not carried.
inline pbft::Event from_c(const pbftsim_event& e) {
  return {.kind = static_cast<pbft::EventKind>(e.kind), .view = e.view, .seq = e.seq, .digest = e.digest};
}

}  // namespace wire
