#pragma once
// The one error style of model/ and the front ends. A function that its
// input can refuse throws InputError: a file, a flag, an environment
// variable, a result to merge, or an output path that cannot be written.
// Its message is one line that names the place ("file:line: what",
// "--flag: what", "PBFTSIM_X=value: what"). A promise of pbftsim's own that
// did not hold (a violation that does not reproduce from its seed) throws
// InternalError. Nothing returns an error string or fills an error
// out-parameter; a front end catches both once (pbftsim: exit status 2 for
// InputError, 3 for InternalError and anything else unexpected).
#include <cstdint>
#include <optional>
#include <stdexcept>

namespace model {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A replica under test that broke its contract mid-run: a node that crashed,
// hung or answered garbage, a plug-in's malformed effect. Bad input (exit
// 2), but one a run reaches at a known point: a search records which
// schedule, and `check` writes the trace up to the failure.
struct ReplicaFailure : InputError {
  using InputError::InputError;
  std::optional<std::uint64_t> schedule;  // set by the search that ran it
};

struct InternalError : std::logic_error {
  using std::logic_error::logic_error;
};

}  // namespace model
