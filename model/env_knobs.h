#pragma once
// Every environment variable pbftsim reads, in one place. The front ends
// that take no flags (the libFuzzer targets, the tests under ctest) are
// configured by these; each is parsed here, strictly, and a bad value is
// one line naming the variable, the value and what is allowed. README.md
// lists them (a test keeps that list complete), and so does `pbftsim --help`.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.h"
#include "pbft/mutation.h"

namespace model {

struct EnvKnob {
  std::string_view name, values, meaning;
};
std::span<const EnvKnob> env_knobs();

// The schedule and attack fuzzers.
struct FuzzKnobs {
  std::optional<std::uint32_t> n;          // PBFTSIM_FUZZ_N: pin n (4 or 7)
  std::optional<pbft::Mutation> mutation;  // PBFTSIM_FUZZ_MUTATION
  std::uint32_t abort_kinds = ~0u;         // PBFTSIM_FUZZ_KINDS: bit per ViolationKind
  bool liveness = true;                    // PBFTSIM_FUZZ_LIVENESS
  int guidance = 2;                        // PBFTSIM_FUZZ_GUIDANCE
  bool milestones = false;                 // PBFTSIM_FUZZ_MILESTONES (or STOP_AT)
  std::string stop_at;                     // PBFTSIM_FUZZ_STOP_AT: a milestone name
  std::string traces = ".";                // PBFTSIM_FUZZ_TRACES
};

// The property and catalog tests.
struct TestKnobs {
  std::vector<std::uint32_t> property_sizes;  // PBFTSIM_PROPERTY_SIZES; empty: the default sizes
  std::optional<double> catalog_seconds;      // PBFTSIM_CATALOG_SECONDS
  std::optional<std::uint64_t> catalog_cases;  // PBFTSIM_CATALOG_CASES
  bool update_regressions = false;             // PBFTSIM_UPDATE_REGRESSIONS
  std::string replica_command;                 // PBFTSIM_REPLICA_CMD: the properties on a node
  std::string replica_library;                 // PBFTSIM_REPLICA_LIB: the properties on a plug-in
};

using EnvLookup = std::function<const char*(const char*)>;
inline const char* process_env(const char* name) { return std::getenv(name); }

// Throw InputError("PBFTSIM_X=value: what is allowed").
FuzzKnobs fuzz_knobs(const EnvLookup& lookup = process_env);
TestKnobs test_knobs(const EnvLookup& lookup = process_env);

// For the front ends that take no flags: the process's knobs, or the error
// as one line on stderr and exit status 2 (bad input).
template <class Knobs>
Knobs knobs_or_exit(Knobs (*parse)(const EnvLookup&)) {
  try {
    return parse(process_env);
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    std::exit(2);
  }
}

}  // namespace model
