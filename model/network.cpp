#include "model/network.h"
#include "model/scenario_limits.h"

#include <algorithm>
#include <cmath>

namespace model {

namespace {

class TimedNetwork final : public Network {
 public:
  explicit TimedNetwork(const Scenario& s)
      : net_(s.network), n_(s.config.n), scenario_horizon_us_(s.horizon_us), horizon_us_(s.horizon_us) {
    queue_.reserve(std::size_t{4} * n_ * n_);
  }

  void clear() override {
    queue_.clear();
    horizon_us_ = scenario_horizon_us_;
  }
  std::uint64_t horizon_us() const override { return horizon_us_; }
  bool extend_horizon(std::uint64_t until_us) override {
    if (until_us <= horizon_us_) return false;
    horizon_us_ = until_us;
    return true;
  }

  Transmission transmit(std::uint32_t from, std::uint32_t to, std::uint64_t now_us, Tape& tape) override {
    return timed_transmission(net_, n_, from, to, now_us, tape);
  }

  void push(const Waiting& w) override { queue_.push({w.time, w.order, w.index}); }

  std::optional<Next> next(Tape&, std::uint64_t& steps) override {
    if (queue_.empty() || queue_.top().time > horizon_us_) return std::nullopt;
    ++steps;
    if (steps > kTimedStepCeiling) return std::nullopt;  // work left: the run says so (stopped_by_steps)
    const EventQueue::Entry e = queue_.pop();
    return Next{e.index, e.time};
  }

  void forget_timers(const std::function<bool(std::uint32_t)>&, const std::function<void(std::uint32_t)>&) override {}

  bool idle() const override { return queue_.empty(); }

 private:
  const NetworkConfig& net_;
  std::uint32_t n_;
  std::uint64_t scenario_horizon_us_, horizon_us_;
  EventQueue queue_;
};

class AsyncNetwork final : public Network {
 public:
  explicit AsyncNetwork(const Scenario& s) : max_steps_(s.network.max_steps) {}

  void clear() override {
    messages_.clear();
    timers_.clear();
  }

  Transmission transmit(std::uint32_t, std::uint32_t, std::uint64_t, Tape&) override { return {}; }

  void push(const Waiting& w) override { (w.timer ? timers_ : messages_).push_back(w.index); }

  std::optional<Next> next(Tape& tape, std::uint64_t& steps) override {
    const auto messages = static_cast<std::uint32_t>(messages_.size());
    const auto timers = static_cast<std::uint32_t>(timers_.size());
    if (messages + timers == 0) return std::nullopt;
    const Steering::Choice choice = steering_ ? steering_->choose(messages_, timers_) : Steering::Choice{};
    if (choice.from == Steering::Choice::From::nothing) return std::nullopt;
    ++steps;
    if (steps > max_steps_) return std::nullopt;
    const std::uint64_t first_pick = tape.picks();
    std::vector<std::uint32_t>* from = nullptr;
    std::size_t i = 0;
    if (choice.from == Steering::Choice::From::tape) {
      // A timer fires only when the tape says so (1 in 16 while messages are
      // in flight, like a timeout that is long next to delays); pick 0
      // delivers the oldest message.
      from = messages > 0 && (timers == 0 || tape.pick(16) != 15) ? &messages_ : &timers_;
      i = tape.pick(static_cast<std::uint32_t>(from->size()));
    } else {
      // The same picks, noted: what the tape would have said for this choice.
      const bool timer = choice.from == Steering::Choice::From::timers;
      if (messages > 0 && timers > 0) tape.steer(timer ? 15 : 0, 16);
      from = timer ? &timers_ : &messages_;
      i = choice.position;
      tape.steer(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(from->size()));
    }
    const std::uint32_t index = (*from)[i];
    from->erase(from->begin() + static_cast<std::ptrdiff_t>(i));
    if (steering_) steering_->chose(index, first_pick, tape.picks());
    return Next{index, 0};  // async has no clock
  }

  void steer(Steering* s) override { steering_ = s; }

  void forget_timers(const std::function<bool(std::uint32_t)>& stale,
                     const std::function<void(std::uint32_t)>& drop) override {
    std::erase_if(timers_, [&](std::uint32_t i) {
      if (!stale(i)) return false;
      drop(i);
      return true;
    });
  }

  bool idle() const override { return messages_.empty() && timers_.empty(); }

 private:
  std::uint64_t max_steps_;
  Steering* steering_ = nullptr;
  // Slab indices in arrival order: removing from the middle moves 4 bytes an entry.
  std::vector<std::uint32_t> messages_;
  std::vector<std::uint32_t> timers_;  // at most one per replica and per client
};

}  // namespace

namespace {
bool cut_off(const NetworkConfig& net, std::uint32_t n, std::uint32_t from, std::uint32_t to, std::uint64_t now_us) {
  if (from >= n || to >= n) return false;  // clients are never cut off
  for (const auto& p : net.partitions) {
    if (now_us < p.start_us || now_us >= p.end_us) continue;
    const bool a = (p.isolated >> from) & 1, b = (p.isolated >> to) & 1;
    if (a != b) return true;
  }
  return false;
}
}  // namespace

Transmission timed_transmission(const NetworkConfig& net, std::uint32_t n, std::uint32_t from, std::uint32_t to,
                                std::uint64_t now_us, Tape& tape) {
  Transmission t;
  const bool before_gst = now_us < net.gst_us;
  if (before_gst && (cut_off(net, n, from, to, now_us) || tape.chance(net.drop_probability))) {
    t.dropped = true;
    return t;
  }
  std::uint64_t delay = net.min_delay_us + tape.pick(static_cast<std::uint32_t>(net.max_delay_us - net.min_delay_us + 1));
  if (tape.chance(net.tail_probability)) {
    // The tail applies throughout; after GST an exponential tail is capped
    // so that delays stay bounded.
    std::uint64_t tail =
        net.tail_exponential
            ? static_cast<std::uint64_t>(net.tail_mean_us * -std::log1p(-static_cast<double>(tape.pick(65536)) / 65536.0))
            : tape.pick(static_cast<std::uint32_t>(net.tail_max_us + 1));
    if (!before_gst) tail = std::min(tail, net.tail_max_us);
    delay += tail;
  }
  if (before_gst && tape.chance(net.reorder_probability)) delay += net.max_delay_us;
  t.delay_us = delay;
  if (before_gst && tape.chance(net.duplicate_probability))
    t.duplicate_delay_us = delay + net.min_delay_us + tape.pick(static_cast<std::uint32_t>(net.max_delay_us + 1));
  return t;
}

std::unique_ptr<Network> make_network(const Scenario& s) {
  if (s.network.mode == NetworkMode::async) return std::make_unique<AsyncNetwork>(s);
  return std::make_unique<TimedNetwork>(s);
}

}  // namespace model
