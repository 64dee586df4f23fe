#include "properties/rc_search.h"

#include <rapidcheck/detail/Configuration.h>
#include <rapidcheck/detail/TestListener.h>

#include "properties/run.h"

namespace props {

namespace {
// Keeps RapidCheck quiet: an expected failure must not end up in the
// "reproduce" summary printed at exit.
class Quiet final : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool accepted) override { shrinks += accepted; }
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
  int shrinks = 0;
};
}  // namespace

int rc_fails(const std::function<void()>& property, int max_cases, std::uint64_t seed) {
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.seed = seed;
  params.maxSuccess = max_cases;
  params.disableShrinking = true;
  Quiet listener;
  const auto result =
      rc::detail::checkTestable(property, rc::detail::TestMetadata{"rc_fails", "rc_fails"}, params, listener);
  if (!result.template is<rc::detail::FailureResult>()) return 0;
  return result.template get<rc::detail::FailureResult>().numSuccess + 1;
}

std::optional<Found> rc_find(const rc::Gen<Case>& gen, const BadCase& bad, int max_cases, bool shrink,
                             std::uint64_t seed) {
  std::optional<Found> last;
  const auto property = [&] {
    Case c = *gen;
    model::RunResult r = run_case(c);
    if (bad(c, r)) {
      // Shrinking only ever moves to a failing case, so the last failing
      // evaluation is the final (shrunk) counterexample.
      last = Found{std::move(c), std::move(r), 0, 0};
      RC_FAIL("found");
    }
  };
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.seed = seed;
  params.maxSuccess = max_cases;
  params.disableShrinking = !shrink;
  Quiet listener;
  const auto result =
      rc::detail::checkTestable(property, rc::detail::TestMetadata{"rc_find", "rc_find"}, params, listener);
  if (!result.template is<rc::detail::FailureResult>() || !last) return std::nullopt;
  last->cases = result.template get<rc::detail::FailureResult>().numSuccess + 1;
  last->shrink_steps = listener.shrinks;
  return last;
}

}  // namespace props
