#include "properties/gen_tape.h"

#include <algorithm>

namespace props {

namespace {

using TapeValues = std::vector<std::uint32_t>;

// One shrink step: keep [0, keep) and drop [begin, end) or zero it.
struct Edit {
  enum Kind : std::uint8_t { remove, zero } kind;
  std::size_t begin, end;
};

TapeValues applied(const TapeValues& v, const Edit& e) {
  TapeValues out = v;
  if (e.kind == Edit::remove) {
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(e.begin), out.begin() + static_cast<std::ptrdiff_t>(e.end));
  } else {
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(e.begin), out.begin() + static_cast<std::ptrdiff_t>(e.end), 0u);
  }
  return out;
}

// A bounded set of simplifications, simplest first: drop everything, drop
// the back half / quarter / eighth (picks past the end answer 0), then
// remove or zero chunks of n/2 … n/32 values. At most ~130 candidates per
// step, where RapidCheck's element-wise container shrinking tries ~32 per
// value and restarts after each success — hours on a tape of thousands.
rc::Seq<TapeValues> tape_shrinks(const TapeValues& v) {
  const std::size_t n = v.size();
  std::vector<Edit> edits;
  if (n == 0) return rc::Seq<TapeValues>();
  edits.push_back({Edit::remove, 0, n});
  for (std::size_t d : {2u, 4u, 8u})
    if (n / d > 0) edits.push_back({Edit::remove, n - n / d, n});
  const std::size_t smallest = std::max<std::size_t>(1, n / 32);
  for (auto kind : {Edit::remove, Edit::zero}) {
    for (std::size_t chunk = std::max<std::size_t>(1, n / 2);; chunk = std::max<std::size_t>(smallest, chunk / 2)) {
      for (std::size_t b = 0; b < n; b += chunk) {
        const std::size_t e = std::min(n, b + chunk);
        if (kind == Edit::zero && std::all_of(v.begin() + static_cast<std::ptrdiff_t>(b),
                                              v.begin() + static_cast<std::ptrdiff_t>(e), [](auto x) { return x == 0; }))
          continue;
        if (kind == Edit::remove && b == 0 && e == n) continue;  // tried first
        edits.push_back({kind, b, e});
      }
      if (chunk == smallest) break;
    }
  }
  return rc::seq::map(rc::seq::fromContainer(std::move(edits)), [v](const Edit& e) { return applied(v, e); });
}

}  // namespace

rc::Gen<std::vector<std::uint32_t>> gen_tape(std::uint32_t factor) {
  // gen::scale multiplies the size both for the length and for the values'
  // range: from size 4 on, values cover all of uint32.
  const auto values = rc::gen::scale(static_cast<double>(factor),
                                     rc::gen::container<TapeValues>(rc::gen::arbitrary<std::uint32_t>()));
  return rc::Gen<TapeValues>([values](const rc::Random& random, int size) {
    return rc::shrinkable::shrinkRecur(values(random, size).value(), &tape_shrinks);
  });
}

}  // namespace props
