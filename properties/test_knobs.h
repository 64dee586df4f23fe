#pragma once
// The PBFTSIM_* variables the tests read (model/env_knobs.h), parsed once;
// a bad value is one line on stderr and exit status 2, not a failed case.
#include <cstdio>
#include <cstdlib>

#include "model/env_knobs.h"

namespace props {

inline const model::TestKnobs& test_knobs() {
  static const model::TestKnobs k = [] {
    try {
      return model::test_knobs();
    } catch (const model::EnvError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      std::exit(2);
    }
  }();
  return k;
}

}  // namespace props
