// The node protocol's JSON (plugin/node_json.h, plugin/node_protocol.h):
// every message kind, state, configuration and effect round-trips through
// its lines, and lines that are not the protocol are refused with a reason
// that names the field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin/node_json.h"
#include "plugin/node_protocol.h"
#include "plugin/wire_samples.h"

namespace {

using namespace pbft;
using ::testing::HasSubstr;
using wire::samples::every_kind;

std::string malformed_reason(const std::function<void()>& f) {
  try {
    f();
  } catch (const wire::Malformed& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(NodeJson, EveryKindRoundTripsThroughAMessageLine) {
  for (const Message& m : every_kind()) {
    const std::string line = node_protocol::message_line(1234, 2, 1, node_json::to_json(m).dump());
    if (std::holds_alternative<Request>(m)) continue;  // a replica never relays a request as a message
    const node_protocol::Input in = node_protocol::parse_input(line);
    EXPECT_EQ(in.kind, node_protocol::Input::Kind::message);
    EXPECT_EQ(in.time_us, 1234u);
    EXPECT_EQ(in.from, 2u);
    EXPECT_EQ(in.node, 1u);
    EXPECT_TRUE(same_message(in.message, m)) << kind_name(kind_of(m)) << ": " << line;
  }
}

TEST(NodeJson, RequestsInitsAndTimersRoundTrip) {
  const Request r{.client = 3, .timestamp = 9, .operation = ~0ULL};
  auto in = node_protocol::parse_input(node_protocol::request_line(5, 3, 0, r));
  EXPECT_EQ(in.kind, node_protocol::Input::Kind::request);
  EXPECT_EQ(in.from, 3u);
  EXPECT_TRUE(same_message(in.message, Message(r)));

  Config c = make_config(7);
  c.checkpoint_interval = 3;
  c.watermark_window = 12;
  c.mutation = Mutation::newview_ignores_highest;
  in = node_protocol::parse_input(node_protocol::init_line(0, 6, c));
  EXPECT_EQ(in.kind, node_protocol::Input::Kind::init);
  EXPECT_EQ(in.node, 6u);
  EXPECT_EQ(in.config, c);

  in = node_protocol::parse_input(node_protocol::timer_line(77, 2, 41));
  EXPECT_EQ(in.kind, node_protocol::Input::Kind::timer);
  EXPECT_EQ(in.token, 41u);
  EXPECT_EQ(in.time_us, 77u);
}

// What a node writes is what the harness reads, effect for effect.
TEST(NodeJson, EffectsRoundTripThroughTheirLines) {
  Effects fx;
  for (const Message& m : every_kind()) fx.sends.push_back({Destination::all(), m});
  fx.sends.push_back({Destination::replica(3), every_kind()[2]});
  fx.sends.push_back({Destination::client(5), every_kind()[4]});
  fx.timers = {{.set = true, .token = 7, .delay_us = 400'000}, {.set = false, .token = 6}};
  fx.executions = {{.seq = 4, .view = 1, .digest = 0xabc, .request = {2, 9, 1ULL << 63}, .applied = true, .result = 42},
                   {.seq = 5, .view = 1, .digest = kNullDigest}};
  fx.events = {{.kind = EventKind::committed, .view = 1, .seq = 4, .digest = 0xabc},
               {.kind = EventKind::rejected, .detail = Rejection::duplicate_vote},
               {.kind = EventKind::state_installed, .seq = 8, .digest = 0x55}};
  auto state = std::make_shared<ServiceState>();
  state->applied = 3;
  state->chain = 0x77;
  state->clients = {{.timestamp = 1, .result = 2}, {}};
  fx.installed_state = state;

  std::string text;
  node_protocol::write_effects(text, 2, fx);
  Effects back;
  std::istringstream lines(text);
  std::string line;
  int done = 0;
  while (std::getline(lines, line)) done += node_protocol::read_effect(line, 2, back) ? 1 : 0;
  EXPECT_EQ(done, 1);
  ASSERT_EQ(back.sends.size(), fx.sends.size());
  for (std::size_t i = 0; i < fx.sends.size(); ++i) {
    EXPECT_EQ(back.sends[i].to, fx.sends[i].to);
    EXPECT_TRUE(same_message(back.sends[i].message, fx.sends[i].message));
  }
  ASSERT_EQ(back.timers.size(), 2u);
  EXPECT_TRUE(back.timers[0].set && back.timers[0].token == 7 && back.timers[0].delay_us == 400'000);
  EXPECT_TRUE(!back.timers[1].set && back.timers[1].token == 6);
  ASSERT_EQ(back.executions.size(), 2u);
  EXPECT_EQ(back.executions[0].request, fx.executions[0].request);
  EXPECT_EQ(back.executions[0].result, 42u);
  EXPECT_TRUE(back.executions[0].applied);
  EXPECT_EQ(back.executions[1].digest, kNullDigest);
  ASSERT_EQ(back.events.size(), 3u);
  EXPECT_EQ(back.events[1].detail, Rejection::duplicate_vote);
  ASSERT_TRUE(back.installed_state);
  EXPECT_EQ(*back.installed_state, *state);
}

TEST(NodeJson, HashesAreSixteenLowercaseHexDigits) {
  EXPECT_EQ(node_json::hex(0x1f), "000000000000001f");
  const auto prepare = [](const char* digest) {
    return node_protocol::parse_input(std::string(R"({"time":0,"src":"r1","dest":"r0","body":{"type":"prepare",)") +
                                      R"("view":0,"seq":1,"replica":1,"digest":)" + digest + "}}");
  };
  EXPECT_EQ(std::get<Prepare>(prepare(R"("00000000000000ff")").message).digest, 0xffu);
  for (const char* bad : {R"("ff")", R"("00000000000000FF")", "255", R"("-000000000000001")", R"("0x000000000000ff")"})
    EXPECT_THAT(malformed_reason([&] { prepare(bad); }), HasSubstr("\"digest\" must be 16 lowercase hex digits"))
        << bad;
}

TEST(NodeJson, LinesThatAreNotTheProtocolSayWhy) {
  Effects fx;
  const auto effect = [&](const std::string& line) { return malformed_reason([&] { node_protocol::read_effect(line, 1, fx); }); };
  EXPECT_EQ(effect("hello"), "not JSON");
  EXPECT_EQ(effect("[1]"), "not a JSON object");
  EXPECT_THAT(effect(R"({"src":"r2","dest":"harness","body":{"type":"done"}})"), HasSubstr("\"src\" is \"r2\", this node is \"r1\""));
  EXPECT_THAT(effect(R"({"src":"r1","dest":"harness","body":{"type":"set_timer","token":0,"after_us":5}})"),
              HasSubstr("token 0"));
  EXPECT_THAT(effect(R"({"src":"r1","dest":"harness","body":{"type":"set_timer","token":1,"after_us":0}})"),
              HasSubstr("after_us 0"));
  EXPECT_THAT(effect(R"({"src":"r1","dest":"harness","body":{"type":"nap"}})"), HasSubstr("\"nap\""));
  EXPECT_THAT(effect(R"({"src":"r1","dest":"x9","body":{"type":"prepare"}})"), HasSubstr("\"dest\" \"x9\" is not a node"));
  EXPECT_THAT(effect(R"({"src":"r1","dest":"all","body":{"type":"prepare","view":1}})"), HasSubstr("\"seq\" is missing"));
  EXPECT_THAT(effect(R"({"src":"r1","dest":"all","body":{"type":"vote"}})"), HasSubstr("not a message type"));
  EXPECT_THAT(effect(R"({"src":"r1","dest":"r01","body":{"type":"vote"}})"), HasSubstr("not a node"));
  EXPECT_THAT(effect(R"({"src":"r1","dest":"harness","body":{"type":"execute","seq":4294967297,"view":0,)"
                     R"("digest":"0000000000000001","client":0,"timestamp":1,"operation":"0000000000000001",)"
                     R"("applied":true,"result":"0000000000000001"}})"),
              HasSubstr("at most 2^32"));
  try {
    node_protocol::read_effect(R"({"src":"r1","dest":"harness","body":{"type":"fail","reason":"out of disk"}})", 1, fx);
    ADD_FAILURE() << "fail was accepted";
  } catch (const node_protocol::NodeFailed& e) {
    EXPECT_STREQ(e.what(), "out of disk");
  }
}

}  // namespace
