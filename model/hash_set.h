#pragma once
// A set of 64-bit hashes in one flat array with linear probing. The
// adversary boundary inserts every signed message an honest replica sends
// and is reset for every run: std::unordered_set spent a malloc per insert
// and a free per element on each reset, a few percent of a whole search.
// The keys are already well mixed, so their low bits serve as the slot.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace model {

class HashSet {
 public:
  void insert(std::uint64_t key) {
    if (key == 0) {  // 0 marks an empty slot, so it is kept aside
      has_zero_ = true;
      return;
    }
    if ((size_ + 1) * 2 > slots_.size()) grow();
    if (place(slots_, key)) ++size_;
  }

  bool contains(std::uint64_t key) const {
    if (key == 0) return has_zero_;
    if (slots_.empty()) return false;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      if (slots_[i] == key) return true;
      if (slots_[i] == 0) return false;
    }
  }

  // Keeps the memory for the next run.
  void clear() {
    if (size_ > 0) std::fill(slots_.begin(), slots_.end(), 0);
    size_ = 0;
    has_zero_ = false;
  }

 private:
  // False when the key was already there.
  static bool place(std::vector<std::uint64_t>& slots, std::uint64_t key) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      if (slots[i] == key) return false;
      if (slots[i] == 0) {
        slots[i] = key;
        return true;
      }
    }
  }

  void grow() {
    std::vector<std::uint64_t> bigger(slots_.empty() ? 64 : slots_.size() * 2, 0);
    for (const std::uint64_t key : slots_)
      if (key != 0) place(bigger, key);
    slots_.swap(bigger);
  }

  std::vector<std::uint64_t> slots_;  // a power of two in size, at most half full
  std::size_t size_ = 0;
  bool has_zero_ = false;
};

}  // namespace model
