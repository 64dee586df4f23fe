#include "model/plugin_replica.h"

#include <dlfcn.h>

#include <utility>

#include <fmt/format.h>

#include "model/errors.h"
#include "plugin/abi_convert.h"
#include "plugin/effect_limits.h"
#include "pbft/service.h"

// The harness's side of one input: the plug-in's effects, decoded. A bad
// message cannot throw through the plug-in's (maybe C) frames: the first
// error is kept and thrown once the plug-in returns.
struct pbftsim_effects {
  pbft::Effects* out;
  std::string error;
};

namespace model {

namespace {

std::span<const std::uint8_t> bytes(const std::uint8_t* data, std::size_t length) {
  return {data, data == nullptr ? 0 : length};
}

using wire::kMaxSeq;
using wire::kMaxTimerDelayUs;

// Every host function is called from the plug-in's frames, maybe C or Rust:
// nothing may unwind through them. The first problem is kept; the rest of
// the input's effects are ignored.
template <class Body>
void guarded(pbftsim_effects* fx, Body body) noexcept {
  if (!fx->error.empty()) return;
  try {
    body();
  } catch (const std::exception& e) {
    fx->error = e.what();
  } catch (...) {
    fx->error = "an unknown exception in the host";
  }
}

void host_send(pbftsim_effects* fx, std::uint32_t to_kind, std::uint32_t to_id, const std::uint8_t* message,
               std::size_t length) noexcept {
  guarded(fx, [&] {
    const auto to = wire::destination_from_c(to_kind, to_id);
    if (!to) {
      fx->error = fmt::format("a send to destination kind {} (0, 1 or 2 expected)", to_kind);
      return;
    }
    try {
      fx->out->sends.push_back({*to, wire::decode_message(bytes(message, length))});
    } catch (const wire::Malformed& e) {
      fx->error = fmt::format("a send of {} bytes that are not a message ({})", length, e.what());
    }
  });
}

void host_set_timer(pbftsim_effects* fx, std::uint64_t token, std::uint64_t delay_us) noexcept {
  guarded(fx, [&] {
    if (token == 0) {
      fx->error = "a timer with token 0 (tokens are non-zero)";
    } else if (delay_us == 0 || delay_us > kMaxTimerDelayUs) {
      fx->error = fmt::format("a timer with delay {} us (1 to 2^40 expected)", delay_us);
    } else {
      fx->out->timers.push_back({.set = true, .token = token, .delay_us = delay_us});
    }
  });
}

void host_cancel_timer(pbftsim_effects* fx, std::uint64_t token) noexcept {
  guarded(fx, [&] { fx->out->timers.push_back({.set = false, .token = token}); });
}

void host_execute(pbftsim_effects* fx, const pbftsim_execution* e) noexcept {
  guarded(fx, [&] {
    if (e->seq > kMaxSeq) {
      fx->error = fmt::format("an execution at sequence number {} (at most 2^32 expected)", e->seq);
      return;
    }
    fx->out->executions.push_back(wire::from_c(*e));
  });
}

void host_event(pbftsim_effects* fx, const pbftsim_event* e) noexcept {
  guarded(fx, [&] {
    if (e->kind > PBFTSIM_EVENT_REJECTED) {
      fx->error = fmt::format("an event of kind {} (0 to {} expected)", e->kind, PBFTSIM_EVENT_REJECTED);
    } else if (e->seq > kMaxSeq) {
      fx->error = fmt::format("an event at sequence number {} (at most 2^32 expected)", e->seq);
    } else {
      fx->out->events.push_back(wire::from_c(*e));
    }
  });
}

void host_install_state(pbftsim_effects* fx, const std::uint8_t* state, std::size_t length) noexcept {
  guarded(fx, [&] {
    try {
      fx->out->installed_state =
          std::make_shared<const pbft::ServiceState>(wire::decode_state(bytes(state, length)));
    } catch (const wire::Malformed& e) {
      fx->error = fmt::format("an installed state of {} bytes that is not a state ({})", length, e.what());
    }
  });
}

void host_fail(pbftsim_effects* fx, const char* reason) noexcept {
  guarded(fx, [&] { fx->error = fmt::format("a failure: {}", reason ? reason : "(no reason given)"); });
}

constexpr pbftsim_host kHost{host_send,  host_set_timer,     host_cancel_timer, host_execute,
                             host_event, host_install_state, host_fail};

}  // namespace

std::shared_ptr<const ReplicaLibrary> ReplicaLibrary::load(const std::string& path) {
  // A bare name would make dlopen search the library path: a plug-in is a file.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    std::string why = dlerror();
    if (why.starts_with(file + ": ")) why.erase(0, file.size() + 2);  // the path is said once
    throw InputError(fmt::format("--replica-lib {}: cannot load: {}", path, why));
  }
  const auto close_on_error = [&](const std::string& what) {
    dlclose(handle);
    return InputError(fmt::format("--replica-lib {}: {}", path, what));
  };
  auto* entry = reinterpret_cast<pbftsim_replica_plugin_fn>(dlsym(handle, PBFTSIM_REPLICA_PLUGIN_SYMBOL));
  if (entry == nullptr)
    throw close_on_error(fmt::format("not a pbftsim replica plug-in (it exports no {} function)",
                                     PBFTSIM_REPLICA_PLUGIN_SYMBOL));
  const pbftsim_replica_api* api = entry();
  if (api == nullptr) throw close_on_error(fmt::format("{}() returned NULL", PBFTSIM_REPLICA_PLUGIN_SYMBOL));
  if (api->abi_version != PBFTSIM_REPLICA_ABI_VERSION)
    throw close_on_error(fmt::format("built for plug-in ABI version {}; this pbftsim speaks version {}",
                                     api->abi_version, PBFTSIM_REPLICA_ABI_VERSION));
  const std::pair<const char*, bool> required[] = {
      {"name", api->name != nullptr},           {"create", api->create != nullptr},
      {"destroy", api->destroy != nullptr},     {"clone", api->clone != nullptr},
      {"on_message", api->on_message != nullptr}, {"on_client_request", api->on_client_request != nullptr},
      {"on_timer", api->on_timer != nullptr},
  };
  for (const auto& [field, present] : required)
    if (!present) throw close_on_error(fmt::format("its pbftsim_replica_api has no {}", field));
  return std::shared_ptr<const ReplicaLibrary>(new ReplicaLibrary(path, handle, api));
}

ReplicaLibrary::ReplicaLibrary(std::string path, void* handle, const pbftsim_replica_api* api)
    : path_(std::move(path)), handle_(handle), api_(api) {}

ReplicaLibrary::~ReplicaLibrary() { dlclose(handle_); }

std::string ReplicaLibrary::name() const { return fmt::format("replica plug-in {} ({})", api_->name, path_); }

void ReplicaLibrary::check_supports(const pbft::Config& c) const { PluginReplica probe(*this, c, 0); }

PluginReplica::PluginReplica(const ReplicaLibrary& library, const pbft::Config& c, pbft::ReplicaId id)
    : library_(&library), id_(id) {
  const pbftsim_config config = wire::to_c(c);
  const char* error = nullptr;
  self_ = library.api().create(&config, id, &error);
  if (self_ == nullptr)
    throw InputError(fmt::format("{}: refused n = {}, mutation {}: {}", library.name(), c.n,
                                 pbft::mutation_name(c.mutation), error ? error : "(no reason given)"));
}

PluginReplica::PluginReplica(const PluginReplica& other) : library_(other.library_), id_(other.id_) {
  self_ = library_->api().clone(other.self_);
  if (self_ == nullptr) throw ReplicaFailure(fmt::format("{}: clone returned NULL", library_->name()));
}

PluginReplica& PluginReplica::operator=(const PluginReplica& other) {
  if (this == &other) return *this;
  if (library_ == other.library_ && self_ != nullptr && library_->api().assign != nullptr) {
    library_->api().assign(self_, other.self_);
  } else {
    PluginReplica copy(other);
    *this = std::move(copy);
  }
  id_ = other.id_;
  return *this;
}

PluginReplica::PluginReplica(PluginReplica&& other) noexcept
    : library_(other.library_), self_(std::exchange(other.self_, nullptr)), id_(other.id_) {}

PluginReplica& PluginReplica::operator=(PluginReplica&& other) noexcept {
  std::swap(library_, other.library_);
  std::swap(self_, other.self_);
  std::swap(id_, other.id_);
  return *this;
}

PluginReplica::~PluginReplica() {
  if (self_ != nullptr) library_->api().destroy(self_);
}

template <class Call>
void PluginReplica::input(pbft::Effects& out, Call call) {
  pbftsim_effects fx{&out, {}};
  call(&fx);
  if (!fx.error.empty())
    throw ReplicaFailure(fmt::format("{}: replica {} answered with {}", library_->name(), id_, fx.error));
}

void PluginReplica::on_message(pbft::ReplicaId from, const pbft::Message& m, pbft::Effects& out) {
  buffer_.clear();
  wire::encode(m, buffer_);
  on_message(from, buffer_, out);
}

void PluginReplica::on_message(pbft::ReplicaId from, std::span<const std::uint8_t> encoded, pbft::Effects& out) {
  input(out, [&](pbftsim_effects* fx) {
    library_->api().on_message(self_, from, encoded.data(), encoded.size(), &kHost, fx);
  });
}

void PluginReplica::on_client_request(pbft::ClientId client, const pbft::Request& r, pbft::Effects& out) {
  buffer_.clear();
  wire::encode(pbft::Message(r), buffer_);
  input(out, [&](pbftsim_effects* fx) {
    library_->api().on_client_request(self_, client, buffer_.data(), buffer_.size(), &kHost, fx);
  });
}

void PluginReplica::on_timer(std::uint64_t token, pbft::Effects& out) {
  input(out, [&](pbftsim_effects* fx) { library_->api().on_timer(self_, token, &kHost, fx); });
}

}  // namespace model
