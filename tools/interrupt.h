#pragma once
// Ctrl-C (SIGINT) and SIGTERM while check or sweep runs: the search stops
// within a few hundred steps (sweep: after its batches under way), check's
// minimization ends with the smallest counterexample so far, and the
// command prints and writes what ran, then exits kInterrupted (or 1 with a
// violation). The previous handlers are restored on leaving the scope.
#include <atomic>
#include <csignal>

namespace tools {

class InterruptWatch {
 public:
  InterruptWatch() {
    flag().store(false);
    previous_int_ = std::signal(SIGINT, on_signal);
    previous_term_ = std::signal(SIGTERM, on_signal);
  }
  ~InterruptWatch() {
    restore(SIGINT, previous_int_);
    restore(SIGTERM, previous_term_);
  }
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  const std::atomic<bool>* interrupted() const { return &flag(); }

 private:
  // A signal handler can reach only a static; one watch runs at a time.
  static std::atomic<bool>& flag() {
    static std::atomic<bool> raised{false};
    return raised;
  }
  static void on_signal(int) { flag().store(true); }
  // Only if the handler is still ours: one installed meanwhile (the node
  // pool's, which stops its processes) stays.
  static void restore(int signal, void (*previous)(int)) {
    if (const auto current = std::signal(signal, previous); current != on_signal) std::signal(signal, current);
  }

  using Handler = void (*)(int);
  Handler previous_int_, previous_term_;
};

}  // namespace tools
