#pragma once
// Replicas that are processes speaking the node protocol
// (docs/node-protocol.md, plugin/node_protocol.h): `--replica-cmd CMD`
// runs one process per honest replica of each world, and the simulator
// runs it like the built-in replica (model/replica_boundary.h).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <mutex>
#include <thread>
#include <vector>

#include "model/errors.h"
#include "model/node_process.h"
#include "pbft/config.h"
#include "pbft/effects.h"
#include "pbft/messages.h"

namespace model {

// The command, how long one step may take, and its idle processes.
// Scenarios share it. A world holds its replicas' processes only during a
// run: a search keeps hundreds of worlds, and processes are costly, so
// they come from this pool at a run's first input and go back at its end.
class NodeCommand {
 public:
  // An empty `directory` runs the command where pbftsim runs; a replay of a
  // recorded node gives the directory it ran in (model/replica_record.h).
  NodeCommand(std::string command, std::chrono::milliseconds step_limit, std::string directory = "")
      : command(std::move(command)), step_limit(step_limit), directory(std::move(directory)) {}
  const std::string command;
  const std::chrono::milliseconds step_limit;
  const std::string directory;
  std::string name() const { return "node `" + command + "`"; }

  // How many threads of pbftsim run these nodes at once (a search's or a
  // sweep's --threads). A thread waits for an answer awake only while that
  // leaves a core free for the node: measured with `check --n 4 --malicious
  // 1 --schedules 600 --replica-cmd "pbftsim node"` on 2 cores, waiting
  // awake took 10% off a delivery at --threads 1, and cost 25-40% at 2.
  void set_threads(unsigned threads) const { threads_.store(threads, std::memory_order_relaxed); }
  bool awake() const { return threads_.load(std::memory_order_relaxed) < cores_; }

  // An idle process, or a new one (throws NodeIoError if it cannot start).
  std::unique_ptr<NodeProcess> take() const;
  void give_back(std::unique_ptr<NodeProcess> process) const;

 private:
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<NodeProcess>> idle_;
  mutable std::atomic<unsigned> threads_{1};
  const unsigned cores_ = std::max(1u, std::thread::hardware_concurrency());
};

// A search's or sweep's thread count told to a node command for as long as
// it runs (none for the built-in replica or a plug-in); then one again, so a
// minimization that follows on one thread waits awake.
class NodeThreads {
 public:
  NodeThreads(std::shared_ptr<const NodeCommand> node, unsigned threads) : node_(std::move(node)) {
    if (node_) node_->set_threads(threads);
  }
  ~NodeThreads() {
    if (node_) node_->set_threads(1);
  }
  NodeThreads(const NodeThreads&) = delete;
  NodeThreads& operator=(const NodeThreads&) = delete;

 private:
  std::shared_ptr<const NodeCommand> node_;
};

// A node that cannot be used: it crashed, answered garbage, failed, or did
// not answer in time. One line naming the replica, the command, what
// happened and the input it was given. Not a protocol verdict: exit 2.
struct NodeError : ReplicaFailure {
  using ReplicaFailure::ReplicaFailure;
};

// One replica as a node process. A process cannot be copied mid-run, so
// copies follow the simulator's one use of them: the initial world (no
// inputs taken) is copied over the live one at every run's start. A
// replica takes a process from its command's pool at its first input and
// sends it init (a reused process restarts: the protocol's reset).
class NodeReplica {
 public:
  NodeReplica(std::shared_ptr<const NodeCommand> command, const pbft::Config& c, pbft::ReplicaId id);
  NodeReplica(const NodeReplica& other);
  NodeReplica& operator=(const NodeReplica& other);
  NodeReplica(NodeReplica&&) noexcept = default;
  NodeReplica& operator=(NodeReplica&&) noexcept = default;
  ~NodeReplica();

  // The virtual time the next input carries.
  void set_time(std::uint64_t now_us) { now_us_ = now_us; }

  // Each throws NodeError.
  void on_message(pbft::ReplicaId from, const pbft::Message& m, pbft::Effects& out);
  // The message's body already in JSON (a broadcast is encoded once).
  void on_message(pbft::ReplicaId from, std::string_view body, pbft::Effects& out);
  void on_client_request(pbft::ClientId client, const pbft::Request& r, pbft::Effects& out);
  void on_timer(std::uint64_t token, pbft::Effects& out);

  // Starts the node and sends init now (otherwise done at the first input):
  // a command that cannot run, or refuses the configuration, fails here.
  void start();
  // The run is over: the process goes back to the pool.
  void release();

 private:
  void step(const std::string& line, pbft::Effects& out);
  void exchange(const std::string& line, pbft::Effects& out);
  [[noreturn]] void fail(const std::string& what, const std::string& line);

  std::shared_ptr<const NodeCommand> command_;
  pbft::Config config_;
  pbft::ReplicaId id_ = 0;
  std::unique_ptr<NodeProcess> process_;
  bool initialized_ = false;  // the process has had this run's init
  std::uint64_t inputs_ = 0;  // since init: numbers the input in errors
  std::uint64_t now_us_ = 0;
};

}  // namespace model
