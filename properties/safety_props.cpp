// Safety for malicious <= f: agreement, validity, integrity, client
// consistency and local sanity hold for every generated case, in both
// network modes and across view changes. RC_CLASSIFY shows how many cases
// reached a view change, a stable checkpoint, and had faulty replicas.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "properties/gen_scenario.h"
#include "properties/run.h"

namespace props {
namespace {

void classify(const Case& c, const model::RunResult& r) {
  RC_CLASSIFY(r.coverage.new_views > 0, "new-view");
  RC_CLASSIFY(r.coverage.checkpoints_stable > 0, "stable-checkpoint");
  RC_CLASSIFY(c.scenario.malicious() > 0, "faulty");
  RC_CLASSIFY(c.scenario.is_faulty(0), "faulty-primary");
}

void check_safety(model::NetworkMode mode, const char* tag) {
  GenOptions o;
  o.mode = mode;
  const Case c = *gen_case(o);
  const model::RunResult r = run_case(c);
  classify(c, r);
  require_no_violation(c, r, tag);
}

}  // namespace

RC_GTEST_PROP(Safety, Async, ()) { check_safety(model::NetworkMode::async, "safety-async"); }

RC_GTEST_PROP(Safety, Timed, ()) { check_safety(model::NetworkMode::timed, "safety-timed"); }

}  // namespace props
