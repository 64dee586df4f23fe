// pbftsim node: the built-in replica served over the node protocol
// (docs/node-protocol.md), its reference implementation. One process is one
// replica: it reads one input line from stdin, steps pbft::Replica, and
// writes the effects and "done" to stdout. An init (re)starts the replica;
// the end of stdin ends the process.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "pbft/replica.h"
#include "plugin/node_protocol.h"
#include "tools/command.h"

namespace tools {

namespace {

// A line that is not the protocol is the harness's mistake: say so on
// stdout (the harness reads it) and stderr, and stop.
int refuse(pbft::ReplicaId self, const std::string& why) {
  const std::string line = node_protocol::fail_line(self, why) + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  std::fprintf(stderr, "pbftsim node: %s\n", why.c_str());
  return kBadInput;
}

int serve() {
  std::ios::sync_with_stdio(false);
  std::optional<pbft::Replica> replica;
  pbft::ReplicaId self = 0;
  pbft::Effects effects;
  std::string line, out;
  for (std::uint64_t number = 1; std::getline(std::cin, line); ++number) {
    node_protocol::Input in;
    try {
      in = node_protocol::parse_input(line);
    } catch (const wire::Malformed& e) {
      return refuse(self, fmt::format("input line {}: {}", number, e.what()));
    }
    if (in.kind != node_protocol::Input::Kind::init && (!replica || in.node != self))
      return refuse(self, fmt::format("input line {}: for r{} before its init", number, in.node));
    effects.clear();
    switch (in.kind) {
      case node_protocol::Input::Kind::init:
        self = in.node;
        replica.emplace(in.config, in.node);
        break;
      case node_protocol::Input::Kind::message: replica->on_message(in.from, in.message, effects); break;
      case node_protocol::Input::Kind::request:
        replica->on_client_request(in.from, std::get<pbft::Request>(in.message), effects);
        break;
      case node_protocol::Input::Kind::timer: replica->on_timer(in.token, effects); break;
    }
    out.clear();
    node_protocol::write_effects(out, self, effects);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);  // lock-step: the harness waits for the done
  }
  return kOk;
}

}  // namespace

void add_node_command(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "node", "serve the built-in replica over the node protocol on stdin/stdout (docs/node-protocol.md); "
              "run it as: pbftsim check --replica-cmd \"pbftsim node\"");
  cmd->callback([&status] { status = serve(); });
}

}  // namespace tools
