// The simulator's two hand-written containers against the standard ones they
// replace: the event queue pops in (time, order) order like a sorted list,
// and the hash set answers like std::set, across clears (one per run).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <tuple>
#include <vector>

#include "model/event_queue.h"
#include "model/hash_set.h"
#include "model/tape.h"

namespace model {
namespace {

TEST(EventQueue, PopsInTimeThenOrderLikeASortedList) {
  Tape tape = Tape::from_seed(7);
  EventQueue queue;
  std::set<std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>> reference;
  std::uint64_t order = 0;
  for (int round = 0; round < 5000; ++round) {
    // Mostly pushes at first, then mostly pops; few distinct times, so ties
    // on time are common and the order must break them.
    const bool push = reference.empty() || tape.pick(100) < (round < 2500 ? 70u : 35u);
    if (push) {
      const std::uint64_t time = tape.pick(50) + (round < 2500 ? 0u : 1u << 20);
      const auto index = static_cast<std::uint32_t>(tape.pick(1000));
      queue.push({time, order, index});
      reference.emplace(time, order, index);
      ++order;
    } else {
      ASSERT_FALSE(queue.empty());
      EXPECT_EQ(queue.top().order, std::get<1>(*reference.begin()));
      const EventQueue::Entry e = queue.pop();
      const auto [time, ord, index] = *reference.begin();
      reference.erase(reference.begin());
      ASSERT_EQ(std::tie(e.time, e.order, e.index), std::tie(time, ord, index)) << "round " << round;
    }
    ASSERT_EQ(queue.empty(), reference.empty());
  }
}

TEST(EventQueue, TimeOutranksOrderAcrossTheWholeRange) {
  EventQueue queue;
  queue.push({~std::uint64_t{0}, 0, 1});
  queue.push({1, ~std::uint64_t{0}, 2});
  queue.push({1, 5, 3});
  queue.push({0, ~std::uint64_t{0}, 4});
  std::vector<std::uint32_t> popped;
  while (!queue.empty()) popped.push_back(queue.pop().index);
  EXPECT_EQ(popped, (std::vector<std::uint32_t>{4, 3, 2, 1}));
}

TEST(HashSet, AnswersLikeStdSetAcrossGrowthAndClears) {
  Tape tape = Tape::from_seed(11);
  HashSet set;
  for (int run = 0; run < 4; ++run) {
    std::set<std::uint64_t> reference;
    // Keys from a small range collide often; 0 (the empty-slot marker) is included.
    const std::uint32_t range = run % 2 == 0 ? 300 : 100000;
    for (int i = 0; i < 3000; ++i) {
      const std::uint64_t key = tape.pick(range) * (run < 2 ? 1 : 0x9e3779b97f4a7c15ULL);
      if (tape.pick(2) == 0) {
        set.insert(key);
        reference.insert(key);
      } else {
        ASSERT_EQ(set.contains(key), reference.count(key) == 1) << "run " << run << " key " << key;
      }
    }
    for (const std::uint64_t key : reference) ASSERT_TRUE(set.contains(key));
    set.clear();
    for (const std::uint64_t key : reference) ASSERT_FALSE(set.contains(key)) << "kept after clear: " << key;
  }
}

}  // namespace
}  // namespace model
