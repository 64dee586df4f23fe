#pragma once
// A sweep's result as JSON, read back, and the results of N shards
// (`sweep --shard I/N`) merged into exactly what one machine would have
// written: the counts add up and the latencies (kept whole in the JSON, so
// that percentiles merge exactly) join.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/sweep.h"

namespace model {

std::string sweep_json(const SweepResult& r);
// Throws InputError("name: what") on a document it cannot use.
SweepResult sweep_from_json(const nlohmann::json& j, const std::string& name);

// The results of shards 0..N-1 of one sweep (any order) as one; throws
// InputError saying why they do not make one sweep.
SweepResult merge_sweeps(std::vector<SweepResult> shards);

}  // namespace model
