#pragma once
// The timed network's queue of pending items: a min-heap on (time, order)
// holding slab indices. Every delivery pops it and most push it, so it is
// built for that: four children per node (half the depth of a binary heap)
// and keys compared without branches.
// Orders are unique, so the pop sequence does not depend on the heap's shape.
#include <cstdint>
#include <vector>

namespace model {

class EventQueue {
 public:
  struct Entry {
    std::uint64_t time, order;
    std::uint32_t index;
  };

  bool empty() const { return heap_.empty(); }
  const Entry& top() const { return heap_.front(); }
  void clear() { heap_.clear(); }
  void reserve(std::size_t n) { heap_.reserve(n); }

  void push(Entry e) {  // by value: an argument read after push_back must not live in heap_
    std::size_t i = heap_.size();
    heap_.push_back(e);
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  Entry pop() {
    const Entry top = heap_.front();
    const Entry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return top;
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = i * kArity + 1;
      if (first >= n) break;
      const std::size_t end = first + kArity < n ? first + kArity : n;
      std::size_t best = first;
      for (std::size_t c = first + 1; c < end; ++c) best = before(heap_[c], heap_[best]) ? c : best;
      if (!before(heap_[best], last)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = last;
    return top;
  }

 private:
  static constexpr std::size_t kArity = 4;
  static bool before(const Entry& a, const Entry& b) {
    // Bitwise, not short-circuit: no branch to mispredict.
    return (a.time < b.time) | ((a.time == b.time) & (a.order < b.order));
  }
  std::vector<Entry> heap_;
};

}  // namespace model
