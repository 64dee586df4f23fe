// The built-in replica (pbft/) as a plug-in: the reference for the ABI in
// include/pbftsim/replica_plugin.h. Loaded with --replica-lib, it must give
// the same traces as the native path, byte for byte (plugin/tests).
#include <new>

#include "pbft/config.h"
#include "pbft/replica.h"
#include "pbft/service.h"
#include "pbftsim/replica_plugin.h"
#include "plugin/abi_convert.h"
#include "plugin/wire.h"

struct pbftsim_replica {
  pbft::Replica replica;
  pbft::Effects effects;  // reused across inputs
  wire::Bytes buffer;     // one encoded send or state, reused
};

namespace {

void forward(pbftsim_replica& self, const pbftsim_host& host, pbftsim_effects* out) {
  const pbft::Effects& fx = self.effects;
  for (const auto& s : fx.sends) {
    self.buffer.clear();
    wire::encode(s.message, self.buffer);
    host.send(out, wire::to_c(s.to.kind), s.to.id, self.buffer.data(), self.buffer.size());
  }
  for (const auto& t : fx.timers) {
    if (t.set) {
      host.set_timer(out, t.token, t.delay_us);
    } else {
      host.cancel_timer(out, t.token);
    }
  }
  for (const auto& e : fx.executions) {
    const pbftsim_execution c = wire::to_c(e);
    host.execute(out, &c);
  }
  if (fx.installed_state) {
    self.buffer.clear();
    wire::encode(*fx.installed_state, self.buffer);
    host.install_state(out, self.buffer.data(), self.buffer.size());
  }
  for (const auto& e : fx.events) {
    const pbftsim_event c = wire::to_c(e);
    host.event(out, &c);
  }
}

// Runs one input on the replica and hands its effects to the host. The
// harness authenticates senders and never sends bytes that do not parse;
// another plug-in's garbage is rejected here, never thrown into C frames.
template <class Input>
void step(pbftsim_replica* self, const pbftsim_host* host, pbftsim_effects* out, Input input) {
  self->effects.clear();
  try {
    input(self->replica, self->effects);
  } catch (const wire::Malformed&) {
    return;
  }
  forward(*self, *host, out);
}

pbft::Message decode(const std::uint8_t* bytes, std::size_t length) {
  return wire::decode_message({bytes, bytes == nullptr ? 0 : length});
}

pbftsim_replica* create(const pbftsim_config* c, std::uint32_t id, const char** error) {
  const auto config = wire::from_c(*c);
  if (!config) {
    *error = "unknown mutation";
    return nullptr;
  }
  if (!pbft::validate(*config).empty() || id >= config->n) {
    *error = "invalid configuration";
    return nullptr;
  }
  return new (std::nothrow) pbftsim_replica{pbft::Replica(*config, id), {}, {}};
}

void destroy(pbftsim_replica* self) { delete self; }

pbftsim_replica* clone(const pbftsim_replica* self) { return new (std::nothrow) pbftsim_replica{self->replica, {}, {}}; }

void assign(pbftsim_replica* target, const pbftsim_replica* source) { target->replica = source->replica; }

void on_message(pbftsim_replica* self, std::uint32_t from, const std::uint8_t* message, std::size_t length,
                const pbftsim_host* host, pbftsim_effects* out) {
  step(self, host, out, [&](pbft::Replica& r, pbft::Effects& fx) { r.on_message(from, decode(message, length), fx); });
}

void on_client_request(pbftsim_replica* self, std::uint32_t client, const std::uint8_t* request, std::size_t length,
                       const pbftsim_host* host, pbftsim_effects* out) {
  step(self, host, out, [&](pbft::Replica& r, pbft::Effects& fx) {
    const pbft::Message m = decode(request, length);
    if (const auto* q = std::get_if<pbft::Request>(&m)) r.on_client_request(client, *q, fx);
  });
}

void on_timer(pbftsim_replica* self, std::uint64_t token, const pbftsim_host* host, pbftsim_effects* out) {
  step(self, host, out, [&](pbft::Replica& r, pbft::Effects& fx) { r.on_timer(token, fx); });
}

constexpr pbftsim_replica_api kApi{
    .abi_version = PBFTSIM_REPLICA_ABI_VERSION,
    .name = "pbftsim built-in, as a plug-in",
    .create = create,
    .destroy = destroy,
    .clone = clone,
    .assign = assign,
    .on_message = on_message,
    .on_client_request = on_client_request,
    .on_timer = on_timer,
};

}  // namespace

const pbftsim_replica_api* pbftsim_replica_plugin(void) {
  return &kApi;
}
