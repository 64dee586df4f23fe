#include "model/tape.h"

#include "pbft/hash.h"

namespace model {

Tape Tape::from_values(std::vector<std::uint32_t> values) {
  Tape t;
  t.source_ = Source::values;
  t.values_ = std::move(values);
  return t;
}

Tape Tape::from_bytes(std::span<const std::uint8_t> bytes) {
  Tape t;
  t.source_ = Source::bytes;
  t.bytes_ = bytes;
  return t;
}

Tape Tape::from_seed(std::uint64_t seed) {
  Tape t;
  t.source_ = Source::prng;
  t.state_ = seed;
  return t;
}

bool Tape::exhausted() const {
  switch (source_) {
    case Source::values: return pos_ >= values_.size();
    case Source::bytes: return pos_ >= bytes_.size();
    case Source::prng: return false;
  }
  return true;
}

void Tape::keep_recorded(std::uint32_t v) { recorded_.push_back(v); }

std::uint32_t Tape::next(std::uint32_t k) {
  switch (source_) {
    case Source::values:
      return pos_ < values_.size() ? values_[pos_++] % k : 0;
    case Source::bytes: {
      // Little-endian, as many bytes as k needs; missing bytes read as 0.
      std::uint64_t v = 0;
      for (std::uint64_t span = 1, shift = 0; span < k && pos_ < bytes_.size(); span <<= 8, shift += 8)
        v |= std::uint64_t{bytes_[pos_++]} << shift;
      return static_cast<std::uint32_t>(v % k);
    }
    case Source::prng: return next_prng(k);
  }
  return 0;
}

}  // namespace model
