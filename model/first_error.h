#pragma once
// Worker threads that may throw (a plug-in that answers garbage, an output
// that cannot be written): the first exception is kept, the other workers
// see failed() and stop, and the calling thread rethrows it after joining.
// An exception must never reach std::thread, which would terminate.
#include <atomic>
#include <exception>
#include <mutex>

namespace model {

class FirstError {
 public:
  template <class Work>
  void run(Work&& work) noexcept {
    try {
      work();
    } catch (...) {
      const std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
      failed_.store(true, std::memory_order_relaxed);
    }
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  // After every worker joined.
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
  std::atomic<bool> failed_{false};
};

}  // namespace model
