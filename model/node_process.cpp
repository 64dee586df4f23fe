#include "model/node_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include <fmt/format.h>

extern char** environ;

namespace model {

namespace {

using Clock = std::chrono::steady_clock;

// Every live node's process group, where a signal handler can read it: a
// fixed array of atomics (no locks, no allocation in the handler).
constexpr std::size_t kMaxChildren = 4096;
std::array<std::atomic<pid_t>, kMaxChildren> g_children{};
std::atomic<std::size_t> g_live{0};
std::array<struct sigaction, 3> g_previous{};
constexpr std::array<int, 3> kFatalSignals = {SIGINT, SIGTERM, SIGHUP};

// A program that handles the signal itself (check stops its search and
// reports) gets it as before: its nodes end with its worlds. Otherwise the
// signal would kill pbftsim and leave its nodes: they die first, and then
// pbftsim of the signal, at once, before a thread can report a dead node.
void on_fatal_signal(int signal) {
  std::size_t i = 0;
  while (kFatalSignals[i] != signal) ++i;
  const struct sigaction& previous = g_previous[i];
  if (!(previous.sa_flags & SA_SIGINFO) && previous.sa_handler == SIG_IGN) return;
  if ((previous.sa_flags & SA_SIGINFO) || previous.sa_handler != SIG_DFL) {
    if (previous.sa_flags & SA_SIGINFO) {
      previous.sa_sigaction(signal, nullptr, nullptr);
    } else {
      previous.sa_handler(signal);
    }
    return;
  }
  for (auto& child : g_children)
    if (const pid_t pid = child.load(); pid > 0) kill(-pid, SIGKILL);
  sigaction(signal, &previous, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signal);
  pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  raise(signal);
}

void install_handlers_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // A node that exits makes writes to its pipe fail with EPIPE, not kill pbftsim.
    signal(SIGPIPE, SIG_IGN);
    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < kFatalSignals.size(); ++i) sigaction(kFatalSignals[i], &action, &g_previous[i]);
  });
}

void remember(pid_t pid) {
  for (auto& child : g_children) {
    pid_t empty = 0;
    if (child.compare_exchange_strong(empty, pid)) {
      ++g_live;
      return;
    }
  }
  throw NodeIoError{fmt::format("more than {} node processes at once", kMaxChildren)};
}

void forget(pid_t pid) {
  for (auto& child : g_children) {
    pid_t expected = pid;
    if (child.compare_exchange_strong(expected, 0)) {
      --g_live;
      return;
    }
  }
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// An unlinked file for the node's stderr: unbounded output cannot block it.
int stderr_file() {
  const char* dir = std::getenv("TMPDIR");
  const std::string base = dir != nullptr && *dir != '\0' ? dir : "/tmp";
  int fd = open(base.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string path = base + "/pbftsim-node-XXXXXX";
  fd = mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) throw NodeIoError{fmt::format("cannot make a file for its stderr in {}: {}", base, std::strerror(errno))};
  unlink(path.c_str());
  return fd;
}

constexpr std::size_t kMaxLineBytes = std::size_t{64} << 20;
constexpr std::size_t kReadBytes = 65536;
// How long a read waits awake before it sleeps in poll, when a core is
// free for the node (NodeCommand::awake).
constexpr std::chrono::microseconds kSpin{20};

}  // namespace

std::size_t live_node_processes() { return g_live.load(); }

NodeProcess::NodeProcess(const std::string& command, const std::string& directory) {
  install_handlers_once();
  int in[2];
  int out[2];
  if (pipe2(in, O_CLOEXEC) != 0) throw NodeIoError{fmt::format("cannot make a pipe: {}", std::strerror(errno))};
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    throw NodeIoError{fmt::format("cannot make a pipe: {}", std::strerror(errno))};
  }
  to_node_ = in[1];
  from_node_ = out[0];
  try {
    stderr_file_ = stderr_file();
  } catch (...) {
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    throw;
  }

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_adddup2(&files, in[0], 0);
  posix_spawn_file_actions_adddup2(&files, out[1], 1);
  posix_spawn_file_actions_adddup2(&files, stderr_file_, 2);
  if (!directory.empty()) posix_spawn_file_actions_addchdir_np(&files, directory.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so one kill reaches what the shell started; the
  // signals pbftsim ignores or handles are the defaults again in the node.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP}) sigaddset(&defaults, s);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setsigmask(&attributes, &none);
  std::string shell = "/bin/sh";
  std::string dash_c = "-c";
  std::string line = command;
  char* argv[] = {shell.data(), dash_c.data(), line.data(), nullptr};
  const int error = posix_spawn(&pid_, shell.c_str(), &files, &attributes, argv, environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  close(in[0]);
  close(out[1]);
  if (error != 0) {
    pid_ = -1;
    close(to_node_);
    close(from_node_);
    close(stderr_file_);
    throw NodeIoError{fmt::format("cannot start /bin/sh: {}", std::strerror(error))};
  }
  try {
    remember(pid_);
  } catch (...) {
    kill_and_reap();
    close(to_node_);
    close(from_node_);
    close(stderr_file_);
    throw;
  }
  fcntl(to_node_, F_SETFL, fcntl(to_node_, F_GETFL) | O_NONBLOCK);
  fcntl(from_node_, F_SETFL, fcntl(from_node_, F_GETFL) | O_NONBLOCK);
}

NodeProcess::~NodeProcess() {
  close(to_node_);  // a node that is still reading sees its input end
  kill_and_reap();
  close(from_node_);
  close(stderr_file_);
}

void NodeProcess::kill_and_reap() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  forget(pid_);
  pid_ = -1;
}

void NodeProcess::fail_exited(const char* doing) {
  // The node may be on its way out: a moment for its status to settle.
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 50 && pid_ > 0; ++i) {
    done = waitpid(pid_, &status, WNOHANG);
    if (done != 0) break;
    usleep(2000);
  }
  std::string what;
  if (done == pid_ && WIFEXITED(status)) {
    what = fmt::format("exited with status {} {}", WEXITSTATUS(status), doing);
  } else if (done == pid_ && WIFSIGNALED(status)) {
    what = fmt::format("was killed by signal {} ({}) {}", WTERMSIG(status), strsignal(WTERMSIG(status)), doing);
  } else {
    what = fmt::format("closed its {}", doing);
  }
  if (done == pid_) {  // reaped: only the rest of its group is left to kill
    kill(-pid_, SIGKILL);
    forget(pid_);
    pid_ = -1;
  }
  if (const std::string tail = stderr_tail(); !tail.empty()) what += "; its stderr ends: " + tail;
  throw NodeIoError{what};
}

void NodeProcess::write_line(std::string_view line, Deadline deadline) {
  char newline = '\n';
  std::size_t written = 0;
  const std::size_t total = line.size() + 1;
  while (written < total) {
    iovec parts[2];
    int count = 0;
    if (written < line.size()) parts[count++] = {const_cast<char*>(line.data()) + written, line.size() - written};
    parts[count++] = {&newline, 1};
    const ssize_t n = writev(to_node_, parts, count);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EPIPE) fail_exited("before reading its input");
    if (n < 0 && errno != EAGAIN) throw NodeIoError{fmt::format("cannot write to its stdin: {}", std::strerror(errno))};
    pollfd p{to_node_, POLLOUT, 0};
    const int ready = poll(&p, 1, remaining_ms(deadline));
    if (ready == 0)
      throw NodeIoError{"did not read its input in time", true};
  }
}

std::string_view NodeProcess::read_line(Deadline deadline, bool awake) {
  std::size_t scanned = start_;
  Clock::time_point spin_until{};
  for (;;) {
    // Nothing unscanned (maybe no buffer yet): memchr must not see a null pointer.
    const char* found =
        end_ > scanned ? static_cast<const char*>(std::memchr(buffer_.data() + scanned, '\n', end_ - scanned)) : nullptr;
    if (found != nullptr) {
      const auto newline = static_cast<std::size_t>(found - buffer_.data());
      const std::string_view line(buffer_.data() + start_, newline - start_);
      start_ = newline + 1;
      return line;
    }
    if (start_ > 0) {  // keep only the unfinished line
      std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
      end_ -= start_;
      start_ = 0;
    }
    scanned = end_;
    if (end_ > kMaxLineBytes) throw NodeIoError{fmt::format("wrote a line longer than {} MiB", kMaxLineBytes >> 20)};
    // Grown, never shrunk or cleared: a read fills only what it needs.
    if (buffer_.size() - end_ < kReadBytes) buffer_.resize(end_ + kReadBytes);
    const ssize_t n = read(from_node_, buffer_.data() + end_, buffer_.size() - end_);
    if (n > 0) {
      end_ += static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0) fail_exited("before it answered");
    if (errno == EINTR) continue;
    if (errno != EAGAIN) throw NodeIoError{fmt::format("cannot read its stdout: {}", std::strerror(errno))};
    // A node usually answers within microseconds: waiting that out awake is
    // cheaper than sleeping, which in a VM costs more than the answer.
    if (spin_until == Clock::time_point{}) spin_until = awake ? Clock::now() + kSpin : Clock::now();
    if (Clock::now() < spin_until) continue;
    pollfd p{from_node_, POLLIN, 0};
    const int ready = poll(&p, 1, remaining_ms(deadline));
    if (ready == 0) throw NodeIoError{"did not answer in time", true};
  }
}

std::string NodeProcess::stderr_tail() const {
  struct stat st {};
  if (fstat(stderr_file_, &st) != 0 || st.st_size == 0) return "";
  const off_t size = st.st_size;
  const off_t from = size > 2048 ? size - 2048 : 0;
  std::string text(static_cast<std::size_t>(size - from), '\0');
  const ssize_t n = pread(stderr_file_, text.data(), text.size(), from);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  std::vector<std::string> lines;
  std::string current;
  for (char c : text) {
    if (c == '\n') {
      if (!current.empty()) lines.push_back(current);
      current.clear();
    } else {
      current += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
  }
  if (!current.empty()) lines.push_back(current);
  std::string tail;
  const std::size_t first = lines.size() > 3 ? lines.size() - 3 : 0;
  for (std::size_t i = first; i < lines.size(); ++i) tail += (tail.empty() ? "" : " | ") + lines[i];
  return tail;
}

}  // namespace model
