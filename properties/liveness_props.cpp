// Liveness in timed mode after GST, malicious <= f (a faulty primary too):
// every request is accepted by its client within the bound (10 s) after
// max(GST, submission). Links retransmit what they lose before GST, as PBFT
// assumes; drops, duplicates, reordering and partitions happen before GST.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "properties/gen_scenario.h"
#include "properties/run.h"

namespace props {

RC_GTEST_PROP(Liveness, TimedAfterGst, ()) {
  GenOptions o;
  o.liveness = true;
  const Case c = *gen_case(o);
  const model::RunResult r = run_case(c);
  RC_CLASSIFY(c.scenario.is_faulty(0), "faulty-primary");
  RC_CLASSIFY(r.coverage.new_views > 0, "new-view");
  RC_CLASSIFY(c.scenario.network.gst_us > 0, "gst>0");
  require_no_violation(c, r, "liveness");
}

}  // namespace props
