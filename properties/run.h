#pragma once
// Running generated cases inside properties: the simulation, and on a
// violation a trace written under the build directory whose path goes into
// the RapidCheck log (printed with the counterexample), so a CI failure shows
// both the reproduce string and a trace `pbftsim replay` reproduces.
#include <string>

#include "model/simulator.h"
#include "properties/case.h"

namespace props {

// Sanitizer builds run fewer cases and smaller search budgets.
#ifdef PBFTSIM_PROPERTY_SANITIZED
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

model::RunResult run_case(const Case& c);

// Where failing properties write traces (a directory in the build tree).
std::string trace_dir();

// Writes the case's trace as <trace_dir>/<tag>-<hash>.jsonl; returns the
// path, or an error message starting with "error: ".
std::string write_case_trace(const Case& c, const std::string& tag);

// Fails the current property (RC_FAIL) if the run has a violation, after
// writing its trace and logging where it is.
void require_no_violation(const Case& c, const model::RunResult& r, const std::string& tag);

}  // namespace props
