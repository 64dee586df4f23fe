#pragma once
// The PBFTSIM_* variables the tests read (model/env_knobs.h), parsed once;
// a bad value is one line on stderr and exit status 2, not a failed case.
#include "model/env_knobs.h"

namespace props {

inline const model::TestKnobs& test_knobs() {
  static const model::TestKnobs k = model::knobs_or_exit(&model::test_knobs);
  return k;
}

}  // namespace props
