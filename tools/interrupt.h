#pragma once
// Ctrl-C (SIGINT) and SIGTERM while check or sweep runs: the first stops
// the work at the next schedule or batch of trials, and the command prints
// and writes what ran, then exits kInterrupted. The handlers are restored
// on leaving the scope, so a second Ctrl-C during the final output kills
// the process as usual (outputs are renamed into place, so none is torn).
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
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
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

  using Handler = void (*)(int);
  Handler previous_int_, previous_term_;
};

}  // namespace tools
