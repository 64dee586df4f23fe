#pragma once
// One node of the node protocol: a child process running a shell command,
// spoken to over its stdin and stdout, one line at a time. Its stderr goes
// to an unlinked temporary file, so a failure can quote its last lines.
//
// No child outlives pbftsim: each runs in its own process group, killed
// when its NodeProcess is destroyed, and on SIGINT, SIGTERM and SIGHUP
// before pbftsim dies of the signal. If pbftsim is killed outright, a node
// sees its stdin close (the protocol asks it to exit then).
#include <chrono>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace model {

// Why a node cannot be used: what happened, without the node's name (the
// caller knows which replica and which input).
struct NodeIoError {
  std::string what;
  bool late = false;  // the deadline passed (the caller names its limit)
};

class NodeProcess {
 public:
  // Throws NodeIoError when the command cannot be started.
  // Runs `command` with /bin/sh -c, in `directory` when one is given.
  explicit NodeProcess(const std::string& command, const std::string& directory = "");
  ~NodeProcess();
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  using Deadline = std::chrono::steady_clock::time_point;
  // Both throw NodeIoError: the node exited (with its status), closed its
  // stdin or stdout, or did not take or give a line by the deadline.
  void write_line(std::string_view line, Deadline deadline);
  // The next line without its newline; valid until the next read. With
  // `awake`, it first waits a few microseconds without sleeping.
  std::string_view read_line(Deadline deadline, bool awake);

  // The last lines the node wrote to stderr, joined with " | " (empty: none).
  std::string stderr_tail() const;
  pid_t pid() const { return pid_; }

 private:
  [[noreturn]] void fail_exited(const char* doing);
  void kill_and_reap();
  pid_t pid_ = -1;
  int to_node_ = -1;    // its stdin
  int from_node_ = -1;  // its stdout
  int stderr_file_ = -1;
  std::vector<char> buffer_;  // read from stdout: [start_, end_) not yet returned
  std::size_t start_ = 0;
  std::size_t end_ = 0;
};

// How many node processes are alive (for tests: none may leak).
std::size_t live_node_processes();

}  // namespace model
