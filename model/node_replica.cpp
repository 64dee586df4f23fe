#include "model/node_replica.h"

#include <fmt/format.h>

#include "plugin/node_json.h"
#include "plugin/node_protocol.h"

namespace model {

namespace {

// An input quoted in an error: enough to recognise it.
std::string quote(const std::string& line) {
  constexpr std::size_t kMax = 240;
  return line.size() <= kMax ? line : line.substr(0, kMax) + "...";
}

}  // namespace

std::unique_ptr<NodeProcess> NodeCommand::take() const {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto process = std::move(idle_.back());
      idle_.pop_back();
      return process;
    }
  }
  return std::make_unique<NodeProcess>(command, directory);
}

void NodeCommand::give_back(std::unique_ptr<NodeProcess> process) const {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(process));
}

NodeReplica::NodeReplica(std::shared_ptr<const NodeCommand> command, const pbft::Config& c, pbft::ReplicaId id)
    : command_(std::move(command)), config_(c), id_(id) {}

NodeReplica::NodeReplica(const NodeReplica& other)
    : command_(other.command_), config_(other.config_), id_(other.id_), now_us_(other.now_us_) {
  if (other.inputs_ > 0) throw InternalError("a node replica was copied mid-run");
}

NodeReplica& NodeReplica::operator=(const NodeReplica& other) {
  if (this == &other) return *this;
  if (other.inputs_ > 0) throw InternalError("a node replica was copied mid-run");
  release();
  command_ = other.command_;
  config_ = other.config_;
  id_ = other.id_;
  now_us_ = other.now_us_;
  initialized_ = false;  // the next input re-inits the process: the protocol's reset
  inputs_ = 0;
  return *this;
}

NodeReplica::~NodeReplica() { release(); }

void NodeReplica::release() {
  if (process_) command_->give_back(std::move(process_));
  initialized_ = false;
  inputs_ = 0;
}

void NodeReplica::fail(const std::string& what, const std::string& line) {
  process_.reset();  // killed: a broken node is not reused
  initialized_ = false;
  throw NodeError(fmt::format("replica {} ({}) {} at input {}: {}", id_, command_->name(), what, inputs_, quote(line)));
}

void NodeReplica::start() {
  if (initialized_) return;
  const std::string init = node_protocol::init_line(now_us_, id_, config_);
  inputs_ = 0;
  try {
    if (!process_) process_ = command_->take();
  } catch (const NodeIoError& e) {
    fail(e.what, init);
  }
  pbft::Effects none;
  exchange(init, none);
  if (!none.sends.empty() || !none.timers.empty() || !none.executions.empty() || !none.events.empty())
    fail("answered init with effects (only done is expected)", init);
  initialized_ = true;
}

void NodeReplica::step(const std::string& line, pbft::Effects& out) {
  start();
  ++inputs_;
  exchange(line, out);
}

void NodeReplica::exchange(const std::string& line, pbft::Effects& out) {
  const auto deadline = std::chrono::steady_clock::now() + command_->step_limit;
  std::string_view answer;
  try {
    process_->write_line(line, deadline);
    for (;;) {
      answer = process_->read_line(deadline, command_->awake());
      if (node_protocol::read_effect(answer, id_, out)) return;
    }
  } catch (const NodeIoError& e) {
    fail(e.late ? fmt::format("{} (step limit {} ms)", e.what, command_->step_limit.count()) : e.what, line);
  } catch (const node_protocol::NodeFailed& e) {
    fail(fmt::format("failed: {}", e.what()), line);
  } catch (const wire::Malformed& e) {
    fail(fmt::format("answered with a line that is not an effect ({}): {}", e.what(), quote(std::string(answer))),
         line);
  }
}

void NodeReplica::on_message(pbft::ReplicaId from, const pbft::Message& m, pbft::Effects& out) {
  on_message(from, node_json::to_json(m).dump(), out);
}

void NodeReplica::on_message(pbft::ReplicaId from, std::string_view body, pbft::Effects& out) {
  step(node_protocol::message_line(now_us_, from, id_, body), out);
}

void NodeReplica::on_client_request(pbft::ClientId client, const pbft::Request& r, pbft::Effects& out) {
  step(node_protocol::request_line(now_us_, client, id_, r), out);
}

void NodeReplica::on_timer(std::uint64_t token, pbft::Effects& out) {
  step(node_protocol::timer_line(now_us_, id_, token), out);
}

}  // namespace model
