#include "plugin/node_json.h"

#include <array>
#include <charconv>
#include <memory>
#include <string_view>

#include <fmt/format.h>

namespace node_json {

namespace {

[[noreturn]] void malformed(const std::string& what) { throw wire::Malformed(what); }

constexpr std::array<std::string_view, 11> kTypeNames = {
    "request", "pre_prepare", "prepare", "commit", "reply", "checkpoint",
    "view_change", "new_view", "fetch_state", "state_transfer", "status"};
static_assert(kTypeNames.size() == std::variant_size_v<pbft::Message>);

const json& field(const json& o, const char* key) {
  if (!o.is_object()) malformed(fmt::format("expected an object with \"{}\", got {}", key, o.dump()));
  const auto it = o.find(key);
  if (it == o.end()) malformed(fmt::format("\"{}\" is missing", key));
  return *it;
}

json request_json(const pbft::Request& r) {
  return {{"client", r.client}, {"timestamp", r.timestamp}, {"operation", hex(r.operation)}};
}
pbft::Request request_from(const json& o) {
  return {.client = id_field(o, "client"), .timestamp = count_field(o, "timestamp"),
          .operation = hash_field(o, "operation")};
}

json pre_prepare_json(const pbft::PrePrepare& p) {
  return {{"view", p.view}, {"seq", p.seq}, {"digest", hex(p.digest)}, {"request", request_json(p.request)},
          {"replica", p.replica}};
}
pbft::PrePrepare pre_prepare_from(const json& o) {
  return {.view = count_field(o, "view"), .seq = count_field(o, "seq"), .digest = hash_field(o, "digest"),
          .request = request_from(object_field(o, "request")), .replica = id_field(o, "replica")};
}

template <class Vote>
json vote_json(const Vote& v) {
  return {{"view", v.view}, {"seq", v.seq}, {"digest", hex(v.digest)}, {"replica", v.replica}};
}
template <class Vote>
Vote vote_from(const json& o) {
  return {.view = count_field(o, "view"), .seq = count_field(o, "seq"), .digest = hash_field(o, "digest"),
          .replica = id_field(o, "replica")};
}

json checkpoint_json(const pbft::Checkpoint& c) {
  return {{"seq", c.seq}, {"state_digest", hex(c.state_digest)}, {"replica", c.replica}};
}
pbft::Checkpoint checkpoint_from(const json& o) {
  return {.seq = count_field(o, "seq"), .state_digest = hash_field(o, "state_digest"),
          .replica = id_field(o, "replica")};
}

template <class T, class Each>
json list_json(const std::vector<T>& items, Each each) {
  json a = json::array();
  for (const auto& x : items) a.push_back(each(x));
  return a;
}
template <class Each>
auto list_from(const json& o, const char* key, Each each) {
  std::vector<decltype(each(o))> out;
  const json& a = array_field(o, key);
  out.reserve(a.size());
  for (const auto& x : a) out.push_back(each(x));
  return out;
}

json view_change_json(const pbft::ViewChange& vc) {
  return {{"new_view", vc.new_view},
          {"stable_seq", vc.stable_seq},
          {"checkpoint_proof", list_json(vc.checkpoint_proof, checkpoint_json)},
          {"prepared", list_json(vc.prepared,
                                 [](const pbft::PreparedCert& c) {
                                   return json{{"pre_prepare", pre_prepare_json(c.pre_prepare)},
                                               {"prepares", list_json(c.prepares, vote_json<pbft::Prepare>)}};
                                 })},
          {"replica", vc.replica}};
}
pbft::ViewChange view_change_from(const json& o) {
  return {.new_view = count_field(o, "new_view"),
          .stable_seq = count_field(o, "stable_seq"),
          .checkpoint_proof = list_from(o, "checkpoint_proof", checkpoint_from),
          .prepared = list_from(o, "prepared",
                                [](const json& c) {
                                  return pbft::PreparedCert{
                                      .pre_prepare = pre_prepare_from(object_field(c, "pre_prepare")),
                                      .prepares = list_from(c, "prepares", vote_from<pbft::Prepare>)};
                                }),
          .replica = id_field(o, "replica")};
}

struct ToJson {
  json operator()(const pbft::Request& r) const { return request_json(r); }
  json operator()(const pbft::PrePrepare& p) const { return pre_prepare_json(p); }
  json operator()(const pbft::Prepare& p) const { return vote_json(p); }
  json operator()(const pbft::Commit& c) const { return vote_json(c); }
  json operator()(const pbft::Reply& r) const {
    return {{"view", r.view}, {"timestamp", r.timestamp}, {"client", r.client}, {"replica", r.replica},
            {"result", hex(r.result)}};
  }
  json operator()(const pbft::Checkpoint& c) const { return checkpoint_json(c); }
  json operator()(const pbft::ViewChangePtr& vc) const { return view_change_json(*vc); }
  json operator()(const pbft::NewViewPtr& nv) const {
    return {{"view", nv->view},
            {"view_changes", list_json(nv->view_changes, view_change_json)},
            {"pre_prepares", list_json(nv->pre_prepares, pre_prepare_json)},
            {"replica", nv->replica}};
  }
  json operator()(const pbft::FetchState& f) const { return {{"seq", f.seq}, {"replica", f.replica}}; }
  json operator()(const pbft::StateTransfer& s) const {
    return {{"seq", s.seq},
            {"state", s.state ? to_json(*s.state) : to_json(pbft::ServiceState{})},
            {"proof", list_json(s.proof, checkpoint_json)},
            {"replica", s.replica}};
  }
  json operator()(const pbft::Status& s) const {
    return {{"view", s.view}, {"stable_seq", s.stable_seq}, {"last_executed", s.last_executed},
            {"replica", s.replica}};
  }
};

pbft::Message body_from(pbft::MessageKind kind, const json& o) {
  using K = pbft::MessageKind;
  switch (kind) {
    case K::request: return request_from(o);
    case K::pre_prepare: return pre_prepare_from(o);
    case K::prepare: return vote_from<pbft::Prepare>(o);
    case K::commit: return vote_from<pbft::Commit>(o);
    case K::reply:
      return pbft::Reply{.view = count_field(o, "view"), .timestamp = count_field(o, "timestamp"),
                         .client = id_field(o, "client"), .replica = id_field(o, "replica"),
                         .result = hash_field(o, "result")};
    case K::checkpoint: return checkpoint_from(o);
    case K::view_change: return std::make_shared<const pbft::ViewChange>(view_change_from(o));
    case K::new_view:
      return std::make_shared<const pbft::NewView>(pbft::NewView{
          .view = count_field(o, "view"),
          .view_changes = list_from(o, "view_changes", view_change_from),
          .pre_prepares = list_from(o, "pre_prepares", pre_prepare_from),
          .replica = id_field(o, "replica")});
    case K::fetch_state: return pbft::FetchState{.seq = count_field(o, "seq"), .replica = id_field(o, "replica")};
    case K::state_transfer:
      return pbft::StateTransfer{
          .seq = count_field(o, "seq"),
          .state = std::make_shared<const pbft::ServiceState>(state_from_json(object_field(o, "state"))),
          .proof = list_from(o, "proof", checkpoint_from),
          .replica = id_field(o, "replica")};
    case K::status:
      return pbft::Status{.view = count_field(o, "view"), .stable_seq = count_field(o, "stable_seq"),
                          .last_executed = count_field(o, "last_executed"), .replica = id_field(o, "replica")};
  }
  malformed("unknown message kind");
}

constexpr pbft::EventKind kLastEvent = pbft::EventKind::rejected;
constexpr pbft::Rejection kLastRejection = pbft::Rejection::stale;

}  // namespace

std::string hex(std::uint64_t v) { return fmt::format("{:016x}", v); }

std::uint64_t hash_field(const json& o, const char* key) {
  const json& v = field(o, key);
  const std::string* s = v.get_ptr<const std::string*>();
  std::uint64_t out = 0;
  if (s == nullptr || s->size() != 16 ||
      std::from_chars(s->data(), s->data() + s->size(), out, 16).ptr != s->data() + s->size() ||
      s->find_first_of("+-ABCDEF") != std::string::npos)
    malformed(fmt::format("\"{}\" must be 16 lowercase hex digits, got {}", key, v.dump()));
  return out;
}

std::uint64_t count_field(const json& o, const char* key) {
  const json& v = field(o, key);
  if (!v.is_number_unsigned()) malformed(fmt::format("\"{}\" must be a whole number >= 0, got {}", key, v.dump()));
  return v.get<std::uint64_t>();
}

std::uint32_t id_field(const json& o, const char* key) {
  const std::uint64_t v = count_field(o, key);
  if (v > UINT32_MAX) malformed(fmt::format("\"{}\" must be below 2^32, got {}", key, v));
  return static_cast<std::uint32_t>(v);
}

const json& object_field(const json& o, const char* key) {
  const json& v = field(o, key);
  if (!v.is_object()) malformed(fmt::format("\"{}\" must be an object, got {}", key, v.dump()));
  return v;
}

const json& array_field(const json& o, const char* key) {
  const json& v = field(o, key);
  if (!v.is_array()) malformed(fmt::format("\"{}\" must be an array, got {}", key, v.dump()));
  return v;
}

std::string text_field(const json& o, const char* key) {
  const json& v = field(o, key);
  if (!v.is_string()) malformed(fmt::format("\"{}\" must be a string, got {}", key, v.dump()));
  return v.get<std::string>();
}

json to_json(const pbft::Message& m) {
  json body = std::visit(ToJson{}, m);
  body["type"] = kTypeNames[m.index()];
  return body;
}

pbft::Message message_from_json(const json& body) {
  const std::string type = text_field(body, "type");
  for (std::size_t k = 0; k < kTypeNames.size(); ++k)
    if (kTypeNames[k] == type) return body_from(static_cast<pbft::MessageKind>(k), body);
  malformed(fmt::format("\"type\" {} is not a message type", json(type).dump()));
}

json to_json(const pbft::ServiceState& s) {
  json clients = json::array();
  for (const auto& c : s.clients) clients.push_back({{"timestamp", c.timestamp}, {"result", hex(c.result)}});
  return {{"applied", s.applied}, {"chain", hex(s.chain)}, {"clients", std::move(clients)}};
}

pbft::ServiceState state_from_json(const json& state) {
  return {.applied = count_field(state, "applied"),
          .chain = hash_field(state, "chain"),
          .clients = list_from(state, "clients", [](const json& c) {
            return pbft::ClientRecord{.timestamp = count_field(c, "timestamp"), .result = hash_field(c, "result")};
          })};
}

json to_json(const pbft::Config& c) {
  return {{"n", c.n},
          {"f", c.f},
          {"checkpoint_interval", c.checkpoint_interval},
          {"watermark_window", c.watermark_window},
          {"max_clients", c.max_clients},
          {"max_buffered", c.max_buffered},
          {"view_change_timeout_us", c.view_change_timeout_us},
          {"mutation", pbft::mutation_name(c.mutation)}};
}

pbft::Config config_from_json(const json& o) {
  pbft::Config c = pbft::make_config(id_field(o, "n"));
  c.f = id_field(o, "f");
  c.checkpoint_interval = id_field(o, "checkpoint_interval");
  c.watermark_window = id_field(o, "watermark_window");
  c.max_clients = id_field(o, "max_clients");
  c.max_buffered = id_field(o, "max_buffered");
  c.view_change_timeout_us = count_field(o, "view_change_timeout_us");
  const std::string mutation = text_field(o, "mutation");
  const auto m = pbft::parse_mutation(mutation);
  if (!m) malformed(fmt::format("\"mutation\" {} is not in the bug catalog", json(mutation).dump()));
  c.mutation = *m;
  if (const std::string why = pbft::validate(c); !why.empty()) malformed("config: " + why);
  return c;
}

json to_json(const pbft::Execution& e) {
  return {{"type", "execute"},
          {"seq", e.seq},
          {"view", e.view},
          {"digest", hex(e.digest)},
          {"client", e.request.client},
          {"timestamp", e.request.timestamp},
          {"operation", hex(e.request.operation)},
          {"applied", e.applied},
          {"result", hex(e.result)}};
}

pbft::Execution execution_from_json(const json& o) {
  const json& applied = field(o, "applied");
  if (!applied.is_boolean()) malformed(fmt::format("\"applied\" must be true or false, got {}", applied.dump()));
  return {.seq = count_field(o, "seq"),
          .view = count_field(o, "view"),
          .digest = hash_field(o, "digest"),
          .request = {.client = id_field(o, "client"), .timestamp = count_field(o, "timestamp"),
                      .operation = hash_field(o, "operation")},
          .applied = applied.get<bool>(),
          .result = hash_field(o, "result")};
}

json to_json(const pbft::Event& e, const pbft::ServiceState* installed) {
  json o = {{"type", "event"}, {"kind", pbft::event_name(e.kind)}, {"view", e.view}, {"seq", e.seq},
            {"digest", hex(e.digest)}};
  if (e.kind == pbft::EventKind::rejected) o["detail"] = pbft::rejection_name(e.detail);
  if (e.kind == pbft::EventKind::state_installed && installed != nullptr) o["state"] = to_json(*installed);
  return o;
}

pbft::Event event_from_json(const json& o) {
  const std::string kind = text_field(o, "kind");
  for (int k = 0; k <= static_cast<int>(kLastEvent); ++k) {
    const auto event = static_cast<pbft::EventKind>(k);
    if (kind != pbft::event_name(event)) continue;
    pbft::Event e{.kind = event, .view = count_field(o, "view"), .seq = count_field(o, "seq"),
                  .digest = hash_field(o, "digest")};
    // A rejection's reason is only counted: an unknown one is kept as none.
    if (const auto it = o.find("detail"); it != o.end() && it->is_string())
      for (int r = 0; r <= static_cast<int>(kLastRejection); ++r)
        if (*it == pbft::rejection_name(static_cast<pbft::Rejection>(r))) e.detail = static_cast<pbft::Rejection>(r);
    return e;
  }
  malformed(fmt::format("\"kind\" {} is not an event kind", json(kind).dump()));
}

}  // namespace node_json
