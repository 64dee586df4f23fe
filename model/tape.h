#pragma once
// The choice tape: every nondeterministic decision of a run is one pick.
// pick(k) answers in [0, k); an exhausted tape answers 0, and 0 is always the
// most benign option, so truncating or shrinking a tape simplifies the story.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "pbft/hash.h"

namespace model {

class Tape {
 public:
  // Choices given as integers (RapidCheck, replay of a recorded trace); each
  // value is reduced modulo k when picked.
  static Tape from_values(std::vector<std::uint32_t> values);
  // Raw bytes (libFuzzer): each pick consumes just enough bytes for k.
  static Tape from_bytes(std::span<const std::uint8_t> bytes);
  // A seeded PRNG (sweeps): never exhausts.
  static Tape from_seed(std::uint64_t seed);

  std::uint32_t pick(std::uint32_t k) {
    if (k <= 1) return 0;  // no choice: nothing consumed, nothing recorded
    // Seeded searches pick several times per delivery: their source is inline.
    const std::uint32_t v = source_ == Source::prng ? next_prng(k) : next(k);
    if (recording_) [[unlikely]] keep_recorded(v);
    ++picks_;
    return v;
  }
  // True with probability p (per 65536, at most 65535/65536): the benign
  // answer 0 always means false, so an exhausted tape never drops a message.
  bool chance(double p) {
    if (p <= 0) return false;
    const auto threshold = std::max<std::uint32_t>(1, static_cast<std::uint32_t>((1.0 - p) * 65536.0));
    return pick(65536) >= threshold;
  }

  // Notes v as the answer to a pick of k that was decided elsewhere (a
  // steered network, model/schedule_steering.h): counted and recorded like
  // a pick, so the recorded tape replays the run, but nothing is consumed.
  void steer(std::uint32_t v, std::uint32_t k) {
    if (k <= 1) return;
    if (recording_) keep_recorded(v);
    ++picks_;
  }

  // Keep every answer so a PRNG or byte run can be replayed as values.
  void record(bool on) { recording_ = on; }
  const std::vector<std::uint32_t>& recorded() const { return recorded_; }
  std::uint64_t picks() const { return picks_; }
  bool exhausted() const;

 private:
  enum class Source : std::uint8_t { values, bytes, prng };
  std::uint32_t next(std::uint32_t k);
  void keep_recorded(std::uint32_t v);  // out of line: keeps pick() small
  std::uint32_t next_prng(std::uint32_t k) {
    state_ += 0x9e3779b97f4a7c15ULL;
    const std::uint64_t z = pbft::mix64(state_);
    return static_cast<std::uint32_t>(((z & 0xffffffffULL) * k) >> 32);
  }

  Source source_ = Source::values;
  std::vector<std::uint32_t> values_;
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::uint64_t state_ = 0;
  bool recording_ = false;
  std::vector<std::uint32_t> recorded_;
  std::uint64_t picks_ = 0;
};

}  // namespace model
