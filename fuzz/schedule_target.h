#pragma once
// The shared body of schedule_fuzzer and attack_fuzzer: decode the input
// (schedule_input.h), run it in a reused world with every checker, feed the
// protocol-state counters, and on a violation print it, write its trace and
// abort() so libFuzzer keeps the input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/schedule_input.h"
#include "model/simulator.h"

namespace fuzz {

// Runs one input; returns the result (the caller decides what a violation means).
model::RunResult run_schedule(const ScheduleInput& in);

// Runs one input as the fuzz target `name`: any violation is reported and aborts.
void fuzz_schedule(const char* name, const std::uint8_t* data, std::size_t size, const ScheduleOptions& o);

// "agreement/replica # committed # at seq # in view #, ...": the violation's
// kind and its check with every number replaced by '#', for deduplication.
std::string violation_signature(const model::Violation& v);

}  // namespace fuzz
