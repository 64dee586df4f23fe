#include "plugin/node_protocol.h"

#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "plugin/effect_limits.h"
#include "plugin/node_json.h"

namespace node_protocol {

namespace {

using node_json::json;

[[noreturn]] void malformed(const std::string& what) { throw wire::Malformed(what); }

// "r3" -> 3 for prefix 'r'; none for anything else.
std::optional<std::uint32_t> parse_name(std::string_view name, char prefix) {
  if (name.size() < 2 || name[0] != prefix || (name[1] == '0' && name.size() > 2)) return std::nullopt;
  std::uint32_t id = 0;
  const auto [end, ec] = std::from_chars(name.data() + 1, name.data() + name.size(), id);
  if (ec != std::errc{} || end != name.data() + name.size()) return std::nullopt;
  return id;
}

json parse_line(std::string_view line) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) malformed("not JSON");
  if (!j.is_object()) malformed("not a JSON object");
  return j;
}

std::string harness_line(pbft::ReplicaId self, const json& body) {
  return fmt::format(R"({{"src":"r{}","dest":"harness","body":{}}})", self, body.dump());
}

void read_harness_effect(const json& body, pbft::Effects& out) {
  const std::string type = node_json::text_field(body, "type");
  if (type == "set_timer") {
    const std::uint64_t token = node_json::count_field(body, "token");
    const std::uint64_t after = node_json::count_field(body, "after_us");
    if (token == 0) malformed("set_timer with token 0 (tokens are non-zero)");
    if (after == 0 || after > wire::kMaxTimerDelayUs)
      malformed(fmt::format("set_timer with after_us {} (1 to 2^40 expected)", after));
    out.timers.push_back({.set = true, .token = token, .delay_us = after});
  } else if (type == "cancel_timer") {
    out.timers.push_back({.set = false, .token = node_json::count_field(body, "token")});
  } else if (type == "execute") {
    pbft::Execution e = node_json::execution_from_json(body);
    if (e.seq > wire::kMaxSeq) malformed(fmt::format("execute at seq {} (at most 2^32 expected)", e.seq));
    out.executions.push_back(e);
  } else if (type == "event") {
    const pbft::Event e = node_json::event_from_json(body);
    if (e.seq > wire::kMaxSeq) malformed(fmt::format("event at seq {} (at most 2^32 expected)", e.seq));
    if (e.kind == pbft::EventKind::state_installed)
      out.installed_state =
          std::make_shared<const pbft::ServiceState>(node_json::state_from_json(node_json::object_field(body, "state")));
    out.events.push_back(e);
  } else if (type == "fail") {
    throw NodeFailed(node_json::text_field(body, "reason"));
  } else {
    malformed(fmt::format("a body of type {} for the harness (set_timer, cancel_timer, execute, event, fail or "
                          "done expected)",
                          json(type).dump()));
  }
}

}  // namespace

std::string init_line(std::uint64_t time_us, pbft::ReplicaId node, const pbft::Config& c) {
  const json body = {{"type", "init"}, {"node", node}, {"config", node_json::to_json(c)}};
  return fmt::format(R"({{"time":{},"src":"harness","dest":"r{}","body":{}}})", time_us, node, body.dump());
}

std::string message_line(std::uint64_t time_us, pbft::ReplicaId from, pbft::ReplicaId node, std::string_view body) {
  return fmt::format(R"({{"time":{},"src":"r{}","dest":"r{}","body":{}}})", time_us, from, node, body);
}

std::string request_line(std::uint64_t time_us, pbft::ClientId from, pbft::ReplicaId node, const pbft::Request& r) {
  return fmt::format(R"({{"time":{},"src":"c{}","dest":"r{}","body":{}}})", time_us, from, node,
                     node_json::to_json(pbft::Message(r)).dump());
}

std::string timer_line(std::uint64_t time_us, pbft::ReplicaId node, std::uint64_t token) {
  return fmt::format(R"({{"time":{},"src":"harness","dest":"r{}","body":{{"type":"timer","token":{}}}}})", time_us,
                     node, token);
}

bool read_effect(std::string_view line, pbft::ReplicaId self, pbft::Effects& out) {
  if (line == done_line(self)) return true;  // a third of all lines, in the form the spec shows
  const json j = parse_line(line);
  const std::string src = node_json::text_field(j, "src");
  if (parse_name(src, 'r') != self)
    malformed(fmt::format("\"src\" is {}, this node is \"r{}\"", json(src).dump(), self));
  const std::string dest = node_json::text_field(j, "dest");
  const json& body = node_json::object_field(j, "body");
  if (dest == "harness") {
    if (node_json::text_field(body, "type") == "done") return true;
    read_harness_effect(body, out);
  } else if (dest == "all") {
    out.sends.push_back({pbft::Destination::all(), node_json::message_from_json(body)});
  } else if (const auto r = parse_name(dest, 'r')) {
    out.sends.push_back({pbft::Destination::replica(*r), node_json::message_from_json(body)});
  } else if (const auto c = parse_name(dest, 'c')) {
    out.sends.push_back({pbft::Destination::client(*c), node_json::message_from_json(body)});
  } else {
    malformed(fmt::format("\"dest\" {} is not a node (r<id>, c<id>, all or harness)", json(dest).dump()));
  }
  return false;
}

Input parse_input(std::string_view line) {
  const json j = parse_line(line);
  Input in;
  in.time_us = node_json::count_field(j, "time");
  const std::string dest = node_json::text_field(j, "dest");
  const auto node = parse_name(dest, 'r');
  if (!node) malformed(fmt::format("\"dest\" {} is not a replica", json(dest).dump()));
  in.node = *node;
  const std::string src = node_json::text_field(j, "src");
  const json& body = node_json::object_field(j, "body");
  const std::string type = node_json::text_field(body, "type");
  if (src == "harness") {
    if (type == "init") {
      in.kind = Input::Kind::init;
      if (node_json::id_field(body, "node") != in.node) malformed("init's \"node\" is not its \"dest\"");
      in.config = node_json::config_from_json(node_json::object_field(body, "config"));
    } else if (type == "timer") {
      in.kind = Input::Kind::timer;
      in.token = node_json::count_field(body, "token");
    } else {
      malformed(fmt::format("a harness body of type {} (init or timer expected)", json(type).dump()));
    }
  } else if (const auto r = parse_name(src, 'r')) {
    in.kind = Input::Kind::message;
    in.from = *r;
    in.message = node_json::message_from_json(body);
  } else if (const auto c = parse_name(src, 'c')) {
    in.kind = Input::Kind::request;
    in.from = *c;
    in.message = node_json::message_from_json(body);
    if (!std::holds_alternative<pbft::Request>(in.message)) malformed("a client sent something other than a request");
  } else {
    malformed(fmt::format("\"src\" {} is not a node (r<id>, c<id> or harness)", json(src).dump()));
  }
  return in;
}

void write_effects(std::string& out, pbft::ReplicaId self, const pbft::Effects& effects) {
  for (const auto& s : effects.sends) {
    std::string dest;
    switch (s.to.kind) {
      case pbft::Destination::Kind::replica: dest = fmt::format("r{}", s.to.id); break;
      case pbft::Destination::Kind::client: dest = fmt::format("c{}", s.to.id); break;
      case pbft::Destination::Kind::all_replicas: dest = "all"; break;
    }
    fmt::format_to(std::back_inserter(out), R"({{"src":"r{}","dest":"{}","body":{}}})"
                                            "\n",
                   self, dest, node_json::to_json(s.message).dump());
  }
  for (const auto& t : effects.timers) {
    const json body = t.set ? json{{"type", "set_timer"}, {"token", t.token}, {"after_us", t.delay_us}}
                            : json{{"type", "cancel_timer"}, {"token", t.token}};
    out += harness_line(self, body) + "\n";
  }
  for (const auto& e : effects.executions) out += harness_line(self, node_json::to_json(e)) + "\n";
  for (const auto& e : effects.events) out += harness_line(self, node_json::to_json(e, effects.installed_state.get())) + "\n";
  out += done_line(self) + "\n";
}

std::string fail_line(pbft::ReplicaId self, std::string_view reason) {
  return harness_line(self, {{"type", "fail"}, {"reason", reason}});
}

std::string done_line(pbft::ReplicaId self) {
  return fmt::format(R"({{"src":"r{}","dest":"harness","body":{{"type":"done"}}}})", self);
}

}  // namespace node_protocol
